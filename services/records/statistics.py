"""The 党内统计年报 figures of the year's 民主评议党员, per reporting unit and for the whole committee: who took
part (预备党员 among them), the four grades as approved, who did not take part and why, the 组织处置 by kind, and
the name list of last year's 限期改正 with what became of each. Grades count only once their branch's grading is
approved (审批): the 年报 reports results, not drafts; members of branches not yet approved are counted apart."""

from collections import Counter
from dataclasses import dataclass, field

from sqlmodel import select

from models import BranchGrading, FinalGrade, Member, OrgUnit
from models.grading import DISPOSITION_KINDS, GradingState
from models.member import NOT_TAKING_PART
from models.voting import GRADE_LABELS, Grade
from services.campaign import campaigns
from services.campaign.org import DIRECT, branch_rows
from services.platform.db import session_scope
from services.records.corrections import Correction, last_year_corrections
from services.staff.access import Actor, require_unit

COMMITTEE = "合计"


@dataclass
class UnitFigures:
    unit: str  # a general branch's path, or a directly affiliated branch's; COMMITTEE for the sum
    branches: int = 0
    members: int = 0
    probationary: int = 0
    taking_part: int = 0  # 参加评议的党员: every member not marked 未参加评议
    probationary_taking_part: int = 0  # 其中预备党员 (take part, are not graded)
    grades: dict[str, int] = field(default_factory=lambda: {g.value: 0 for g in Grade})
    awaiting_approval: int = 0  # full members taking part whose branch's grades are not approved yet
    not_taking_part: dict[str, int] = field(default_factory=dict)  # reason label -> members
    dispositions: dict[str, int] = field(default_factory=lambda: dict.fromkeys(DISPOSITION_KINDS, 0))

    @property
    def absent(self) -> int:
        return sum(self.not_taking_part.values())

    def add(self, other: "UnitFigures") -> None:
        self.branches += other.branches
        self.members += other.members
        self.probationary += other.probationary
        self.taking_part += other.taking_part
        self.probationary_taking_part += other.probationary_taking_part
        self.awaiting_approval += other.awaiting_approval
        for g, n in other.grades.items():
            self.grades[g] += n
        for reason, n in other.not_taking_part.items():
            self.not_taking_part[reason] = self.not_taking_part.get(reason, 0) + n
        for kind, n in other.dispositions.items():
            self.dispositions[kind] += n

    def as_dict(self) -> dict:
        return {
            "单位": self.unit, "党支部数": self.branches, "党员总数": self.members, "参加评议的党员": self.taking_part,
            "其中预备党员": self.probationary_taking_part,
            **{f"评为{GRADE_LABELS[Grade(g)]}": n for g, n in self.grades.items()},
            "尚未审批": self.awaiting_approval, "未参加评议": self.absent,
            "未参加评议原因": dict(self.not_taking_part),
            "组织处置": dict(self.dispositions),
        }  # fmt: skip


@dataclass(frozen=True)
class Statistics:
    campaign_title: str
    year: int
    units: list[UnitFigures]
    total: UnitFigures
    corrections: list[Correction]  # last year's 限期改正 in the same scope, and their outcome

    def as_dict(self) -> dict:
        return {
            "活动": self.campaign_title, "年度": self.year,
            "各单位": [u.as_dict() for u in self.units], "合计": self.total.as_dict(),
            "上年度限期改正": [c.as_dict() for c in self.corrections],
        }  # fmt: skip


def statistics(*, actor: Actor, campaign_id: int, unit: str | None = None) -> Statistics:
    """The figures for every reporting unit in the actor's scope, or for `unit` (a general branch's or a
    directly affiliated branch's path, within the scope) alone."""
    if unit is not None:
        require_unit(actor, unit)
    campaign = campaigns.get_campaign(actor=actor, campaign_id=campaign_id)
    rows = [b for b in branch_rows(actor=actor, campaign_id=campaign_id)
            if unit is None or b.path == unit or b.path.startswith(unit + "/")]  # fmt: skip
    reporting_unit = {b.path: b.path if b.parent == DIRECT else b.path.rsplit("/", 1)[0] for b in rows}
    figures: dict[str, UnitFigures] = {}
    for b in rows:
        figures.setdefault(reporting_unit[b.path], UnitFigures(reporting_unit[b.path])).branches += 1
    with session_scope() as session:
        members = session.exec(
            select(OrgUnit.path, Member.category, Member.not_taking_part, FinalGrade.grade, FinalGrade.disposition,
                   BranchGrading.state)
            .join(OrgUnit, OrgUnit.id == Member.branch_id)
            .outerjoin(FinalGrade, FinalGrade.member_id == Member.id)
            .outerjoin(BranchGrading, BranchGrading.id == FinalGrade.grading_id)
            .where(Member.campaign_id == campaign_id)
        ).all()  # fmt: skip
    for path, category, absent, grade, disposition, state in members:
        if path not in reporting_unit:
            continue
        f = figures[reporting_unit[path]]
        f.members += 1
        probationary = category != "full"
        f.probationary += probationary
        if absent:
            label = NOT_TAKING_PART.get(absent, NOT_TAKING_PART["other"])
            f.not_taking_part[label] = f.not_taking_part.get(label, 0) + 1
            continue
        f.taking_part += 1
        if probationary:
            f.probationary_taking_part += 1
        elif state == GradingState.approved and grade:
            f.grades[grade] += 1
            if grade == Grade.unqualified and disposition in f.dispositions:
                f.dispositions[disposition] += 1
        else:
            f.awaiting_approval += 1
    units = list(figures.values())
    total = UnitFigures(COMMITTEE if unit is None else f"{unit.rsplit('/', 1)[-1]}合计")
    for f in units:
        total.add(f)
    corrections = last_year_corrections(actor=actor, campaign_id=campaign_id, within=unit)
    return Statistics(campaign.title, campaign.year, units, total, corrections)


def reasons_text(counts: dict[str, int]) -> str:
    """ "出国（境）2 人、重病 1 人", in the order the reasons are listed in NOT_TAKING_PART."""
    order = list(NOT_TAKING_PART.values())
    shown = Counter(counts)
    return "、".join(f"{r} {shown[r]} 人" for r in sorted(shown, key=order.index) if shown[r]) or "无"
