"""What closing a branch's vote shuts out, said before it is confirmed: how many have not voted, and who
(named links only: an unnamed code identifies nobody, so only the count), with the paper ballots registered
but not yet typed in."""

from dataclasses import dataclass

from services.ballot import reminders, voting
from services.staff.access import Actor


@dataclass(frozen=True)
class ClosingNotice:
    voters: int
    ballots: int  # online ballots and paper ballots entered (废票 included)
    names: list[str] | None  # who has not voted online and is not on paper; None for unnamed codes
    paper_waiting: int  # registered for paper, not yet entered

    @property
    def waiting(self) -> int:
        return max(self.voters - self.ballots, 0)


def closing_notice(*, actor: Actor, campaign_id: int, branch_path: str) -> ClosingNotice:
    state = voting.state(actor=actor, campaign_id=campaign_id, branch_path=branch_path)
    names = None
    if state.mode == "named":
        pending = reminders.not_voted(actor=actor, campaign_id=campaign_id, branch_path=branch_path)
        names = [p.name for p in pending if not p.on_paper]
    return ClosingNotice(
        voters=state.voters,
        ballots=state.ballots,
        names=names,
        paper_waiting=max(state.paper_marked - state.paper_entered, 0),
    )
