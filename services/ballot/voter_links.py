"""Voter links and codes (投票链接, 投票码): issuing them for a branch, one member's new link, and the set a branch
holds now — each derived from the server secret, so the same link can be shown again without voiding it."""

from dataclasses import dataclass

from sqlalchemy import func, update
from sqlmodel import Session, select

from models import BranchVoting, Campaign, Member, OrgUnit, TokenStatus, VoterToken, VotingMode
from models.audit import AuditAction
from services.ballot import tokens
from services.ballot.voting_lookup import campaign_branch, require_runner, voting_of, voting_to_change
from services.ballot.voting_window import is_closed
from services.campaign.members import taking_part_now
from services.platform.db import session_scope
from services.platform.errors import InvalidInput, InvalidTransition, NotFound
from services.staff import audit
from services.staff.access import Actor


@dataclass(frozen=True)
class IssuedLink:
    label: str  # the member's name, or 第 N 号 for an unnamed code
    member_id: int | None
    slip_no: int | None
    token: str
    url: str

    @property
    def code(self) -> str:
        """The token as printed on a slip and typed at /v."""
        return tokens.grouped(self.token)


@dataclass(frozen=True)
class LinkSet:
    links: list[IssuedLink]
    lost: int  # unused links that cannot be made again (issued under another server secret)


def issue_links(*, actor: Actor, campaign_id: int, branch_path: str, base_url: str) -> list[IssuedLink]:
    """New links (named) or codes (unnamed) for everyone who has not voted yet.

    Only hashes are stored, so links can be shown only now: issuing again replaces every
    link not yet used, and the old ones stop working.
    """
    require_runner(actor, branch_path)
    with session_scope() as session:
        campaign, branch = campaign_branch(session, campaign_id, branch_path)
        voting = voting_to_change(session, campaign, branch)
        return issue_all(session, actor, campaign, branch, voting, base_url)


def issue_all(
    session: Session, actor: Actor, campaign: Campaign, branch: OrgUnit, voting: BranchVoting, base_url: str
) -> list[IssuedLink]:
    base = base_url.rstrip("/")
    session.exec(
        update(VoterToken)
        .where(VoterToken.voting_id == voting.id, VoterToken.status == TokenStatus.unused)
        .values(status=TokenStatus.revoked)
    )
    kept = session.exec(
        select(VoterToken).where(
            VoterToken.voting_id == voting.id, VoterToken.status.in_([TokenStatus.used, TokenStatus.paper])
        )
    ).all()
    # A member marked 未参加评议 gets no link (services/campaign/members.py).
    members = session.exec(
        select(Member).where(Member.branch_id == branch.id, taking_part_now()).order_by(Member.roster_order)
    ).all()
    generation = _next_generation(session, voting)
    issued: list[IssuedLink] = []
    if voting.mode == VotingMode.named:
        done = {t.member_id for t in kept}
        for member in members:
            if member.id not in done:
                issued.append(_issue(session, voting, base, generation, member.name, member_id=member.id))
    else:
        for slip_no in range(1, max(len(members) - len(kept), 0) + 1):
            issued.append(_issue(session, voting, base, generation, f"第 {slip_no} 号", slip_no=slip_no))
    audit.record(
        session,
        actor,
        AuditAction.voting_links,
        campaign_id=campaign.id,
        target=branch.path,
        detail={"issued": len(issued)},
    )
    return issued


def reissue_link(*, actor: Actor, campaign_id: int, branch_path: str, member_id: int, base_url: str) -> IssuedLink:
    """A new link for one member who lost theirs; the old one stops working at once."""
    require_runner(actor, branch_path)
    with session_scope() as session:
        campaign, branch = campaign_branch(session, campaign_id, branch_path)
        voting = voting_to_change(session, campaign, branch)
        if voting.mode != VotingMode.named:
            raise InvalidInput("无记名投票码不对应具体党员，不能单独补发；如有遗失，请作废后重新发放全部未用投票码")
        member, statuses = member_tokens(session, voting, branch, member_id)
        if member.not_taking_part:
            raise InvalidTransition(f"{member.name}已标记为未参加评议，不发放链接；如需参加，请先取消标记")
        if TokenStatus.paper in statuses:
            raise InvalidTransition(f"{member.name}已登记为纸质投票")
        retire_unused_link(session, voting, member_id, TokenStatus.revoked)
        # Read after the revoke: a ballot cast with the old link just before it shows up here.
        if TokenStatus.used in member_tokens(session, voting, branch, member_id)[1]:
            raise InvalidTransition(f"{member.name}已经投票，无需补发")
        generation = _next_generation(session, voting)
        link = _issue(session, voting, base_url.rstrip("/"), generation, member.name, member_id=member.id)
        audit.record(
            session, actor, AuditAction.voting_reissue, campaign_id=campaign_id, target=f"{branch_path}：{member.name}"
        )
        return link


def current_links(*, actor: Actor, campaign_id: int, branch_path: str, base_url: str) -> LinkSet:
    """Every link or code not yet used, made again from the server secret: nothing is voided, and
    they are the very links handed out before (roster order, or slip number)."""
    require_runner(actor, branch_path)
    base = base_url.rstrip("/")
    with session_scope() as session:
        campaign, branch = campaign_branch(session, campaign_id, branch_path)
        voting = voting_of(session, campaign.id, branch.id)
        if voting is None or is_closed(voting, campaign):
            return LinkSet([], 0)
        rows = session.exec(
            select(VoterToken, Member.name)
            .outerjoin(Member, Member.id == VoterToken.member_id)
            .where(VoterToken.voting_id == voting.id, VoterToken.status == TokenStatus.unused)
            .order_by(Member.roster_order, VoterToken.slip_no)
        ).all()
        links, lost = [], 0
        for token_row, name in rows:
            token = _derive(voting, token_row.generation, token_row.member_id, token_row.slip_no)
            if tokens.token_hash(token) != token_row.token_hash:
                lost += 1
                continue
            label = name if token_row.member_id is not None else f"第 {token_row.slip_no} 号"
            links.append(_link(base, label, token_row.member_id, token_row.slip_no, token))
        return LinkSet(links, lost)


def _derive(voting: BranchVoting, generation: int, member_id: int | None, slip_no: int | None) -> str:
    subject = f"m{member_id}" if member_id is not None else f"s{slip_no}"
    length = tokens.LINK_LENGTH if voting.mode == VotingMode.named else tokens.CODE_LENGTH
    return tokens.derive(voting.id, subject, generation, length, salt=voting.link_salt)


def _next_generation(session: Session, voting: BranchVoting) -> int:
    latest = session.exec(select(func.max(VoterToken.generation)).where(VoterToken.voting_id == voting.id)).one()
    return (latest or 0) + 1


def _issue(
    session: Session,
    voting: BranchVoting,
    base: str,
    generation: int,
    label: str,
    *,
    member_id: int | None = None,
    slip_no: int | None = None,
) -> IssuedLink:
    token = _derive(voting, generation, member_id, slip_no)
    session.add(
        VoterToken(
            voting_id=voting.id,
            member_id=member_id,
            slip_no=slip_no,
            token_hash=tokens.token_hash(token),
            generation=generation,
        )
    )
    return _link(base, label, member_id, slip_no, token)


def _link(base: str, label: str, member_id: int | None, slip_no: int | None, token: str) -> IssuedLink:
    return IssuedLink(label=label, member_id=member_id, slip_no=slip_no, token=token, url=f"{base}/v/{token}")


def member_tokens(session: Session, voting: BranchVoting, branch: OrgUnit, member_id: int) -> tuple[Member, set[str]]:
    """The member (of this branch) and the statuses of every token they have had in this vote."""
    member = session.get(Member, member_id)
    if member is None or member.branch_id != branch.id:
        raise NotFound("本支部没有这名党员")
    statuses = session.exec(
        select(VoterToken.status).where(VoterToken.voting_id == voting.id, VoterToken.member_id == member_id)
    )
    return member, set(statuses)


def retire_unused_link(session: Session, voting: BranchVoting, member_id: int, status: str) -> int:
    """Give the member's unused link `status` (revoked or paper); returns whether there was one.
    Conditional, so a link used a moment ago stays used."""
    return session.exec(
        update(VoterToken)
        .where(
            VoterToken.voting_id == voting.id,
            VoterToken.member_id == member_id,
            VoterToken.status == TokenStatus.unused,
        )
        .values(status=status)
    ).rowcount
