"""The filed sheets as a reviewer reads them: shading and bold kept, numbers as numbers, totals named for the
exporting unit, and (where LibreOffice is installed) every header printed whole."""

import io
import re
import shutil
import subprocess
import zipfile

import pytest
from openpyxl import load_workbook

from services.filing import bundle
from services.filing.summary import FLAG, HEADER
from services.sheets.figures import PERCENT_FORMAT
from tests.services.filing.test_filing import FIRST, ORG, TODAY, committee  # noqa: F401 (the fixture)

pytestmark = pytest.mark.usefixtures("database")
SUMMARY = "民主评议党员情况统计表.xlsx"
BRANCH = f"机关党总支/{TODAY.year}年度民主评议党员_第一党支部.xlsx"
TURNOUT = HEADER.index("参评率")


def _archive(**kw) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(bundle.bundle(actor=ORG, today=TODAY, **kw).data))


def _rows(archive: zipfile.ZipFile) -> dict:
    sheet = load_workbook(io.BytesIO(archive.read(SUMMARY))).active
    return {row[0].value: row for row in sheet.iter_rows() if row[0].value}


def test_the_saved_summary_keeps_its_shading_and_bold_with_numbers_right_aligned(committee):  # noqa: F811
    cid, _ = committee
    rows = _rows(_archive(campaign_id=cid))
    low = rows["图书馆直属党支部"][TURNOUT]  # voting open, no ballot yet: 0 % is below the floor
    assert low.value == 0 and low.fill.fgColor.rgb == "00" + FLAG.fgColor.rgb[-6:]
    assert rows["第一党支部"][TURNOUT].fill.fgColor.rgb == low.fill.fgColor.rgb  # 75 %
    subtotal = rows["机关党总支 小计"]
    assert all(cell.font.b for cell in subtotal) and all(cell.font.b for cell in rows["江海学院党委合计"])
    turnout = rows["第一党支部"][TURNOUT]
    assert (turnout.value, turnout.data_type, turnout.number_format) == (0.75, "n", PERCENT_FORMAT)
    assert turnout.alignment.horizontal == "right" and rows["第一党支部"][1].alignment.horizontal == "right"
    header = rows["党支部"][0].parent.row_dimensions[rows["党支部"][0].row].height
    assert header >= 35  # "不评定等次" wraps to two lines: 22 pt printed one


def test_a_general_branch_export_names_its_own_total_and_seal(committee):  # noqa: F811
    cid, _ = committee
    archive = _archive(campaign_id=cid, within="机关党总支")
    rows = _rows(archive)
    assert "机关党总支合计" in rows and not any("党委" in str(label) for label in rows)
    total = rows["机关党总支合计"]
    assert [c.value for c in total[1:9]] == [11, 10, 1, 0, 11, 6, 0.75, 1]  # 1 branch not yet voting, beside


_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')


def _printed_cells(data: bytes, name: str, tmp_path) -> list[tuple[str, bool]]:
    """The text of each printed cell as LibreOffice lays it out (the words stacked in one cell — one left edge
    or one centre, one line below the other — joined), and whether it stays below the 填报单位 line above the
    table. A row too low for its wrapped text spills it over the rows around it (LibreOffice), or shows its
    first line only (Excel): either way the header is not whole in its own row."""
    source = tmp_path / name
    source.write_bytes(data)
    subprocess.run(
        [shutil.which("soffice") or "libreoffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    xml = subprocess.run(["pdftotext", "-bbox", str(source.with_suffix(".pdf")), "-"], check=True,
                         capture_output=True, text=True).stdout  # fmt: skip
    cells = []
    for page in xml.split("<page ")[1:]:
        words = [(float(x0), float(y0), float(x1), float(y1), text) for x0, y0, x1, y1, text in _WORD.findall(page)]
        above = min((w[3] for w in words if w[4].startswith("填报单位")), default=0.0)  # the line over the table
        for x0, y0, x1, _, _ in words:
            stacked = sorted(
                (w for w in words if 0 <= w[1] - y0 < 30 and (abs(w[0] - x0) < 1 or abs(w[0] + w[2] - x0 - x1) < 2)),
                key=lambda w: w[1],
            )
            cells.append(("".join(w[4] for w in stacked), y0 >= above))
    return cells


def _whole(word: str, cells: list[tuple[str, bool]]) -> bool:
    return any(word in text and clear for text, clear in cells)


@pytest.mark.skipif(
    not (shutil.which("soffice") or shutil.which("libreoffice")) or not shutil.which("pdftotext"),
    reason="LibreOffice (soffice) and pdftotext (poppler-utils) are not installed: the printed check is skipped",
)
def test_printed_through_libreoffice_every_header_word_is_whole(committee, tmp_path):  # noqa: F811
    """A wrapped header in a row too low prints its first line only: the word is then cut in the PDF's text."""
    cid, _ = committee
    archive = _archive(campaign_id=cid)
    printed = _printed_cells(archive.read(SUMMARY), "summary.xlsx", tmp_path)
    missing = [word for word in HEADER if not _whole(word, printed)]
    assert not missing, missing
    branch = load_workbook(io.BytesIO(archive.read(BRANCH)), read_only=True)
    headers = {"民主测评统计表": 3, "民主评议结果": 3, "整改清单": 3}  # the header row of each
    words = [c for title, at in headers.items() for c in next(branch[title].iter_rows(min_row=at, max_row=at,
             values_only=True)) if c]  # fmt: skip
    printed = _printed_cells(archive.read(BRANCH), "branch.xlsx", tmp_path)
    assert "优秀%" in words and not [w for w in words if not _whole(w, printed)], words
