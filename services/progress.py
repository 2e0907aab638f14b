"""Live progress of a campaign within the caller's scope: per branch, rolled up, and over time.

Every figure comes from aggregate SQL over indexed columns; no ballot is ever read, and no tally.
"""

from dataclasses import asdict, dataclass
from datetime import date, datetime

from sqlalchemy import func
from sqlmodel import select

from models import BallotTick, BranchVoting, Campaign, Member, OrgKind, OrgUnit, TokenStatus, VoterToken, VotingMode
from services.access import Actor, can_see, require_unit, scope_condition
from services.clock import local, now
from services.db import session_scope
from services.errors import NotFound
from services.org import DIRECT
from services.voting import ended

STATE_LABELS = {"not_open": "未开启", "open": "进行中", "closed": "已结束"}


@dataclass(frozen=True)
class BranchProgress:
    path: str
    name: str
    group: str  # the general branch (or the units above), DIRECT for a directly affiliated branch
    state: str  # not_open | open | closed
    mode: str | None
    eligible: int  # members who vote, probationary members included
    online: int
    paper: int
    latest: datetime | None  # the minute of the latest ballot, in local time
    meeting_date: date | None = None  # recorded with the meeting (a later step); None until then

    @property
    def received(self) -> int:
        return self.online + self.paper

    @property
    def percent(self) -> float:
        return round(100 * self.received / self.eligible, 1) if self.eligible else 0.0


@dataclass(frozen=True)
class Rollup:
    label: str
    branches: int
    eligible: int
    received: int
    not_open: int
    open: int
    closed: int

    @property
    def percent(self) -> float:
        return round(100 * self.received / self.eligible, 1) if self.eligible else 0.0


@dataclass(frozen=True)
class Progress:
    campaign_id: int
    title: str
    deadline: date
    days_left: int
    branches: list[BranchProgress]
    groups: list[Rollup]
    total: Rollup
    updated_at: datetime

    def as_dict(self) -> dict:
        """Plain JSON-ready values (for scripts: `manage.py progress --json`)."""

        def rollup(r: Rollup) -> dict:
            return {**asdict(r), "percent": r.percent}

        return {
            "campaign": {
                "id": self.campaign_id,
                "title": self.title,
                "deadline": self.deadline.isoformat(),
                "days_left": self.days_left,
            },
            "updated_at": self.updated_at.isoformat(),
            "branches": [
                {
                    **asdict(b),
                    "received": b.received,
                    "percent": b.percent,
                    "latest": b.latest.isoformat() if b.latest else None,
                    "meeting_date": b.meeting_date.isoformat() if b.meeting_date else None,
                }
                for b in self.branches
            ],
            "groups": [rollup(g) for g in self.groups],
            "total": rollup(self.total),
        }

    def attention(self, *, below: float = 80.0, within_days: int = 7) -> list[BranchProgress]:
        """Branches to chase as the deadline nears: voting not opened, or completion below `below` %."""
        if self.days_left > within_days:
            return []
        return [b for b in self.branches if b.state == "not_open" or (b.state == "open" and b.percent < below)]


def campaign_progress(*, actor: Actor, campaign_id: int) -> Progress:
    with session_scope() as session:
        campaign = session.get(Campaign, campaign_id)
        if campaign is None:
            raise NotFound(f"找不到编号为 {campaign_id} 的评议活动")
        units = session.exec(
            select(OrgUnit.id, OrgUnit.parent_id, OrgUnit.kind, OrgUnit.name, OrgUnit.path, OrgUnit.sort_order).where(
                OrgUnit.campaign_id == campaign_id
            )
        ).all()
        eligible = dict(
            session.exec(
                select(Member.branch_id, func.count())
                .where(Member.campaign_id == campaign_id)
                .group_by(Member.branch_id)
            ).all()
        )
        votings = {
            v.branch_id: v
            for v in session.exec(
                select(
                    BranchVoting.id,
                    BranchVoting.branch_id,
                    BranchVoting.mode,
                    BranchVoting.closed_at,
                    BranchVoting.paper_entered,
                ).where(BranchVoting.campaign_id == campaign_id)
            ).all()
        }
        used = dict(
            session.exec(
                select(VoterToken.voting_id, func.count())
                .join(BranchVoting, BranchVoting.id == VoterToken.voting_id)
                .where(BranchVoting.campaign_id == campaign_id, VoterToken.status == TokenStatus.used)
                .group_by(VoterToken.voting_id)
            ).all()
        )
        latest = dict(
            session.exec(
                select(BallotTick.voting_id, func.max(BallotTick.minute))
                .join(BranchVoting, BranchVoting.id == BallotTick.voting_id)
                .where(BranchVoting.campaign_id == campaign_id)
                .group_by(BallotTick.voting_id)
            ).all()
        )
    by_id = {u.id: u for u in units}
    rows = []
    for unit in sorted(units, key=lambda u: _position(u, by_id)):
        if unit.kind != OrgKind.branch or not can_see(actor, unit.path):
            continue
        voting = votings.get(unit.id)
        parent = by_id.get(unit.parent_id)
        state = "not_open" if voting is None else ("closed" if ended(voting.closed_at, campaign.deadline) else "open")
        last = latest.get(voting.id) if voting else None
        rows.append(
            BranchProgress(
                path=unit.path,
                name=unit.name,
                group=parent.path.replace("/", " / ") if parent is not None and parent.path else DIRECT,
                state=state,
                mode=voting.mode if voting else None,
                eligible=eligible.get(unit.id, 0),
                online=used.get(voting.id, 0) if voting else 0,
                paper=voting.paper_entered if voting else 0,
                latest=local(last) if last else None,
            )
        )
    groups: dict[str, list[BranchProgress]] = {}
    for row in rows:
        groups.setdefault(row.group, []).append(row)
    return Progress(
        campaign_id=campaign_id,
        title=campaign.title,
        deadline=campaign.deadline,
        days_left=(campaign.deadline - local(now()).date()).days,
        branches=rows,
        groups=[_rollup(label, members) for label, members in groups.items()],
        total=_rollup("合计", rows),
        updated_at=local(now()),
    )


def ballots_over_time(*, actor: Actor, campaign_id: int) -> list[tuple[datetime, int]]:
    """(minute, ballots received up to then) within the actor's scope, in local time."""
    with session_scope() as session:
        per_minute = session.exec(
            select(BallotTick.minute, func.sum(BallotTick.ballots))
            .join(BranchVoting, BranchVoting.id == BallotTick.voting_id)
            .join(OrgUnit, OrgUnit.id == BranchVoting.branch_id)
            .where(BranchVoting.campaign_id == campaign_id, scope_condition(actor, OrgUnit.path))
            .group_by(BallotTick.minute)
            .order_by(BallotTick.minute)
        ).all()
    total, series = 0, []
    for minute, count in per_minute:
        total += int(count)
        series.append((local(minute), total))
    return series


def _position(unit, by_id) -> tuple[int, ...]:
    parent = by_id.get(unit.parent_id)
    return (*_position(parent, by_id), unit.sort_order) if parent is not None else ()


def _rollup(label: str, rows: list[BranchProgress]) -> Rollup:
    return Rollup(
        label=label,
        branches=len(rows),
        eligible=sum(r.eligible for r in rows),
        received=sum(r.received for r in rows),
        not_open=sum(r.state == "not_open" for r in rows),
        open=sum(r.state == "open" for r in rows),
        closed=sum(r.state == "closed" for r in rows),
    )


@dataclass(frozen=True)
class Pending:
    """A member of a named-link branch who has not voted online: to remind, or voting on paper."""

    name: str
    phone: str | None
    on_paper: bool


def not_voted(*, actor: Actor, campaign_id: int, branch_path: str) -> list[Pending]:
    """Who has not voted yet (named links only: unnamed codes identify nobody). Never what anyone voted."""
    require_unit(actor, branch_path)
    with session_scope() as session:
        voting = session.exec(
            select(BranchVoting)
            .join(OrgUnit, OrgUnit.id == BranchVoting.branch_id)
            .where(BranchVoting.campaign_id == campaign_id, OrgUnit.path == branch_path)
        ).first()
        if voting is None or voting.mode != VotingMode.named:
            return []
        statuses: dict[int, set[str]] = {}
        for member_id, status in session.exec(
            select(VoterToken.member_id, VoterToken.status).where(VoterToken.voting_id == voting.id)
        ):
            statuses.setdefault(member_id, set()).add(status)
        people = session.exec(
            select(Member.id, Member.name, Member.phone)
            .where(Member.branch_id == voting.branch_id)
            .order_by(Member.roster_order)
        ).all()
    return [
        Pending(name=name, phone=phone, on_paper=TokenStatus.paper in statuses.get(member_id, set()))
        for member_id, name, phone in people
        if TokenStatus.used not in statuses.get(member_id, set())
    ]


def reminder_text(*, branch_name: str, name: str, deadline: date) -> str:
    return (
        f"{name}同志：{branch_name}党员民主测评正在进行，请于{deadline.month}月{deadline.day}日前"
        "打开支部发给您的测评链接完成测评（约需 3 分钟，无记名）。如链接遗失，请联系支部书记补发。"
    )
