"""Counting a branch's ballots (the tally), readable only once its voting has ended and its ballots are sealed."""

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import select

from models import Ballot, BallotChoice, BranchVoting, Campaign, OrgUnit
from models.voting import Grade
from services.ballot import sealing
from services.ballot.voting_lookup import MEMBERS, opened_voting
from services.ballot.voting_window import is_closed
from services.campaign.members import branch_members
from services.platform.batch import per_branch
from services.platform.db import session_scope
from services.platform.errors import InvalidTransition
from services.staff.access import Actor, require_unit


@dataclass(frozen=True)
class Tally:
    branch_name: str
    online: int
    paper: int  # valid paper ballots
    invalid: int  # 废票: paper ballots recorded as invalid, counted apart and never tallied
    rows: list[tuple[int, str, dict[str, int]]]  # member id, name, grade -> votes
    branch_committee: dict[str, int]
    report: dict[str, int]
    opinions: list[str]


def tally(*, actor: Actor, campaign_id: int, branch_path: str) -> Tally:
    """The branch's results, readable only once its voting has ended: a live tally would reveal each ballot."""
    require_unit(actor, branch_path)
    with session_scope() as session:
        voting = opened_voting(session, campaign_id, branch_path)
        if not is_closed(voting, session.get(Campaign, campaign_id)):
            raise InvalidTransition("测评进行中，结束后才能查看结果")
        voting_id, sealed = voting.id, voting.sealed_at is not None
    if not sealed:  # ended by the deadline rather than by a secretary
        sealing.seal(voting_id)
    with session_scope() as session:
        voting = session.get(BranchVoting, voting_id)
        branch = session.get(OrgUnit, voting.branch_id)
        ballots = _sealed(session, campaign_id, voting.branch_id, _ballots, just_sealed=not sealed)
        members = [(m.id, m.name) for m in branch_members(session, voting.branch_id) if m.category == "full"]
        counts = {
            (m, g): n
            for _, m, g, n in _sealed(session, campaign_id, voting.branch_id, _counted, just_sealed=not sealed)
        }
        channels = Counter(b.channel for b in ballots)
        return Tally(
            branch_name=branch.name,
            online=channels["online"],
            paper=channels["paper"],
            invalid=voting.paper_invalid,
            rows=[(m, name, {g.value: counts.get((m, g.value), 0) for g in Grade}) for m, name in members],
            branch_committee=dict(Counter(b.branch_committee_rating for b in ballots if b.branch_committee_rating)),
            report=dict(Counter(b.report_rating for b in ballots if b.report_rating)),
            opinions=sorted(b.opinion for b in ballots if b.opinion),
        )


def grade_counts(session, voting_id: int) -> dict[tuple[int, str], int]:
    """(member id, grade) -> valid votes in a sealed voting's ballots: the members' and the representatives' alike."""
    return {(m, g): n for m, g, n in session.exec(_counted().where(Ballot.voting_id == voting_id)).all()}


def _counted(*by):
    """Valid votes per (`by`…, member, grade)."""
    return (
        select(*by, BallotChoice.member_id, BallotChoice.grade, func.count())
        .join(Ballot, Ballot.id == BallotChoice.ballot_id)
        .group_by(*by, BallotChoice.member_id, BallotChoice.grade)
    )


def _ballots(*by):
    """The columns counted, not whole rows."""
    columns = (Ballot.channel, Ballot.branch_committee_rating, Ballot.report_rating, Ballot.opinion)
    return select(*by, *columns).select_from(Ballot)


def _sealed(session, campaign_id: int, branch_id: int, query, *, just_sealed: bool) -> list:
    """The branch's rows of `query(BranchVoting.branch_id)` (over ballots) in its members' voting once sealed,
    read with the other branches' inside batch.many_branches. A voting sealed just now is read alone: the
    batch's rows, if read before, were read without it."""

    def rows(ids):
        return session.exec(
            query(BranchVoting.branch_id)
            .join(BranchVoting, BranchVoting.id == Ballot.voting_id)
            .where(
                BranchVoting.campaign_id == campaign_id, BranchVoting.branch_id.in_(ids), MEMBERS,
                BranchVoting.sealed_at.is_not(None),
            )
        )  # fmt: skip

    if just_sealed:
        return list(rows((branch_id,)))
    return per_branch((query.__name__, campaign_id), branch_id, rows, lambda row: row[0])
