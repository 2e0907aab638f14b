"""The branch committee's problem list (问题清单, step 3): edited as one table, or one item at a time."""

from dataclasses import dataclass

from sqlalchemy import delete
from sqlmodel import select

from models import ProblemItem
from models.audit import AuditAction
from models.meeting import PROBLEM_CATEGORIES, PROBLEM_SOURCES, TEXT_MAX
from services.meeting.branch_records import branch_to_read, branch_to_write
from services.meeting.one_item import require_unchanged
from services.platform.batch import table_rows
from services.platform.db import session_scope
from services.platform.errors import InvalidInput
from services.platform.text_input import checked
from services.staff import audit
from services.staff.access import Actor


@dataclass(frozen=True)
class Problem:
    text: str
    category: str
    source: str
    id: int | None = None


def list_problems(*, actor: Actor, campaign_id: int, branch_path: str) -> list[Problem]:
    with session_scope() as session:
        branch = branch_to_read(session, actor, campaign_id, branch_path)
        rows = table_rows(session, ProblemItem, campaign_id, branch.id, ProblemItem.position)
        return [Problem(p.text, p.category, p.source, p.id) for p in rows]


def save_problems(*, actor: Actor, campaign_id: int, branch_path: str, items: list[Problem]) -> list[Problem]:
    """The whole list as edited: all of it or, with any problem, none of it."""
    cleaned = [_checked(item, f"第 {number} 项") for number, item in enumerate(items, start=1)]
    with session_scope() as session:
        branch = branch_to_write(session, actor, campaign_id, branch_path)
        _replace(session, actor, campaign_id, branch_path, branch.id, cleaned)
    return list_problems(actor=actor, campaign_id=campaign_id, branch_path=branch_path)


def add_problem(*, actor: Actor, campaign_id: int, branch_path: str, item: Problem) -> list[Problem]:
    """One problem added at the end of the list (the one-item form)."""
    return _change(actor, campaign_id, branch_path, None, None, item)


def update_problem(
    *, actor: Actor, campaign_id: int, branch_path: str, number: int, before: Problem, item: Problem
) -> list[Problem]:
    """Item `number` (from 1) replaced, if it still reads as `before` (no one changed the list meanwhile)."""
    return _change(actor, campaign_id, branch_path, number, before, item)


def delete_problem(*, actor: Actor, campaign_id: int, branch_path: str, number: int, before: Problem) -> list[Problem]:
    return _change(actor, campaign_id, branch_path, number, before, None)


def _change(
    actor: Actor, campaign_id: int, branch_path: str, number: int | None, before: Problem | None, after: Problem | None
) -> list[Problem]:
    cleaned = _checked(after, "") if after is not None else None
    with session_scope() as session:
        branch = branch_to_write(session, actor, campaign_id, branch_path)
        items = [_plain(p) for p in _rows(session, campaign_id, branch.id)]
        if number is not None:
            require_unchanged(items, number, _plain(before))
            items[number - 1 : number] = [cleaned] if cleaned else []
        else:
            items.append(cleaned)
        _replace(session, actor, campaign_id, branch_path, branch.id, items)
    return list_problems(actor=actor, campaign_id=campaign_id, branch_path=branch_path)


def _rows(session, campaign_id: int, branch_id: int) -> list[ProblemItem]:
    return session.exec(
        select(ProblemItem)
        .where(ProblemItem.campaign_id == campaign_id, ProblemItem.branch_id == branch_id)
        .order_by(ProblemItem.position)
    ).all()


def _plain(item: Problem | ProblemItem) -> Problem:
    return Problem(item.text, item.category, item.source)


def _checked(item: Problem, where: str) -> Problem:
    """`where` ("第 2 项") prefixes each message for a row of the table; "" for the one-item form."""
    text = checked(item.text, f"{where}的问题" if where else "问题", limit=TEXT_MAX, required=True, multiline=True)
    prefix = f"{where}：" if where else ""
    if item.category not in PROBLEM_CATEGORIES:
        raise InvalidInput(f"{prefix}请选择类别（{'、'.join(PROBLEM_CATEGORIES)}）")
    if item.source not in PROBLEM_SOURCES:
        raise InvalidInput(f"{prefix}请选择来源（{'、'.join(PROBLEM_SOURCES)}）")
    return Problem(text, item.category, item.source)


def _replace(session, actor: Actor, campaign_id: int, branch_path: str, branch_id: int, items: list[Problem]) -> None:
    session.exec(delete(ProblemItem).where(ProblemItem.campaign_id == campaign_id, ProblemItem.branch_id == branch_id))
    for position, item in enumerate(items, start=1):
        session.add(
            ProblemItem(
                campaign_id=campaign_id, branch_id=branch_id, position=position,
                text=item.text, category=item.category, source=item.source,
            )
        )  # fmt: skip
    audit.record(
        session, actor, AuditAction.problems_save, campaign_id=campaign_id, target=branch_path,
        detail={"items": len(items)},
    )  # fmt: skip
