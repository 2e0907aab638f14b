"""The branch's checklist (本支部工作进度): the notice's six steps, each not started, in progress or
done, with what is still missing — for one branch in full, or as a count for every branch at once."""

from dataclasses import dataclass, field

from sqlalchemy import and_, bindparam, func, or_
from sqlmodel import Session, select

from models import (
    BranchGrading,
    BranchVoting,
    Commitment,
    FinalGrade,
    MeetingRecord,
    Member,
    Opinion,
    ProblemItem,
    Publicity,
    RectificationItem,
    StudyAbsence,
    StudySession,
    TalkCount,
)
from models.grading import FeedbackRecord, GradingState
from models.meeting import OpinionState
from services.ballot.voting_lookup import MEMBERS
from services.campaign.org import branch_ids
from services.meeting.branch_records import branch_to_read
from services.platform.clock import local, now
from services.platform.db import session_scope
from services.platform.errors import NotFound
from services.staff.access import Actor, require_unit

NOT_STARTED, IN_PROGRESS, DONE = "not_started", "in_progress", "done"
STATE_LABELS = {NOT_STARTED: "未开始", IN_PROGRESS: "进行中", DONE: "已完成"}
# (title, the dashboard page that does it)
STEPS = [
    ("一、集中学习", "study"),
    ("二、谈心谈话、征求意见", "talks"),
    ("三、查摆问题（问题清单）", "problems"),
    ("四、召开组织生活会", "meeting"),
    ("五、民主评议党员", "results"),
    ("六、整改落实（整改清单、承诺、公示）", "rectification"),
]


@dataclass(frozen=True)
class Step:
    title: str
    page: str
    state: str
    missing: list[str] = field(default_factory=list)

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


@dataclass
class _Facts:
    """What the steps are judged on, for one branch."""

    members: int = 0
    study_sessions: int = 0
    not_sent: int = 0
    talks: int = 0
    opinions_open: int = 0
    problems: int = 0
    meeting: tuple | None = None  # (held_on, report_given, criticism_held, evaluation_held)
    voting: str | None = None  # None | open | closed
    grading: str | None = None
    feedback_missing: int = 0  # graded members without feedback on record (in the way the grade needs)
    rectifications: int = 0
    published: bool = False
    commitments: int = 0


def branch_checklist(*, actor: Actor, campaign_id: int, branch_path: str) -> list[Step]:
    with session_scope() as session:
        branch = branch_to_read(session, actor, campaign_id, branch_path)
        facts = _facts(session, campaign_id, [branch.id])[branch.id]
    return _steps(facts)


def branch_checklists(*, actor: Actor, campaign_id: int, branch_paths: list[str]) -> dict[str, list[Step]]:
    """Many branches' checklists at once, for the filing package: a dozen queries over the campaign instead
    of a dozen for each branch. Every path must lie in the actor's scope."""
    for path in branch_paths:
        require_unit(actor, path)
    with session_scope() as session:
        ids = branch_ids(session, campaign_id)
        if missing := [p for p in branch_paths if p not in ids]:
            raise NotFound(f"该活动中没有党支部“{missing[0]}”")
        facts = _facts(session, campaign_id, [ids[p] for p in branch_paths])
    return {path: _steps(facts[ids[path]]) for path in branch_paths}


def steps_done(session: Session, campaign_id: int, members: dict[int, int]) -> dict[int, int]:
    """Branch id -> how many of the six steps are done, for the branches of `members` (branch id ->
    members, which the caller has counted already)."""
    facts = _facts(session, campaign_id, list(members), members=members)
    return {b: sum(1 for s in _steps(f) if s.state == DONE) for b, f in facts.items()}


def _steps(f: _Facts) -> list[Step]:
    today = local(now()).date()
    judged = []
    study_missing = [] if f.study_sessions else ["尚未记录集中学习"]
    if f.not_sent:
        study_missing.append(f"{f.not_sent} 人次缺席学习，尚未送学")
    judged.append((study_missing, f.study_sessions > 0))
    talk_missing = [] if f.talks else ["尚未记录谈心谈话"]
    if f.opinions_open:
        talk_missing.append(f"{f.opinions_open} 条群众意见尚未处理")
    judged.append((talk_missing, f.talks > 0 or f.opinions_open > 0))
    judged.append(([] if f.problems else ["问题清单还是空的"], False))
    meeting_missing = []
    if f.meeting is None:
        meeting_missing.append("尚未记录组织生活会")
    else:
        held_on, report, criticism, evaluation = f.meeting
        if held_on > today:
            meeting_missing.append(f"会议日期 {held_on} 还未到")
        meeting_missing += [what for what, done in (("书记述职", report), ("批评和自我批评", criticism),
                                                    ("民主评议党员", evaluation)) if not done]  # fmt: skip
    judged.append((meeting_missing, f.meeting is not None))
    vote_missing = []
    if f.voting != "closed":
        vote_missing.append("民主测评尚未开启" if f.voting is None else "民主测评尚未结束")
    if f.grading != GradingState.approved:
        vote_missing.append("评定格次尚未经上级党组织审批")
    elif f.feedback_missing:
        vote_missing.append(f"{f.feedback_missing} 名党员的反馈尚未记录")
    judged.append((vote_missing, f.voting is not None))
    fix_missing = [] if f.rectifications else ["整改清单还是空的"]
    if f.commitments < f.members:
        fix_missing.append(f"{f.members - f.commitments} 名党员尚未填写整改承诺")
    if not f.published:
        fix_missing.append("尚未公示")
    judged.append((fix_missing, f.rectifications > 0 or f.commitments > 0))
    return [
        Step(title, page, DONE if not missing else IN_PROGRESS if begun else NOT_STARTED, missing)
        for (title, page), (missing, begun) in zip(STEPS, judged, strict=True)
    ]


_CAMPAIGN = bindparam("campaign_id")


def _grouped(table, value, *where):
    return select(table.branch_id, value).where(table.campaign_id == _CAMPAIGN, *where).group_by(table.branch_id)


# Built once (the progress page runs them every few seconds for every open dashboard): (field, statement).
_FACT_QUERIES = [
    ("members", _grouped(Member, func.count())),
    ("study_sessions", _grouped(StudySession, func.count())),
    ("not_sent", select(StudySession.branch_id, func.count())
        .join(StudyAbsence, StudyAbsence.session_id == StudySession.id)
        .where(StudySession.campaign_id == _CAMPAIGN, StudyAbsence.materials_sent.is_(False))
        .group_by(StudySession.branch_id)),
    ("talks", _grouped(TalkCount, func.sum(TalkCount.count))),
    ("opinions_open", _grouped(Opinion, func.count(), Opinion.state == OpinionState.new)),
    ("problems", _grouped(ProblemItem, func.count())),
    ("rectifications", _grouped(RectificationItem, func.count())),
    ("meeting", select(MeetingRecord.branch_id, MeetingRecord.held_on, MeetingRecord.report_given,
                       MeetingRecord.criticism_held, MeetingRecord.evaluation_held)
        .where(MeetingRecord.campaign_id == _CAMPAIGN)),
    ("voting", select(BranchVoting.branch_id, BranchVoting.closed_at)
        .where(BranchVoting.campaign_id == _CAMPAIGN, MEMBERS)),
    ("grading", select(BranchGrading.branch_id, BranchGrading.state).where(BranchGrading.campaign_id == _CAMPAIGN)),
    ("feedback_missing", select(BranchGrading.branch_id, func.count())
        .join(FinalGrade, FinalGrade.grading_id == BranchGrading.id)
        .outerjoin(FeedbackRecord, FeedbackRecord.member_id == FinalGrade.member_id)
        .where(BranchGrading.campaign_id == _CAMPAIGN, FinalGrade.grade.is_not(None),
               or_(FeedbackRecord.id.is_(None),  # none, or not the 个别谈话 that 基本合格 and 不合格 need
                   and_(FinalGrade.grade.in_(("basically_qualified", "unqualified")), FeedbackRecord.way != "talk")))
        .group_by(BranchGrading.branch_id)),
    ("published", select(Publicity.branch_id, Publicity.id).where(Publicity.campaign_id == _CAMPAIGN)),
    ("commitments", select(Member.branch_id, func.count())
        .join(Commitment, Commitment.member_id == Member.id)
        .where(Member.campaign_id == _CAMPAIGN)
        .group_by(Member.branch_id)),
]  # fmt: skip
_AS_FACT = {
    "talks": lambda n: int(n or 0),
    "meeting": lambda *values: tuple(values),
    "voting": lambda closed: "closed" if closed else "open",
    "published": lambda _: True,
}


def _facts(session: Session, campaign_id: int, branch_ids: list[int], *, members: dict[int, int] | None = None):
    """A dozen grouped queries, kept for the branches asked about: over the whole campaign (a list of
    branch ids costs more than the rows it saves, measured at 12 branches of 600), or for one branch
    alone (its checklist must not read the whole campaign: 600 of them make the filing package)."""
    facts = {b: _Facts() for b in branch_ids}
    connection = session.connection()
    one = len(facts) == 1
    for name, statement in _FACT_QUERIES:
        if name == "members" and members is not None:
            rows = list(members.items())
        else:
            if one:  # each statement's first column is the branch
                statement = statement.where(statement.selected_columns[0].in_(list(facts)))
            rows = connection.execute(statement, {"campaign_id": campaign_id}).all()
        convert = _AS_FACT.get(name, lambda value: value)
        for b, *values in rows:
            if b in facts:
                setattr(facts[b], name, convert(*values))
    return facts
