"""Who votes on paper in a branch, as the 纸质票 page lists it after each registration: the members by name
(named links), or the slip numbers of the codes withdrawn (unnamed codes: nobody is named). Never a ballot."""

from dataclasses import dataclass

from sqlmodel import select

from models import Member, TokenStatus, VoterToken, VotingMode
from services.ballot.voting_lookup import branch_voting
from services.platform.db import session_scope
from services.staff.access import Actor, require_unit


@dataclass(frozen=True)
class PaperList:
    named: bool
    names: list[str]  # named links: the members registered for paper, in roster order
    slips: list[int]  # unnamed codes: the slip numbers withdrawn for paper ballots

    @property
    def count(self) -> int:
        return len(self.names) if self.named else len(self.slips)


def paper_voters(*, actor: Actor, campaign_id: int, branch_path: str) -> PaperList:
    require_unit(actor, branch_path)
    with session_scope() as session:
        voting = branch_voting(session, campaign_id, branch_path)
        if voting is None:
            return PaperList(named=True, names=[], slips=[])
        on_paper = (VoterToken.voting_id == voting.id, VoterToken.status == TokenStatus.paper)
        if voting.mode == VotingMode.named:
            names = session.exec(
                select(Member.name)
                .where(Member.id.in_(select(VoterToken.member_id).where(*on_paper)))
                .order_by(Member.roster_order)
            ).all()
            return PaperList(named=True, names=list(names), slips=[])
        slips = session.exec(select(VoterToken.slip_no).where(*on_paper).order_by(VoterToken.slip_no)).all()
        return PaperList(named=False, names=[], slips=[s for s in slips if s is not None])
