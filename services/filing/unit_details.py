"""What a reporting unit enters once for its filing (models/reporting.py UnitFiling): the 党统 cover lines —
负责人, 填表人, the office's 联系电话 (the unit's own number, never a member's; members' phones stay in the roster)
— and its own paragraphs of the written report (情况报告), one per section, kept until 报送.

A reporting unit is a general branch, a branch right under the committee, or the committee itself (path "").
Who may enter them is who may report the unit: its general-branch secretary (a direct branch's own secretary),
or the organizer; for the committee, the organizer alone. Whoever's scope holds the unit reads them."""

import json
import re
from dataclasses import dataclass, field

from sqlmodel import Session, select

from models import OrgKind, OrgUnit, UnitFiling, UnitReport
from models.audit import AuditAction
from models.reporting import FROZEN_STATES
from services.platform.clock import now
from services.platform.db import session_scope
from services.platform.errors import InvalidInput, InvalidTransition, NotFound, NotPermitted
from services.platform.text_input import checked
from services.staff import audit
from services.staff.access import Actor, require_unit

NAME_MAX = 40  # 负责人, 填表人 (the columns' size)
PHONE_MAX = 30
FROZEN_WORDS = "本单位的备案材料已报送组织部，报送单位信息和情况报告不能再修改；如需修改，请组织部先退回。"
SECTION_MAX = 2000  # characters of the unit's paragraphs in one section of the report
_COVER = ("leader", "preparer", "office_phone")
_PHONE = re.compile(r"[0-9 ()（）+\-－—转]+")
# The report's sections, in order: key (kept in UnitFiling.report_sections) -> heading.
SECTIONS = {
    "overview": "基本情况",
    "meetings": "组织生活会召开情况",
    "evaluation": "民主评议党员情况",
    "problems": "查摆的问题和征求的意见",
    "rectification": "整改落实情况",
    "next_steps": "下一步工作打算",
}


@dataclass(frozen=True)
class UnitDetails:
    unit_path: str
    leader: str | None = None  # 负责人
    preparer: str | None = None  # 填表人
    office_phone: str | None = None  # 联系电话
    sections: dict[str, str] = field(default_factory=dict)  # SECTIONS key -> the unit's paragraphs


def may_report(actor: Actor, kind: str, unit_path: str) -> bool:
    """Whether the actor reports (and so fills in the details of) the unit: the one rule for both."""
    if actor.is_organizer:
        return True
    role = "general_branch_secretary" if kind == OrgKind.general_branch else "branch_secretary"
    return kind != OrgKind.party_committee and actor.role == role and actor.scope_path == unit_path


def details(*, actor: Actor, campaign_id: int, unit_path: str) -> UnitDetails:
    """The unit's details as entered (all empty when nothing was): blank lines to sign by hand."""
    _readable(actor, unit_path)
    with session_scope() as session:
        row = _filing(session, campaign_id, _unit(session, campaign_id, unit_path))
        return _view(unit_path, row)


def save_details(*, actor: Actor, campaign_id: int, unit_path: str, leader: str | None, preparer: str | None,
                 office_phone: str | None, sections: dict[str, str | None]) -> UnitDetails:  # fmt: skip
    """All the details at once, checked; refused once the unit's package is with the Organization Department."""
    _readable(actor, unit_path)
    phone = checked(office_phone, "联系电话", limit=PHONE_MAX)
    if phone and not _PHONE.fullmatch(phone):
        raise InvalidInput("“联系电话”只能填写数字、空格、括号、“-”、“+”和“转”（如 010-12345678 转 123）")
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        raise InvalidInput(f"情况报告没有这些部分：{'、'.join(sorted(unknown))}")
    texts = {}
    for key, heading in SECTIONS.items():
        if text := checked(sections.get(key), f"情况报告：{heading}", limit=SECTION_MAX, multiline=True):
            texts[key] = text
    values = {
        "leader": checked(leader, "负责人", limit=NAME_MAX),
        "preparer": checked(preparer, "填表人", limit=NAME_MAX),
        "office_phone": phone,
        "report_sections": json.dumps(texts, ensure_ascii=False) if texts else None,
    }
    with session_scope() as session:
        unit = _unit(session, campaign_id, unit_path)
        if not is_reporting_unit(session, unit):
            raise InvalidInput("报送单位信息由党总支、直属党支部或党委填写；党总支下的党支部随党总支报送")
        if not may_report(actor, unit.kind, unit_path):
            raise NotPermitted("没有权限：报送单位信息由本单位报送人（党总支书记、直属党支部书记）或组织部填写")
        state = session.exec(
            select(UnitReport.state).where(UnitReport.campaign_id == campaign_id, UnitReport.unit_id == unit.id)
        ).first()
        if state in FROZEN_STATES:
            raise InvalidTransition(FROZEN_WORDS)
        row = _filing(session, campaign_id, unit) or UnitFiling(campaign_id=campaign_id, unit_id=unit.id)
        for key, value in values.items():
            setattr(row, key, value)
        row.updated_at, row.updated_by = now(), actor.username
        session.add(row)
        audit.record(
            session, actor, AuditAction.unit_details_save, campaign_id=campaign_id, target=unit_path or "党委",
            detail={"cover": sum(1 for k in _COVER if values[k]), "sections": len(texts)},
        )  # fmt: skip
        return _view(unit_path, row)


def is_reporting_unit(session: Session, unit: OrgUnit) -> bool:
    """The committee, a general branch, or a branch right under the committee."""
    if unit.kind != OrgKind.branch:
        return True
    parent = session.get(OrgUnit, unit.parent_id) if unit.parent_id else None
    return parent is None or parent.kind == OrgKind.party_committee


def _readable(actor: Actor, unit_path: str) -> None:
    if unit_path == "":
        if not actor.is_organizer:
            raise NotPermitted("没有权限：党委的报送信息只有组织部可以查看和填写")
    else:
        require_unit(actor, unit_path)


def _unit(session: Session, campaign_id: int, unit_path: str) -> OrgUnit:
    unit = session.exec(select(OrgUnit).where(OrgUnit.campaign_id == campaign_id, OrgUnit.path == unit_path)).first()
    if unit is None:
        raise NotFound(f"找不到单位“{unit_path.replace('/', ' / ') or '党委'}”")
    return unit


def _filing(session: Session, campaign_id: int, unit: OrgUnit) -> UnitFiling | None:
    return session.exec(
        select(UnitFiling).where(UnitFiling.campaign_id == campaign_id, UnitFiling.unit_id == unit.id)
    ).first()


def _view(unit_path: str, row: UnitFiling | None) -> UnitDetails:
    if row is None:
        return UnitDetails(unit_path)
    sections = json.loads(row.report_sections) if row.report_sections else {}
    return UnitDetails(unit_path, row.leader, row.preparer, row.office_phone, sections)
