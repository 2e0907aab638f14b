"""The committee's summary (民主评议党员情况统计表): one row per branch, grouped by general branch with
subtotals and a committee total — from grouped queries, so the whole committee costs a few statements."""

from dataclasses import dataclass, field
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from sqlalchemy import func
from sqlmodel import select

from models import Campaign, FinalGrade, MeetingRecord, Member, OrgUnit, RectificationItem
from models.grading import GRADING_LABELS, GradingState
from models.meeting import RectificationState
from models.reporting import REPORT_LABELS
from models.voting import GRADE_LABELS, Grade
from services.campaign.cap import base_words
from services.campaign.org import branch_rows
from services.grading.results import TURNOUT_FLOOR
from services.platform.db import session_scope
from services.progress import overview
from services.sheets.cells import safe_row
from services.sheets.layout import a4, box, save, widths
from services.staff.access import Actor, require_unit

FLAG = PatternFill("solid", fgColor="FFCDD2")
HEADER = [
    "党支部", "党员", "正式党员", "预备党员", "收回测评票", "参评率%", *(GRADE_LABELS[g] for g in Grade),
    "优秀占比%", "组织处置", "组织生活会日期", "六个步骤", "评定格次", "整改未完成", "整改已完成", "报送",
]  # fmt: skip


@dataclass
class SummaryRow:
    label: str
    members: int = 0
    full: int = 0
    probationary: int = 0
    absent: int = 0  # 未参加评议: outside 应参评 and the cap's base
    absent_full: int = 0
    all_in_base: bool = False  # the campaign's cap base is every member taking part (services/campaign/cap.py)
    received: int = 0
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
    def turnout(self) -> float:
        taking_part = self.members - self.absent
        return 100 * self.received / taking_part if taking_part else 0.0

    @property
    def excellent_share(self) -> float:
        """优秀 against the cap's base: the full members taking part, or (the campaign's setting) every member."""
        base = self.members - self.absent if self.all_in_base else self.full - self.absent_full
        return 100 * self.grades[Grade.excellent] / base if base else 0.0

    def add(self, other: "SummaryRow") -> None:
        for name in ("members", "full", "probationary", "absent", "absent_full", "received", "dispositions",
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
    report state."""
    for path in branch_paths or ():
        require_unit(actor, path)
    branches = [
        b for b in branch_rows(actor=actor, campaign_id=campaign_id) if not branch_paths or b.path in branch_paths
    ]
    live = {b.path: b for b in overview.campaign_progress(actor=actor, campaign_id=campaign_id).branches}
    with session_scope() as session:
        campaign = session.get(Campaign, campaign_id)
        ids = dict(session.exec(select(OrgUnit.path, OrgUnit.id).where(OrgUnit.campaign_id == campaign_id)).all())
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
    groups: dict[str, list[SummaryRow]] = {}
    for b in branches:
        groups.setdefault(b.parent, []).append(by_branch[ids[b.path]])
    total = SummaryRow("党委合计", all_in_base=everyone)
    result = []
    for label, rows in groups.items():
        subtotal = SummaryRow(f"{label} 小计", all_in_base=everyone)
        for row in rows:
            subtotal.add(row)
        total.add(subtotal)
        result.append((label, rows, subtotal))
    return Summary(result, total, 100 * campaign.excellent_cap_num / campaign.excellent_cap_den, campaign.cap_base)


def summary_workbook(found: Summary, *, campaign_title: str, unit: str, today: date) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "民主评议党员情况统计表"
    ws.append(["民主评议党员情况统计表"])
    ws.append(safe_row([f"填报单位：{unit}　　{campaign_title}　　填报日期：{today:%Y年%m月%d日}"]))
    ws.append(HEADER)
    top = ws.max_row
    for label, rows, subtotal in found.groups:
        ws.append(safe_row([label]))
        ws.cell(ws.max_row, 1).font = Font(bold=True)
        for row in rows:
            _row(ws, row, found.cap)
        _row(ws, subtotal, found.cap, bold=True)
    _row(ws, found.total, found.cap, bold=True)
    box(ws, top, ws.max_row, 1, len(HEADER))
    ws.append([])
    ws.append([
        f"参评率（未参加评议的不计）低于 {100 * TURNOUT_FLOOR:.0f}%、优秀占比（占{base_words(found.cap_base)}）"
        f"高于 {found.cap:.1f}% 的，以底色标出。"
    ])  # fmt: skip
    ws.append(["党委组织部（盖章）　　　　　　　　　　填表人：　　　　　　　　　　日期：　　　　年　　月　　日"])
    for row in (1, 2, ws.max_row - 1, ws.max_row):
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(HEADER))
    ws["A1"].font = Font(size=16, bold=True)
    for cell in ws[top]:
        cell.font = Font(bold=True)
    widths(ws, [22, 6, 7, 7, 8, 7, 6, 6, 8, 7, 8, 8, 12, 8, 9, 9, 9, 8])
    ws.freeze_panes = ws.cell(top + 1, 2)
    a4(ws, landscape=True, title_rows=f"{top}:{top}", page_numbers=True)
    return save(wb)


def _row(ws, row: SummaryRow, cap: float, *, bold: bool = False) -> None:
    is_branch = row.steps_done is not None
    ws.append(safe_row([
        row.label, row.members, row.full, row.probationary, row.received, round(row.turnout, 1),
        *(row.grades[g.value] for g in Grade), round(row.excellent_share, 1), row.dispositions,
        row.meeting.isoformat() if row.meeting else ("未召开" if is_branch else ""),
        f"{row.steps_done}/6" if is_branch else "", row.grading, row.rectification_open, row.rectification_done,
        row.reported,
    ]))  # fmt: skip
    cells = ws[ws.max_row]
    if row.members and row.turnout < 100 * TURNOUT_FLOOR:
        cells[5].fill = FLAG
    if row.excellent_share > cap:
        cells[10].fill = FLAG
    if bold:
        for cell in cells:
            cell.font = Font(bold=True)
