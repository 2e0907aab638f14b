"""The committee's summary (民主评议党员情况统计表): one row per branch, grouped by general branch with
subtotals and a total named for the exporting unit — from grouped queries, so the whole committee costs a few
statements. Turnout is over the branches that opened voting (how many have not is shown beside it), 优秀占比
over the branches already graded; 应参评 leaves out 未参加评议, 不评定等次 counts the probationary members."""

from dataclasses import dataclass, field
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from sqlalchemy import func
from sqlmodel import select

from models import Campaign, FinalGrade, MeetingRecord, Member, RectificationItem
from models.grading import GRADING_LABELS, GradingState
from models.meeting import RectificationState
from models.reporting import REPORT_LABELS
from models.voting import GRADE_LABELS, Grade
from services.campaign.cap import base_words
from services.campaign.org import branch_ids, branch_rows
from services.grading.results import TURNOUT_FLOOR
from services.platform.db import session_scope
from services.progress import overview
from services.sheets.cells import text_row
from services.sheets.figures import PERCENT_FORMAT, day, fraction, percent
from services.sheets.layout import a4, box, save, widths
from services.staff.access import Actor, require_unit

FLAG = PatternFill("solid", fgColor="FFCDD2")
NOT_VOTING = "未开始测评"
HEADER = [
    "党支部", "党员", "正式党员", "预备党员", "未参加评议", "应参评", "实参评", "参评率", NOT_VOTING,
    *(GRADE_LABELS[g] for g in Grade), "不评定等次", "优秀占比", "组织处置", "组织生活会日期", "六个步骤",
    "评定格次", "整改未完成", "整改已完成", "报送",
]  # fmt: skip
WIDTHS = [22, 6, 7, 7, 7, 7, 7, 8, 7, 6, 6, 7, 7, 7, 7, 7, 13, 7, 8, 7, 7, 8]
TURNOUT, NOT_VOTING_AT, EXCELLENT_AT = HEADER.index("参评率"), HEADER.index(NOT_VOTING), HEADER.index("优秀占比")


@dataclass
class SummaryRow:
    label: str
    members: int = 0
    full: int = 0
    probationary: int = 0
    absent: int = 0  # 未参加评议: outside 应参评 and the cap's base
    absent_full: int = 0
    absent_probationary: int = 0
    all_in_base: bool = False  # the campaign's cap base is every member taking part (services/campaign/cap.py)
    received: int = 0
    opened: int = 0  # branches that opened voting (a branch row: 1 or 0)
    voting_base: int = 0  # 应参评 of those branches: turnout's base
    not_voting: int = 0  # branches that have not opened voting
    graded: int = 0  # branches with final grades (a branch row: 1 or 0)
    cap_base_graded: int = 0  # the cap's base in those branches: 优秀占比's base
    grades: dict[str, int] = field(default_factory=lambda: {g.value: 0 for g in Grade})
    dispositions: int = 0
    rectification_open: int = 0
    rectification_done: int = 0
    meeting: date | None = None
    steps_done: int | None = None
    grading: str = ""
    reported: str = ""
    path: str = ""

    @property
    def taking_part(self) -> int:
        """应参评: every member but those not taking part."""
        return self.members - self.absent

    @property
    def not_graded(self) -> int:
        """不评定等次: the probationary members taking part (they vote, and are not graded)."""
        return self.probationary - self.absent_probationary

    @property
    def cap_base(self) -> int:
        """The cap's base: the full members taking part, or (the campaign's setting) every member taking part."""
        return self.taking_part if self.all_in_base else self.full - self.absent_full

    @property
    def turnout(self) -> float:
        """实参评 of 应参评, in %, over the branches that opened voting (rounded as the pages round)."""
        return percent(self.received, self.voting_base)

    @property
    def excellent_share(self) -> float:
        """优秀 against the cap's base, in %, over the branches already graded."""
        return percent(self.grades[Grade.excellent], self.cap_base_graded)

    def count_in(self, *, opened: bool) -> None:
        """A branch row's own bases, once its counts are in."""
        self.opened, self.not_voting = (1, 0) if opened else (0, 1)
        self.voting_base = self.taking_part if opened else 0
        self.graded = 1 if any(self.grades.values()) else 0
        self.cap_base_graded = self.cap_base if self.graded else 0

    def add(self, other: "SummaryRow") -> None:
        for name in ("members", "full", "probationary", "absent", "absent_full", "absent_probationary", "received",
                     "opened", "voting_base", "not_voting", "graded", "cap_base_graded", "dispositions",
                     "rectification_open", "rectification_done"):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for g in self.grades:
            self.grades[g] += other.grades[g]


@dataclass(frozen=True)
class Summary:
    groups: list[tuple[str, list[SummaryRow], SummaryRow]]  # (parent label, its branches, subtotal)
    total: SummaryRow
    cap: float  # the campaign's 优秀 fraction, in %
    cap_base: str = "full"  # of whom (models.campaign.CAP_BASES)


def summary(*, actor: Actor, campaign_id: int, branch_paths: set[str] | None = None,
            reported: dict[str, str] | None = None) -> Summary:  # fmt: skip
    """Every branch in scope (or those of `branch_paths`, each in scope); `reported`: branch path -> its unit's
    report state. The total is labelled 合计 until the workbook names it for the exporting unit."""
    for path in branch_paths or ():
        require_unit(actor, path)
    branches = [
        b for b in branch_rows(actor=actor, campaign_id=campaign_id) if not branch_paths or b.path in branch_paths
    ]
    live = {b.path: b for b in overview.campaign_progress(actor=actor, campaign_id=campaign_id).branches}
    with session_scope() as session:
        campaign = session.get(Campaign, campaign_id)
        ids = branch_ids(session, campaign_id)
        wanted = [ids[b.path] for b in branches]
        grades = session.exec(
            select(Member.branch_id, FinalGrade.grade, func.count(), func.count(FinalGrade.disposition))
            .join(FinalGrade, FinalGrade.member_id == Member.id)
            .where(Member.branch_id.in_(wanted), FinalGrade.grade.is_not(None))
            .group_by(Member.branch_id, FinalGrade.grade)
        ).all()
        absent = session.exec(
            select(Member.branch_id, Member.category, func.count())
            .where(Member.branch_id.in_(wanted), Member.not_taking_part.is_not(None))
            .group_by(Member.branch_id, Member.category)
        ).all()
        meetings = dict(session.exec(
            select(MeetingRecord.branch_id, MeetingRecord.held_on).where(MeetingRecord.campaign_id == campaign_id)
        ).all())  # fmt: skip
        fixes = session.exec(
            select(RectificationItem.branch_id, RectificationItem.state, func.count())
            .where(RectificationItem.campaign_id == campaign_id)
            .group_by(RectificationItem.branch_id, RectificationItem.state)
        ).all()
    by_branch: dict[int, SummaryRow] = {}
    for b in branches:
        p = live.get(b.path)
        by_branch[ids[b.path]] = SummaryRow(
            label=b.name, members=b.members, full=b.full, probationary=b.probationary,
            received=(p.received if p else 0), meeting=meetings.get(ids[b.path]),
            steps_done=p.steps_done if p else 0, grading=GRADING_LABELS[GradingState(p.grading)] if p else "",
            reported=REPORT_LABELS[(reported or {}).get(b.path, "not_reported")], path=b.path,
        )  # fmt: skip
    everyone = campaign.cap_base == "all"  # the cap's base: every member taking part (services/campaign/cap.py)
    for row in by_branch.values():
        row.all_in_base = everyone
    for branch_id, category, count in absent:
        if branch_id in by_branch:
            by_branch[branch_id].absent += count
            by_branch[branch_id].absent_full += count if category == "full" else 0
            by_branch[branch_id].absent_probationary += count if category != "full" else 0
    for branch_id, grade, count, disposed in grades:
        if branch_id in by_branch:
            by_branch[branch_id].grades[grade] += count
            by_branch[branch_id].dispositions += disposed
    for branch_id, state, count in fixes:
        if branch_id in by_branch:
            row = by_branch[branch_id]
            if state == RectificationState.done:
                row.rectification_done += count
            else:
                row.rectification_open += count
    opened = {path for path, p in live.items() if p.state != "not_open"}
    for b in branches:
        by_branch[ids[b.path]].count_in(opened=b.path in opened)
    groups: dict[str, list[SummaryRow]] = {}
    for b in branches:
        groups.setdefault(b.parent, []).append(by_branch[ids[b.path]])
    total = SummaryRow("合计", all_in_base=everyone)
    result = []
    for label, rows in groups.items():
        subtotal = SummaryRow(f"{label} 小计", all_in_base=everyone)
        for row in rows:
            subtotal.add(row)
        total.add(subtotal)
        result.append((label, rows, subtotal))
    cap = 100 * campaign.excellent_cap_num / campaign.excellent_cap_den
    return Summary(result, total, cap, campaign.cap_base)


def summary_workbook(found: Summary, *, campaign_title: str, unit: str, today: date,
                     cover: str | None = None) -> bytes:  # fmt: skip
    """`unit`: the exporting unit (the committee's name, a 总支's, or a path "机关党总支 / 第一党支部"), which
    names the total ("机关党总支合计") and the seal ("机关党总支（盖章）"); `cover`: the 党统 cover line
    (services/filing/signatures.py) in place of the plain seal line."""
    own = unit.rsplit(" / ", 1)[-1]
    wb = Workbook()
    ws = wb.active
    ws.title = "民主评议党员情况统计表"
    ws.append(["民主评议党员情况统计表"])
    ws.append(text_row(ws, [f"填报单位：{unit}　　{campaign_title}　　填报日期：{day(today)}"]))
    ws.append(HEADER)
    top = at = ws.max_row  # `at`: the row last written (ws.max_row looks through every cell written so far)
    for label, rows, subtotal in found.groups:
        ws.append(text_row(ws, [label]))
        at += 1
        ws.cell(at, 1).font = Font(bold=True)
        for row in rows:
            at = _row(ws, at + 1, row, found.cap)
        at = _row(ws, at + 1, subtotal, found.cap, bold=True)
    _row(ws, at + 1, found.total, found.cap, bold=True, label=f"{own}合计")
    for cell in ws[top]:
        cell.font = Font(bold=True)
    widths(ws, WIDTHS)
    box(ws, top, ws.max_row, 1, len(HEADER))
    ws.append([])
    ws.append([
        f"参评率 = 实参评 ÷ 应参评（未参加评议的不计），只计已开始测评的党支部，{NOT_VOTING}的党支部数列于其旁；"
        f"优秀占比占{base_words(found.cap_base)}，只计已评定格次的党支部。参评率低于 {100 * TURNOUT_FLOOR:.0f}%、"
        f"优秀占比高于 {found.cap:.1f}% 的，以底色标出。"
    ])  # fmt: skip
    seal = f"{own}（盖章）　　　　　　　　　　填表人：　　　　　　　　　　日期：　　　　年　　月　　日"
    ws.append(text_row(ws, [cover or seal]))
    for row in (1, 2, ws.max_row - 1, ws.max_row):
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(HEADER))
    ws.row_dimensions[ws.max_row - 1].height = 36
    ws["A1"].font = Font(size=16, bold=True)
    ws.freeze_panes = ws.cell(top + 1, 2)
    a4(ws, landscape=True, title_rows=f"{top}:{top}", page_numbers=True)
    return save(wb)


def _row(ws, at: int, row: SummaryRow, cap: float, *, bold: bool = False, label: str | None = None) -> int:
    """`row` written as the sheet's row `at`, the next one; returns `at`."""
    is_branch = row.steps_done is not None
    opened = row.opened if is_branch else row.voting_base
    graded = row.graded if is_branch else row.cap_base_graded
    ws.append(text_row(ws, [
        label or row.label, row.members, row.full, row.probationary, row.absent, row.taking_part, row.received,
        fraction(row.received, row.voting_base) if opened else "",
        ("未开始" if row.not_voting else "") if is_branch else row.not_voting,
        *(row.grades[g.value] for g in Grade), row.not_graded,
        fraction(row.grades[Grade.excellent], row.cap_base_graded) if graded else "", row.dispositions,
        day(row.meeting, missing="未召开" if is_branch else ""),
        f"{row.steps_done}/6" if is_branch else "", row.grading, row.rectification_open, row.rectification_done,
        row.reported,
    ]))  # fmt: skip
    cells = next(ws.iter_rows(min_row=at, max_row=at, max_col=len(HEADER)))
    for column in (TURNOUT, EXCELLENT_AT):
        cells[column].number_format = PERCENT_FORMAT
    if opened and row.turnout < 100 * TURNOUT_FLOOR:
        cells[TURNOUT].fill = FLAG
    if graded and row.excellent_share > cap:
        cells[EXCELLENT_AT].fill = FLAG
    if bold:
        for cell in cells:
            cell.font = Font(bold=True)
    return at
