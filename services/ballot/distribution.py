"""What a secretary hands out: the sheet of links, printable slips with QR codes, the paper form."""

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import segno
from jinja2 import Environment, FileSystemLoader, select_autoescape
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from services.ballot.voter_links import IssuedLink
from services.sheets.cells import safe_row
from services.sheets.layout import BOX, a4, box, save, widths

_templates = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"), autoescape=select_autoescape(["html"])
)


@dataclass(frozen=True)
class SlipHeader:
    campaign_title: str
    branch_name: str
    deadline: str
    code_entry_url: str  # where an unnamed code can be typed
    purpose: str = "党员民主测评"  # or 群众评议: the representatives' codes (representatives.py)


def links_sheet(links: list[IssuedLink], *, branch_name: str, title: str = "党员民主测评链接") -> bytes:
    """An .xlsx with one row per member (or code): name or slip number, link."""
    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.append(safe_row([f"{branch_name} {title}（每人一条，请勿转发他人）"]))
    ws.append(["序号", "姓名 / 票号", "链接"])
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for number, link in enumerate(links, start=1):
        ws.append(safe_row([number, link.label, link.url]))
    widths(ws, [6, 16, 70])
    return save(wb)


def qr_data_uri(url: str, scale: int = 3) -> str:
    """A QR code of `url` as an inline SVG image (no network needed to show or print it)."""
    return segno.make(url, error="m").svg_data_uri(scale=scale, border=2)


def links_csv(links: list[IssuedLink]) -> bytes:
    """The links as CSV (UTF-8 with BOM, which Excel on Chinese Windows opens right), formula-safe."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["姓名或票号", "链接", "投票码"])
    writer.writerows(safe_row([link.label, link.url, link.code]) for link in links)
    return out.getvalue().encode("utf-8-sig")


def slips_html(links: list[IssuedLink], header: SlipHeader) -> bytes:
    """A print-ready page (A4, several slips a page), each slip with its QR code and short link."""
    slips = [
        {
            "label": link.label,
            "url": link.url,
            "code": link.code,
            "named": link.member_id is not None,
            "qr": qr_data_uri(link.url),
        }
        for link in links
    ]
    return _templates.get_template("slips.html").render(header=header, slips=slips).encode()


def paper_form(
    *,
    campaign_title: str,
    branch_name: str,
    rated: list[str],
    cap: int,
    instructions: str,
    rate_branch_committee: bool = False,
    collect_opinions: bool = False,
    cap_rule: str | None = None,
) -> bytes:
    """The branch's blank 党员民主测评表 (print-ready .xlsx, A4) with every part the online ballot has in
    this campaign: tick √ in one column per member, the ratings, a box for opinions, date and tellers.
    `cap_rule`: the cap with its base, as the online ballot prints it (BallotForm.cap_rule)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "党员民主测评表"
    ws.append(["党员民主测评表"])
    ws.append(safe_row([campaign_title]))
    cap_line = cap_rule or f"评为“优秀”的不超过 {cap} 人"
    ws.append(safe_row([f"党支部：{branch_name}　　测评正式党员 {len(rated)} 人；{cap_line}"]))
    ws.append(["序号", "姓名", "优秀", "合格", "基本合格", "不合格"])
    for number, name in enumerate(rated, start=1):
        ws.append(safe_row([number, name, "", "", "", ""]))
    box(ws, 4, ws.max_row, 1, 6)
    if rate_branch_committee:
        ws.append([])
        ws.append(["", "评价对象", "满意", "基本满意", "不满意"])
        ws.append(["", "支部委员会"])
        ws.append(["", "支部书记述职"])
        box(ws, ws.max_row - 2, ws.max_row, 2, 5)
    if collect_opinions:
        ws.append([])
        ws.append(["意见建议（可不填）："])
        top = ws.max_row
        for _ in range(4):  # the box's lines, so that what follows lands below it
            ws.append([None] * 5 + [""])
        ws.merge_cells(start_row=top, start_column=1, end_row=top + 4, end_column=6)
        ws.cell(top, 1).alignment = Alignment(vertical="top")
        for row in ws.iter_rows(min_row=top, max_row=top + 4, max_col=6):
            for cell in row:
                cell.border = BOX
    ws.append([])
    ws.append([f"说明：请在相应栏中打“√”，每人只选一项。{_for_paper(instructions)}"])
    note = ws.max_row
    ws.append(["填表日期：　　　　年　　月　　日　　　（本表无记名，请勿署名）"])
    ws.append(["计票人（签字）：　　　　　　　　　　监票人（签字）："])
    for row in (1, 2, 3, note, note + 1, note + 2):
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=6)
    ws["A1"].font = Font(size=18, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws["A2"].alignment = Alignment(horizontal="center")
    ws.cell(note, 1).alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[note].height = 48
    ws.row_dimensions[note + 2].height = 30
    widths(ws, [6, 16, 11, 11, 11, 11])
    a4(ws, title_rows="4:4")
    return save(wb)


def _for_paper(instructions: str) -> str:
    """The ballot's instructions without what only holds online ("提交后不能修改")."""
    sentences = ("，".join(c for c in s.split("，") if "提交" not in c) for s in instructions.split("。"))
    kept = [s for s in sentences if s.strip()]
    return "。".join(kept) + ("。" if kept else "")
