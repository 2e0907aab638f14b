"""What a secretary hands out: the sheet of links, printable slips with QR codes, the paper form."""

import io
from dataclasses import dataclass
from pathlib import Path

import segno
from jinja2 import Environment, FileSystemLoader, select_autoescape
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.page import PageMargins

from services.cells import safe_row
from services.voting import IssuedLink

_templates = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"), autoescape=select_autoescape(["html"])
)


@dataclass(frozen=True)
class SlipHeader:
    campaign_title: str
    branch_name: str
    deadline: str
    code_entry_url: str  # where an unnamed code can be typed


def links_sheet(links: list[IssuedLink], *, branch_name: str) -> bytes:
    """An .xlsx with one row per member (or code): name or slip number, link."""
    wb = Workbook()
    ws = wb.active
    ws.title = "测评链接"
    ws.append(safe_row([f"{branch_name} 党员民主测评链接（每人一条，请勿转发他人）"]))
    ws.append(["序号", "姓名 / 票号", "链接"])
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for number, link in enumerate(links, start=1):
        ws.append(safe_row([number, link.label, link.url]))
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 16
    ws.column_dimensions["C"].width = 70
    return _save(wb)


def slips_html(links: list[IssuedLink], header: SlipHeader) -> bytes:
    """A print-ready page (A4, several slips a page), each slip with its QR code and short link."""
    slips = [
        {
            "label": link.label,
            "url": link.url,
            "code": link.code,
            "qr": segno.make(link.url, error="m").svg_data_uri(scale=3, border=2),
        }
        for link in links
    ]
    return _templates.get_template("slips.html").render(header=header, slips=slips).encode()


_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def paper_form(*, campaign_title: str, branch_name: str, members: list[str], cap: int, instructions: str) -> bytes:
    """The branch's blank 党员民主测评表 (print-ready .xlsx, A4): tick √ in one column per member."""
    wb = Workbook()
    ws = wb.active
    ws.title = "党员民主测评表"
    ws.append(["党员民主测评表"])
    ws.append(safe_row([campaign_title]))
    ws.append(safe_row([f"党支部：{branch_name}　　参评党员 {len(members)} 人，评为“优秀”的不超过 {cap} 人"]))
    ws.append(["序号", "姓名", "优秀", "合格", "基本合格", "不合格"])
    for number, name in enumerate(members, start=1):
        ws.append(safe_row([number, name, "", "", "", ""]))
    ws.append([f"说明：请在相应栏中打“√”，每人只选一项。{instructions}"])
    last = ws.max_row
    for row in (1, 2, 3, last):
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=6)
    ws["A1"].font = Font(size=18, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws["A2"].alignment = Alignment(horizontal="center")
    ws.cell(last, 1).alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[last].height = 60
    for row in ws.iter_rows(min_row=4, max_row=last - 1, max_col=6):
        for cell in row:
            cell.border = _BOX
            cell.alignment = Alignment(horizontal="center", vertical="center")
        ws.row_dimensions[row[0].row].height = 22
    for column, width in zip("ABCDEF", (6, 16, 11, 11, 11, 11), strict=True):
        ws.column_dimensions[column].width = width
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(left=0.6, right=0.6, top=0.7, bottom=0.7)
    ws.print_title_rows = "4:4"
    return _save(wb)


def _save(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
