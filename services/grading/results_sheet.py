"""The branch's 民主测评统计表 as a print-ready .xlsx, and the same sheet read back with its grading
columns filled in (`manage.py set-grades`): the sheet a secretary downloads is the one they upload."""

from dataclasses import dataclass
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from models.grading import GRADING_LABELS, GradingState
from models.voting import GRADE_BY_LABEL, GRADE_LABELS, Grade
from services.campaign.members import parse_reason
from services.grading.results import BranchResults
from services.grading.suggestion import RULE
from services.platform.errors import ImportRejected, InvalidInput, RowError
from services.sheets.cells import text_row
from services.sheets.figures import PERCENT_FORMAT, day, fraction, percent
from services.sheets.layout import a4, box, save, widths
from services.sheets.reading import read_table

SHEET_TITLE = "民主测评统计表"
NOT_GRADED = "预备党员，不评定等次"
ABSENT = "未参加评议"  # in the 评定格次 column of a member marked as not taking part
ABSENT_COLUMN = "未参加评议原因"
_GRADES = [g.value for g in Grade]
SHARE_COLUMN = 3 + len(_GRADES) + 1  # 优秀得票率, after the four grades and 有效票 (1-based)
_HEADER = [
    "序号", "姓名", *(GRADE_LABELS[g] for g in Grade), "有效票", "优秀得票率", "建议格次", "提示",
    "评定格次", "理由", "组织处置", "处置说明", ABSENT_COLUMN,
]  # fmt: skip
# What set-grades reads, by header: the rest of the sheet is for reading.
_READ = {
    "name": "姓名", "grade": "评定格次", "reason": "理由", "disposition": "组织处置", "note": "处置说明",
    "absent": ABSENT_COLUMN,
}  # fmt: skip


def results_workbook(results: BranchResults, *, today: date) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_TITLE
    width = len(_HEADER)
    ws.append([SHEET_TITLE])
    ws.append(text_row(ws, [results.campaign_title]))
    ws.append(
        text_row(
            ws,
            [
                f"填报单位：{results.branch_name}　　填报日期：{day(today)}　　"
                f"评定格次：{GRADING_LABELS[GradingState(results.state)]}"
            ],
        )
    )
    ws.append(_HEADER)
    header_row = ws.max_row
    for number, row in enumerate(results.rows, start=1):
        final = row.final
        ws.append(
            text_row(
                ws,
                [
                    number,
                    row.name,
                    *(row.counts.get(g, 0) for g in _GRADES),
                    row.valid,
                    fraction(row.counts.get(Grade.excellent, 0), row.valid) if row.valid else "",
                    GRADE_LABELS.get(row.suggestion.grade, ""),
                    "；".join(row.suggestion.flags),
                    GRADE_LABELS.get(final.grade, ""),
                    final.reason or "",
                    final.disposition or "",
                    final.disposition_note or "",
                ],
            )
        )
        ws.cell(ws.max_row, SHARE_COLUMN).number_format = PERCENT_FORMAT
    for number, (_, name) in enumerate(results.probationary, start=len(results.rows) + 1):
        ws.append(text_row(ws, [number, name, *[""] * 8, NOT_GRADED]))  # in the 评定格次 column
    start = len(results.rows) + len(results.probationary) + 1
    for number, absent in enumerate(results.not_taking_part, start=start):
        ws.append(text_row(ws, [number, absent.name, *[""] * 8, ABSENT, "", "", "", absent.reason_text]))
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
    widths(ws, [5, 12, 6, 6, 8, 7, 7, 9, 9, 24, 9, 20, 10, 20, 14])
    box(ws, header_row, ws.max_row, 1, width)
    ws.append([])
    ws.append(
        [
            f"应参加测评 {results.voters} 人；收回测评票 {results.received} 张（网上 {results.online}、纸质 "
            f"{results.paper}、废票 {results.invalid}），参评率 {percent(results.received, results.voters)}%；"
            f"{_cap_words(results)}"
        ]
    )
    ws.append([f"建议规则：{RULE}"])
    notes = ws.max_row - 1
    ws.append([])
    ws.append(["党支部书记（签字）：　　　　　　　　　　（盖章）　　　　　　　　　　日期：　　　　年　　月　　日"])
    for row in (1, 2, 3, notes, notes + 1, notes + 3):
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        ws.cell(row, 1).alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[notes + 1].height = 45
    ws["A1"].font = Font(size=18, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws["A2"].alignment = Alignment(horizontal="center")
    ws.freeze_panes = ws.cell(header_row + 1, 3)
    a4(ws, landscape=True, title_rows=f"{header_row}:{header_row}", page_numbers=True)
    return save(wb)


def _cap_words(results: BranchResults) -> str:
    """The cap with its base, and who is left out of it (未参加评议)."""
    words = f"{results.excellent.rule}。" if results.excellent else f"“优秀”名额 {results.cap} 人。"
    if results.not_taking_part:
        words += f"未参加评议 {len(results.not_taking_part)} 人，不计入应参加测评人数和名额基数。"
    return words


@dataclass(frozen=True)
class GradeRow:
    row: int  # as the spreadsheet numbers it
    name: str
    grade: str | None  # a Grade value
    reason: str | None
    disposition: str | None
    disposition_note: str | None
    absent: tuple[str, str | None] | None = None  # 未参加评议原因: (a NOT_TAKING_PART code, note)


def read_grades(filename: str, data: bytes) -> list[GradeRow]:
    """The rows of a filled-in results sheet (or any sheet with 姓名 and 评定格次 columns); refuses
    the whole file, with every row's problem, when a grade word is unknown."""
    table = read_table(filename, data)
    for index, cells in enumerate(table.rows[:20]):
        found = {text.strip(): i for i, text in enumerate(cells)}
        if _READ["name"] in found and _READ["grade"] in found:
            columns = {key: found.get(label) for key, label in _READ.items()}
            header = index
            break
    else:
        raise ImportRejected([RowError(None, None, "没有找到表头：文件中须有“姓名”和“评定格次”两列")])

    def cell(cells: list[str], key: str) -> str | None:
        i = columns[key]
        return (cells[i].strip() or None) if i is not None and i < len(cells) else None

    rows, errors = [], []
    for number, cells in enumerate(table.rows[header + 1 :], start=header + 2):
        if not any(text.strip() for text in cells):
            break  # the table ends at its first empty row: below it, the sheet's notes and signatures
        name = cell(cells, "name")
        if not name:
            continue
        word = cell(cells, "grade")
        if word in (NOT_GRADED, ABSENT):
            word = None
        absent = None
        if said := cell(cells, "absent"):
            try:
                absent = parse_reason(said)
            except InvalidInput as bad:
                errors.append(RowError(number, ABSENT_COLUMN, f"{name}：{bad}"))
                continue
        if word is not None and word not in GRADE_BY_LABEL:
            labels = "、".join(GRADE_BY_LABEL)
            errors.append(RowError(number, _READ["grade"], f"{name}：“{word}”不是评定格次，可填：{labels}"))
            continue
        rows.append(
            GradeRow(
                number,
                name,
                GRADE_BY_LABEL.get(word),
                cell(cells, "reason"),
                cell(cells, "disposition"),
                cell(cells, "note"),
                absent,
            )
        )
    if errors:
        raise ImportRejected(errors)
    return rows
