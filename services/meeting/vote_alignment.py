"""The vote beside the meeting (测评与党员大会): the notice has the 测评表 filled in at the members' meeting. Ballots
received per day, against the meeting's date, its 实到 and, where the branch voted by named links, the members it
records as absent. A flag for the branch and its approver, never a refusal; the results page, the meeting record
and the filing all show these same figures.

Read from the per-minute counts (BallotTick), which say when ballots came and never which ballot; and, for named
links, from the voter roll (a token used or not), which the secretary sees anyway. Nothing here touches a ballot.
"""

from dataclasses import dataclass
from datetime import date

from sqlmodel import select

from models import BallotTick, BranchVoting, MeetingAbsence, Member, VoterToken
from models.voting import TokenStatus, VotingMode
from services.ballot.voting_lookup import MEMBERS, voting_of
from services.campaign.members import branch_members
from services.meeting.branch_records import branch_to_read, meeting_record_of
from services.platform.batch import per_branch
from services.platform.clock import local
from services.platform.db import session_scope
from services.staff.access import Actor


@dataclass(frozen=True)
class VoteAlignment:
    voted: bool  # the branch's voting was ever opened
    named: bool  # it voted by named links: who voted is known, so absent voters can be named
    by_day: list[tuple[date, int]]  # ballots received per day (the unit's day), paper typed in on the day typed
    held_on: date | None  # the meeting's date; None: no meeting recorded yet
    expected: int  # 应到: the branch's members
    present: int | None  # 实到: the members less those recorded absent; None without a meeting record
    absent_voted: list[str]  # members recorded absent whose named link was used, in roster order
    paper: int  # paper ballots typed in (废票 included): counted on the day they were typed in

    @property
    def received(self) -> int:
        return sum(n for _, n in self.by_day)

    @property
    def on_meeting_day(self) -> int:
        return sum(n for d, n in self.by_day if d == self.held_on)

    @property
    def other_days(self) -> list[tuple[date, int]]:
        return [(d, n) for d, n in self.by_day if d != self.held_on] if self.held_on else []

    @property
    def beyond_present(self) -> int:
        """Ballots more than the members present at the meeting."""
        return max(0, self.received - self.present) if self.present is not None else 0

    @property
    def flags(self) -> list[str]:
        """What does not fit the meeting, in plain words; [] when everything does (or nothing can be said)."""
        if self.held_on is None or not self.received:
            return []
        found = []
        if other := self.other_days:
            days = "、".join(f"{d} {n} 张" for d, n in other)
            late = sum(n for _, n in other)
            found.append(f"有 {late} 张测评票不是在组织生活会当天（{self.held_on}）收到的：{days}")
        if self.beyond_present:
            more = self.beyond_present
            found.append(f"收到测评票 {self.received} 张，多于会议实到 {self.present} 人（多 {more} 张）")
        if self.absent_voted:
            found.append(
                f"会议记录为缺席的 {len(self.absent_voted)} 名党员用本人链接投了票：{'、'.join(self.absent_voted)}"
            )
        return found

    @property
    def by_day_text(self) -> str:
        """Ballots per day ("2020-11-17 30 张；2020-12-01 5 张"), or what stands in for them."""
        if not self.voted:
            return "尚未开启测评"
        days = "；".join(f"{d.isoformat()} {n} 张" for d, n in self.by_day) or "尚未收到测评票"
        return days + (f"（其中纸质票 {self.paper} 张，按录入日期计）" if self.paper else "")


def vote_alignment(*, actor: Actor, campaign_id: int, branch_path: str) -> VoteAlignment:
    """Everyone whose scope holds the branch reads it."""
    with session_scope() as session:
        branch = branch_to_read(session, actor, campaign_id, branch_path)
        voting = voting_of(session, campaign_id, branch.id)
        meeting = meeting_record_of(session, campaign_id, branch.id)
        expected = len(branch_members(session, branch.id))
        absent = []
        if meeting is not None:
            absent = session.exec(select(MeetingAbsence.member_id).where(MeetingAbsence.meeting_id == meeting.id)).all()
        per_day: dict[date, int] = {}
        absent_voted: list[str] = []
        if voting is not None:
            ticks = per_branch(
                ("ticks", campaign_id),
                branch.id,
                lambda ids: session.exec(
                    select(BranchVoting.branch_id, BallotTick.minute, BallotTick.ballots)
                    .join(BranchVoting, BranchVoting.id == BallotTick.voting_id)
                    .where(BranchVoting.campaign_id == campaign_id, BranchVoting.branch_id.in_(ids), MEMBERS)
                ),
                lambda row: row[0],
            )
            for _, minute, ballots in ticks:
                day = local(minute).date()
                per_day[day] = per_day.get(day, 0) + ballots
            if voting.mode == VotingMode.named and absent:
                absent_voted = list(
                    session.exec(
                        select(Member.name)
                        .where(
                            Member.id.in_(absent),
                            Member.id.in_(
                                select(VoterToken.member_id).where(
                                    VoterToken.voting_id == voting.id, VoterToken.status == TokenStatus.used
                                )
                            ),
                        )
                        .order_by(Member.roster_order)
                    ).all()
                )
        return VoteAlignment(
            voted=voting is not None,
            named=voting is not None and voting.mode == VotingMode.named,
            by_day=sorted(per_day.items()),
            held_on=meeting.held_on if meeting else None,
            expected=expected,
            present=expected - len(absent) if meeting else None,
            absent_voted=absent_voted,
            paper=voting.paper_entered if voting else 0,
        )
