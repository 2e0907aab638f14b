"""Who has not voted yet in a named-link branch, and the reminders to send them: one per person, or one for the
branch's group chat with a count and no names. Never what anyone voted."""

from dataclasses import dataclass
from datetime import date

from sqlmodel import select

from models import Member, TokenStatus, VoterToken, VotingMode
from services.ballot import wording
from services.ballot.voting_lookup import branch_voting
from services.campaign.members import taking_part_now
from services.platform.db import session_scope
from services.staff.access import Actor, require_unit


@dataclass(frozen=True)
class Pending:
    """A member of a named-link branch who has not voted online: to remind, or voting on paper."""

    member_id: int
    name: str
    phone: str | None
    on_paper: bool


def not_voted(*, actor: Actor, campaign_id: int, branch_path: str) -> list[Pending]:
    """Who has not voted yet (named links only: unnamed codes identify nobody). Never what anyone voted."""
    require_unit(actor, branch_path)
    with session_scope() as session:
        voting = branch_voting(session, campaign_id, branch_path)
        if voting is None or voting.mode != VotingMode.named:
            return []
        statuses: dict[int, set[str]] = {}
        for member_id, status in session.exec(
            select(VoterToken.member_id, VoterToken.status).where(VoterToken.voting_id == voting.id)
        ):
            statuses.setdefault(member_id, set()).add(status)
        people = session.exec(
            select(Member.id, Member.name, Member.phone)
            .where(Member.branch_id == voting.branch_id, taking_part_now())  # 未参加评议: not awaited
            .order_by(Member.roster_order)
        ).all()
    return [
        Pending(
            member_id=member_id, name=name, phone=phone, on_paper=TokenStatus.paper in statuses.get(member_id, set())
        )
        for member_id, name, phone in people
        if TokenStatus.used not in statuses.get(member_id, set())
    ]


def reminder_text(*, branch_name: str, name: str, deadline: date, url: str | None = None) -> str:
    """A reminder to one member, with their own link when it can be given (it records only that they voted)."""
    where = f"打开您的测评链接 {url} " if url else "打开支部发给您的测评链接"
    return (
        f"{name}同志：{branch_name}党员民主测评正在进行，请于{deadline.month}月{deadline.day}日前"
        f"{where}完成测评（约需 3 分钟，无记名：链接只记录您是否已投票）。如链接遗失，请联系支部书记补发。"
    )


def chat_reminder_text(*, branch_name: str, waiting: int, deadline: date, mode: str | None = None) -> str:
    """A reminder for the branch's WeChat group: how many still have to vote, and no names; in the words of
    what members hold (a link, or a code on a slip)."""
    return (
        f"各位党员同志：{branch_name}党员民主测评还有 {waiting} 人尚未完成，请于{deadline.month}月{deadline.day}日前"
        f"{wording.reach(mode)}完成测评（约需 3 分钟，无记名）。已完成的同志请忽略本消息，谢谢！"
    )
