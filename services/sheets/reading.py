"""Reading an uploaded .xlsx or .csv into rows of text cells, whatever Excel wrote."""

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from xml.etree import ElementTree

from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries

from services.platform.errors import ImportRejected, RowError
from services.platform.names import clean_text

_XLS_MAGIC = b"\xd0\xcf\x11\xe0"
_ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class Table:
    """Cells as text; `rows[i]` is the file's row number `i + 1`."""

    rows: list[list[str]]


# Far beyond any real roster (a university of 20,000 members is 700 KB and 20,001 rows), and low
# enough that a hostile file is refused within seconds and a bounded amount of memory.
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # an .xlsx is a zip: what its parts would unpack to
MAX_ROWS = 50_000
MAX_COLUMNS = 100
MAX_MERGED = 10_000


def read_table(filename: str, data: bytes) -> Table:
    name = filename.lower()
    if len(data) > MAX_FILE_BYTES:
        raise _reject(f"文件太大（{len(data) / 1048576:.1f} MB）：花名册文件不超过 {MAX_FILE_BYTES // 1048576} MB")
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
    broken = _reject("无法读取该文件：它不是有效的 .xlsx 表格（可能是 Word 文档或已损坏）")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(part.file_size for part in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise _reject(f"文件解压后超过 {MAX_UNPACKED_BYTES // 1048576} MB，不像是花名册，请检查文件")
        # Read-only mode streams the rows instead of building every cell in memory first.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            # The active sheet, or else the first one with anything in it.
            for sheet in dict.fromkeys([workbook.active, *workbook.worksheets]):
                grid = _rows_within_limits(sheet) if sheet is not None else []
                if any(any(row) for row in grid):
                    break
            merged = _merged_ranges(data, sheet._worksheet_path)  # read-only mode keeps none of its own
        finally:
            workbook.close()
    except ImportRejected:
        raise
    except Exception as exc:  # whatever a damaged or hostile file makes the XML and zip readers raise
        raise broken from exc
    if not any(any(row) for row in grid):
        raise _reject("表格里没有内容")
    # A merged cell keeps its value only in the top-left corner; units merge the
    # 党总支 column down over its branches, so every covered cell gets the value.
    for min_col, min_row, max_col, max_row in merged:
        if min_row > len(grid):
            continue
        value = grid[min_row - 1][min_col - 1] if min_col <= len(grid[min_row - 1]) else ""
        for r in range(min_row, min(max_row, len(grid)) + 1):
            row = grid[r - 1]
            row.extend([""] * (max_col - len(row)))
            for c in range(min_col, max_col + 1):
                row[c - 1] = value
    return Table(rows=grid)


def _rows_within_limits(sheet) -> list[list[str]]:
    grid = []
    # Cells up to twice the limit are looked at, to refuse a wider table; beyond that nothing is read.
    for row in sheet.iter_rows(max_col=2 * MAX_COLUMNS, values_only=True):
        if len(grid) == MAX_ROWS:
            raise _reject(f"表格超过 {MAX_ROWS} 行，不像是花名册：请只保留党员名单后再导入")
        if any(v not in (None, "") for v in row[MAX_COLUMNS:]):
            raise _reject(f"表格超过 {MAX_COLUMNS} 列，不像是花名册：请删去多余的列后再导入")
        cells = [_cell_text(v) for v in row[:MAX_COLUMNS]]
        while cells and not cells[-1]:  # a row is as wide as its last value, not as the limit
            cells.pop()
        grid.append(cells)
    while grid and not any(grid[-1]):
        grid.pop()
    return grid


def _merged_ranges(data: bytes, sheet_path: str) -> list[tuple[int, int, int, int]]:
    """The sheet's merged ranges from its XML, streamed, each checked before anything is expanded."""
    ranges = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(sheet_path) as xml:
        for _, element in ElementTree.iterparse(xml):
            if element.tag.endswith("}mergeCell"):
                if len(ranges) == MAX_MERGED:
                    raise _reject(f"表格中的合并单元格超过 {MAX_MERGED} 处，不像是花名册")
                min_col, min_row, max_col, max_row = range_boundaries(element.get("ref", ""))
                if max_row > MAX_ROWS or max_col > MAX_COLUMNS:
                    ref = element.get("ref")
                    raise _reject(f"合并单元格 {ref} 超出了 {MAX_ROWS} 行、{MAX_COLUMNS} 列的范围，请取消合并后再导入")
                ranges.append((min_col, min_row, max_col, max_row))
            element.clear()
    return ranges


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
    rows = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            if len(rows) == MAX_ROWS:
                raise _reject(f"表格超过 {MAX_ROWS} 行，不像是花名册：请只保留党员名单后再导入")
            if len(row) > MAX_COLUMNS and any(row[MAX_COLUMNS:]):
                raise _reject(f"表格超过 {MAX_COLUMNS} 列，不像是花名册：请删去多余的列后再导入")
            rows.append([clean_text(cell) for cell in row[:MAX_COLUMNS]])
    except csv.Error as exc:  # e.g. a field longer than the csv module allows
        raise _reject("无法读取该 CSV 文件：格式有误，请在 Excel 中另存为“CSV UTF-8”后再导入") from exc
    return Table(rows=rows)
