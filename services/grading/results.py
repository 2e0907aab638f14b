"""A closed branch's results: per full member the votes, shares and suggested grade, beside the final
grade the branch set and where its approval stands. Read-only; grading.py changes the grades."""

from dataclasses import dataclass, field

from sqlalchemy import and_
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from models import BranchGrading, Campaign, FinalGrade, Member, OrgKind, OrgUnit
from models.grading import GradingState, GradingStep
from models.voting import GRADE_LABELS, Grade
from services.ballot import counting
from services.campaign.cap import ExcellentCap, excellent_cap
from services.campaign.members import NotTakingPart, branch_members, takes_part
from services.campaign.org import branch_unit
from services.grading.suggestion import TIE_RULE, Suggestion, suggest
from services.platform.batch import per_branch, table_rows
from services.platform.db import session_scope
from services.staff.access import Actor

TURNOUT_FLOOR = 0.95  # below it the page says so: the notice expects (nearly) everyone to take part
FEW_BALLOTS = 5  # with fewer valid ballots, counts can reveal how individuals voted


@dataclass(frozen=True)
class FinalEntry:
    grade: str | None = None
    reason: str | None = None
    disposition: str | None = None
    disposition_note: str | None = None
    feedback_note: str | None = None


LOW = (Grade.basically_qualified, Grade.unqualified)


@dataclass(frozen=True)
class MemberResult:
    member_id: int
    name: str
    year: int  # the campaign's
    counts: dict[str, int]  # Grade value -> valid votes
    suggestion: Suggestion
    final: FinalEntry = FinalEntry()
    earlier: tuple[tuple[int, str], ...] = ()  # (year, final grade) of the two latest earlier years, newest first

    @property
    def previous(self) -> tuple[int, str] | None:
        """(year, final grade) in the latest earlier campaign."""
        return self.earlier[0] if self.earlier else None

    @property
    def earlier_text(self) -> str:
        """“2025年合格、2024年优秀”: the grades beside this year's suggestion."""
        return "、".join(f"{y}年{GRADE_LABELS[Grade(g)]}" for y, g in self.earlier)

    @property
    def low_two_years(self) -> bool:
        """基本合格 or 不合格 last year and again this year (as graded, or else as suggested)."""
        now = self.final.grade or self.suggestion.grade
        return bool(self.previous and self.previous[1] in LOW and now in LOW and self.previous[0] == self.year - 1)

    @property
    def valid(self) -> int:
        return sum(self.counts.values())

    def share(self, grade: str) -> float:
        return self.counts.get(grade, 0) / self.valid if self.valid else 0.0


@dataclass(frozen=True)
class Step:
    at: object
    actor_name: str
    action: str
    comment: str | None


@dataclass(frozen=True)
class BranchResults:
    campaign_id: int
    campaign_title: str
    branch_path: str
    branch_name: str
    under_general_branch: bool
    voters: int  # members who vote (应参加测评): full and probationary, those not taking part left out
    online: int
    paper: int  # valid paper ballots
    invalid: int  # 废票
    rows: list[MemberResult]
    probationary: list[tuple[int, str]]  # (member id, name): take part in the vote, are not graded
    cap: int  # how many may be 优秀
    cap_fraction: tuple[int, int]
    branch_committee: dict[str, int]
    report: dict[str, int]
    opinions: list[str]
    state: str = GradingState.not_started
    submitted_by: str | None = None
    history: list[Step] = field(default_factory=list)
    # The cap with its base (services/campaign/cap.py), and the members marked 未参加评议, with their reasons:
    # not among rows, probationary or voters, not in the cap's base, not graded.
    excellent: ExcellentCap | None = None
    not_taking_part: list[NotTakingPart] = field(default_factory=list)

    @property
    def valid(self) -> int:
        return self.online + self.paper

    @property
    def received(self) -> int:
        return self.valid + self.invalid

    @property
    def turnout(self) -> float:
        return self.received / self.voters if self.voters else 0.0

    @property
    def low_turnout(self) -> bool:
        return self.turnout < TURNOUT_FLOOR

    @property
    def few_ballots(self) -> bool:
        return self.valid < FEW_BALLOTS

    def row(self, member_id: int) -> MemberResult | None:
        return next((r for r in self.rows if r.member_id == member_id), None)


def branch_results(*, actor: Actor, campaign_id: int, branch_path: str) -> BranchResults:
    """Readable, like the tally it rests on, once the branch's voting has ended."""
    tally = counting.tally(actor=actor, campaign_id=campaign_id, branch_path=branch_path)
    with session_scope() as session:
        campaign = session.get(Campaign, campaign_id)
        branch = branch_unit(session, campaign_id, branch_path)
        parent = session.get(OrgUnit, branch.parent_id) if branch.parent_id else None
        members = branch_members(session, branch.id)
        grading = grading_of(session, campaign_id, branch.id)
        finals, history = {}, []
        if grading is not None:
            finals = {
                f.member_id: FinalEntry(f.grade, f.reason, f.disposition, f.disposition_note, f.feedback_note)
                for _, f in _of_gradings(session, FinalGrade, campaign_id, branch.id)
            }
            history = [
                Step(s.at, s.actor_name, s.action, s.comment)
                for _, s in _of_gradings(session, GradingStep, campaign_id, branch.id)
            ]
        taking = [m for m in members if takes_part(m)]
        full = [m for m in taking if m.category == "full"]
        cap = excellent_cap(campaign, members)
        counts = {m: c for m, _, c in tally.rows}
        earlier = _earlier_grades(session, campaign.year, branch, full)
        suggestions = suggest([(m.id, counts.get(m.id, {g.value: 0 for g in Grade})) for m in full], cap.limit)
        return BranchResults(
            campaign_id=campaign_id,
            campaign_title=campaign.title,
            branch_path=branch_path,
            branch_name=branch.name,
            under_general_branch=parent is not None and parent.kind == OrgKind.general_branch,
            voters=len(taking),
            online=tally.online,
            paper=tally.paper,
            invalid=tally.invalid,
            rows=[
                MemberResult(
                    m.id,
                    m.name,
                    campaign.year,
                    counts.get(m.id, {}),
                    suggestions[m.id],
                    finals.get(m.id, FinalEntry()),
                    earlier.get(m.id, ()),
                )
                for m in full
            ],
            probationary=[(m.id, m.name) for m in taking if m.category != "full"],
            cap=cap.limit,
            cap_fraction=(campaign.excellent_cap_num, campaign.excellent_cap_den),
            branch_committee=tally.branch_committee,
            report=tally.report,
            opinions=tally.opinions,
            state=grading.state if grading else GradingState.not_started,
            submitted_by=grading.submitted_by if grading else None,
            history=history,
            excellent=cap,
            not_taking_part=[
                NotTakingPart(m.id, m.name, m.category, m.not_taking_part, m.not_taking_part_note)
                for m in members
                if not takes_part(m)
            ],
        )


def grading_of(session: Session, campaign_id: int, branch_id: int) -> BranchGrading | None:
    """The branch's grading, if begun (read with the other branches' inside batch.many_branches)."""
    found = table_rows(session, BranchGrading, campaign_id, branch_id)
    return found[0] if found else None


def _of_gradings(session: Session, table, campaign_id: int, branch_id: int) -> list:
    """(branch id, row) of `table` (FinalGrade, GradingStep) under the branch's grading, in the order written."""
    return per_branch(
        (table.__name__, campaign_id),
        branch_id,
        lambda ids: session.exec(
            select(BranchGrading.branch_id, table)
            .join(BranchGrading, BranchGrading.id == table.grading_id)
            .where(BranchGrading.campaign_id == campaign_id, BranchGrading.branch_id.in_(ids))
            .order_by(BranchGrading.branch_id, table.id)
        ),
        lambda row: row[0],
    )


def as_dict(found: BranchResults) -> dict:
    """Plain JSON-ready values (for scripts: `manage.py results --json`)."""
    return {
        "branch": found.branch_path,
        "state": found.state,
        "voters": found.voters,
        "online": found.online,
        "paper": found.paper,
        "invalid": found.invalid,
        "turnout": round(found.turnout, 4),
        "cap": found.cap,
        **_cap_dict(found),
        "members": [
            {
                "name": r.name,
                "counts": r.counts,
                "suggested": r.suggestion.grade,
                "earlier": [{"year": y, "grade": g} for y, g in r.earlier],
                "flags": r.suggestion.flags,
                "final": r.final.grade,
                "reason": r.final.reason,
                "disposition": r.final.disposition,
                "disposition_note": r.final.disposition_note,
                "takes_part": True,
            }
            for r in found.rows
        ]
        + [_absent_dict(a) for a in found.not_taking_part],
        "probationary": [name for _, name in found.probationary],
        "history": [
            {"at": s.at.isoformat(), "by": s.actor_name, "action": s.action, "comment": s.comment}
            for s in found.history
        ],
    }


def _cap_dict(found: BranchResults) -> dict:
    cap = found.excellent
    if cap is None:
        return {}
    return {"cap_base": cap.base_kind, "cap_base_label": cap.base_label, "cap_base_count": cap.base,
            "cap_rule": cap.rule, "tie_rule": TIE_RULE}  # fmt: skip


def _absent_dict(absent: NotTakingPart) -> dict:
    """A member marked 未参加评议, in the shape of the graded members' entries."""
    return {
        "name": absent.name, "counts": {}, "suggested": None, "flags": [], "final": None, "reason": None,
        "disposition": None, "disposition_note": None, "takes_part": False,
        "not_taking_part": absent.reason, "not_taking_part_reason": absent.reason_text,
    }  # fmt: skip


def _earlier_grades(session: Session, year: int, branch: OrgUnit, members: list[Member]) -> dict[int, tuple]:
    """Each member's approved final grades in the two latest earlier years, newest first, as ((year, grade), …):
    the same person by 身份证号/工号 where both years have one, else the same name in the same branch."""
    earlier = per_branch(("earlier grades", year), branch.id, lambda ids: _earlier_rows(session, year, ids))
    branch_path = branch.path
    by_person: dict[str, dict[int, str]] = {}
    by_name: dict[str, dict[int, tuple[str, str | None]]] = {}
    for _, name, pid, path, grade, y in earlier:  # newest first: a year's first grade stands
        if pid:
            by_person.setdefault(pid, {}).setdefault(y, grade)
        if path == branch_path:
            by_name.setdefault(name, {}).setdefault(y, (grade, pid))
    found = {}
    for m in members:
        if m.person_id and m.person_id in by_person:
            years = by_person[m.person_id]
        elif m.name in by_name:  # two ids: two people
            years = {y: g for y, (g, pid) in by_name[m.name].items() if not (m.person_id and pid)}
        else:
            continue
        if years:
            found[m.id] = tuple(sorted(years.items(), reverse=True)[:2])
    return found


def _earlier_rows(session: Session, year: int, branch_ids) -> list:
    """(branch id, name, person id, path, grade, year) of the approved grades of years before `year` that may be
    those of the members of these branches, each branch's newest first: by the same 身份证号/工号, or by the
    same name in a branch of the same path. One query for a batch of branches (batch.per_branch), where one
    for each branch read through every earlier member by name."""
    current, current_unit = aliased(Member), aliased(OrgUnit)
    graded = (
        select(current.branch_id, Member.name, Member.person_id, OrgUnit.path, FinalGrade.grade, Campaign.year)
        .join(FinalGrade, FinalGrade.member_id == Member.id)
        .join(BranchGrading, BranchGrading.id == FinalGrade.grading_id)
        .join(OrgUnit, OrgUnit.id == Member.branch_id)
        .join(Campaign, Campaign.id == Member.campaign_id)
        .where(Campaign.year < year, BranchGrading.state == GradingState.approved, FinalGrade.grade.is_not(None))
    )
    by_person = graded.join(current, current.person_id == Member.person_id).where(current.branch_id.in_(branch_ids))
    by_place = (
        graded.join(current, current.name == Member.name)
        .join(current_unit, and_(current_unit.id == current.branch_id, current_unit.path == OrgUnit.path))
        .where(current.branch_id.in_(branch_ids))
    )
    found = [*session.exec(by_person).all(), *session.exec(by_place).all()]
    return sorted(found, key=lambda row: (row[0], -row[5]))  # stable: a person's rows before a name's
