"""Feedback on record (反馈情况): for each graded member, the day their approved result reached them, the way
(个别谈话 / 书面通知 / 集体反馈) and who gave it. 基本合格 and 不合格 are given in a 个别谈话.

Recorded after approval by those who run the branch's vote (the secretary, a committee member they named, the
organizer), one member or many at once, all or nothing; read by everyone whose scope holds the branch. The
branch's checklist step 五 is done only when every graded member's feedback is on record (services/progress).
"""

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from models import BranchGrading, FinalGrade, Member
from models.audit import AuditAction
from models.grading import FEEDBACK_WAYS, FeedbackRecord, GradingState
from models.voting import GRADE_LABELS, Grade
from services.campaign.org import branch_unit
from services.campaign.report_freeze import require_unreported
from services.grading.results import grading_of
from services.platform.batch import per_branch
from services.platform.clock import local, now
from services.platform.db import session_scope
from services.platform.errors import InvalidInput, InvalidTransition, NotPermitted
from services.platform.text_input import has_control_characters
from services.staff import audit
from services.staff.access import Actor, may_run_voting, require_unit

TALK = "talk"  # 个别谈话
NEEDS_TALK = (Grade.basically_qualified, Grade.unqualified)
GIVEN_BY_MAX = 40  # characters of who gave the feedback (FeedbackRecord.given_by)
WAY_BY_LABEL = {label: key for key, label in FEEDBACK_WAYS.items()}


@dataclass(frozen=True)
class FeedbackEntry:
    member_id: int
    given_on: date
    way: str  # a FEEDBACK_WAYS key or its label
    given_by: str


@dataclass(frozen=True)
class FeedbackRow:
    """A graded member and the feedback on record for them, if any."""

    member_id: int
    name: str
    grade: str  # a Grade value
    given_on: date | None = None
    way: str | None = None
    given_by: str | None = None

    @property
    def recorded(self) -> bool:
        """On record, and in the way the grade needs (a record made before a regrading may no longer do)."""
        return self.given_on is not None and (self.grade not in NEEDS_TALK or self.way == TALK)

    @property
    def way_label(self) -> str:
        return FEEDBACK_WAYS.get(self.way or "", "")

    def as_json(self) -> dict | None:
        """For `manage.py results --json`: None when nothing is on record."""
        if self.given_on is None:
            return None
        return {"date": self.given_on.isoformat(), "way": self.way_label, "by": self.given_by}


@dataclass(frozen=True)
class BranchFeedback:
    approved: bool  # the grades are approved: feedback can be recorded
    rows: list[FeedbackRow]  # graded members, in roster order

    @property
    def missing(self) -> list[FeedbackRow]:
        return [r for r in self.rows if not r.recorded]


@dataclass(frozen=True)
class Problem:
    index: int  # of the entry
    column: str | None  # the file's column it concerns (姓名 / 日期 / 方式 / 反馈人)
    message: str


class FeedbackRejected(InvalidInput):
    """Feedback refused as a whole, one message per problem, each naming the member; nothing recorded."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = "\n".join(p.message for p in problems)
        super().__init__(f"反馈情况未记录，共 {len(problems)} 处问题：\n{lines}")


def branch_feedback(*, actor: Actor, campaign_id: int, branch_path: str) -> BranchFeedback:
    require_unit(actor, branch_path)
    with session_scope() as session:
        branch = branch_unit(session, campaign_id, branch_path)
        grading = _grading(session, campaign_id, branch.id, lock=False)
        return _branch_feedback(session, grading)


def record_feedback(
    *, actor: Actor, campaign_id: int, branch_path: str, entries: list[FeedbackEntry]
) -> BranchFeedback:
    """Record (or correct) the feedback of one member or many: all of them or, with any problem, none."""
    require_unit(actor, branch_path)
    if not may_run_voting(actor, branch_path):
        raise NotPermitted("没有权限：反馈情况由支部书记（或其指定的支部委员）和组织部记录")
    if not entries:
        raise InvalidInput("请选择要记录反馈情况的党员")
    with session_scope() as session:
        branch = branch_unit(session, campaign_id, branch_path)
        require_unreported(session, campaign_id, branch)  # a reported package stays as it was sent
        grading = _grading(session, campaign_id, branch.id, lock=True)  # no reopening halfway
        if grading is None or grading.state != GradingState.approved:
            raise InvalidTransition("评定格次经上级党组织审批后，才能记录反馈情况")
        graded = {r.member_id: r for r in _branch_feedback(session, grading).rows}
        names = dict(session.exec(select(Member.id, Member.name).where(Member.branch_id == branch.id)).all())
        cleaned = [_cleaned(e) for e in entries]
        if problems := check_feedback(cleaned, graded, names, today=local(now()).date()):
            raise FeedbackRejected(problems)
        ids = [e.member_id for e in cleaned]
        kept = {r.member_id: r for r in session.exec(select(FeedbackRecord).where(FeedbackRecord.member_id.in_(ids)))}
        for e in cleaned:
            record = kept.get(e.member_id) or FeedbackRecord(
                campaign_id=campaign_id, member_id=e.member_id, given_on=e.given_on, way=e.way, given_by=e.given_by,
                recorded_by=actor.username, recorded_at=now(),
            )  # fmt: skip
            record.given_on, record.way, record.given_by = e.given_on, e.way, e.given_by
            record.recorded_by, record.recorded_at = actor.username, now()
            session.add(record)
        audit.record(
            session, actor, AuditAction.feedback_record, campaign_id=campaign_id, target=branch_path,
            detail={"members": len(cleaned)},
        )  # fmt: skip
        session.flush()
        return _branch_feedback(session, grading)


def check_feedback(
    entries: list[FeedbackEntry], graded: dict[int, FeedbackRow], names: dict[int, str], *, today: date
) -> list[Problem]:
    """Every problem at once, each naming the member."""
    problems: list[Problem] = []
    seen: set[int] = set()
    ways = "、".join(FEEDBACK_WAYS.values())
    for i, e in enumerate(entries):
        if e.member_id not in names:
            problems.append(Problem(i, "姓名", f"编号 {e.member_id} 的党员不在本支部"))
            continue
        name = names[e.member_id]
        if e.member_id not in graded:
            problems.append(Problem(i, "姓名", f"{name}没有评定格次（预备党员或未参加评议），不记录反馈"))
            continue
        if e.member_id in seen:
            problems.append(Problem(i, "姓名", f"{name}：填了两次"))
            continue
        seen.add(e.member_id)
        if not isinstance(e.given_on, date):
            problems.append(Problem(i, "日期", f"{name}：请填写反馈日期"))
        elif e.given_on > today:
            problems.append(Problem(i, "日期", f"{name}：反馈日期 {e.given_on} 晚于今天"))
        if e.way not in FEEDBACK_WAYS:
            problems.append(Problem(i, "方式", f"{name}：反馈方式“{e.way or ''}”不对，可选：{ways}"))
        elif graded[e.member_id].grade in NEEDS_TALK and e.way != TALK:
            grade = GRADE_LABELS[graded[e.member_id].grade]
            problems.append(
                Problem(i, "方式", f"{name}评定为“{grade}”，须个别谈话反馈，不能用“{FEEDBACK_WAYS[e.way]}”")
            )
        if not e.given_by:
            problems.append(Problem(i, "反馈人", f"{name}：请填写反馈人"))
        elif len(e.given_by) > GIVEN_BY_MAX:
            problems.append(Problem(i, "反馈人", f"{name}：反馈人过长（{len(e.given_by)} 字，最多 {GIVEN_BY_MAX} 字）"))
        elif has_control_characters(e.given_by):
            problems.append(Problem(i, "反馈人", f"{name}：反馈人中有无法显示的控制字符（如 NUL），请删去"))
    return problems


def _cleaned(entry: FeedbackEntry) -> FeedbackEntry:
    way = (entry.way or "").strip()
    return FeedbackEntry(entry.member_id, entry.given_on, WAY_BY_LABEL.get(way, way), (entry.given_by or "").strip())


def _grading(session: Session, campaign_id: int, branch_id: int, *, lock: bool) -> BranchGrading | None:
    if not lock:
        return grading_of(session, campaign_id, branch_id)
    query = select(BranchGrading).where(BranchGrading.campaign_id == campaign_id, BranchGrading.branch_id == branch_id)
    return session.exec(query.with_for_update()).first()


def _branch_feedback(session: Session, grading: BranchGrading | None) -> BranchFeedback:
    if grading is None:
        return BranchFeedback(approved=False, rows=[])
    rows = per_branch(
        ("feedback", grading.campaign_id),
        grading.branch_id,
        lambda ids: session.exec(
            select(Member.id, Member.name, FinalGrade.grade, FeedbackRecord, BranchGrading.branch_id)
            .join(FinalGrade, FinalGrade.member_id == Member.id)
            .join(BranchGrading, BranchGrading.id == FinalGrade.grading_id)
            .outerjoin(FeedbackRecord, FeedbackRecord.member_id == Member.id)
            .where(
                BranchGrading.campaign_id == grading.campaign_id,
                BranchGrading.branch_id.in_(ids),
                FinalGrade.grade.is_not(None),
            )
            .order_by(BranchGrading.branch_id, Member.roster_order)
        ),
        lambda row: row[-1],
    )
    return BranchFeedback(
        approved=grading.state == GradingState.approved,
        rows=[
            FeedbackRow(m, name, grade, *((r.given_on, r.way, r.given_by) if r else ()))
            for m, name, grade, r, _ in rows
        ],
    )
