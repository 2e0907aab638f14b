"""The branch committee's problem list (问题清单, step 3), edited as one table."""

from dataclasses import dataclass

from sqlalchemy import delete
from sqlmodel import select

from models import ProblemItem
from models.audit import AuditAction
from models.meeting import PROBLEM_CATEGORIES, PROBLEM_SOURCES, TEXT_MAX
from services.meeting.branch_records import branch_to_read, branch_to_write
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
        rows = session.exec(
            select(ProblemItem)
            .where(ProblemItem.campaign_id == campaign_id, ProblemItem.branch_id == branch.id)
            .order_by(ProblemItem.position)
        )
        return [Problem(p.text, p.category, p.source, p.id) for p in rows]


def save_problems(*, actor: Actor, campaign_id: int, branch_path: str, items: list[Problem]) -> list[Problem]:
    """The whole list as edited: all of it or, with any problem, none of it."""
    cleaned = []
    for number, item in enumerate(items, start=1):
        where = f"第 {number} 项"
        text = checked(item.text, f"{where}的问题", limit=TEXT_MAX, required=True, multiline=True)
        if item.category not in PROBLEM_CATEGORIES:
            raise InvalidInput(f"{where}：请选择类别（{'、'.join(PROBLEM_CATEGORIES)}）")
        if item.source not in PROBLEM_SOURCES:
            raise InvalidInput(f"{where}：请选择来源（{'、'.join(PROBLEM_SOURCES)}）")
        cleaned.append(Problem(text, item.category, item.source))
    with session_scope() as session:
        branch = branch_to_write(session, actor, campaign_id, branch_path)
        session.exec(
            delete(ProblemItem).where(ProblemItem.campaign_id == campaign_id, ProblemItem.branch_id == branch.id)
        )
        for position, item in enumerate(cleaned, start=1):
            session.add(
                ProblemItem(
                    campaign_id=campaign_id, branch_id=branch.id, position=position,
                    text=item.text, category=item.category, source=item.source,
                )
            )  # fmt: skip
        audit.record(
            session, actor, AuditAction.problems_save, campaign_id=campaign_id, target=branch_path,
            detail={"items": len(cleaned)},
        )  # fmt: skip
    return list_problems(actor=actor, campaign_id=campaign_id, branch_path=branch_path)
