"""Print-ready layout shared by every workbook the product writes: A4, margins, fit to the page's
width, repeated title rows, page numbers, grid lines, numbers right-aligned with their number format, and
row heights that fit the wrapped text."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, NamedStyle, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from services.sheets import row_height

_THIN = Side(style="thin")
BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def a4(ws: Worksheet, *, landscape: bool = False, title_rows: str | None = None, page_numbers: bool = False) -> None:
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(left=0.6, right=0.6, top=0.7, bottom=0.7)
    if title_rows:
        ws.print_title_rows = title_rows
    if page_numbers:
        ws.oddFooter.center.text = "第 &P 页，共 &N 页"


_GRID_STYLES = {
    "centred": ("表格居中", Alignment(horizontal="center", vertical="center", wrap_text=True)),
    "left": ("表格", Alignment(vertical="top", wrap_text=True)),
    "number": ("表格数字", Alignment(horizontal="right", vertical="center")),
}
DEFAULT_WIDTH = 8.43  # a column whose width the sheet does not set, as Excel and LibreOffice draw it


def grid_style(wb: Workbook, *, centred: bool | None = None, number: bool = False) -> str:
    """The name of the workbook's grid style (registered on first use), for cells in a table: text centred
    or from the top left, or a number (right-aligned, its number format set on the cell)."""
    name, alignment = _GRID_STYLES["number" if number else "centred" if centred else "left"]
    if name not in wb.named_styles:
        wb.add_named_style(NamedStyle(name=name, border=BOX, alignment=alignment))
    return name


def is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def column_width(ws: Worksheet, column: int) -> float:
    found = ws.column_dimensions.get(get_column_letter(column))
    return found.width if found is not None and found.customWidth else DEFAULT_WIDTH


def box(ws: Worksheet, first: int, last: int, left: int, right: int, *, centred: bool = True) -> None:
    """Grid lines and wrapped text (centred, or from the top left) over a block of a sheet, numbers
    right-aligned; each row as high as its wrapped text (set the column widths first). One named style
    per workbook: a dozen times faster than setting a border and an alignment on every cell. A fill, font
    or number format set before is kept (a named style replaces them)."""
    text, number = grid_style(ws.parent, centred=centred), grid_style(ws.parent, number=True)
    columns = [column_width(ws, c) for c in range(left, right + 1)]
    fonts = ws.parent._fonts
    for row in ws.iter_rows(min_row=first, max_row=last, min_col=left, max_col=right):
        bold = False
        for cell in row:
            was = cell._style if cell.has_style else None  # the style array's ids (openpyxl keeps them there)
            cell.style = number if is_number(cell.value) else text
            if was is not None:
                now = cell._style
                now.fontId, now.fillId, now.numFmtId, now.quotePrefix = (
                    was.fontId, was.fillId, was.numFmtId, was.quotePrefix)  # fmt: skip
                bold = bold or bool(fonts[was.fontId].b)
        ws.row_dimensions[row[0].row].height = row_height.height(
            [(cell.value, width) for cell, width in zip(row, columns, strict=True)], bold=bold
        )


def widths(ws: Worksheet, values: list[float]) -> None:
    for index, width in enumerate(values, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width


def save(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
