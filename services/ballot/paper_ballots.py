"""Paper ballots (纸质票): marking members who vote on paper (their links stop working), typing their ballots in
through the same checks, and 废票 counted apart — never more than were marked."""

from sqlalchemy import func, insert, update
from sqlmodel import Session, select

from models import BranchVoting, Campaign, EncryptedBallot, OrgUnit, TokenStatus, VoterToken, VotingMode
from models.audit import AuditAction
from services.ballot import storing, tokens
from services.ballot.ballot_form import FilledBallot, cached_layout, check
from services.ballot.voter_links import member_tokens, retire_unused_link
from services.ballot.voting_lookup import campaign_branch, opened_voting, require_runner, voting_to_change
from services.ballot.voting_window import is_closed
from services.platform.db import session_scope
from services.platform.errors import InvalidInput, InvalidTransition
from services.staff import audit
from services.staff.access import Actor


def mark_paper(
    *, actor: Actor, campaign_id: int, branch_path: str, member_ids: list[int] | None = None, count: int = 0
) -> list[int]:
    """Members who vote on paper: their links stop working, and as many paper ballots may be entered.

    Named mode marks members. Unnamed mode withdraws `count` unused codes and returns their slip
    numbers, whose slips must be taken back.
    """
    require_runner(actor, branch_path)
    with session_scope() as session:
        campaign, branch = campaign_branch(session, campaign_id, branch_path)
        voting = voting_to_change(session, campaign, branch)
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


def _mark_member_paper(session: Session, voting: BranchVoting, branch: OrgUnit, member_id: int) -> None:
    member, _ = member_tokens(session, voting, branch, member_id)
    if member.not_taking_part:
        raise InvalidTransition(f"{member.name}已标记为未参加评议，不登记纸质投票；如需参加，请先取消标记")
    # The member's current link now says "paper" instead of opening a ballot: one paper allowance.
    if retire_unused_link(session, voting, member_id, TokenStatus.paper):
        return
    statuses = member_tokens(session, voting, branch, member_id)[1]  # read after the update
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


def enter_paper_ballot(*, actor: Actor, campaign_id: int, branch_path: str, filled: FilledBallot) -> None:
    """A paper ballot typed in by the secretary, through the same checks; never more than were marked."""
    require_runner(actor, branch_path)
    with session_scope() as session:
        voting = _paper_voting(session, campaign_id, branch_path)
        form = cached_layout(voting.id)
        if problems := check(form, filled):
            raise InvalidTransition(problems[0].message)
        _count_paper(session, voting, invalid=False)
        content = storing.encrypted(
            voting.id, storing.data_key(session, voting.id), storing.content("paper", filled, form), form
        )
        session.exec(insert(EncryptedBallot).values(id=tokens.new_ballot_id(), voting_id=voting.id, content=content))
        storing.tick(session, voting.id)


def record_invalid_paper_ballot(*, actor: Actor, campaign_id: int, branch_path: str) -> None:
    """A paper ballot that cannot count (废票: blank, over the cap, unreadable): counted apart, its
    content never stored, and never in the tally."""
    require_runner(actor, branch_path)
    with session_scope() as session:
        _count_paper(session, _paper_voting(session, campaign_id, branch_path), invalid=True)


def _paper_voting(session: Session, campaign_id: int, branch_path: str) -> BranchVoting:
    voting = opened_voting(session, campaign_id, branch_path)
    if is_closed(voting, session.get(Campaign, campaign_id)):
        raise InvalidTransition("本支部的测评已经结束，不能再录入纸质票")
    return voting


def _count_paper(session: Session, voting: BranchVoting, *, invalid: bool) -> None:
    """One more paper ballot entered, never more than members marked as voting on paper."""
    allowed = (
        select(func.count())
        .select_from(VoterToken)
        .where(VoterToken.voting_id == voting.id, VoterToken.status == TokenStatus.paper)
        .scalar_subquery()
    )
    # Conditional like the token's: two secretaries typing at once cannot pass the limit.
    counted = session.exec(
        update(BranchVoting)
        .where(
            BranchVoting.id == voting.id,
            BranchVoting.closed_at.is_(None),
            BranchVoting.paper_entered < allowed,
        )
        .values(
            paper_entered=BranchVoting.paper_entered + 1,
            paper_invalid=BranchVoting.paper_invalid + int(invalid),
        )
    ).rowcount
    session.refresh(voting)
    if counted != 1:
        if voting.closed_at is not None:
            raise InvalidTransition("本支部的测评已经结束，不能再录入纸质票")
        raise InvalidTransition("纸质票数量已达到登记为纸质投票的人数，不能再录入")
    if invalid:
        storing.tick(session, voting.id)
