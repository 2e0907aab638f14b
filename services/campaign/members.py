"""Reading the members of a campaign's roster, and who of them takes part in the evaluation."""

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session, select

from models import Member, OrgUnit
from models.member import NOT_TAKING_PART, MemberPublic
from services.platform.batch import per_branch
from services.platform.db import session_scope
from services.platform.errors import InvalidInput
from services.platform.text_input import checked
from services.staff.access import Actor, require_unit, scope_condition


def list_members(*, actor: Actor, campaign_id: int, branch_path: str | None = None) -> list[MemberPublic]:
    """Members within the actor's scope in roster order, optionally of one branch (by its path)."""
    if branch_path is not None:
        require_unit(actor, branch_path)
    with session_scope() as session:
        query = (
            select(Member, OrgUnit.path, OrgUnit.name)
            .join(OrgUnit, OrgUnit.id == Member.branch_id)
            .where(Member.campaign_id == campaign_id, scope_condition(actor, OrgUnit.path))
            .order_by(Member.roster_order)
        )
        if branch_path is not None:
            query = query.where(OrgUnit.path == branch_path)
        return [
            MemberPublic.model_validate(member, update={"branch_path": path, "branch_name": name})
            for member, path, name in session.exec(query).all()
        ]


def branch_members(session: Session, branch_id: int) -> list[Member]:
    """The branch's members in roster order (read with the other branches' inside batch.many_branches)."""
    return per_branch(
        ("members",),
        branch_id,
        lambda ids: session.exec(
            select(Member).where(Member.branch_id.in_(ids)).order_by(Member.branch_id, Member.roster_order)
        ),
    )


# 未参加评议: a member the branch marked as not taking part (abroad, seriously ill, lost contact, 停止党籍…).
# Such a member gets no link, is not counted in 应参评 or in the base of the 优秀 cap, and is not graded.

NOTE_MAX = 100  # characters of the note (the column's length); required for 其他
_SEPARATORS = ("：", ":", "（", "(", "，", ",", " ")


@dataclass(frozen=True)
class NotTakingPart:
    member_id: int
    name: str
    category: str
    reason: str  # a NOT_TAKING_PART code
    note: str | None = None

    @property
    def reason_text(self) -> str:
        return reason_text(self.reason, self.note)


def reason_text(reason: str, note: str | None) -> str:
    """The reason as pages and sheets print it: 出国（境）, 其他：长期外派, 失联：2019 年起联系不上."""
    label = NOT_TAKING_PART.get(reason, reason)
    return f"{label}：{note}" if note else label


def checked_reason(reason: str | None, note: str | None) -> tuple[str, str | None]:
    """A reason code from NOT_TAKING_PART and its note trimmed, or InvalidInput: 其他 needs the note."""
    if reason not in NOT_TAKING_PART:
        raise InvalidInput(f"请选择未参加评议的原因：{'、'.join(NOT_TAKING_PART.values())}")
    note = checked(note, "未参加评议的说明", limit=NOTE_MAX)
    if reason == "other" and not note:
        raise InvalidInput("原因为“其他”的，请写明具体原因")
    return reason, note


def parse_reason(text: str) -> tuple[str, str | None]:
    """A reason as typed in a sheet's 未参加评议原因 column: a label (出国（境）、重病、失联、停止党籍、其他),
    optionally followed by a note (其他：长期外派); InvalidInput otherwise."""
    text = text.strip()
    for code, label in sorted(NOT_TAKING_PART.items(), key=lambda item: -len(item[1])):
        if text in (label, code):
            return checked_reason(code, None)
        if text.startswith(label) and text[len(label)] in _SEPARATORS:
            return checked_reason(code, text[len(label) + 1 :].strip("）) "))
    labels = "、".join(NOT_TAKING_PART.values())
    raise InvalidInput(f"“{text}”不是未参加评议的原因，可填：{labels}（其他须写明，如“其他：长期外派”）")


def takes_part(member: Member, as_of: datetime | None = None) -> bool:
    """Whether the member takes part in the evaluation: not marked as 未参加评议 — or, with `as_of` (a
    branch's voting opened then), not marked before it: the ballot stays as it opened, so a member marked
    later is still one of its rows, though left out of everything else."""
    if member.not_taking_part is None:
        return True
    return as_of is not None and member.not_taking_part_at is not None and _utc(member.not_taking_part_at) > _utc(as_of)


def taking_part_now():
    """The SQL condition for members taking part now (for counts such as 应投 / 应参评)."""
    return Member.not_taking_part.is_(None)


def not_taking_part(session: Session, branch_id: int) -> list[NotTakingPart]:
    """The branch's members marked as not taking part, in roster order."""
    rows = session.exec(
        select(Member)
        .where(Member.branch_id == branch_id, Member.not_taking_part.is_not(None))
        .order_by(Member.roster_order)
    ).all()
    return [NotTakingPart(m.id, m.name, m.category, m.not_taking_part, m.not_taking_part_note) for m in rows]


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment  # SQLite hands back naive UTC
