"""组织处置 cases: one per member rated 不合格 with a disposition (FinalGrade.disposition is its kind), with
the decision's steps, the period of 限期改正 and the outcome when it ends (the rules: disposition_rules.py).

The branch's secretary (or a committee member they named, or the organizer) records them, in any state of the
grades and after the campaign has closed: a case outlives the campaign it began in. A case still open
(approved grades, no outcome yet) carries into the later campaigns' view of the same person, matched by the
roster's 身份证号/工号 (Member.person_id) whatever branch the person is in now."""

from dataclasses import dataclass, replace
from datetime import date

from sqlmodel import Session, select

from models import BranchGrading, Campaign, DispositionCase, FinalGrade, GradingState, Member
from models.audit import AuditAction
from models.grading import CASE_OUTCOMES, DISPOSITION_KINDS, DISPOSITION_TO_REDECIDE
from models.voting import Grade
from services.campaign.members import branch_members
from services.campaign.org import branch_unit
from services.grading.disposition_rules import (
    CORRECTION,
    CaseRejected,
    CaseSteps,
    Outcome,
    checked_note,
    ends_on,
    outcome_problems,
    period_of,
    steps_problems,
)
from services.platform import db
from services.platform.batch import per_branch
from services.platform.clock import local, now
from services.platform.db import session_scope
from services.platform.errors import NotFound, NotPermitted
from services.staff import audit
from services.staff.access import Actor, may_grade, require_unit


@dataclass(frozen=True)
class Case:
    member_id: int
    name: str
    kind: str  # one of DISPOSITION_KINDS, or DISPOSITION_TO_REDECIDE (an older entry to decide again)
    note: str | None  # the disposition's note (处置说明)
    steps: CaseSteps
    outcome: str | None = None  # CASE_OUTCOMES key; None: open
    outcome_on: date | None = None
    outcome_note: str | None = None

    @property
    def period_months(self) -> int | None:
        return period_of(self.kind, self.steps)

    @property
    def ends_on(self) -> date | None:
        return ends_on(self.kind, self.steps)

    @property
    def is_open(self) -> bool:
        return self.outcome is None

    def stage(self, today: date) -> str:
        """Where the case stands, in a few words."""
        s = self.steps
        if self.kind == DISPOSITION_TO_REDECIDE:
            return "待重新确定组织处置"
        if self.outcome:
            return f"已结案：{CASE_OUTCOMES[self.outcome]}（{self.outcome_on}）"
        if not s.committee_on:
            return "待支委会研究"
        if not s.meeting_on:
            return "待支部大会表决"
        if s.meeting_result == "rejected":
            return "支部大会表决未通过，待记录结果"
        if not s.approved_on:
            return "待上级党组织审批"
        if self.ends_on and today < self.ends_on:
            return f"限期改正中，{self.ends_on} 期满"
        return "期满，待记录结果" if self.ends_on else "待记录结果"

    def as_dict(self) -> dict:
        """Plain JSON-ready values (for scripts: `manage.py results --json`)."""
        s = self.steps
        return {
            "kind": self.kind,
            "committee_on": _iso(s.committee_on),
            "meeting_on": _iso(s.meeting_on),
            "meeting_result": s.meeting_result,
            "approved_on": _iso(s.approved_on),
            "period_months": self.period_months,
            "ends_on": _iso(self.ends_on),
            "outcome": self.outcome,
            "outcome_on": _iso(self.outcome_on),
            "outcome_note": self.outcome_note,
            "open": self.is_open,
        }


@dataclass(frozen=True)
class Carried:
    """An open case of an earlier campaign, shown beside the same person in a later one."""

    name: str  # as this year's roster has it
    year: int
    kind: str
    ends_on: date | None
    stage: str

    @property
    def label(self) -> str:
        return f"{self.year}年度{self.kind}未结案（{self.stage}）"


def today() -> date:
    return local(now()).date()


def list_cases(*, actor: Actor, campaign_id: int, branch_path: str) -> list[Case]:
    """The branch's members rated 不合格 with a disposition, in roster order, each with their case."""
    require_unit(actor, branch_path)
    with session_scope() as session:
        branch = branch_unit(session, campaign_id, branch_path)
        rows = per_branch(
            ("cases",),
            branch.id,
            lambda ids: session.exec(
                select(Member, FinalGrade, DispositionCase)
                .join(FinalGrade, FinalGrade.member_id == Member.id)
                .outerjoin(DispositionCase, DispositionCase.member_id == Member.id)
                .where(
                    Member.branch_id.in_(ids),
                    FinalGrade.grade == Grade.unqualified,
                    FinalGrade.disposition.is_not(None),
                )
                .order_by(Member.branch_id, Member.roster_order)
            ),
            lambda row: row[0].branch_id,
        )
        return [case_of(m, f, c) for m, f, c in rows]


def save_steps(*, actor: Actor, campaign_id: int, branch_path: str, member_id: int, steps: CaseSteps) -> Case:
    """Record the decision's steps (and for 限期改正 its period): all of it, or with any problem nothing."""
    with session_scope() as session:
        member, final, found = _to_write(session, actor, campaign_id, branch_path, member_id)
        if final.disposition == CORRECTION and steps.period_months is None:
            steps = replace(steps, period_months=period_of(CORRECTION, steps))
        problems = steps_problems(final.disposition, steps, today=today())
        if found is not None and found.outcome:  # what was recorded must still hold
            recorded = Outcome(found.outcome, found.outcome_on, found.outcome_note)
            problems += outcome_problems(final.disposition, steps, recorded, today=today())
        if problems:
            raise CaseRejected(member.name, problems)
        case = found or DispositionCase(campaign_id=campaign_id, member_id=member_id)
        for name in ("committee_on", "meeting_on", "meeting_result", "approved_on", "period_months"):
            setattr(case, name, getattr(steps, name))
        case.ends_on = ends_on(final.disposition, steps)
        session.add(case)
        stage = case_of(member, final, case).stage(today())
        detail = {"member": member.name, "kind": final.disposition, "stage": stage}
        audit.record(
            session, actor, AuditAction.disposition_steps, campaign_id=campaign_id, target=branch_path, detail=detail
        )
        return case_of(member, final, case)


def record_outcome(*, actor: Actor, campaign_id: int, branch_path: str, member_id: int, outcome: Outcome) -> Case:
    """Record how the case ended (a later record replaces an earlier one)."""
    outcome = replace(outcome, note=checked_note(outcome.note))
    with session_scope() as session:
        member, final, found = _to_write(session, actor, campaign_id, branch_path, member_id)
        steps = _steps(found)
        problems = steps_problems(final.disposition, steps, today=today())
        problems += outcome_problems(final.disposition, steps, outcome, today=today())
        if problems:
            raise CaseRejected(member.name, problems)
        case = found or DispositionCase(campaign_id=campaign_id, member_id=member_id)
        case.outcome, case.outcome_on, case.outcome_note = outcome.outcome, outcome.outcome_on, outcome.note
        session.add(case)
        audit.record(
            session, actor, AuditAction.disposition_outcome, campaign_id=campaign_id, target=branch_path,
            detail={"member": member.name, "outcome": outcome.outcome, "on": outcome.outcome_on.isoformat()},
        )  # fmt: skip
        return case_of(member, final, case)


def carried_cases(*, actor: Actor, campaign_id: int, branch_path: str) -> dict[int, Carried]:
    """Member id -> the latest open case of an earlier campaign's approved grades for the same person
    (by 身份证号/工号), for the branch's members in this campaign."""
    require_unit(actor, branch_path)
    with session_scope() as session:
        branch = branch_unit(session, campaign_id, branch_path)  # NotFound for an unknown campaign or branch
        year = session.get(Campaign, campaign_id).year
        ours = {m.person_id: (m.id, m.name) for m in branch_members(session, branch.id) if m.person_id is not None}
        if not ours:
            return {}
        earlier = session.exec(
            select(Member, FinalGrade, DispositionCase, Campaign.year)
            .join(FinalGrade, FinalGrade.member_id == Member.id)
            .join(BranchGrading, BranchGrading.id == FinalGrade.grading_id)
            .join(Campaign, Campaign.id == Member.campaign_id)
            .outerjoin(DispositionCase, DispositionCase.member_id == Member.id)
            .where(
                Campaign.year < year,
                Member.person_id.in_(list(ours)),
                BranchGrading.state == GradingState.approved,
                FinalGrade.grade == Grade.unqualified,
                FinalGrade.disposition.in_(DISPOSITION_KINDS),
                DispositionCase.outcome.is_(None),
            )
            .order_by(Campaign.year, Member.id)
        ).all()
        found = {}
        for member, final, case, case_year in earlier:  # the latest year wins
            shown = case_of(member, final, case)
            mid, name = ours[member.person_id]
            found[mid] = Carried(name, case_year, shown.kind, shown.ends_on, shown.stage(today()))
        return found


def _to_write(session: Session, actor: Actor, campaign_id: int, branch_path: str, member_id: int):
    """The member of this branch rated 不合格 with a disposition, its grade and case, the case row held."""
    if not may_grade(actor, branch_path):
        raise NotPermitted("没有权限：只有本支部书记、支部委员或组织部可以记录组织处置")
    branch = branch_unit(session, campaign_id, branch_path)
    member = session.get(Member, member_id)
    if member is None or member.branch_id != branch.id:
        raise NotFound(f"编号 {member_id} 的党员不在本支部")
    final = session.exec(select(FinalGrade).where(FinalGrade.member_id == member_id)).first()
    if final is None or final.grade != Grade.unqualified or not final.disposition:
        raise NotFound(f"{member.name}没有评定为“不合格”并选择组织处置，没有组织处置可记录")
    db.lock_row(session, "final_grade", final.id)  # two saves of one case: one after the other
    found = session.exec(select(DispositionCase).where(DispositionCase.member_id == member_id)).first()
    return member, final, found


def _steps(case: DispositionCase | None) -> CaseSteps:
    if case is None:
        return CaseSteps()
    return CaseSteps(case.committee_on, case.meeting_on, case.meeting_result, case.approved_on, case.period_months)


def case_of(member: Member, final: FinalGrade, case: DispositionCase | None) -> Case:
    """A member's case as its rows hold it (no case row yet: the kind alone, no steps)."""
    steps = _steps(case)
    if final.disposition != CORRECTION:  # the kind changed since: a period no longer applies
        steps = replace(steps, period_months=None)
    return Case(
        member.id, member.name, final.disposition, final.disposition_note, steps,
        case.outcome if case else None, case.outcome_on if case else None, case.outcome_note if case else None,
    )  # fmt: skip


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
