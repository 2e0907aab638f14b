"""A branch's filing workbook (<year>年度民主评议党员_<branch>.xlsx): print-ready sheets of the meeting
and its six steps, the vote's statistics, the final grades and their approval, the problem list, the
rectification list, the commitments and the opinions. A part not yet done says “未完成”, never absent.
No phone number, receipt code or link is written; everything typed is written as text."""

from dataclasses import dataclass
from datetime import date
from weakref import WeakKeyDictionary

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.styles.cell_style import StyleArray

from models.grading import (
    CASE_OUTCOMES,
    GRADING_ACTION_LABELS,
    GRADING_LABELS,
    MEETING_RESULTS,
    GradingAction,
    GradingState,
)
from models.meeting import OPINION_LABELS, RECTIFICATION_LABELS, OpinionState, RectificationState
from models.voting import GRADE_LABELS, SATISFACTION_LABELS, Grade
from services.filing import record_sheets, signatures
from services.grading import disposition_cases, results
from services.meeting import commitments, meeting_record, opinions, problems, publicity, rectification, vote_alignment
from services.platform.clock import local
from services.platform.db import one_session
from services.platform.errors import InvalidTransition, NotFound
from services.progress import checklist
from services.sheets import row_height
from services.sheets.cells import FORMULA_STARTS, looks_like_formula
from services.sheets.figures import PERCENT_FORMAT, day, fraction, percent
from services.sheets.layout import a4, grid_style, is_number, save, widths
from services.staff.access import Actor, require_unit

UNFINISHED = "未完成"
BOLD = Font(bold=True)
TITLE = Font(size=16, bold=True)
TITLE_POINTS = 24.0  # the title's 16 pt line
ALERT = Font(bold=True, color="B71C1C")
SIGNATURE = "党支部书记（签字）：　　　　　　　　（盖章）　　　　　　　　日期：　　　　年　　月　　日"


@dataclass(frozen=True)
class BranchFiling:
    file_name: str
    data: bytes
    unfinished: list[str]  # what the checklist still misses, step by step


def file_name(year: int, branch_name: str) -> str:
    return f"{year}年度民主评议党员_{branch_name}.xlsx"


def branch_workbook(*, actor: Actor, campaign_id: int, campaign_title: str, year: int, branch_path: str,
                    today: date, images: list[record_sheets.FiledImage] | None = None,
                    steps: list[checklist.Step] | None = None) -> BranchFiling:  # fmt: skip
    """`images`: the meeting's image files as put into the ZIP (bundle.py); None lists them as stored.
    `steps`: the branch's checklist when the caller read many at once (bundle.py)."""
    require_unit(actor, branch_path)
    with one_session():  # some twenty reads, one session
        return _workbook(actor, campaign_id, campaign_title, year, branch_path, today, images, steps)


def _workbook(actor, campaign_id, campaign_title, year, branch_path, today, images, steps) -> BranchFiling:
    where = {"actor": actor, "campaign_id": campaign_id, "branch_path": branch_path}
    branch_name = branch_path.rsplit("/", 1)[-1]
    steps = steps if steps is not None else checklist.branch_checklist(**where)
    wb = Workbook(write_only=True)
    head = (branch_name, campaign_title, today)
    view = meeting_record.meeting(**where)
    _meeting_sheet(wb, head, view, steps, vote_alignment.vote_alignment(**where))
    for t in record_sheets.record_tables(where, view, images):  # 集中学习, 谈心谈话, 书记述职, 会议照片
        _sheet(wb, t.title, head, t.header, t.rows, t.widths, unfinished=t.unfinished, notes=t.notes)
    try:
        found = results.branch_results(**where)
    except (InvalidTransition, NotFound) as why:
        found = None
        for title in ("民主测评统计表", "民主评议结果"):
            _sheet(wb, title, head, ["说明"], [], [12], unfinished=f"民主测评尚未结束（{why}）")
    if found is not None:
        _statistics_sheet(wb, head, found, view.record)
        _grades_sheet(wb, head, found)
    t = record_sheets.feedback_table(where)
    _sheet(wb, t.title, head, t.header, t.rows, t.widths, unfinished=t.unfinished, notes=t.notes)
    _cases_sheet(wb, head, where)
    period = publicity.current_period(**where)
    shown = f"公示期：{day(period.starts_on)} 至 {day(period.ends_on)}" if period else "尚未公示"
    listed = problems.list_problems(**where)
    _sheet(wb, "问题清单", head, ["序号", "问题", "类别", "来源"],
           [[i, p.text, p.category, p.source] for i, p in enumerate(listed, 1)], [6, 60, 10, 14],
           unfinished=None if listed else "问题清单还是空的")  # fmt: skip
    items = rectification.list_rectifications(**where)
    late = [r for r in items if r.overdue(today)]  # past the deadline and not done
    _sheet(wb, "整改清单", head, ["序号", "问题", "整改措施", "责任人", "整改时限", "状态", "逾期", "完成情况"],
           [[i, r.problem, r.measures, r.responsible, day(r.deadline),
             RECTIFICATION_LABELS[RectificationState(r.state)] + (f"（{day(r.done_on)}）" if r.done_on else ""),
             "逾期" if r.overdue(today) else "逾期完成" if r.done_late else "", r.evidence or ""]
            for i, r in enumerate(items, 1)],
           [6, 28, 28, 10, 12, 8, 6, 28], unfinished=None if items else "整改清单还是空的",
           notes=[shown] + ([f"逾期未完成 {len(late)} 项（整改时限已过）"] if late else []))  # fmt: skip
    written = commitments.branch_commitments(**where)
    missing = [c.name for c in written if not c.text]
    _sheet(wb, "整改承诺", head, ["序号", "姓名", "整改承诺"],
           [[i, c.name, c.text or "（未填写）"] for i, c in enumerate(written, 1)], [6, 12, 70],
           unfinished=f"{len(missing)} 名党员尚未填写整改承诺" if missing else None, notes=[shown])  # fmt: skip
    received = [["测评票", text, ""] for text in (found.opinions if found else [])]
    received += [["征求意见", o.text, OPINION_LABELS[OpinionState(o.state)]]
                 for o in opinions.list_opinions(**where)]  # fmt: skip
    _sheet(wb, "意见建议", head, ["来源", "意见建议（匿名）", "处理"], received, [10, 70, 10],
           notes=[] if received else ["未收到意见建议"])  # fmt: skip
    unfinished = [f"{s.title}：{line}" for s in steps for line in s.missing]
    return BranchFiling(file_name(year, branch_name), save(wb), unfinished)


def _sheet(wb: Workbook, title: str, head: tuple, header: list[str], rows: list[list], column_widths: list[float],
           *, unfinished: str | None = None, notes: list[str] = ()) -> None:  # fmt: skip
    """A sheet with the header block, the table, its notes and the signature line, laid out for A4 —
    written row by row (openpyxl's write-only mode: a whole committee is 600 workbooks)."""
    unit, campaign_title, today = head
    ws = wb.create_sheet(title)
    cell = _Cells(ws)
    grid, number = grid_style(wb, centred=False), grid_style(wb, number=True)
    percents = {i for i, text in enumerate(header) if text.endswith("%")}  # their cells hold fraction(...)
    top = 4 if unfinished else 3
    widths(ws, column_widths)
    ws.freeze_panes = f"A{top + 1}"
    a4(ws, landscape=len(header) > 5, title_rows=f"{top}:{top}", page_numbers=True)
    # a row of one line is the sheet's default height; only taller rows are given theirs (a third fewer
    # rows written with a height, where most cells are a name or a number)
    ws.sheet_format.defaultRowHeight, ws.sheet_format.customHeight = row_height.MIN_POINTS, True
    ws.row_dimensions[1].height = TITLE_POINTS
    ws.append([cell(title, font=TITLE)])
    ws.append([cell(f"填报单位：{unit}　　{campaign_title}　　填报日期：{day(today)}")])
    if unfinished:
        ws.append([cell(f"{UNFINISHED}：{unfinished}", font=ALERT)])
    # each row as high as its wrapped text: set before the row is written (write-only mode streams rows)
    ws.row_dimensions[top].height = row_height.height(list(zip(header, column_widths, strict=False)), bold=True)
    ws.append([cell(text, style=grid, font=BOLD) for text in header])
    padding = [""] * len(header)
    text = cell.resolved(grid, None, None, False)  # each column's two looks, resolved before the rows
    numbers = [
        cell.resolved(number, None, PERCENT_FORMAT if i in percents else None, False) for i in range(len(header))
    ]
    one_line, low = row_height.one_line(column_widths), row_height.MIN_POINTS
    for index, row in enumerate(rows, start=top + 1):
        cells = list(row) + padding[len(row) :]
        if not one_line(cells) and (tall := row_height.height(list(zip(cells, column_widths, strict=False)))) > low:
            ws.row_dimensions[index].height = tall
        ws.append([cell.text(value, grid, text) if isinstance(value, str)
                   else Cell(ws, row=1, column=1, value=value,
                             style_array=StyleArray(numbers[i] if is_number(value) else text))
                   for i, value in enumerate(cells)])  # fmt: skip
    for note in notes:
        ws.append([cell(note)])
    ws.append([])
    ws.append([SIGNATURE])


class _Cells:
    """Cells for one sheet. Typed text stays text (a quote-prefix cell, services/sheets/cells.py), numbers stay
    numbers. Each combination of style, font and format is resolved once per workbook and copied onto later
    cells: resolving a named style cell by cell was a third of the time a whole committee's package took."""

    def __init__(self, ws) -> None:
        self.ws = ws
        self.known = _STYLES.setdefault(ws.parent, {})

    def __call__(self, value, *, style: str | None = None, font: Font | None = None,
                 number_format: str | None = None) -> Cell:  # fmt: skip
        quoted = looks_like_formula(value)
        found = self.resolved(style, font, number_format if number_format and is_number(value) else None, quoted)
        cell = self.styled(value, found)
        if quoted:
            cell.data_type = "s"  # openpyxl would store "=…" as a formula
        return cell

    def styled(self, value, found: StyleArray) -> Cell:
        """A cell of a look already resolved: for a value that no spreadsheet takes for a formula."""
        return Cell(self.ws, row=1, column=1, value=value, style_array=StyleArray(found))

    def text(self, value: str, style: str, found: StyleArray) -> Cell:
        """Typed text in a table: of the look `found` (`style` resolved), or quoted if it looks like a formula."""
        return self(value, style=style) if value.startswith(FORMULA_STARTS) else self.styled(value, found)

    def resolved(self, style: str | None, font: Font | None, number_format: str | None, quoted: bool) -> StyleArray:
        key = (style, font, number_format, quoted)
        found = self.known.get(key)
        if found is None:
            found = self.known[key] = self._resolve(*key)
        return found

    def _resolve(self, style, font, number_format, quoted) -> StyleArray:
        cell = WriteOnlyCell(self.ws)
        if style:
            cell.style = style
        if font:
            cell.font = font
        if number_format:
            cell.number_format = number_format
        cell.quotePrefix = quoted
        return cell._style


_STYLES: "WeakKeyDictionary[Workbook, dict]" = WeakKeyDictionary()  # per workbook: a style's indexes are its own


def _meeting_sheet(wb: Workbook, head: tuple, view: meeting_record.MeetingView, steps: list[checklist.Step],
                   aligned: vote_alignment.VoteAlignment) -> None:  # fmt: skip
    r = view.record
    yes = {True: "是", False: "否"}
    rows = []
    if r:
        absent = "；".join(f"{n}（{view.absences[m]}）" for m, n, _ in view.members if m in view.absences)
        rows = [
            ["召开日期", day(r.held_on)], ["地点", r.place], ["主持人", r.presided_by],
            ["上级党组织参会人员", r.upper_attendees or ""],
            ["应到 / 实到", f"{len(view.members)} 人 / {len(view.present)} 人"], ["缺席人员及原因", absent or "无"],
            ["以普通党员身份参加的党员领导干部", "、".join(view.leading_cadres_present) or "无"],
            ["支部书记述职", yes[r.report_given]], ["批评和自我批评", yes[r.criticism_held]],
            ["民主评议党员", yes[r.evaluation_held]], ["备注", r.notes or ""],
            ["测评票收到日期", aligned.by_day_text], ["测评与会议核对", "；".join(aligned.flags) or "无异常"],
        ]  # fmt: skip
    rows += [[s.title, f"{s.state_label}" + (f"（还差：{'；'.join(s.missing)}）" if s.missing else "")] for s in steps]
    _sheet(wb, "组织生活会召开情况", head, ["项目", "内容"], rows, [30, 70],
           unfinished=None if r else "尚未记录组织生活会")  # fmt: skip


def _statistics_sheet(wb: Workbook, head: tuple, found: results.BranchResults, record) -> None:
    header = ["序号", "姓名"]
    for g in Grade:
        header += [GRADE_LABELS[g], f"{GRADE_LABELS[g]}%"]
    header.append("有效票")
    rows = []
    for i, r in enumerate(found.rows, 1):
        cells = [i, r.name]
        for g in Grade:
            cells += [r.counts.get(g.value, 0), fraction(r.counts.get(g.value, 0), r.valid)]
        rows.append([*cells, r.valid])
    rows += [[len(found.rows) + i, name, "不评定等次"] for i, (_, name) in enumerate(found.probationary, 1)]
    notes = [
        f"应参加测评 {found.voters} 人；收回 {found.received} 张：网上 {found.online}、纸质 {found.paper}、"
        f"废票 {found.invalid}；参评率 {percent(found.received, found.voters)}%；"
        + (f"{found.excellent.rule}。" if found.excellent else f"“优秀”名额 {found.cap} 人。"),
    ]
    if found.not_taking_part:  # services/grading/taking_part.py: outside 应参加测评 and the cap's base
        notes.append("未参加评议：" + "、".join(f"{a.name}（{a.reason_text}）" for a in found.not_taking_part))
    for title, counts in (("对支部委员会的评价", found.branch_committee), ("对支部书记述职的评价", found.report)):
        if counts:
            notes.append(f"{title}：" + "，".join(f"{SATISFACTION_LABELS[k]} {v}" for k, v in counts.items()))
    notes.append(signatures.tally_line(record and record.counted_by, record and record.scrutinized_by))
    _sheet(wb, "民主测评统计表", head, header, rows, [6, 12] + [7, 7] * 4 + [8], notes=notes)


def _grades_sheet(wb: Workbook, head: tuple, found: results.BranchResults) -> None:
    approved = found.state == GradingState.approved
    decision = next((s for s in reversed(found.history) if s.action == GradingAction.approve), None)
    rows = [
        [i, r.name, GRADE_LABELS.get(r.final.grade, ""), r.final.reason or "",
         "；".join(filter(None, (r.final.disposition, r.final.disposition_note)))]
        for i, r in enumerate(found.rows, 1)
    ]  # fmt: skip
    rows += [
        [len(found.rows) + i, name, "不评定等次", "预备党员", ""] for i, (_, name) in enumerate(found.probationary, 1)
    ]
    start = len(found.rows) + len(found.probationary)
    rows += [[start + i, a.name, "未参加评议", a.reason_text, ""] for i, a in enumerate(found.not_taking_part, 1)]
    notes = [f"审批状态：{GRADING_LABELS[GradingState(found.state)]}"]
    if decision:
        notes.append(f"{GRADING_ACTION_LABELS[GradingAction.approve]}：{decision.actor_name}，{day(local(decision.at).date())}"
                     + (f"，意见：{decision.comment}" if decision.comment else ""))  # fmt: skip
    notes.append(signatures.approval_line(found.history))
    _sheet(wb, "民主评议结果", head, ["序号", "姓名", "评定格次", "理由", "组织处置"], rows, [6, 12, 10, 36, 30],
           unfinished=None if approved else "评定格次尚未经上级党组织审批", notes=notes)  # fmt: skip


def _cases_sheet(wb: Workbook, head: tuple, where: dict) -> None:
    """组织处置: each case of the year with its steps, period and outcome; earlier years' open cases noted."""
    today, none = disposition_cases.today(), "未进行"
    rows = []
    for i, c in enumerate(disposition_cases.list_cases(**where), 1):
        s = c.steps
        meeting = f"{day(s.meeting_on)} {MEETING_RESULTS[s.meeting_result]}" if s.meeting_result else none
        ended = f"{CASE_OUTCOMES[c.outcome]}（{day(c.outcome_on)}）{c.outcome_note or ''}" if c.outcome else ""
        rows.append([i, c.name, c.kind, day(s.committee_on, missing=none), meeting, day(s.approved_on, missing=none),
                     f"{c.period_months} 个月" if c.period_months else "", day(c.ends_on),
                     ended or f"未结案：{c.stage(today)}"])  # fmt: skip
    notes = [] if rows else ["本年度没有评定为“不合格”并确定组织处置的党员"]
    notes += [f"往年未结案：{c.name}，{c.label}" for c in disposition_cases.carried_cases(**where).values()]
    _sheet(wb, "组织处置", head, ["序号", "姓名", "组织处置", "支委会研究", "支部大会表决", "上级党组织审批",
           "期限", "期满日", "结果"], rows, [6, 10, 10, 12, 16, 14, 8, 12, 30], notes=notes)  # fmt: skip
