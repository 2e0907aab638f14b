"""The rectification list (整改清单, step 6): problem, measures, who, by when, state and evidence;
edited as one table or one item at a time, overdue items marked."""

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import delete
from sqlmodel import select

from models import MeetingRecord, RectificationItem
from models.audit import AuditAction
from models.meeting import RECTIFICATION_LABELS, TEXT_MAX, RectificationState
from services.meeting.branch_records import branch_to_read, branch_to_write
from services.meeting.one_item import require_unchanged
from services.platform.batch import table_rows
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
    done_on: date | None = None  # the day it was done; given, or kept from before, or the day it is marked done

    def overdue(self, today: date) -> bool:
        return self.state != RectificationState.done and self.deadline < today

    @property
    def done_late(self) -> bool:
        return self.state == RectificationState.done and self.done_on is not None and self.done_on > self.deadline


def today() -> date:
    return local(now()).date()


def list_rectifications(*, actor: Actor, campaign_id: int, branch_path: str) -> list[Rectification]:
    with session_scope() as session:
        branch = branch_to_read(session, actor, campaign_id, branch_path)
        rows = table_rows(session, RectificationItem, campaign_id, branch.id, RectificationItem.position)
        return [_item(r) for r in rows]


def save_rectifications(
    *, actor: Actor, campaign_id: int, branch_path: str, items: list[Rectification]
) -> list[Rectification]:
    """The whole list as edited: all of it or, with any problem, none of it. A deadline cannot come
    before the meeting; an item is done only with its evidence. An item done keeps the day it was done
    (the same problem, measures and person as before), or takes the day given, or today."""
    with session_scope() as session:
        branch = branch_to_write(session, actor, campaign_id, branch_path)
        meeting = _meeting_day(session, campaign_id, branch.id)
        done = _done_days(_rows(session, campaign_id, branch.id))
        cleaned = [_checked(f"第 {number} 项", item, meeting, done) for number, item in enumerate(items, start=1)]
        _replace(session, actor, campaign_id, branch_path, branch.id, cleaned)
    return list_rectifications(actor=actor, campaign_id=campaign_id, branch_path=branch_path)


def add_rectification(*, actor: Actor, campaign_id: int, branch_path: str, item: Rectification) -> list[Rectification]:
    """One item added at the end of the list (the one-item form), checked as a row of the table is."""
    return _change(actor, campaign_id, branch_path, None, None, item)


def update_rectification(
    *, actor: Actor, campaign_id: int, branch_path: str, number: int, before: Rectification, item: Rectification
) -> list[Rectification]:
    """Item `number` (from 1) replaced, if it still reads as `before` (no one changed the list meanwhile)."""
    return _change(actor, campaign_id, branch_path, number, before, item)


def delete_rectification(
    *, actor: Actor, campaign_id: int, branch_path: str, number: int, before: Rectification
) -> list[Rectification]:
    return _change(actor, campaign_id, branch_path, number, before, None)


def _change(
    actor: Actor, campaign_id: int, branch_path: str, number: int | None, before, after: Rectification | None
) -> list[Rectification]:
    with session_scope() as session:
        branch = branch_to_write(session, actor, campaign_id, branch_path)
        rows = _rows(session, campaign_id, branch.id)
        done = _done_days(rows)
        if after is not None and after.done_on is None and number is not None and 0 < number <= len(rows):
            after = replace(after, done_on=rows[number - 1].done_on)  # the item it replaces was done then
        meeting = _meeting_day(session, campaign_id, branch.id)
        cleaned = _checked("", after, meeting, done) if after is not None else None
        items = [_item(r) for r in rows]
        if number is not None:
            require_unchanged(items, number, before)
            items[number - 1 : number] = [cleaned] if cleaned else []
        else:
            items.append(cleaned)
        _replace(session, actor, campaign_id, branch_path, branch.id, items)
    return list_rectifications(actor=actor, campaign_id=campaign_id, branch_path=branch_path)


def _meeting_day(session, campaign_id: int, branch_id: int) -> date | None:
    return session.exec(
        select(MeetingRecord.held_on).where(
            MeetingRecord.campaign_id == campaign_id, MeetingRecord.branch_id == branch_id
        )
    ).first()


def _rows(session, campaign_id: int, branch_id: int) -> list[RectificationItem]:
    return session.exec(
        select(RectificationItem)
        .where(RectificationItem.campaign_id == campaign_id, RectificationItem.branch_id == branch_id)
        .order_by(RectificationItem.position)
    ).all()


def _item(r: RectificationItem) -> Rectification:
    return Rectification(r.problem, r.measures, r.responsible, r.deadline, r.state, r.evidence, r.done_on)


def _key(item) -> tuple[str, str, str]:
    return item.problem, item.measures, item.responsible


def _done_days(rows: list[RectificationItem]) -> dict[tuple[str, str, str], date]:
    """The day each item already done was done, by what it is: kept when the list is saved again."""
    return {_key(r): r.done_on for r in rows if r.state == RectificationState.done and r.done_on}


def _replace(
    session, actor: Actor, campaign_id: int, branch_path: str, branch_id: int, items: list[Rectification]
) -> None:
    session.exec(
        delete(RectificationItem).where(
            RectificationItem.campaign_id == campaign_id, RectificationItem.branch_id == branch_id
        )
    )
    for position, item in enumerate(items, start=1):
        session.add(RectificationItem(campaign_id=campaign_id, branch_id=branch_id, position=position, **vars(item)))
    audit.record(
        session, actor, AuditAction.rectification_save, campaign_id=campaign_id, target=branch_path,
        detail={"items": len(items), "done": sum(1 for i in items if i.state == RectificationState.done)},
    )  # fmt: skip


def _checked(where: str, item: Rectification, meeting: date | None, done: dict) -> Rectification:
    """`where` ("第 2 项") prefixes each message for a row of the table; "" for the one-item form. `done`: the
    days the items already done were done (_done_days)."""
    prefix = f"{where}：" if where else ""

    def label(field: str) -> str:
        return f"{where}的{field}" if where else field

    if item.state not in {s.value for s in RectificationState}:
        raise InvalidInput(f"{prefix}状态应为{'、'.join(RECTIFICATION_LABELS.values())}之一")
    if not isinstance(item.deadline, date):
        raise InvalidInput(f"{prefix}请填写整改时限")
    if meeting and item.deadline < meeting:
        raise InvalidInput(f"{prefix}整改时限 {item.deadline} 早于组织生活会召开日期 {meeting}")
    evidence = checked(item.evidence, label("完成情况"), limit=TEXT_MAX, multiline=True)
    if item.state == RectificationState.done and not evidence:
        raise InvalidInput(f"{prefix}标为“已完成”，请填写完成情况（整改成效或佐证）")
    done_on = None
    if item.state == RectificationState.done:
        done_on = item.done_on or done.get(_key(item)) or today()
        if not isinstance(done_on, date) or done_on > today():
            raise InvalidInput(f"{prefix}完成日期 {done_on} 晚于今天")
    return Rectification(
        problem=checked(item.problem, label("问题"), limit=TEXT_MAX, required=True, multiline=True),
        measures=checked(item.measures, label("整改措施"), limit=TEXT_MAX, required=True, multiline=True),
        responsible=checked(item.responsible, label("责任人"), limit=60, required=True),
        deadline=item.deadline,
        state=item.state,
        evidence=evidence,
        done_on=done_on,
    )
