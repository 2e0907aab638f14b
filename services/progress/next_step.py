"""What each role should do next (首页): for a branch, the one next action among the six steps, the vote,
the grades and 报送; for a general branch or the organizer, the reporting units still behind, with the days
left to the campaign's deadline. Judged from the branch's checklist (services/progress/checklist.py), its
vote, its grades and its unit's report."""

from dataclasses import dataclass

from sqlmodel import select

from models import BranchGrading, BranchVoting, Campaign, OrgKind, OrgUnit, UnitReport
from models.grading import GradingState
from models.reporting import FROZEN_STATES, REPORT_LABELS, ReportState
from services.ballot.voting_lookup import MEMBERS
from services.campaign.report_freeze import unit_of
from services.meeting.branch_records import branch_to_read
from services.platform.db import session_scope
from services.platform.errors import NotFound
from services.progress import checklist, overview
from services.staff.access import Actor, may_run_voting

STUDY, TALKS, PROBLEMS, MEETING, EVALUATION, RECTIFICATION = range(6)  # indexes into checklist.STEPS


@dataclass(frozen=True)
class NextStep:
    """The one thing to do now: `label` for the button ("下一步：…"), `page` the dashboard address it opens
    (None while the branch waits for someone else), `why` what to do there, `step` the checklist step it
    belongs to (None for 报送 and after it)."""

    label: str
    page: str | None
    why: str
    step: int | None


@dataclass(frozen=True)
class BranchPlan:
    campaign_id: int
    campaign_title: str
    branch_path: str
    steps: list[checklist.Step]
    next: NextStep
    reporter: str  # who reports the branch's unit: "本支部书记" or "党总支书记"
    report_state: str  # a key of REPORT_LABELS

    @property
    def report_label(self) -> str:
        return REPORT_LABELS[ReportState(self.report_state)]

    @property
    def done(self) -> int:
        return sum(1 for s in self.steps if s.state == checklist.DONE)

    def ordered(self) -> list[tuple[int, checklist.Step]]:
        """The six steps, the current one first, then the others in the notice's order."""
        pairs = list(enumerate(self.steps))
        current = self.next.step
        return sorted(pairs, key=lambda p: (p[0] != current, p[0]))


def branch_plan(*, actor: Actor, campaign_id: int, branch_path: str) -> BranchPlan:
    steps = checklist.branch_checklist(actor=actor, campaign_id=campaign_id, branch_path=branch_path)
    with session_scope() as session:
        branch = branch_to_read(session, actor, campaign_id, branch_path)
        title = session.get(Campaign, campaign_id).title
        voting = session.exec(
            select(BranchVoting.id, BranchVoting.closed_at).where(
                BranchVoting.campaign_id == campaign_id, BranchVoting.branch_id == branch.id, MEMBERS
            )
        ).first()
        grading = session.exec(
            select(BranchGrading.state).where(
                BranchGrading.campaign_id == campaign_id, BranchGrading.branch_id == branch.id
            )
        ).first()
        unit = unit_of(session, branch)
        report = session.exec(
            select(UnitReport.state).where(UnitReport.campaign_id == campaign_id, UnitReport.unit_id == unit.id)
        ).first()
    vote = None if voting is None else "closed" if voting.closed_at else "open"
    reports_itself = unit.kind == OrgKind.branch
    state = report or ReportState.not_reported
    facts = _Facts(vote, grading or GradingState.not_started, state, reports_itself)
    writer = may_run_voting(actor, branch_path)
    return BranchPlan(
        campaign_id=campaign_id,
        campaign_title=title,
        branch_path=branch_path,
        steps=steps,
        next=_next(steps, facts) if writer else _reader_next(steps),
        reporter="本支部书记" if reports_itself else "党总支书记",
        report_state=state,
    )


@dataclass(frozen=True)
class _Facts:
    vote: str | None  # None | open | closed
    grading: str
    report: str
    reports_itself: bool


def _next(steps: list[checklist.Step], f: _Facts) -> NextStep:
    """The rule, in the order a branch works: study, talks, problems; the vote (held at or beside the meeting);
    the meeting record; the grades and their approval; feedback; rectification; then 报送."""
    undone = [s.state != checklist.DONE for s in steps]
    for index, page, label, why in _EARLY:
        if undone[index]:
            return NextStep(label, page, why, index)
    if f.vote is None:
        return NextStep("下一步：开启民主测评", "voting", _OPEN_VOTE, EVALUATION)
    if f.vote == "open":
        return NextStep("下一步：结束民主测评", "voting", _CLOSE_VOTE, EVALUATION)
    if undone[MEETING]:
        return NextStep("下一步：记录组织生活会", "meeting", _MEETING, MEETING)
    if f.grading in (GradingState.not_started, GradingState.draft):
        return NextStep("下一步：评定格次并报上级审批", "results", _GRADE, EVALUATION)
    if f.grading == GradingState.returned:
        return NextStep("下一步：按退回意见修改评定格次", "results", _RETURNED, EVALUATION)
    waiting = f.grading == GradingState.submitted
    if undone[RECTIFICATION]:
        why = _RECTIFY + ("（评定格次已报上级党组织审批，审批期间可以先做这一步。）" if waiting else "")
        return NextStep("下一步：整改落实", "rectification", why, RECTIFICATION)
    if waiting:
        return NextStep("等待上级党组织审批评定格次", None, _WAITING, EVALUATION)
    if undone[EVALUATION]:  # approved: what is left is the feedback to each member
        return NextStep("下一步：记录反馈情况", "results", _FEEDBACK, EVALUATION)
    if f.report in FROZEN_STATES:
        return NextStep("本年度工作已完成", None, f"备案材料{REPORT_LABELS[ReportState(f.report)]}。", None)
    if not f.reports_itself:
        return NextStep("等待党总支书记报送", None, _GENERAL_REPORTS, None)
    return NextStep("下一步：报送备案材料", "filing", _REPORT, None)


def _reader_next(steps: list[checklist.Step]) -> NextStep:
    """For one who reads the branch but does not keep its records: where it stands, nothing to click."""
    first = next((i for i, s in enumerate(steps) if s.state != checklist.DONE), None)
    if first is None:
        return NextStep("六个步骤均已完成", None, "本支部的六个步骤均已完成。", None)
    return NextStep(f"当前：{steps[first].title}", None, "由支部书记（或其指定的支部委员）填写。", first)


_EARLY = [
    (STUDY, "study", "下一步：记录集中学习", "在“集中学习”记下学习的日期、主题和缺席的党员；缺席的要送学上门。"),
    (TALKS, "talks", "下一步：谈心谈话、征求意见", "在“谈心谈话、征求意见”填写谈话次数，处理收到的群众意见。"),
    (PROBLEMS, "problems", "下一步：查摆问题", "在“问题清单”逐条写下查摆出的问题。"),
]
_OPEN_VOTE = (
    "在“组织测评”开启民主测评，把链接或二维码发给党员（一般在组织生活会上当场扫码投票）。"
    "党员用手机打开链接，逐人选择“优秀、合格、基本合格、不合格”，核对后提交。"
)
_CLOSE_VOTE = "党员投票后，在“组织测评”结束测评。页面上显示已投票和未投票的人数。"
_MEETING = "在“组织生活会记录”填写会议的日期、地点、主持人，勾选会上进行的议程。"
_GRADE = "在“评议结果”查看测评票数和建议格次，确定每名党员的评定格次后报上级党组织审批。"
_RETURNED = "上级党组织退回了评定格次。在“评议结果”查看退回意见，修改后重新报送。"
_RECTIFY = "在“整改落实”填写整改清单，收齐每名党员的整改承诺，并发布公示。"
_WAITING = "评定格次已报上级党组织审批，审批通过后在“评议结果”记录向每名党员反馈的情况。"
_FEEDBACK = "评定格次已审批通过。在“评议结果”记录向每名党员反馈的方式和日期。"
_GENERAL_REPORTS = "本支部六个步骤均已完成。备案材料由党总支书记汇总后报送组织部。"
_REPORT = "六个步骤均已完成。在“报送与备案”检查本支部的备案材料，然后报送组织部。"


@dataclass(frozen=True)
class BranchBehind:
    name: str
    steps_done: int
    vote: str  # a key of overview.STATE_LABELS
    grading: str

    @property
    def vote_label(self) -> str:
        return overview.STATE_LABELS.get(self.vote, self.vote)


@dataclass(frozen=True)
class UnitBehind:
    """A reporting unit (a general branch, or a branch directly under the committee) not yet reported."""

    path: str
    name: str
    report_state: str
    branches: list[BranchBehind]  # every branch of the unit in scope, in roster order

    @property
    def done(self) -> int:
        return sum(1 for b in self.branches if b.steps_done == len(checklist.STEPS))

    @property
    def report_label(self) -> str:
        return REPORT_LABELS[ReportState(self.report_state)]


@dataclass(frozen=True)
class Standing:
    campaign_id: int
    campaign_title: str
    deadline_text: str  # "截止日期 2027-03-20，还有 30 天" or "已过截止日期 3 天"
    days_left: int
    behind: list[UnitBehind]  # units not reported (or returned), the least done first
    reported: int  # units already reported or received
    approvals: int  # branches whose grades wait for approval (submitted)


def units_behind(*, actor: Actor, campaign_id: int) -> Standing:
    """The reporting units within the actor's scope that have not reported, each with its branches."""
    progress = overview.campaign_progress(actor=actor, campaign_id=campaign_id)
    with session_scope() as session:
        if session.get(Campaign, campaign_id) is None:
            raise NotFound(f"找不到编号为 {campaign_id} 的评议活动")
        branches = {
            u.path: u
            for u in session.exec(
                select(OrgUnit).where(OrgUnit.campaign_id == campaign_id, OrgUnit.kind == OrgKind.branch)
            )
        }
        units: dict[str, tuple[OrgUnit, list[BranchBehind]]] = {}
        for b in progress.branches:
            unit = unit_of(session, branches[b.path])
            units.setdefault(unit.path, (unit, []))[1].append(BranchBehind(b.name, b.steps_done, b.state, b.grading))
        states = dict(
            session.exec(
                select(UnitReport.unit_id, UnitReport.state).where(UnitReport.campaign_id == campaign_id)
            ).all()
        )
    rows = [
        UnitBehind(unit.path, unit.name, states.get(unit.id, ReportState.not_reported), members)
        for unit, members in units.values()
    ]
    behind = [u for u in rows if u.report_state not in FROZEN_STATES]
    behind.sort(key=lambda u: u.done / len(u.branches))  # stable: roster order among equals
    days = progress.days_left
    when = progress.deadline.isoformat()
    text = f"截止日期 {when}，还有 {days} 天" if days > 0 else f"今天（{when}）截止" if days == 0 else ""
    text = text or f"已过截止日期 {when} {-days} 天"
    return Standing(
        campaign_id=campaign_id,
        campaign_title=progress.title,
        deadline_text=text,
        days_left=days,
        behind=behind,
        reported=len(rows) - len(behind),
        approvals=sum(1 for b in progress.branches if b.grading == GradingState.submitted),
    )
