"""The branch's checklist (本支部工作进度): the notice's six steps, each not started, in progress or
done, with what is still missing — for one branch in full, or as a count for every branch at once."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func
from sqlmodel import Session, select

from models import (
    BranchGrading,
    BranchVoting,
    Commitment,
    MeetingRecord,
    Member,
    Opinion,
    OrgKind,
    OrgUnit,
    ProblemItem,
    Publicity,
    RectificationItem,
    StudyAbsence,
    StudySession,
    TalkCount,
)
from models.grading import GradingState
from models.meeting import OpinionState
from services.access import Actor
from services.branch_records import branch_to_read
from services.clock import local, now
from services.db import session_scope

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
    rectifications: int = 0
    published: bool = False
    commitments: int = 0


def branch_checklist(*, actor: Actor, campaign_id: int, branch_path: str) -> list[Step]:
    with session_scope() as session:
        branch = branch_to_read(session, actor, campaign_id, branch_path)
        facts = _facts(session, campaign_id, [branch.id])[branch.id]
    return _steps(facts)


def steps_done(session: Session, campaign_id: int) -> dict[int, int]:
    """Branch id -> how many of the six steps are done, for every branch of the campaign."""
    branch_ids = session.exec(
        select(OrgUnit.id).where(OrgUnit.campaign_id == campaign_id, OrgUnit.kind == OrgKind.branch)
    ).all()
    facts = _facts(session, campaign_id, branch_ids)
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


def _facts(session: Session, campaign_id: int, branch_ids: list[int]) -> dict[int, _Facts]:
    """A handful of grouped queries for any number of branches."""
    facts = defaultdict(_Facts)
    ids = list(branch_ids)

    def counts(column, *where) -> Counter:
        rows = session.exec(select(column, func.count()).where(column.in_(ids), *where).group_by(column)).all()
        return Counter(dict(rows))

    for b, n in counts(Member.branch_id).items():
        facts[b].members = n
    for b, n in counts(StudySession.branch_id, StudySession.campaign_id == campaign_id).items():
        facts[b].study_sessions = n
    not_sent = session.exec(
        select(StudySession.branch_id, func.count())
        .join(StudyAbsence, StudyAbsence.session_id == StudySession.id)
        .where(
            StudySession.campaign_id == campaign_id,
            StudySession.branch_id.in_(ids),
            StudyAbsence.materials_sent.is_(False),
        )
        .group_by(StudySession.branch_id)
    ).all()
    for b, n in not_sent:
        facts[b].not_sent = n
    for b, n in session.exec(
        select(TalkCount.branch_id, func.sum(TalkCount.count))
        .where(TalkCount.campaign_id == campaign_id, TalkCount.branch_id.in_(ids))
        .group_by(TalkCount.branch_id)
    ).all():
        facts[b].talks = int(n or 0)
    for b, n in counts(
        Opinion.branch_id, Opinion.campaign_id == campaign_id, Opinion.state == OpinionState.new
    ).items():
        facts[b].opinions_open = n
    for b, n in counts(ProblemItem.branch_id, ProblemItem.campaign_id == campaign_id).items():
        facts[b].problems = n
    for b, n in counts(RectificationItem.branch_id, RectificationItem.campaign_id == campaign_id).items():
        facts[b].rectifications = n
    for row in session.exec(
        select(MeetingRecord).where(MeetingRecord.campaign_id == campaign_id, MeetingRecord.branch_id.in_(ids))
    ):
        facts[row.branch_id].meeting = (row.held_on, row.report_given, row.criticism_held, row.evaluation_held)
    for b, closed in session.exec(
        select(BranchVoting.branch_id, BranchVoting.closed_at).where(
            BranchVoting.campaign_id == campaign_id, BranchVoting.branch_id.in_(ids)
        )
    ).all():
        facts[b].voting = "closed" if closed else "open"
    for b, state in session.exec(
        select(BranchGrading.branch_id, BranchGrading.state).where(
            BranchGrading.campaign_id == campaign_id, BranchGrading.branch_id.in_(ids)
        )
    ).all():
        facts[b].grading = state
    for b in session.exec(
        select(Publicity.branch_id).where(Publicity.campaign_id == campaign_id, Publicity.branch_id.in_(ids))
    ).all():
        facts[b].published = True
    for b, n in session.exec(
        select(Member.branch_id, func.count())
        .join(Commitment, Commitment.member_id == Member.id)
        .where(Member.branch_id.in_(ids))
        .group_by(Member.branch_id)
    ).all():
        facts[b].commitments = n
    return {b: facts[b] for b in ids}
