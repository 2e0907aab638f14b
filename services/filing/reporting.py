"""Reporting to the Organization Department (报送): a general branch, or a branch directly under the
party committee, reports its unit's package once every branch in it has done all six steps; the
report keeps the ZIP as sent, and the unit's records are frozen until the organizer returns it."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, select

from models import Campaign, OrgKind, OrgUnit, UnitReport
from models.audit import AuditAction
from models.reporting import FROZEN_STATES, REPORT_LABELS, ReportState
from services.campaign.report_freeze import unit_of
from services.filing.bundle import package
from services.filing.unit_details import may_report
from services.platform.clock import local, now
from services.platform.db import session_scope
from services.platform.errors import InvalidInput, InvalidTransition, NotFound, NotPermitted
from services.platform.text_input import checked
from services.progress import checklist
from services.staff import audit
from services.staff.access import Actor, can_see, require_organizer, require_unit


@dataclass(frozen=True)
class UnitStatus:
    path: str
    name: str
    kind: str
    state: str
    reported_at: datetime | None
    comment: str | None
    days_left: int
    branches: list[str]
    received_at: datetime | None = None  # when the Organization Department accepted it (已接收)
    # Every branch the unit has, as the organizer counts them; `branches` holds only those the actor sees.
    branch_count: int = 0

    @property
    def state_label(self) -> str:
        return REPORT_LABELS[ReportState(self.state)]

    @property
    def reporter(self) -> str:
        """Who sends the unit's package (报送): a general branch's secretary, or a direct branch's own."""
        return REPORTERS.get(self.kind, REPORTERS[OrgKind.branch])


REPORTERS = {OrgKind.general_branch: "由党总支书记报送", OrgKind.branch: "由党支部书记报送"}


def units(*, actor: Actor, campaign_id: int) -> list[UnitStatus]:
    """Every reporting unit the actor can see, with its state and days left to the deadline."""
    with session_scope() as session:
        campaign = session.get(Campaign, campaign_id)
        if campaign is None:
            raise NotFound(f"找不到编号为 {campaign_id} 的评议活动")
        branches = session.exec(
            select(OrgUnit).where(OrgUnit.campaign_id == campaign_id, OrgUnit.kind == OrgKind.branch)
        ).all()
        grouped: dict[int, tuple[OrgUnit, list[str]]] = {}
        counts: dict[int, int] = {}  # a unit's branches, seen or not: a count only, nothing of a sibling's data
        for branch in branches:
            unit = unit_of(session, branch)
            counts[unit.id] = counts.get(unit.id, 0) + 1
            if can_see(actor, branch.path):
                grouped.setdefault(unit.id, (unit, []))[1].append(branch.path)
        reports = {r.unit_id: r for r in session.exec(select(UnitReport).where(UnitReport.campaign_id == campaign_id))}
        days_left = (campaign.deadline - local(now()).date()).days
        result = []
        for unit, paths in sorted(grouped.values(), key=lambda g: g[0].sort_order):
            report = reports.get(unit.id)
            state = report.state if report else ReportState.not_reported
            when, comment = (report.reported_at, report.comment) if report else (None, None)
            received = report.received_at if report else None
            row = (unit.path, unit.name, unit.kind, state, when, comment, days_left, sorted(paths), received)
            result.append(UnitStatus(*row, counts[unit.id]))
        return result


def missing(*, actor: Actor, campaign_id: int, unit_path: str) -> list[str]:
    """What the unit's branches still lack, branch by branch; empty when the package is complete."""
    unit = _whole_unit(actor, campaign_id, unit_path)
    lines = []
    for path in unit.branches:
        for step in checklist.branch_checklist(actor=actor, campaign_id=campaign_id, branch_path=path):
            lines += [f"{path.replace('/', ' / ')}：{step.title}：{line}" for line in step.missing]
    return lines


def report(*, actor: Actor, campaign_id: int, unit_path: str, today: date) -> UnitStatus:
    unit = _whole_unit(actor, campaign_id, unit_path)
    if not _may_report(actor, unit):
        raise NotPermitted("没有权限：由本党总支书记（直属党支部由其书记）报送，或由组织部代为报送")
    if unit.state in FROZEN_STATES:
        raise InvalidTransition("本单位的备案材料已经报送")
    if lacking := missing(actor=actor, campaign_id=campaign_id, unit_path=unit_path):
        raise InvalidInput(f"材料尚未完成，不能报送。还差 {len(lacking)} 项：\n" + "\n".join(lacking))
    made = package(actor=actor, campaign_id=campaign_id, today=today, within=unit_path,
                   reported={p: ReportState.reported for p in unit.branches})  # fmt: skip
    with session_scope() as session:
        row = _row(session, campaign_id, unit_path)
        row.state, row.reported_at, row.reported_by = ReportState.reported, now(), actor.username
        row.package, row.comment = made.data, None
        session.add(row)
        audit.record(session, actor, AuditAction.report_send, campaign_id=campaign_id, target=unit_path)
    return _unit(actor, campaign_id, unit_path)


def return_report(*, actor: Actor, campaign_id: int, unit_path: str, comment: str) -> UnitStatus:
    require_organizer(actor, "退回报送的材料")
    comment = checked(comment, "退回意见", limit=200, required=True)
    with session_scope() as session:
        row = _row(session, campaign_id, unit_path)
        if row.state not in FROZEN_STATES:
            raise InvalidTransition("本单位尚未报送，无需退回")
        row.state, row.returned_at, row.comment = ReportState.returned, now(), comment
        session.add(row)
        audit.record(
            session, actor, AuditAction.report_return, campaign_id=campaign_id, target=unit_path,
            detail={"comment": comment},
        )  # fmt: skip
    return _unit(actor, campaign_id, unit_path)


def receive_report(*, actor: Actor, campaign_id: int, unit_path: str) -> UnitStatus:
    """The Organization Department accepts a report as it was sent (已接收, dated); it stays frozen."""
    require_organizer(actor, "接收报送的材料")
    with session_scope() as session:
        row = _row(session, campaign_id, unit_path)
        if row.state != ReportState.reported:
            raise InvalidTransition("只有已报送、尚未接收的材料可以接收")
        row.state, row.received_at = ReportState.received, now()
        session.add(row)
        audit.record(session, actor, AuditAction.report_receive, campaign_id=campaign_id, target=unit_path)
    return _unit(actor, campaign_id, unit_path)


def frozen_package(*, actor: Actor, campaign_id: int, unit_path: str) -> bytes:
    """The ZIP as it was sent — every branch of the unit, so only for those whose scope holds the whole unit
    (the organizer, the general branch's secretary, a direct branch's own); each read is audited."""
    _whole_unit(actor, campaign_id, unit_path)
    with session_scope() as session:
        row = _row(session, campaign_id, unit_path)
        if row.package is None:
            raise NotFound("本单位还没有报送过材料")
        audit.record(session, actor, AuditAction.report_read, campaign_id=campaign_id, target=unit_path)
        return row.package


def report_states(*, actor: Actor, campaign_id: int) -> dict[str, str]:
    """Branch path -> its unit's report state, for the summary's 报送 column."""
    return {path: u.state for u in units(actor=actor, campaign_id=campaign_id) for path in u.branches}


def _unit(actor: Actor, campaign_id: int, unit_path: str) -> UnitStatus:
    found = next((u for u in units(actor=actor, campaign_id=campaign_id) if u.path == unit_path), None)
    if found is None:
        raise NotFound(f"“{unit_path}”不是您范围内的党总支或直属党支部")
    return found


def _whole_unit(actor: Actor, campaign_id: int, unit_path: str) -> UnitStatus:
    """A unit whose package (every branch in it) the actor may see: a branch secretary under a general
    branch sees that unit in the list, for their own branch, but not its package."""
    require_unit(actor, unit_path)
    return _unit(actor, campaign_id, unit_path)


def _may_report(actor: Actor, unit: UnitStatus) -> bool:
    return may_report(actor, unit.kind, unit.path)  # the same rule as for the unit's filing details


def _row(session: Session, campaign_id: int, unit_path: str) -> UnitReport:
    unit = session.exec(select(OrgUnit).where(OrgUnit.campaign_id == campaign_id, OrgUnit.path == unit_path)).one()
    row = session.exec(
        select(UnitReport).where(UnitReport.campaign_id == campaign_id, UnitReport.unit_id == unit.id)
    ).first()
    return row or UnitReport(campaign_id=campaign_id, unit_id=unit.id, state=ReportState.not_reported)
