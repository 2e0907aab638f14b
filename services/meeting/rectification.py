"""The rectification list (整改清单, step 6): problem, measures, who, by when, state and evidence;
edited as one table, overdue items marked."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete
from sqlmodel import select

from models import MeetingRecord, RectificationItem
from models.audit import AuditAction
from models.meeting import RECTIFICATION_LABELS, TEXT_MAX, RectificationState
from services.meeting.branch_records import branch_to_read, branch_to_write
from services.platform.clock import local, now
from services.platform.db import session_scope
from services.platform.errors import InvalidInput
from services.platform.text_input import checked
from services.staff import audit
from services.staff.access import Actor


@dataclass(frozen=True)
class Rectification:
    problem: str
    measures: str
    responsible: str
    deadline: date
    state: str = RectificationState.not_started
    evidence: str | None = None

    def overdue(self, today: date) -> bool:
        return self.state != RectificationState.done and self.deadline < today


def today() -> date:
    return local(now()).date()


def list_rectifications(*, actor: Actor, campaign_id: int, branch_path: str) -> list[Rectification]:
    with session_scope() as session:
        branch = branch_to_read(session, actor, campaign_id, branch_path)
        rows = session.exec(
            select(RectificationItem)
            .where(RectificationItem.campaign_id == campaign_id, RectificationItem.branch_id == branch.id)
            .order_by(RectificationItem.position)
        )
        return [Rectification(r.problem, r.measures, r.responsible, r.deadline, r.state, r.evidence) for r in rows]


def save_rectifications(
    *, actor: Actor, campaign_id: int, branch_path: str, items: list[Rectification]
) -> list[Rectification]:
    """The whole list as edited: all of it or, with any problem, none of it. A deadline cannot come
    before the meeting; an item is done only with its evidence."""
    with session_scope() as session:
        branch = branch_to_write(session, actor, campaign_id, branch_path)
        meeting = session.exec(
            select(MeetingRecord.held_on).where(
                MeetingRecord.campaign_id == campaign_id, MeetingRecord.branch_id == branch.id
            )
        ).first()
        cleaned = [_checked(number, item, meeting) for number, item in enumerate(items, start=1)]
        session.exec(
            delete(RectificationItem).where(
                RectificationItem.campaign_id == campaign_id, RectificationItem.branch_id == branch.id
            )
        )
        for position, item in enumerate(cleaned, start=1):
            session.add(
                RectificationItem(campaign_id=campaign_id, branch_id=branch.id, position=position, **vars(item))
            )
        audit.record(
            session, actor, AuditAction.rectification_save, campaign_id=campaign_id, target=branch_path,
            detail={"items": len(cleaned), "done": sum(1 for i in cleaned if i.state == RectificationState.done)},
        )  # fmt: skip
    return list_rectifications(actor=actor, campaign_id=campaign_id, branch_path=branch_path)


def _checked(number: int, item: Rectification, meeting: date | None) -> Rectification:
    where = f"第 {number} 项"
    if item.state not in {s.value for s in RectificationState}:
        raise InvalidInput(f"{where}：状态应为{'、'.join(RECTIFICATION_LABELS.values())}之一")
    if not isinstance(item.deadline, date):
        raise InvalidInput(f"{where}：请填写整改时限")
    if meeting and item.deadline < meeting:
        raise InvalidInput(f"{where}：整改时限 {item.deadline} 早于组织生活会召开日期 {meeting}")
    evidence = checked(item.evidence, f"{where}的完成情况", limit=TEXT_MAX, multiline=True)
    if item.state == RectificationState.done and not evidence:
        raise InvalidInput(f"{where}：标为“已完成”，请填写完成情况（整改成效或佐证）")
    return Rectification(
        problem=checked(item.problem, f"{where}的问题", limit=TEXT_MAX, required=True, multiline=True),
        measures=checked(item.measures, f"{where}的整改措施", limit=TEXT_MAX, required=True, multiline=True),
        responsible=checked(item.responsible, f"{where}的责任人", limit=60, required=True),
        deadline=item.deadline,
        state=item.state,
        evidence=evidence,
    )
