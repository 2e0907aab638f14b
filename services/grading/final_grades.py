"""Final grades (评定格次) and their approval (报上级党组织审批).

The branch (its secretary or a committee member they named) saves grades as a draft as often as
needed, then submits them; the upper organization approves or returns them with a comment. Approved
grades are locked until the organizer reopens them with a reason. Every rule of the notice is here:
the 优秀 cap, no grade for probationary members, a reason where the grade differs from the
suggestion, a disposition and a note for 不合格, everyone graded before submitting.
"""

from dataclasses import dataclass

from sqlmodel import Session, select

from models import BranchGrading, FinalGrade, Member, OrgKind, OrgUnit
from models.audit import AuditAction
from models.grading import FEEDBACK_NOTE_MAX, GRADING_LABELS, REASON_MAX, GradingAction, GradingState, GradingStep
from models.voting import GRADE_LABELS, Grade
from services.campaign.org import branch_unit
from services.campaign.report_freeze import require_unreported
from services.grading import taking_part
from services.grading.disposition_rules import disposition_problem, sheet_problems
from services.grading.results import BranchResults, MemberResult, branch_results
from services.grading.results_sheet import ABSENT_COLUMN, read_grades
from services.platform.clock import now
from services.platform.db import session_scope
from services.platform.errors import ImportRejected, InvalidInput, InvalidTransition, NotPermitted, RowError
from services.platform.text_input import require_plain
from services.staff import audit
from services.staff.access import Actor, approves_anything, may_approve_grades, may_grade, require_organizer

EDITABLE = (GradingState.not_started, GradingState.draft, GradingState.returned)


@dataclass(frozen=True)
class GradeEntry:
    member_id: int
    grade: str | None  # a Grade value, or None: not graded yet
    reason: str | None = None
    disposition: str | None = None
    disposition_note: str | None = None
    feedback_note: str | None = None


class GradesRejected(InvalidInput):
    """Grades refused as a whole, one message per problem, each naming the member; nothing saved (at
    submission: nothing submitted)."""

    def __init__(self, problems: list[str], *, what: str = "保存"):
        self.problems = problems
        super().__init__("评定格次未{}，共 {} 处问题：\n{}".format(what, len(problems), "\n".join(problems)))


def storable(results: BranchResults, entries: list[GradeEntry]) -> tuple[list[str], list[tuple]]:
    """What a draft refuses — only what cannot be stored as anyone's grade: a member not of this branch, a
    probationary member, a member marked 未参加评议, one member twice, an unknown grade or 组织处置 word, text
    too long or with control characters. Returns those problems and the entries fit to keep, each with its row; an
    entry for a member not taking part that holds nothing is left out without a word."""
    problems: list[str] = []
    fit: list[tuple[GradeEntry, MemberResult]] = []
    probationary = dict(results.probationary)
    absent = {a.member_id: a for a in results.not_taking_part}
    seen: set[int] = set()
    for entry in entries:
        row = results.row(entry.member_id)
        if entry.member_id in absent:
            if any((entry.grade, entry.reason, entry.disposition, entry.disposition_note, entry.feedback_note)):
                who = absent[entry.member_id]
                problems.append(f"{who.name}已标记为未参加评议（{who.reason_text}），不评定格次")
            continue
        if entry.member_id in probationary:
            problems.append(f"{probationary[entry.member_id]}是预备党员：预备党员参加民主评议，但不评定等次")
            continue
        if row is None:
            problems.append(f"编号 {entry.member_id} 的党员不是本支部的正式党员，不能评定格次")
            continue
        if entry.member_id in seen:
            problems.append(f"{row.name}：填了两次")
            continue
        seen.add(entry.member_id)
        if entry.grade is not None and entry.grade not in GRADE_LABELS:
            problems.append(f"{row.name}：“{entry.grade}”不是评定格次，可选：{'、'.join(GRADE_LABELS.values())}")
            continue
        if entry.disposition and (unknown := disposition_problem(row.name, entry.disposition, submitting=False)):
            problems.append(unknown)  # only the three kinds (and 待重新确定, kept in a draft) can be stored
            continue
        found = len(problems)
        for text, limit, what in (
            (entry.reason, REASON_MAX, "理由"),
            (entry.disposition_note, REASON_MAX, "处置说明"),
            (entry.feedback_note, FEEDBACK_NOTE_MAX, "给本人的话"),
        ):
            if text and len(text) > limit:
                problems.append(f"{row.name}：{what}过长（{len(text)} 字，最多 {limit} 字）")
            elif text:
                try:
                    require_plain(text, f"{row.name}的{what}")
                except InvalidInput as bad:
                    problems.append(str(bad))
        if len(problems) == found:
            fit.append((entry, row))
    return problems, fit


def check_grades(results: BranchResults, entries: list[GradeEntry], *, complete: bool = False) -> list[str]:
    """Every problem at once, each naming the member: what cannot be stored (storable), then the rules — the
    cap, a reason where the grade differs from the suggestion, 组织处置 and its note for 不合格. `complete`: also
    require every full member taking part graded. Applied at submission; a draft saves whatever is entered."""
    problems, fit = storable(results, entries)
    for entry, row in fit:
        if entry.grade is None:
            if any((entry.reason, entry.disposition, entry.disposition_note)):
                problems.append(f"{row.name}：填了理由或处置，却没有评定格次")
            continue
        suggested = row.suggestion.grade
        if suggested is not None and entry.grade != suggested and not (entry.reason or "").strip():
            problems.append(
                f"{row.name}：评定为“{GRADE_LABELS[entry.grade]}”，与建议格次“{GRADE_LABELS[suggested]}”不同，请填写理由"
            )
        if entry.grade == Grade.unqualified:
            if problem := disposition_problem(row.name, entry.disposition, submitting=complete):
                problems.append(problem)
            if not (entry.disposition_note or "").strip():
                problems.append(f"{row.name}：评定为“不合格”，须填写处置说明")
        elif entry.disposition or entry.disposition_note:
            problems.append(f"{row.name}：只有评定为“不合格”的党员才有组织处置")
    chosen = {e.member_id for e in entries if e.grade == Grade.excellent}
    excellent = [r.name for r in results.rows if r.member_id in chosen]  # in roster order
    if len(excellent) > results.cap:  # the one cap (services/campaign/cap.py), with its base
        basis = results.excellent.basis if results.excellent else f"正式党员 {len(results.rows)} 人"
        problems.append(
            f"评为“优秀”的有 {len(excellent)} 人（{'、'.join(excellent)}），超过上限 {results.cap} 人"
            f"（{basis}，向下取整）"
        )
    if complete:
        graded = {e.member_id for e in entries if e.grade}
        missing = [r.name for r in results.rows if r.member_id not in graded]
        if missing:
            problems.append(f"还有 {len(missing)} 名正式党员未评定格次：{'、'.join(missing)}")
    return problems


def save_grades(*, actor: Actor, campaign_id: int, branch_path: str, entries: list[GradeEntry]) -> BranchResults:
    """Save the branch's draft, whatever it holds (保存草稿): the rules are checked at submission, and
    submission_problems says beforehand what would stop it. Refused, all of it, only for what cannot be
    stored at all (storable); members not in this call keep what was saved for them."""
    results = _results_to_grade(actor, campaign_id, branch_path)
    _require_state(results, EDITABLE, "保存评定格次")  # checked again under the lock below
    with session_scope() as session:
        _save(session, actor, results, entries)
    return branch_results(actor=actor, campaign_id=campaign_id, branch_path=branch_path)


def submission_problems(results: BranchResults) -> list[str]:
    """Everything that stops the saved grades from being submitted, each naming the member (none: ready)."""
    return check_grades(results, [_saved(r) for r in results.rows], complete=True)


def _save(session: Session, actor: Actor, results: BranchResults, entries: list[GradeEntry]) -> None:
    problems, fit = storable(results, [_cleaned(e) for e in entries])
    if problems:
        raise GradesRejected(problems)
    entries = [entry for entry, _ in fit]
    campaign_id, branch_path = results.campaign_id, results.branch_path
    grading = _grading(session, results, create=True)
    _require_state(grading, EDITABLE, "保存评定格次")
    finals = {f.member_id: f for f in session.exec(select(FinalGrade).where(FinalGrade.grading_id == grading.id))}
    for entry in entries:
        final = finals.get(entry.member_id) or FinalGrade(grading_id=grading.id, member_id=entry.member_id)
        for name in ("grade", "reason", "disposition", "disposition_note", "feedback_note"):
            setattr(final, name, getattr(entry, name))
        session.add(final)
    if grading.state == GradingState.not_started:
        grading.state = GradingState.draft
    _step(session, actor, grading, GradingAction.save, None)
    audit.record(
        session, actor, AuditAction.grades_save, campaign_id=campaign_id, target=branch_path,
        detail={"graded": sum(1 for e in entries if e.grade)},
    )  # fmt: skip


def submit_grades(*, actor: Actor, campaign_id: int, branch_path: str) -> BranchResults:
    """Submit the saved grades, once every rule holds; refused otherwise with every problem, each naming the member."""
    results = _results_to_grade(actor, campaign_id, branch_path)
    if problems := submission_problems(results):
        raise GradesRejected(problems, what="报送审批")
    with session_scope() as session:
        grading = _grading(session, results, create=False)
        _require_state(grading, (GradingState.draft, GradingState.returned), "报送审批")
        grading.state = GradingState.submitted
        grading.submitted_by = actor.username
        _step(session, actor, grading, GradingAction.submit, None)
        audit.record(session, actor, AuditAction.grades_submit, campaign_id=campaign_id, target=branch_path)
    return branch_results(actor=actor, campaign_id=campaign_id, branch_path=branch_path)


def approve_grades(*, actor: Actor, campaign_id: int, branch_path: str, comment: str | None = None) -> BranchResults:
    return _decide(actor, campaign_id, branch_path, GradingAction.approve, comment)


def return_grades(*, actor: Actor, campaign_id: int, branch_path: str, comment: str) -> BranchResults:
    if not (comment or "").strip():
        raise InvalidInput("退回时请写明退回的原因和修改意见")
    return _decide(actor, campaign_id, branch_path, GradingAction.send_back, comment)


def reopen_grades(*, actor: Actor, campaign_id: int, branch_path: str, reason: str) -> BranchResults:
    """Approved grades are locked; only the organizer reopens them, with a reason on record."""
    require_organizer(actor, "重新打开已审批的评定格次")
    reason = _comment(reason)
    if not reason:
        raise InvalidInput("重新打开已审批的评定格次，须写明原因")
    results = branch_results(actor=actor, campaign_id=campaign_id, branch_path=branch_path)
    with session_scope() as session:
        grading = _grading(session, results, create=False)
        _require_state(grading, (GradingState.approved,), "重新打开")
        grading.state = GradingState.draft
        _step(session, actor, grading, GradingAction.reopen, reason)
        audit.record(
            session, actor, AuditAction.grades_reopen, campaign_id=campaign_id, target=branch_path,
            detail={"reason": reason},
        )  # fmt: skip
    return branch_results(actor=actor, campaign_id=campaign_id, branch_path=branch_path)


def _decide(actor: Actor, campaign_id: int, branch_path: str, action: GradingAction, comment: str | None):
    results = branch_results(actor=actor, campaign_id=campaign_id, branch_path=branch_path)
    what = "审批" if action == GradingAction.approve else "退回"
    if not may_approve_grades(actor, branch_path, under_general_branch=results.under_general_branch):
        who = "本支部所在党总支的书记或组织部" if results.under_general_branch else "组织部"
        raise NotPermitted(f"没有权限：只有{who}才能{what}本支部的评定格次")
    comment = _comment(comment)
    with session_scope() as session:
        grading = _grading(session, results, create=False)
        _require_state(grading, (GradingState.submitted,), what)
        if grading.submitted_by == actor.username:
            raise NotPermitted(f"不能{what}自己报送的评定格次：请由上级党组织的其他同志{what}")
        grading.state = GradingState.approved if action == GradingAction.approve else GradingState.returned
        _step(session, actor, grading, action, comment)
        audit.record(
            session, actor,
            AuditAction.grades_approve if action == GradingAction.approve else AuditAction.grades_return,
            campaign_id=campaign_id, target=branch_path, detail={"comment": comment} if comment else None,
        )  # fmt: skip
    return branch_results(actor=actor, campaign_id=campaign_id, branch_path=branch_path)


def _results_to_grade(actor: Actor, campaign_id: int, branch_path: str) -> BranchResults:
    if not may_grade(actor, branch_path):
        raise NotPermitted("没有权限：只有本支部书记、支部委员或组织部可以评定格次")
    return branch_results(actor=actor, campaign_id=campaign_id, branch_path=branch_path)


def _saved(row: MemberResult) -> GradeEntry:
    final = row.final
    return GradeEntry(
        row.member_id, final.grade, final.reason, final.disposition, final.disposition_note, final.feedback_note
    )


def _cleaned(entry: GradeEntry) -> GradeEntry:
    def text(value: str | None) -> str | None:
        return (value or "").strip() or None

    return GradeEntry(
        entry.member_id,
        text(entry.grade),
        text(entry.reason),
        text(entry.disposition),
        text(entry.disposition_note),
        text(entry.feedback_note),
    )


def _comment(comment: str | None) -> str | None:
    comment = (comment or "").strip() or None
    if comment and len(comment) > REASON_MAX:
        raise InvalidInput(f"意见过长（{len(comment)} 字，最多 {REASON_MAX} 字）")
    if comment:
        require_plain(comment, "意见")
    return comment


def _grading(session: Session, results: BranchResults, *, create: bool) -> BranchGrading:
    branch = branch_unit(session, results.campaign_id, results.branch_path)
    require_unreported(session, results.campaign_id, branch)  # a reported package stays as it was sent
    found = session.exec(
        select(BranchGrading)
        .where(BranchGrading.campaign_id == results.campaign_id, BranchGrading.branch_id == branch.id)
        .with_for_update()
    ).first()
    if found is None:
        if not create:
            raise InvalidTransition("本支部还没有评定格次")
        found = BranchGrading(
            campaign_id=results.campaign_id, branch_id=branch.id, state=GradingState.not_started, updated_at=now()
        )
        session.add(found)
        session.flush()
    return found


def _require_state(grading: BranchGrading | BranchResults, allowed: tuple, what: str) -> None:
    if grading.state not in allowed:
        raise InvalidTransition(f"本支部的评定格次现在是“{GRADING_LABELS[GradingState(grading.state)]}”，不能{what}")


def _step(session: Session, actor: Actor, grading: BranchGrading, action: GradingAction, comment: str | None) -> None:
    grading.updated_at = now()
    session.add(grading)
    session.add(
        GradingStep(
            grading_id=grading.id, at=now(), actor=actor.username, actor_name=actor.display_name,
            action=action, comment=comment,
        )
    )  # fmt: skip


def members_by_name(*, campaign_id: int, branch_path: str) -> dict[str, tuple[int, str]]:
    """Name -> (member id, category) in the branch, for files that name members."""
    with session_scope() as session:
        branch = branch_unit(session, campaign_id, branch_path)
        return {m.name: (m.id, m.category) for m in session.exec(select(Member).where(Member.branch_id == branch.id))}


def set_grades_from_file(*, actor: Actor, campaign_id: int, branch_path: str, filename: str, data: bytes):
    """The results sheet filled in (姓名, 评定格次, 理由, 组织处置, 处置说明, 未参加评议原因), saved as the draft,
    whatever it holds, as the page saves it (submission_problems says what would stop a submission): all rows
    or none, each problem with its row. A row with a 未参加评议原因 marks the member as not taking part (and
    leaves them ungraded), in the same transaction; an empty one changes no mark."""
    current = _results_to_grade(actor, campaign_id, branch_path)  # who may, before reading anything
    _require_state(current, EDITABLE, "保存评定格次")
    rows = read_grades(filename, data)
    by_name = members_by_name(campaign_id=campaign_id, branch_path=branch_path)
    unknown = [RowError(r.row, "姓名", f"“{r.name}”不是本支部的党员") for r in rows if r.name not in by_name]
    unknown += sheet_problems(rows)  # 组织处置: the three kinds only
    unknown += [
        RowError(r.row, ABSENT_COLUMN, f"{r.name}：填了未参加评议原因，就不评定格次，请删去其中一项")
        for r in rows
        if r.absent and r.grade and r.name in by_name
    ]
    if unknown:
        raise ImportRejected(unknown)
    keep = {r.member_id: r.final.feedback_note for r in current.rows}  # the sheet has no such column
    entries = [
        GradeEntry(
            by_name[r.name][0], r.grade, r.reason, r.disposition, r.disposition_note, keep.get(by_name[r.name][0])
        )
        for r in rows
        if not r.absent and (r.grade or by_name[r.name][1] == "full")
    ]
    try:
        with session_scope() as session:
            marks = [(r.row, by_name[r.name][0], *r.absent) for r in rows if r.absent]
            taking_part.mark_rows(session, actor, current.campaign_id, branch_path, marks, column=ABSENT_COLUMN)
            _save(session, actor, current, entries)
        return branch_results(actor=actor, campaign_id=campaign_id, branch_path=branch_path)
    except GradesRejected as refused:
        names = sorted(rows, key=lambda r: -len(r.name))  # 王芳芳 before 王芳

        def row_of(problem: str) -> int | None:
            return next((r.row for r in names if problem.startswith((f"{r.name}：", f"{r.name}是"))), None)

        raise ImportRejected([RowError(row_of(p), None, p) for p in refused.problems]) from None


def awaiting_approval(*, actor: Actor) -> list[str]:
    """Branch paths whose grades wait for this actor's approval, in every open or closed campaign."""
    if not approves_anything(actor):
        return []
    with session_scope() as session:
        rows = session.exec(
            select(OrgUnit.path, BranchGrading.submitted_by, OrgUnit.parent_id)
            .join(OrgUnit, OrgUnit.id == BranchGrading.branch_id)
            .where(BranchGrading.state == GradingState.submitted)
        ).all()
        parents = {
            u.id: u.kind for u in session.exec(select(OrgUnit).where(OrgUnit.id.in_({r[2] for r in rows if r[2]})))
        }
    return [
        path
        for path, submitted_by, parent_id in rows
        if submitted_by != actor.username
        and may_approve_grades(actor, path, under_general_branch=parents.get(parent_id) == OrgKind.general_branch)
    ]
