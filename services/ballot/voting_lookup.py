"""Finding a branch's voting and who may run it: the lookups and the lock every change to a
branch's vote starts with."""

from sqlmodel import Session, select

from models import BranchVoting, Campaign, OrgUnit
from services.ballot.voting_window import is_closed
from services.campaign.org import branch_unit
from services.platform.batch import per_branch
from services.platform.errors import InvalidTransition, NotFound, NotPermitted
from services.staff.access import Actor, may_run_voting, require_unit

# The members' own voting, the one every count, grade and step reads; a branch's 群众评议 (masses'
# representatives, services/ballot/representatives.py) is a second voting, always read apart.
MEMBERS = BranchVoting.audience == "members"


def lock_voting(session: Session, voting_id: int, *, share: bool = False) -> None:
    """Take the branch's voting row lock on PostgreSQL, always before any token's, so that casting,
    handing out links, paper marking, closing and sealing happen one after another and never
    deadlock. (SQLite runs one writing transaction at a time anyway.)"""
    session.exec(select(BranchVoting.id).where(BranchVoting.id == voting_id).with_for_update(read=share))


def require_runner(actor: Actor, branch_path: str) -> None:
    require_unit(actor, branch_path)
    if not may_run_voting(actor, branch_path):
        raise NotPermitted("没有权限：测评由支部书记（或其指定的支部委员）和组织部组织")


def campaign_branch(session: Session, campaign_id: int, branch_path: str) -> tuple[Campaign, OrgUnit]:
    campaign = session.get(Campaign, campaign_id)
    if campaign is None:
        raise NotFound(f"找不到编号为 {campaign_id} 的评议活动")
    return campaign, branch_unit(session, campaign_id, branch_path)


def branch_voting(session: Session, campaign_id: int, branch_path: str) -> BranchVoting | None:
    """The voting of the campaign's branch at `branch_path`, if it was ever opened (None for no such branch)."""
    try:
        branch = branch_unit(session, campaign_id, branch_path)
    except NotFound:
        return None
    return voting_of(session, campaign_id, branch.id)


def voting_of(session: Session, campaign_id: int, branch_id: int) -> BranchVoting | None:
    """The branch's members' voting, if opened (read with the other branches' inside batch.many_branches)."""
    found = per_branch(
        ("voting", campaign_id),
        branch_id,
        lambda ids: session.exec(
            select(BranchVoting).where(
                BranchVoting.campaign_id == campaign_id, BranchVoting.branch_id.in_(ids), MEMBERS
            )
        ),
    )
    return found[0] if found else None


def voting_to_change(session: Session, campaign: Campaign, branch: OrgUnit) -> BranchVoting:
    """The branch's voting, locked for a change to its links; refused once voting has ended."""
    voting = voting_of(session, campaign.id, branch.id)
    if voting is None:
        raise InvalidTransition("本支部的测评尚未开启")
    lock_voting(session, voting.id)
    session.refresh(voting)
    if is_closed(voting, campaign):
        raise InvalidTransition("本支部的测评已经结束")
    return voting


def opened_voting(session: Session, campaign_id: int, branch_path: str) -> BranchVoting:
    """The branch's voting; NotFound if it was never opened."""
    voting = branch_voting(session, campaign_id, branch_path)
    if voting is None:
        raise NotFound("本支部的测评尚未开启")
    return voting
