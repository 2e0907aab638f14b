"""Study sessions (集中学习, step 1): date, topic and materials, who was absent, and whether the
materials were taken to them — as the notice asks for the ill, the elderly and those away."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete
from sqlmodel import select

from models import Campaign, Member, StudyAbsence, StudySession
from models.audit import AuditAction
from services.campaign.members import branch_members
from services.meeting.branch_records import branch_to_read, branch_to_write, record_of
from services.platform.batch import table_rows
from services.platform.db import session_scope
from services.platform.errors import InvalidInput, NotFound
from services.platform.text_input import checked
from services.staff import audit
from services.staff.access import Actor, require_organizer

MATERIALS_MAX = 1000
_MISSING = "找不到这次集中学习的记录"


@dataclass(frozen=True)
class Absent:
    member_id: int
    name: str
    materials_sent: bool
    elderly_ill: bool
    away: bool


@dataclass(frozen=True)
class Study:
    id: int
    held_on: date
    topic: str
    materials: str | None
    attended: int
    absent: list[Absent]


def suggested_materials(*, campaign_id: int) -> list[str]:
    """The campaign's study topics set once by the organizer for every branch."""
    with session_scope() as session:
        campaign = session.get(Campaign, campaign_id)
        return [line for line in (campaign.study_materials or "").splitlines() if line.strip()] if campaign else []


def set_suggested_materials(*, actor: Actor, campaign_id: int, text: str) -> list[str]:
    require_organizer(actor, "设置学习内容")
    cleaned = checked(text, "学习内容", limit=MATERIALS_MAX, multiline=True)
    with session_scope() as session:
        campaign = session.get(Campaign, campaign_id)
        if campaign is None:
            raise NotFound(f"找不到编号为 {campaign_id} 的评议活动")
        campaign.study_materials = cleaned
        session.add(campaign)
        audit.record(session, actor, AuditAction.campaign_study, campaign_id=campaign_id, target=campaign.title)
    return suggested_materials(campaign_id=campaign_id)


def record_study(
    *, actor: Actor, campaign_id: int, branch_path: str, held_on: date, topic: str, materials: str | None,
    absent: list[int], session_id: int | None = None,
) -> Study:  # fmt: skip
    """A new study session, or a correction of one (`session_id`); absent members are those not ticked."""
    if not isinstance(held_on, date):
        raise InvalidInput("请填写学习日期")
    topic = checked(topic, "学习主题", limit=200, required=True)
    materials = checked(materials, "学习材料", limit=MATERIALS_MAX, multiline=True)
    with session_scope() as session:
        branch = branch_to_write(session, actor, campaign_id, branch_path)
        members = set(session.exec(select(Member.id).where(Member.branch_id == branch.id)).all())
        if strangers := [m for m in absent if m not in members]:
            raise InvalidInput(f"编号 {strangers[0]} 的党员不在本支部")
        row = record_of(session, StudySession, session_id, campaign_id, branch, _MISSING) if session_id else None
        sent = {}
        if row is None:
            row = StudySession(campaign_id=campaign_id, branch_id=branch.id, held_on=held_on, topic=topic)
        else:
            sent = dict(session.exec(select(StudyAbsence.member_id, StudyAbsence.materials_sent).where(
                StudyAbsence.session_id == row.id)).all())  # fmt: skip
        row.held_on, row.topic, row.materials = held_on, topic, materials
        session.add(row)
        session.flush()
        session.exec(delete(StudyAbsence).where(StudyAbsence.session_id == row.id))
        for member_id in dict.fromkeys(absent):
            session.add(StudyAbsence(session_id=row.id, member_id=member_id, materials_sent=sent.get(member_id, False)))
        audit.record(
            session, actor, AuditAction.study_save, campaign_id=campaign_id, target=branch_path,
            detail={"held_on": held_on.isoformat(), "absent": len(set(absent))},
        )  # fmt: skip
        study_id = row.id
    return next(
        s for s in list_study(actor=actor, campaign_id=campaign_id, branch_path=branch_path) if s.id == study_id
    )


def delete_study(*, actor: Actor, campaign_id: int, branch_path: str, session_id: int) -> None:
    """A study session entered by mistake, with its absences, removed."""
    with session_scope() as session:
        branch = branch_to_write(session, actor, campaign_id, branch_path)
        row = record_of(session, StudySession, session_id, campaign_id, branch, _MISSING)
        absent = session.exec(delete(StudyAbsence).where(StudyAbsence.session_id == row.id)).rowcount
        held_on = row.held_on
        session.delete(row)
        audit.record(
            session, actor, AuditAction.study_delete, campaign_id=campaign_id, target=branch_path,
            detail={"held_on": held_on.isoformat(), "absent": absent},
        )  # fmt: skip


def mark_materials_sent(
    *, actor: Actor, campaign_id: int, branch_path: str, session_id: int, member_id: int, sent: bool = True
) -> None:
    with session_scope() as session:
        branch = branch_to_write(session, actor, campaign_id, branch_path)
        study = record_of(session, StudySession, session_id, campaign_id, branch, _MISSING)
        absence = session.exec(
            select(StudyAbsence).where(StudyAbsence.session_id == session_id, StudyAbsence.member_id == member_id)
        ).first()
        if absence is None:
            raise InvalidInput("该党员参加了这次学习，无需送学")
        absence.materials_sent = sent
        session.add(absence)
        audit.record(
            session, actor, AuditAction.study_materials, campaign_id=campaign_id,
            target=f"{branch_path}：{session.get(Member, member_id).name}",
            detail={"held_on": study.held_on.isoformat(), "sent": bool(sent)},
        )  # fmt: skip


def list_study(*, actor: Actor, campaign_id: int, branch_path: str) -> list[Study]:
    with session_scope() as session:
        branch = branch_to_read(session, actor, campaign_id, branch_path)
        rows = table_rows(session, StudySession, campaign_id, branch.id, StudySession.held_on, StudySession.id)
        if not rows:
            return []
        members = {m.id: m for m in branch_members(session, branch.id)}
        away: dict[int, list[StudyAbsence]] = {row.id: [] for row in rows}
        for a in session.exec(select(StudyAbsence).where(StudyAbsence.session_id.in_(list(away)))):
            away[a.session_id].append(a)
        result = []
        for row in rows:
            absences = away[row.id]
            absent = [
                Absent(a.member_id, members[a.member_id].name, a.materials_sent,
                       members[a.member_id].is_elderly_ill, members[a.member_id].is_away)
                for a in sorted(absences, key=lambda a: members[a.member_id].roster_order)
            ]  # fmt: skip
            result.append(Study(row.id, row.held_on, row.topic, row.materials, len(members) - len(absent), absent))
        return result
