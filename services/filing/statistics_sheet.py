"""党内统计_民主评议党员.xlsx: the 党内统计年报's 民主评议党员 figures as a print-ready A4 workbook — the units as
rows with the 年报's columns and their total, who did not take part and why (by reason), the 组织处置 by kind,
and on a second sheet last year's 限期改正 by name with what became of each. The same workbook is offered on the
党内统计 page and goes into the filing ZIP beside the summary."""

from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Font

from models.grading import DISPOSITION_KINDS
from models.member import NOT_TAKING_PART
from models.voting import GRADE_LABELS, Grade
from services.records.statistics import Statistics, UnitFigures
from services.sheets.cells import text_row
from services.sheets.figures import day
from services.sheets.layout import a4, box, save, widths

FILE_NAME = "党内统计_民主评议党员.xlsx"
HEADER = [
    "单位", "党支部数", "党员总数", "参加评议的党员", "其中预备党员", *(f"评为{GRADE_LABELS[g]}" for g in Grade),
    "尚未审批", "未参加评议", *(f"组织处置：{kind}" for kind in DISPOSITION_KINDS),
]  # fmt: skip
WIDTHS = [24, 7, 7, 9, 8, 7, 7, 8, 7, 7, 8, 9, 9, 9]
CORRECTION_HEADER = ["序号", "姓名", "上年度所在党支部", "处置进展", "是否结案", "本年度情况"]


def figures_row(f: UnitFigures) -> list:
    """One unit's (or the total's) figures in HEADER's order; the page shows the same row."""
    return [
        f.unit.replace("/", " / "), f.branches, f.members, f.taking_part, f.probationary_taking_part,
        *(f.grades[g.value] for g in Grade), f.awaiting_approval, f.absent,
        *(f.dispositions[kind] for kind in DISPOSITION_KINDS),
    ]  # fmt: skip


def reasons_in(found: Statistics) -> list[str]:
    """The reasons of 未参加评议 that occur, in NOT_TAKING_PART's order."""
    seen = {reason for f in found.units for reason, n in f.not_taking_part.items() if n}
    return [reason for reason in dict.fromkeys(NOT_TAKING_PART.values()) if reason in seen]


def statistics_workbook(found: Statistics, *, unit: str, today: date) -> bytes:
    """`unit`: the exporting unit's name, which heads the sheet and names the total's row."""
    wb = Workbook()
    ws = wb.active
    ws.title = "民主评议党员"
    ws.append([f"党内统计：民主评议党员情况（{found.year}年度）"])
    ws.append(text_row(ws, [f"填报单位：{unit}　　{found.campaign_title}　　填报日期：{day(today)}"]))
    ws.append(HEADER)
    top = ws.max_row
    for f in found.units:
        ws.append(text_row(ws, figures_row(f)))
    ws.append(text_row(ws, figures_row(found.total)))
    for cell in [*ws[top], *ws[ws.max_row]]:
        cell.font = Font(bold=True)
    widths(ws, WIDTHS)
    box(ws, top, ws.max_row, 1, len(HEADER))
    ws.append([])
    ws.append(["格次只计已审批的党支部；尚未审批的正式党员列于“尚未审批”。预备党员参加评议，不评定格次。"])
    _reasons(ws, found)
    for row in (1, 2):
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(HEADER))
    ws["A1"].font = Font(size=16, bold=True)
    ws.freeze_panes = ws.cell(top + 1, 2)
    a4(ws, landscape=True, title_rows=f"{top}:{top}", page_numbers=True)
    _corrections(wb, found, unit)
    return save(wb)


def _reasons(ws, found: Statistics) -> None:
    ws.append([])
    ws.append(["未参加评议的原因"])
    ws.cell(ws.max_row, 1).font = Font(bold=True)
    reasons = reasons_in(found)
    if not reasons:
        ws.append(["无"])
        return
    ws.append(["单位", *reasons, "合计"])
    top = ws.max_row
    for f in [*found.units, found.total]:
        ws.append(text_row(ws, [f.unit.replace("/", " / "), *(f.not_taking_part.get(r, 0) for r in reasons),
                                f.absent]))  # fmt: skip
    for cell in [*ws[top], *ws[ws.max_row]]:
        cell.font = Font(bold=True)
    box(ws, top, ws.max_row, 1, len(reasons) + 2)


def _corrections(wb: Workbook, found: Statistics, unit: str) -> None:
    ws = wb.create_sheet("上年度限期改正")
    ws.append([f"上年度（{found.year - 1}年）评为不合格、限期改正的党员及其结果"])
    ws.append(text_row(ws, [f"填报单位：{unit}　　共 {len(found.corrections)} 人"]))
    ws.append(CORRECTION_HEADER)
    top = ws.max_row
    for i, c in enumerate(found.corrections, 1):
        ws.append(text_row(ws, [i, c.name, c.branch.replace("/", " / "), c.stage, "是" if c.closed else "否",
                                c.this_year]))  # fmt: skip
    if not found.corrections:
        ws.append(["", "无", "", "", "", ""])
    for cell in ws[top]:
        cell.font = Font(bold=True)
    widths(ws, [6, 10, 26, 30, 8, 32])
    box(ws, top, ws.max_row, 1, len(CORRECTION_HEADER), centred=False)
    for row in (1, 2):
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(CORRECTION_HEADER))
    ws["A1"].font = Font(size=14, bold=True)
    a4(ws, title_rows=f"{top}:{top}", page_numbers=True)
