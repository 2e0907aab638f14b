"""Counting the masses' representatives' ballots (群众评议): per branch, apart from the members' tally and
only once that voting has ended and is sealed, as the members' results are. For reference only: nothing
here feeds the grade suggestion, the cap, turnout or the 党内统计 figures."""

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import select

from models import Ballot, BranchVoting, Campaign, Member, OrgUnit
from models.voting import Audience, Grade
from services.ballot import counting, sealing
from services.ballot.voting_window import is_closed
from services.platform.db import session_scope
from services.platform.errors import NotFound
from services.staff.access import Actor, require_unit, scope_condition

TITLE = "群众评议（仅供参考，不计入格次建议）"


@dataclass(frozen=True)
class MassesTally:
    branch_path: str
    branch_name: str
    ballots: int
    rows: list[tuple[int, str, dict[str, int]]]  # member id, name, grade -> votes


def as_dict(found: MassesTally | None) -> dict | None:
    """For `results --json`, under its own key ("masses"): never mixed with the members' figures."""
    if found is None:
        return None
    rows = [{"member_id": m, "name": name, "counts": counts} for m, name, counts in found.rows]
    return {"title": TITLE, "branch": found.branch_path, "ballots": found.ballots, "rows": rows}


def tally(*, actor: Actor, campaign_id: int, branch_path: str) -> MassesTally | None:
    """The branch's 群众评议 results; None when it was never opened or has not ended yet."""
    require_unit(actor, branch_path)
    with session_scope() as session:
        campaign = session.get(Campaign, campaign_id)
        if campaign is None:
            raise NotFound(f"找不到编号为 {campaign_id} 的评议活动")
        voting = session.exec(
            select(BranchVoting)
            .join(OrgUnit, OrgUnit.id == BranchVoting.branch_id)
            .where(
                BranchVoting.campaign_id == campaign_id,
                BranchVoting.audience == Audience.masses,
                OrgUnit.path == branch_path,
            )
        ).first()
        if voting is None or not is_closed(voting, campaign):
            return None
        return _tally(voting.id, voting.sealed_at is not None)


def campaign_tallies(*, actor: Actor, campaign_id: int) -> list[MassesTally]:
    """Every ended 群众评议 of the campaign within the actor's scope, in tree order of paths."""
    with session_scope() as session:
        campaign = session.get(Campaign, campaign_id)
        if campaign is None:
            raise NotFound(f"找不到编号为 {campaign_id} 的评议活动")
        votings = session.exec(
            select(BranchVoting)
            .join(OrgUnit, OrgUnit.id == BranchVoting.branch_id)
            .where(
                BranchVoting.campaign_id == campaign_id,
                BranchVoting.audience == Audience.masses,
                scope_condition(actor, OrgUnit.path),
            )
            .order_by(OrgUnit.path)
        ).all()
        ended = [(v.id, v.sealed_at is not None) for v in votings if is_closed(v, campaign)]
    return [_tally(voting_id, sealed) for voting_id, sealed in ended]


def _tally(voting_id: int, sealed: bool) -> MassesTally:
    if not sealed:  # ended by the deadline or the campaign and not yet swept
        sealing.seal(voting_id)
    with session_scope() as session:
        voting = session.get(BranchVoting, voting_id)
        branch = session.get(OrgUnit, voting.branch_id)
        ballots = session.exec(select(func.count()).select_from(Ballot).where(Ballot.voting_id == voting_id)).one()
        counts = counting.grade_counts(session, voting_id)
        members = session.exec(
            select(Member.id, Member.name)
            .where(Member.branch_id == voting.branch_id, Member.category == "full")
            .order_by(Member.roster_order)
        ).all()
        return MassesTally(
            branch_path=branch.path,
            branch_name=branch.name,
            ballots=ballots,
            rows=[(m, name, {g.value: counts.get((m, g.value), 0) for g in Grade}) for m, name in members],
        )
