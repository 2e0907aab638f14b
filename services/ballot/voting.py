"""Opening and closing voting in a branch (its links: voter_links.py; paper ballots: paper_ballots.py)."""

from dataclasses import dataclass

from sqlalchemy import func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from models import (
    BranchVoting,
    CampaignStatus,
    Member,
    TokenStatus,
    VoterToken,
    VotingMode,
)
from models.audit import AuditAction
from services.ballot import encryption, sealing
from services.ballot.voter_links import issue_all
from services.ballot.voting_lookup import campaign_branch, require_runner, voting_of
from services.ballot.voting_window import end_of, phase
from services.campaign.members import takes_part, taking_part_now
from services.platform.clock import now
from services.platform.db import session_scope
from services.platform.errors import InvalidInput, InvalidTransition
from services.staff import audit
from services.staff.access import Actor, require_unit


@dataclass(frozen=True)
class VotingState:
    campaign_id: int
    branch_path: str
    branch_name: str
    mode: str | None
    status: str  # not_open | open | closed
    voters: int  # everyone who votes: full and probationary members taking part (not 未参加评议)
    rated: int  # full members, the rows of the ballot (as it opened)
    links_valid: int  # unused links or codes
    voted_online: int
    paper_marked: int
    paper_entered: int  # 废票 included
    paper_invalid: int

    @property
    def ballots(self) -> int:
        return self.voted_online + self.paper_entered


def state(*, actor: Actor, campaign_id: int, branch_path: str) -> VotingState:
    require_unit(actor, branch_path)
    with session_scope() as session:
        campaign, branch = campaign_branch(session, campaign_id, branch_path)
        voting = voting_of(session, campaign_id, branch.id)
        members = session.exec(select(Member).where(Member.branch_id == branch.id)).all()
        opened_at = voting.opened_at if voting else None
        voters = sum(1 for m in members if takes_part(m))  # 未参加评议: not counted
        rated = sum(1 for m in members if m.category == "full" and takes_part(m, opened_at))  # the ballot's rows
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
            voters=voters,
            rated=rated,
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
        campaign, branch = campaign_branch(session, campaign_id, branch_path)
        if campaign.status != CampaignStatus.open:
            raise InvalidTransition("评议活动尚未开始或已结束，不能开启测评")
        if now() > end_of(campaign.deadline):
            raise InvalidTransition(f"已过评议截止日期（{campaign.deadline.isoformat()}），不能开启测评")
        existing = voting_of(session, campaign_id, branch.id)
        if existing is not None:
            raise InvalidTransition("本支部的测评已经开启过" + ("，并已结束" if existing.closed_at else ""))
        rated = session.exec(
            select(func.count())
            .select_from(Member)
            .where(Member.branch_id == branch.id, Member.category == "full", taking_part_now())
        ).one()
        if rated == 0:
            raise InvalidInput("本支部没有参加评议的正式党员，无需测评")
        voting = BranchVoting(campaign_id=campaign_id, branch_id=branch.id, mode=mode, opened_at=now())
        session.add(voting)
        try:
            session.flush()
        except IntegrityError:  # opened by someone else at this very moment
            raise InvalidTransition("本支部的测评已经开启过") from None
        # Ballots are kept encrypted under this key until the branch's voting ends (see sealing).
        voting.wrapped_key = encryption.new_wrapped_key(voting.id)
        audit.record(
            session, actor, AuditAction.voting_open, campaign_id=campaign_id, target=branch_path, detail={"mode": mode}
        )
        if base_url:
            issue_all(session, actor, campaign, branch, voting, base_url)
    return state(actor=actor, campaign_id=campaign_id, branch_path=branch_path)


def close_voting(*, actor: Actor, campaign_id: int, branch_path: str) -> VotingState:
    """End voting; the branch's ballots are then rewritten so no order of arrival survives."""
    require_runner(actor, branch_path)
    with session_scope() as session:
        _, branch = campaign_branch(session, campaign_id, branch_path)
        voting = voting_of(session, campaign_id, branch.id)
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
