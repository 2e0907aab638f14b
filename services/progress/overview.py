"""Live progress of a campaign within the caller's scope: per branch, rolled up, and over time.

Every figure comes from aggregate SQL over indexed columns; no ballot is ever read, and no tally.
"""

from dataclasses import asdict, dataclass
from datetime import date, datetime

from sqlalchemy import and_, func
from sqlmodel import select

from models import (
    BallotTick,
    BranchGrading,
    BranchVoting,
    Campaign,
    Member,
    OrgKind,
    OrgUnit,
    TokenStatus,
    VoterToken,
)
from models.grading import GradingState
from services.ballot import encryption
from services.ballot.voting_lookup import MEMBERS
from services.ballot.voting_window import PHASE_LABELS, phase
from services.campaign.members import taking_part_now
from services.campaign.org import tree_order
from services.platform.clock import local, now
from services.platform.db import session_scope
from services.platform.errors import NotFound
from services.progress import checklist
from services.sheets.figures import percent as percent_of
from services.staff.access import Actor, can_see, scope_condition

STATE_LABELS = PHASE_LABELS
# Where a branch's ballots stand (services/ballot/sealing.py); "" while nothing needs saying.
SEAL_LABELS = {
    "": "",
    "sealed": "已封存",
    "pending": "待封存",
    "log": "封存未完成（日志待清空）",
    "key": "测评密钥不符，票无法解密",
}


@dataclass(frozen=True)
class BranchProgress:
    path: str
    name: str
    parent: str  # the general branch (or the units above), DIRECT for a directly affiliated branch
    state: str  # not_open | open | closed
    mode: str | None
    eligible: int  # members who vote, probationary members included
    online: int
    paper: int
    latest: datetime | None  # the minute of the latest ballot, in local time
    meeting_date: date | None = None  # recorded with the meeting (a later step); None until then
    seal: str = ""  # a key of SEAL_LABELS
    grading: str = GradingState.not_started  # final grades: a key of GRADING_LABELS
    steps_done: int = 0  # of the notice's six steps (services/progress/checklist.py)

    @property
    def received(self) -> int:
        return self.online + self.paper

    @property
    def percent(self) -> float:
        return percent_of(self.received, self.eligible)  # as the sheets round it


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
        return percent_of(self.received, self.eligible)  # as the sheets round it


@dataclass(frozen=True)
class Progress:
    campaign_id: int
    title: str
    deadline: date
    days_left: int
    branches: list[BranchProgress]
    by_parent: list[Rollup]  # one per parent, in roster order
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
            "by_parent": [rollup(g) for g in self.by_parent],
            "total": rollup(self.total),
        }

    def attention(self, *, below: float = 80.0, within_days: int = 7) -> list[BranchProgress]:
        """Branches to chase as the deadline nears: voting not opened, or completion below `below` %."""
        if self.days_left > within_days:
            return []
        return [b for b in self.branches if b.state == "not_open" or (b.state == "open" and b.percent < below)]


def campaign_progress(*, actor: Actor, campaign_id: int) -> Progress:
    """One query for the branches in scope, each with its counts from correlated index lookups."""
    # 应投: the members taking part (未参加评议 left out, services/campaign/members.py).
    eligible = (
        select(func.count())
        .where(Member.branch_id == OrgUnit.id, taking_part_now())
        .correlate(OrgUnit)
        .scalar_subquery()
    )
    used = (
        select(func.count())
        .select_from(VoterToken)
        .where(VoterToken.voting_id == BranchVoting.id, VoterToken.status == TokenStatus.used)
        .correlate(BranchVoting)
        .scalar_subquery()
    )
    latest = (
        select(func.max(BallotTick.minute))
        .where(BallotTick.voting_id == BranchVoting.id)
        .correlate(BranchVoting)
        .scalar_subquery()
    )
    with session_scope() as session:
        campaign = session.get(Campaign, campaign_id)
        if campaign is None:
            raise NotFound(f"找不到编号为 {campaign_id} 的评议活动")
        order = tree_order(session, campaign_id)
        branches = session.exec(
            select(
                OrgUnit.id,
                OrgUnit.path,
                OrgUnit.name,
                eligible,
                BranchVoting.id.label("voting_id"),
                BranchVoting.mode,
                BranchVoting.closed_at,
                BranchVoting.paper_entered,
                used,
                latest,
                BranchVoting.sealed_at,
                BranchVoting.checkpoint_owed,
                BranchVoting.wrapped_key,
                BranchGrading.state.label("grading"),
            )
            .select_from(OrgUnit)
            .outerjoin(BranchVoting, and_(BranchVoting.branch_id == OrgUnit.id, MEMBERS))
            .outerjoin(  # through the (campaign_id, branch_id) unique index
                BranchGrading, and_(BranchGrading.campaign_id == campaign_id, BranchGrading.branch_id == OrgUnit.id)
            )
            .where(
                OrgUnit.campaign_id == campaign_id,
                OrgUnit.kind == OrgKind.branch,
                scope_condition(actor, OrgUnit.path),
            )
        ).all()
        done = checklist.steps_done(session, campaign_id, {b.id: b[3] or 0 for b in branches})  # in scope only
    rows = []
    for b in sorted(branches, key=lambda b: order[b.id][0]):
        state = phase(b.voting_id is not None, b.closed_at, campaign.deadline, campaign.status)
        rows.append(
            BranchProgress(
                path=b.path,
                name=b.name,
                parent=order[b.id][1],
                state=state,
                mode=b.mode,
                eligible=b[3] or 0,
                online=b[8] or 0,
                paper=b.paper_entered or 0,
                latest=local(b[9]) if b[9] else None,
                seal=_seal(b, state),
                grading=b.grading or GradingState.not_started,
                steps_done=done.get(b.id, 0),
            )
        )
    by_parent: dict[str, list[BranchProgress]] = {}
    for row in rows:
        by_parent.setdefault(row.parent, []).append(row)
    return Progress(
        campaign_id=campaign_id,
        title=campaign.title,
        deadline=campaign.deadline,
        days_left=(campaign.deadline - local(now()).date()).days,
        branches=rows,
        by_parent=[_rollup(label, members) for label, members in by_parent.items()],
        total=_rollup("合计", rows),
        updated_at=local(now()),
    )


def parent_labels(*, actor: Actor, campaign_id: int) -> list[str]:
    """The parents (general branches, or DIRECT) of the branches in scope, in roster order."""
    with session_scope() as session:
        order = tree_order(session, campaign_id)
        paths = dict(
            session.exec(
                select(OrgUnit.id, OrgUnit.path).where(
                    OrgUnit.campaign_id == campaign_id, OrgUnit.kind == OrgKind.branch
                )
            ).all()
        )
    in_scope = sorted((order[i] for i, p in paths.items() if can_see(actor, p)), key=lambda o: o[0])
    return list(dict.fromkeys(parent for _, parent in in_scope))


def ballots_over_time(*, actor: Actor, campaign_id: int) -> list[tuple[datetime, int]]:
    """(minute, ballots received up to then) within the actor's scope, in local time."""
    with session_scope() as session:
        per_minute = session.exec(
            select(BallotTick.minute, func.sum(BallotTick.ballots))
            .join(BranchVoting, BranchVoting.id == BallotTick.voting_id)
            .join(OrgUnit, OrgUnit.id == BranchVoting.branch_id)
            .where(BranchVoting.campaign_id == campaign_id, MEMBERS, scope_condition(actor, OrgUnit.path))
            .group_by(BallotTick.minute)
            .order_by(BallotTick.minute)
        ).all()
    total, series = 0, []
    for minute, count in per_minute:
        total += int(count)
        series.append((local(minute), total))
    return series


def _seal(row, state: str) -> str:
    if row.wrapped_key is not None and not encryption.key_fits(row.wrapped_key, row.voting_id):
        return "key"  # open: ballots cannot be stored; ended: they cannot be sealed
    if state != "closed":
        return ""
    if row.sealed_at is None:
        return "pending"
    return "log" if row.checkpoint_owed else "sealed"


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
