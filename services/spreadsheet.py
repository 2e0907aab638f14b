"""Reading an uploaded .xlsx or .csv into rows of text cells, whatever Excel wrote."""

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from openpyxl import load_workbook

from services.errors import ImportRejected, RowError
from services.names import clean_text

_XLS_MAGIC = b"\xd0\xcf\x11\xe0"
_ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class Table:
    """Cells as text; `rows[i]` is the file's row number `i + 1`."""

    rows: list[list[str]]


def read_table(filename: str, data: bytes) -> Table:
    name = filename.lower()
    if not data.strip():
        raise _reject("文件是空的，请检查是否选错了文件")
    if data.startswith(_XLS_MAGIC) or name.endswith(".xls"):
        raise _reject("这是旧版 Excel（.xls）文件，请在 Excel 中“另存为” .xlsx 格式后再导入")
    if data.startswith(_ZIP_MAGIC):
        return _read_xlsx(data)
    if name.endswith((".xlsx", ".xlsm")):
        raise _reject("无法读取该 .xlsx 文件，文件可能已损坏，请重新保存后再试")
    if name.endswith((".csv", ".txt")) or not _looks_binary(data):
        return _read_csv(data)
    raise _reject("不支持的文件类型，请上传 .xlsx 或 .csv 格式的花名册")


def _reject(message: str) -> ImportRejected:
    return ImportRejected([RowError(row=None, column=None, message=message)])


def _looks_binary(data: bytes) -> bool:
    head = data[:2048]
    return b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff"))


def _read_xlsx(data: bytes) -> Table:
    try:
        workbook = load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise _reject("无法读取该文件：它不是有效的 .xlsx 表格（可能是 Word 文档或已损坏）") from exc
    sheet = next((ws for ws in [workbook.active, *workbook.worksheets] if ws.max_row > 1), None)
    if sheet is None:
        raise _reject("表格里没有内容")
    grid = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    # A merged cell keeps its value only in the top-left corner; units merge the
    # 党总支 column down over its branches, so every covered cell gets the value.
    for merged in sheet.merged_cells.ranges:
        value = grid[merged.min_row - 1][merged.min_col - 1]
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                grid[r - 1][c - 1] = value
    return Table(rows=grid)


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return clean_text(value)


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _reject("无法识别文件的文字编码，请在 Excel 中另存为“CSV UTF-8”或 .xlsx 后再导入")


def _read_csv(data: bytes) -> Table:
    text = _decode(data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;，")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return Table(rows=[[clean_text(cell) for cell in row] for row in reader])
