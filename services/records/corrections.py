"""Last year's 限期改正 and what became of each: the name list the 党内统计年报 and a reviewer ask for ("who was
under 限期改正 last year, and what became of it"). A person is followed into this year's roster by the roster's
身份证号/工号 (Member.person_id), else by the same name in a branch of the same path."""

from dataclasses import dataclass

from sqlmodel import select

from models import BranchGrading, Campaign, DispositionCase, FinalGrade, GradingState, Member, OrgUnit
from models.voting import GRADE_LABELS, Grade
from services.grading.disposition_cases import case_of
from services.grading.disposition_rules import CORRECTION
from services.platform.clock import local, now
from services.platform.db import session_scope
from services.staff.access import Actor, can_see


@dataclass(frozen=True)
class Correction:
    name: str
    branch: str  # last year's branch path
    year: int
    stage: str  # where the case stands: 已结案：已改正（…）, 限期改正中 …, 逾期…
    closed: bool
    this_year: str  # this year's branch and grade, or why there is none

    def as_dict(self) -> dict:
        return {"姓名": self.name, "上年度党支部": self.branch, "年度": self.year, "处置进展": self.stage,
                "是否结案": self.closed, "本年度情况": self.this_year}  # fmt: skip


def last_year_corrections(*, actor: Actor, campaign_id: int, within: str | None = None) -> list[Correction]:
    """The members rated 不合格 with 限期改正 in last year's approved grades (the campaigns of the year before),
    whom the actor may see — under `within` when given — last year or now."""
    today = local(now()).date()
    with session_scope() as session:
        year = session.get(Campaign, campaign_id).year
        earlier = session.exec(
            select(Member, FinalGrade, DispositionCase, OrgUnit.path)
            .join(FinalGrade, FinalGrade.member_id == Member.id)
            .join(BranchGrading, BranchGrading.id == FinalGrade.grading_id)
            .join(Campaign, Campaign.id == Member.campaign_id)
            .join(OrgUnit, OrgUnit.id == Member.branch_id)
            .outerjoin(DispositionCase, DispositionCase.member_id == Member.id)
            .where(
                Campaign.year == year - 1,
                BranchGrading.state == GradingState.approved,
                FinalGrade.grade == Grade.unqualified,
                FinalGrade.disposition == CORRECTION,
            )
            .order_by(OrgUnit.path, Member.roster_order)
        ).all()
        if not earlier:
            return []
        now_rows = session.exec(
            select(Member.name, Member.person_id, OrgUnit.path, FinalGrade.grade, BranchGrading.state)
            .join(OrgUnit, OrgUnit.id == Member.branch_id)
            .outerjoin(FinalGrade, FinalGrade.member_id == Member.id)
            .outerjoin(BranchGrading, BranchGrading.id == FinalGrade.grading_id)
            .where(Member.campaign_id == campaign_id)
        ).all()
    by_person = {pid: (path, grade, state) for _, pid, path, grade, state in now_rows if pid}
    by_place = {(name, path): (path, grade, state) for name, _, path, grade, state in now_rows}
    found = []
    for member, final, case, path in earlier:
        here = by_person.get(member.person_id) if member.person_id else by_place.get((member.name, path))
        places = [path] + ([here[0]] if here else [])
        if not any(can_see(actor, p) and _within(p, within) for p in places):
            continue
        shown = case_of(member, final, case)
        found.append(Correction(member.name, path, year - 1, shown.stage(today), not shown.is_open,
                                _this_year(here)))  # fmt: skip
    return found


def _within(path: str, within: str | None) -> bool:
    return within is None or path == within or path.startswith(within + "/")


def _this_year(here: tuple | None) -> str:
    if here is None:
        return "不在本年度花名册中"
    path, grade, state = here
    where = path.replace("/", " / ")
    if grade and state == GradingState.approved:
        return f"{where}，本年度评为{GRADE_LABELS[Grade(grade)]}"
    return f"{where}，本年度格次尚未审批"
