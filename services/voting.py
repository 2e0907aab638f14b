"""Opening and closing voting in a branch, and handing out voter links, codes and paper forms."""

from dataclasses import dataclass

from sqlalchemy import func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from models import (
    BranchVoting,
    Campaign,
    CampaignStatus,
    Member,
    OrgUnit,
    TokenStatus,
    VoterToken,
    VotingMode,
)
from models.audit import AuditAction
from services import audit, ballot_crypto, sealing, tokens
from services.access import Actor, may_run_voting, require_unit
from services.clock import now
from services.db import session_scope
from services.errors import InvalidInput, InvalidTransition, NotFound, NotPermitted
from services.org import branch_unit
from services.voting_window import end_of, is_closed, phase


@dataclass(frozen=True)
class VotingState:
    campaign_id: int
    branch_path: str
    branch_name: str
    mode: str | None
    status: str  # not_open | open | closed
    voters: int  # everyone who votes: full and probationary members
    rated: int  # full members, the rows of the ballot
    links_valid: int  # unused links or codes
    voted_online: int
    paper_marked: int
    paper_entered: int  # 废票 included
    paper_invalid: int

    @property
    def ballots(self) -> int:
        return self.voted_online + self.paper_entered


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


def lock_voting(session: Session, voting_id: int, *, share: bool = False) -> None:
    """Take the branch's voting row lock on PostgreSQL, always before any token's, so that casting,
    handing out links, paper marking, closing and sealing happen one after another and never
    deadlock. (SQLite runs one writing transaction at a time anyway.)"""
    session.exec(select(BranchVoting.id).where(BranchVoting.id == voting_id).with_for_update(read=share))


def state(*, actor: Actor, campaign_id: int, branch_path: str) -> VotingState:
    require_unit(actor, branch_path)
    with session_scope() as session:
        campaign, branch = _campaign_branch(session, campaign_id, branch_path)
        voting = _voting(session, campaign_id, branch.id)
        counts = dict(
            session.exec(
                select(Member.category, func.count()).where(Member.branch_id == branch.id).group_by(Member.category)
            ).all()
        )
        status_counts: dict[str, int] = {}
        if voting is not None:
            # A used link is an online ballot (both are written in one transaction): no ballot is read.
            status_counts = dict(
                session.exec(
                    select(VoterToken.status, func.count())
                    .where(VoterToken.voting_id == voting.id)
                    .group_by(VoterToken.status)
                ).all()
            )
        status = phase(voting is not None, voting and voting.closed_at, campaign.deadline, campaign.status)
        return VotingState(
            campaign_id=campaign_id,
            branch_path=branch.path,
            branch_name=branch.name,
            mode=voting.mode if voting else None,
            status=status,
            voters=sum(counts.values()),
            rated=counts.get("full", 0),
            links_valid=status_counts.get(TokenStatus.unused, 0),
            voted_online=status_counts.get(TokenStatus.used, 0),
            paper_marked=status_counts.get(TokenStatus.paper, 0),
            paper_entered=voting.paper_entered if voting else 0,
            paper_invalid=voting.paper_invalid if voting else 0,
        )


def open_voting(
    *, actor: Actor, campaign_id: int, branch_path: str, mode: str = VotingMode.named, base_url: str | None = None
) -> VotingState:
    """Open voting in the branch; with `base_url`, its links are made in the same transaction, so a
    branch never stands open without them."""
    require_runner(actor, branch_path)
    try:
        mode = VotingMode(mode)
    except ValueError:
        raise InvalidInput(f"未知的发放方式“{mode}”，可选：named（实名链接）、unnamed（无记名投票码）") from None
    with session_scope() as session:
        campaign, branch = _campaign_branch(session, campaign_id, branch_path)
        if campaign.status != CampaignStatus.open:
            raise InvalidTransition("评议活动尚未开始或已结束，不能开启测评")
        if now() > end_of(campaign.deadline):
            raise InvalidTransition(f"已过评议截止日期（{campaign.deadline.isoformat()}），不能开启测评")
        existing = _voting(session, campaign_id, branch.id)
        if existing is not None:
            raise InvalidTransition("本支部的测评已经开启过" + ("，并已结束" if existing.closed_at else ""))
        rated = session.exec(
            select(func.count()).select_from(Member).where(Member.branch_id == branch.id, Member.category == "full")
        ).one()
        if rated == 0:
            raise InvalidInput("本支部没有正式党员，无需测评")
        voting = BranchVoting(campaign_id=campaign_id, branch_id=branch.id, mode=mode, opened_at=now())
        session.add(voting)
        try:
            session.flush()
        except IntegrityError:  # opened by someone else at this very moment
            raise InvalidTransition("本支部的测评已经开启过") from None
        # Ballots are kept encrypted under this key until the branch's voting ends (see sealing).
        voting.wrapped_key = ballot_crypto.new_wrapped_key(voting.id)
        audit.record(
            session, actor, AuditAction.voting_open, campaign_id=campaign_id, target=branch_path, detail={"mode": mode}
        )
        if base_url:
            _issue_all(session, actor, campaign, branch, voting, base_url)
    return state(actor=actor, campaign_id=campaign_id, branch_path=branch_path)


def issue_links(*, actor: Actor, campaign_id: int, branch_path: str, base_url: str) -> list[IssuedLink]:
    """New links (named) or codes (unnamed) for everyone who has not voted yet.

    Only hashes are stored, so links can be shown only now: issuing again replaces every
    link not yet used, and the old ones stop working.
    """
    require_runner(actor, branch_path)
    with session_scope() as session:
        campaign, branch = _campaign_branch(session, campaign_id, branch_path)
        voting = _open_voting(session, campaign, branch)
        return _issue_all(session, actor, campaign, branch, voting, base_url)


def _issue_all(
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
    members = session.exec(select(Member).where(Member.branch_id == branch.id).order_by(Member.roster_order)).all()
    generation = _next_generation(session, voting)
    issued: list[IssuedLink] = []
    if voting.mode == VotingMode.named:
        done = {t.member_id for t in kept}
        for member in members:
            if member.id not in done:
                issued.append(_issue(session, voting, base, generation, member.name, member_id=member.id))
    else:
        for slip_no in range(1, len(members) - len(kept) + 1):
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
        campaign, branch = _campaign_branch(session, campaign_id, branch_path)
        voting = _open_voting(session, campaign, branch)
        if voting.mode != VotingMode.named:
            raise InvalidInput("无记名投票码不对应具体党员，不能单独补发；如有遗失，请作废后重新发放全部未用投票码")
        member, statuses = _member_tokens(session, voting, branch, member_id)
        if TokenStatus.paper in statuses:
            raise InvalidTransition(f"{member.name}已登记为纸质投票")
        _retire_unused_link(session, voting, member_id, TokenStatus.revoked)
        # Read after the revoke: a ballot cast with the old link just before it shows up here.
        if TokenStatus.used in _member_tokens(session, voting, branch, member_id)[1]:
            raise InvalidTransition(f"{member.name}已经投票，无需补发")
        generation = _next_generation(session, voting)
        link = _issue(session, voting, base_url.rstrip("/"), generation, member.name, member_id=member.id)
        audit.record(
            session, actor, AuditAction.voting_reissue, campaign_id=campaign_id, target=f"{branch_path}：{member.name}"
        )
        return link


def mark_paper(
    *, actor: Actor, campaign_id: int, branch_path: str, member_ids: list[int] | None = None, count: int = 0
) -> list[int]:
    """Members who vote on paper: their links stop working, and as many paper ballots may be entered.

    Named mode marks members. Unnamed mode withdraws `count` unused codes and returns their slip
    numbers, whose slips must be taken back.
    """
    require_runner(actor, branch_path)
    with session_scope() as session:
        campaign, branch = _campaign_branch(session, campaign_id, branch_path)
        voting = _open_voting(session, campaign, branch)
        voided: list[int] = []
        if voting.mode == VotingMode.named:
            for member_id in member_ids or []:
                _mark_member_paper(session, voting, branch, member_id)
            marked = len(member_ids or [])
        else:
            unused = session.exec(
                select(VoterToken)
                .where(VoterToken.voting_id == voting.id, VoterToken.status == TokenStatus.unused)
                .order_by(VoterToken.slip_no.desc())
            ).all()
            if not 1 <= count <= len(unused):
                raise InvalidInput(f"可改为纸质投票的人数为 1 至 {len(unused)} 人")
            for token in unused:
                if len(voided) == count:
                    break
                # Conditional: a code used a moment ago stays used.
                if session.exec(
                    update(VoterToken)
                    .where(VoterToken.id == token.id, VoterToken.status == TokenStatus.unused)
                    .values(status=TokenStatus.paper)
                ).rowcount:
                    voided.append(token.slip_no)
            if len(voided) < count:
                raise InvalidTransition("有投票码刚刚被使用，请刷新后重新登记")
            marked = count
        audit.record(
            session, actor, AuditAction.voting_paper, campaign_id=campaign_id, target=branch_path, detail={"n": marked}
        )
        return sorted(voided)


def _member_tokens(session: Session, voting: BranchVoting, branch: OrgUnit, member_id: int) -> tuple[Member, set[str]]:
    """The member (of this branch) and the statuses of every token they have had in this vote."""
    member = session.get(Member, member_id)
    if member is None or member.branch_id != branch.id:
        raise NotFound("本支部没有这名党员")
    statuses = session.exec(
        select(VoterToken.status).where(VoterToken.voting_id == voting.id, VoterToken.member_id == member_id)
    )
    return member, set(statuses)


def _retire_unused_link(session: Session, voting: BranchVoting, member_id: int, status: str) -> int:
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


def _mark_member_paper(session: Session, voting: BranchVoting, branch: OrgUnit, member_id: int) -> None:
    member, _ = _member_tokens(session, voting, branch, member_id)
    # The member's current link now says "paper" instead of opening a ballot: one paper allowance.
    if _retire_unused_link(session, voting, member_id, TokenStatus.paper):
        return
    statuses = _member_tokens(session, voting, branch, member_id)[1]  # read after the update
    if TokenStatus.used in statuses:
        raise InvalidTransition(f"{member.name}已经在线投票，不能再登记纸质投票")
    if TokenStatus.paper not in statuses:  # no link handed out yet: an allowance nobody can use online
        session.add(
            VoterToken(
                voting_id=voting.id,
                member_id=member_id,
                token_hash=tokens.token_hash(tokens.random_token()),
                status=TokenStatus.paper,
            )
        )


def close_voting(*, actor: Actor, campaign_id: int, branch_path: str) -> VotingState:
    """End voting; the branch's ballots are then rewritten so no order of arrival survives."""
    require_runner(actor, branch_path)
    with session_scope() as session:
        _, branch = _campaign_branch(session, campaign_id, branch_path)
        voting = _voting(session, campaign_id, branch.id)
        if voting is None:
            raise InvalidTransition("本支部的测评尚未开启")
        if voting.closed_at is not None:
            raise InvalidTransition("本支部的测评已经结束")
        # The row lock makes every ballot still being cast finish first (see ballots.cast_ballot).
        closed = session.exec(
            update(BranchVoting)
            .where(BranchVoting.id == voting.id, BranchVoting.closed_at.is_(None))
            .values(closed_at=now())
        ).rowcount
        if not closed:
            raise InvalidTransition("本支部的测评已经结束")
        audit.record(session, actor, AuditAction.voting_close, campaign_id=campaign_id, target=branch_path)
        voting_id = voting.id
    sealing.seal(voting_id)
    return state(actor=actor, campaign_id=campaign_id, branch_path=branch_path)


def current_links(*, actor: Actor, campaign_id: int, branch_path: str, base_url: str) -> LinkSet:
    """Every link or code not yet used, made again from the server secret: nothing is voided, and
    they are the very links handed out before (roster order, or slip number)."""
    require_runner(actor, branch_path)
    base = base_url.rstrip("/")
    with session_scope() as session:
        campaign, branch = _campaign_branch(session, campaign_id, branch_path)
        voting = _voting(session, campaign.id, branch.id)
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
    return tokens.derive(voting.id, subject, generation, length)


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


def require_runner(actor: Actor, branch_path: str) -> None:
    require_unit(actor, branch_path)
    if not may_run_voting(actor, branch_path):
        raise NotPermitted("没有权限：测评由支部书记（或其指定的支部委员）和组织部组织")


def _campaign_branch(session: Session, campaign_id: int, branch_path: str) -> tuple[Campaign, OrgUnit]:
    campaign = session.get(Campaign, campaign_id)
    if campaign is None:
        raise NotFound(f"找不到编号为 {campaign_id} 的评议活动")
    return campaign, branch_unit(session, campaign_id, branch_path)


def branch_voting(session: Session, campaign_id: int, branch_path: str) -> BranchVoting | None:
    """The voting of the campaign's branch at `branch_path`, if it was ever opened."""
    return session.exec(
        select(BranchVoting)
        .join(OrgUnit, OrgUnit.id == BranchVoting.branch_id)
        .where(BranchVoting.campaign_id == campaign_id, OrgUnit.path == branch_path)
    ).first()


def _voting(session: Session, campaign_id: int, branch_id: int) -> BranchVoting | None:
    return session.exec(
        select(BranchVoting).where(BranchVoting.campaign_id == campaign_id, BranchVoting.branch_id == branch_id)
    ).first()


def _open_voting(session: Session, campaign: Campaign, branch: OrgUnit) -> BranchVoting:
    """The branch's voting, locked for a change to its links; refused once voting has ended."""
    voting = _voting(session, campaign.id, branch.id)
    if voting is None:
        raise InvalidTransition("本支部的测评尚未开启")
    lock_voting(session, voting.id)
    session.refresh(voting)
    if is_closed(voting, campaign):
        raise InvalidTransition("本支部的测评已经结束")
    return voting
