"""A unit across years: for every campaign the actor can see, each reporting unit's turnout (参评率), 优秀 share,
基本合格 and 不合格 counts and rectification done on time — from a handful of grouped queries over all the
campaigns at once, never one per branch.

A reporting unit is a general branch, or a branch right under the committee; it is matched across campaigns by
its path, so a unit renamed in a later roster shows as two units (the old name up to the renaming, the new one
after). A secretary whose scope is one branch under a general branch sees that branch alone, under its own path.

The figures follow the summary sheet (services/filing/summary.py): turnout is ballots received (online and on
paper) of the members taking part, over the branches that opened voting; grades count once their branch's grades
are approved, and 优秀 share is of the cap's base (the campaign's setting) in those branches. Rectification: of
the items due by today (their deadline not after today), those marked 已完成 on or before their deadline (an item
marked done before completion days were kept has none and counts as on time); items not yet due are counted
apart."""

from dataclasses import dataclass

from sqlalchemy import and_, case, func
from sqlmodel import select

from models import BranchGrading, BranchVoting, Campaign, FinalGrade, Member, OrgKind, OrgUnit, VoterToken
from models.grading import GradingState
from models.meeting import RectificationItem, RectificationState
from models.voting import Grade, TokenStatus
from services.ballot.voting_lookup import MEMBERS
from services.campaign import campaigns
from services.platform.clock import local, now
from services.platform.db import session_scope
from services.sheets.figures import percent
from services.staff.access import Actor, can_see, scope_condition


@dataclass
class TrendRow:
    unit: str  # the reporting unit's path (or, for a secretary of one branch, the branch's)
    campaign_id: int
    campaign: str  # the campaign's label on the charts: "2025年", or its title when a year has two
    year: int
    branches: int = 0
    members: int = 0
    taking_part: int = 0  # 应参评: members not marked 未参加评议
    voting_base: int = 0  # 应参评 in the branches that opened voting: turnout's base
    received: int = 0  # ballots received there, online and on paper
    approved_branches: int = 0  # branches whose grades are approved
    cap_base: int = 0  # the cap's base in those branches: 优秀 share's base
    excellent: int = 0
    qualified: int = 0
    basically_qualified: int = 0
    unqualified: int = 0
    rectification: int = 0  # items on the rectification lists
    due: int = 0  # of which due by today
    done_on_time: int = 0  # of those, marked 已完成

    @property
    def turnout(self) -> float | None:
        """参评率 in %, None while no branch of the unit opened voting."""
        return percent(self.received, self.voting_base) if self.voting_base else None

    @property
    def excellent_share(self) -> float | None:
        """优秀 of the cap's base in %, None while no branch's grades are approved."""
        return percent(self.excellent, self.cap_base) if self.cap_base else None

    @property
    def on_time_share(self) -> float | None:
        """Items due by today and done, of those due, in %; None while none is due."""
        return percent(self.done_on_time, self.due) if self.due else None

    def as_dict(self) -> dict:
        return {
            "单位": self.unit.replace("/", " / "), "评议活动": self.campaign, "年度": self.year,
            "党支部": self.branches, "党员": self.members, "应参评": self.taking_part, "实参评": self.received,
            "参评率": self.turnout, "优秀": self.excellent, "合格": self.qualified,
            "基本合格": self.basically_qualified, "不合格": self.unqualified, "优秀占比": self.excellent_share,
            "已审批党支部": self.approved_branches, "整改事项": self.rectification, "已到期": self.due,
            "到期已完成": self.done_on_time, "按期完成率": self.on_time_share,
        }  # fmt: skip


def unit_trends(*, actor: Actor) -> list[TrendRow]:
    """One row per reporting unit and campaign the actor can see, by unit (in the newest roster's order, units
    gone since after them) and then by year."""
    shown = [c for c in campaigns.list_campaigns(actor=actor) if c.branches]
    if not shown:
        return []
    ids = [c.id for c in shown]
    years = [c.year for c in shown]
    label = {c.id: f"{c.year}年" if years.count(c.year) == 1 else f"{c.year}年 {c.title}" for c in shown}
    year_of = {c.id: c.year for c in shown}
    today = local(now()).date()
    in_scope = and_(OrgUnit.campaign_id.in_(ids), OrgUnit.kind == OrgKind.branch, scope_condition(actor, OrgUnit.path))
    with session_scope() as session:
        branches = session.exec(
            select(OrgUnit.id, OrgUnit.campaign_id, OrgUnit.path)
            .where(in_scope)
            .order_by(OrgUnit.sort_order, OrgUnit.id)
        ).all()
        everyone = {
            cid for cid, base in session.exec(select(Campaign.id, Campaign.cap_base).where(Campaign.id.in_(ids)))
            if base == "all"
        }  # fmt: skip
        members = session.exec(
            select(Member.branch_id, Member.category, func.count(),
                   func.sum(case((Member.not_taking_part.is_(None), 1), else_=0)))
            .join(OrgUnit, OrgUnit.id == Member.branch_id).where(in_scope)
            .group_by(Member.branch_id, Member.category)
        ).all()  # fmt: skip
        voting = dict(
            session.exec(
                select(BranchVoting.branch_id, BranchVoting.paper_entered)
                .join(OrgUnit, OrgUnit.id == BranchVoting.branch_id)
                .where(in_scope, MEMBERS)
            ).all()
        )
        online = session.exec(
            select(BranchVoting.branch_id, func.count())
            .join(VoterToken, VoterToken.voting_id == BranchVoting.id)
            .join(OrgUnit, OrgUnit.id == BranchVoting.branch_id)
            .where(in_scope, VoterToken.status == TokenStatus.used, MEMBERS)
            .group_by(BranchVoting.branch_id)
        ).all()
        grades = session.exec(
            select(BranchGrading.branch_id, FinalGrade.grade, func.count())
            .join(FinalGrade, FinalGrade.grading_id == BranchGrading.id)
            .join(OrgUnit, OrgUnit.id == BranchGrading.branch_id)
            .where(in_scope, BranchGrading.state == GradingState.approved, FinalGrade.grade.is_not(None))
            .group_by(BranchGrading.branch_id, FinalGrade.grade)
        ).all()
        approved = set(
            session.exec(
                select(BranchGrading.branch_id)
                .join(OrgUnit, OrgUnit.id == BranchGrading.branch_id)
                .where(in_scope, BranchGrading.state == GradingState.approved)
            ).all()
        )
        fixes = session.exec(
            select(RectificationItem.branch_id, RectificationItem.state, RectificationItem.deadline,
                   RectificationItem.done_on, func.count())
            .join(OrgUnit, OrgUnit.id == RectificationItem.branch_id).where(in_scope)
            .group_by(RectificationItem.branch_id, RectificationItem.state, RectificationItem.deadline,
                      RectificationItem.done_on)
        ).all()  # fmt: skip
    rows: dict[tuple[str, int], TrendRow] = {}
    row_of: dict[int, TrendRow] = {}
    place: dict[str, int] = {}  # a unit's place: the newest roster's order, units gone since after them
    for _, _, path in sorted(branches, key=lambda b: ids.index(b[1])):  # stable: roster order kept
        place.setdefault(_reporting_unit(actor, path), len(place))
    for branch_id, cid, path in branches:
        unit = _reporting_unit(actor, path)
        row = rows.setdefault((unit, cid), TrendRow(unit, cid, label[cid], year_of[cid]))
        row.branches += 1
        row_of[branch_id] = row
    taking_part: dict[int, int] = {}
    cap_base: dict[int, int] = {}
    for branch_id, category, count, present in members:
        row = row_of[branch_id]
        row.members += count
        row.taking_part += present or 0
        taking_part[branch_id] = taking_part.get(branch_id, 0) + (present or 0)
        if category == "full" or row.campaign_id in everyone:
            cap_base[branch_id] = cap_base.get(branch_id, 0) + (present or 0)
    for branch_id, paper in voting.items():
        row_of[branch_id].voting_base += taking_part.get(branch_id, 0)
        row_of[branch_id].received += paper or 0
    for branch_id, count in online:
        row_of[branch_id].received += count
    for branch_id in approved:
        row_of[branch_id].approved_branches += 1
        row_of[branch_id].cap_base += cap_base.get(branch_id, 0)
    for branch_id, grade, count in grades:
        name = Grade(grade).name
        setattr(row_of[branch_id], name, getattr(row_of[branch_id], name) + count)
    for branch_id, state, deadline, done_on, count in fixes:
        row = row_of[branch_id]
        row.rectification += count
        if deadline <= today:
            row.due += count
            on_time = state == RectificationState.done and (done_on is None or done_on <= deadline)
            row.done_on_time += count if on_time else 0
    return sorted(rows.values(), key=lambda r: (place[r.unit], r.year, r.campaign_id))


def _reporting_unit(actor: Actor, branch_path: str) -> str:
    """The general branch above a branch (or a direct branch itself); the branch when the actor sees it alone."""
    unit = branch_path.rsplit("/", 1)[0] if "/" in branch_path else branch_path
    return unit if can_see(actor, unit) else branch_path
