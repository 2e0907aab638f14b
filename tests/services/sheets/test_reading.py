"""Hostile or absurd roster files are refused within a bounded amount of memory, with a message
naming the limit, and nothing is written."""

import io
import tracemalloc
import zipfile

import pytest
from openpyxl import Workbook

from services.platform.errors import ImportRejected
from services.sheets import reading
from services.sheets.reading import read_table


def _xlsx(build) -> bytes:
    wb = Workbook()
    build(wb.active)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _refused(filename: str, data: bytes) -> tuple[str, int]:
    tracemalloc.start()
    with pytest.raises(ImportRejected) as refused:
        read_table(filename, data)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return str(refused.value), peak


def _with_merged_range(data: bytes, ref: str) -> bytes:
    """The workbook with one merged range written straight into its sheet XML (openpyxl itself
    would build a cell object for every cell of a huge range)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                merged = f'</sheetData><mergeCells count="1"><mergeCell ref="{ref}"/></mergeCells>'
                content = content.replace(b"</sheetData>", merged.encode())
            target.writestr(item, content)
    return out.getvalue()


def test_one_merged_range_over_the_whole_sheet_is_refused_without_expanding_it():
    data = _with_merged_range(_xlsx(lambda ws: ws.append(["姓名", "党支部", "党员类别"])), "K1:XFD1048576")
    assert len(data) < 20_000
    message, peak = _refused("r.xlsx", data)
    assert "合并单元格 K1:XFD1048576 超出了 50000 行、100 列的范围" in message
    assert peak < 50 << 20


def test_too_many_rows_are_refused_at_the_limit(monkeypatch):
    monkeypatch.setattr(reading, "MAX_ROWS", 2_000)

    def build(ws):
        for i in range(2_500):
            ws.append([f"党员{i}", "第一党支部", "正式党员"])

    message, _ = _refused("r.xlsx", _xlsx(build))
    assert "表格超过 2000 行" in message


def test_too_many_columns_are_refused():
    message, _ = _refused("r.xlsx", _xlsx(lambda ws: ws.append(["姓名"] + [""] * 150 + ["多余"])))
    assert "表格超过 100 列" in message


def test_a_file_over_the_size_limit_is_refused_before_reading():
    message, peak = _refused("r.csv", b"a" * (reading.MAX_FILE_BYTES + 1))
    assert "花名册文件不超过 10 MB" in message
    assert peak < 1 << 20


def test_a_zip_that_would_unpack_to_gigabytes_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b"\\x20" * (300 << 20))
    message, peak = _refused("r.xlsx", out.getvalue())
    assert "解压后超过 200 MB" in message
    assert peak < 50 << 20


def test_malformed_xml_gets_a_plain_message_not_a_traceback():
    good = _xlsx(lambda ws: ws.append(["姓名", "党支部", "党员类别"]))
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content[: len(content) // 2]  # cut off mid-element
            target.writestr(item, content)
    message, _ = _refused("r.xlsx", broken.getvalue())
    assert "不是有效的 .xlsx 表格" in message


def test_a_csv_with_too_many_rows_is_refused(monkeypatch):
    monkeypatch.setattr(reading, "MAX_ROWS", 1_000)
    data = ("姓名,党支部,党员类别\n" + "甲,第一党支部,正式党员\n" * 1_500).encode()
    message, _ = _refused("r.csv", data)
    assert "表格超过 1000 行" in message


def test_the_dashboard_uploader_takes_no_more_than_the_roster_reader_accepts():
    import tomllib

    from tests.conftest import ROOT

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] * 1024 * 1024 == reading.MAX_FILE_BYTES
