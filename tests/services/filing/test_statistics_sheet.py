"""党内统计_民主评议党员.xlsx in the filing ZIP, beside the summary: the 年报's table per unit and in all, the
reasons of 未参加评议, the 组织处置 by kind and last year's 限期改正 by name with their outcome — print-ready A4."""

import io
import zipfile
from datetime import date

import pytest
from openpyxl import load_workbook

from services.filing import bundle, statistics_sheet
from services.grading import disposition_cases, taking_part
from services.records import statistics
from tests.factories import ORG, make_account
from tests.services.records.test_statistics import DECIDED, IDS, _approve, _graded

pytestmark = pytest.mark.usefixtures("database")
TODAY = date.today()


def _two_years() -> int:
    last, path, ids = _graded(year=TODAY.year - 1, person_ids=IDS)
    disposition_cases.save_steps(actor=ORG, campaign_id=last, branch_path=path, member_id=ids["杨帆"], steps=DECIDED)
    _approve(last, path)
    cid, path, ids = _graded(person_ids=IDS)
    taking_part.mark_not_taking_part(actor=ORG, campaign_id=cid, branch_path=path, member_id=ids["赵刚"],
                                     reason="abroad")  # fmt: skip
    _approve(cid, path)
    return cid


def _sheet(actor, cid: int, **kw):
    made = bundle.bundle(actor=actor, campaign_id=cid, today=TODAY, **kw)
    archive = zipfile.ZipFile(io.BytesIO(made.data))
    cover = load_workbook(io.BytesIO(archive.read("00_封面与目录.xlsx"))).active
    listed = [row[1] for row in cover.iter_rows(values_only=True)]
    assert statistics_sheet.FILE_NAME in listed  # the cover lists it
    return load_workbook(io.BytesIO(archive.read(statistics_sheet.FILE_NAME)))


def test_the_zip_holds_the_statistics_sheet_with_the_years_figures_and_last_years_corrections():
    cid = _two_years()
    book = _sheet(ORG, cid)
    ws = book["民主评议党员"]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    header = rows[2]
    assert header == statistics_sheet.HEADER and header[3] == "参加评议的党员" and header[-3] == "组织处置：限期改正"
    unit = dict(zip(header, rows[3], strict=True))
    total = dict(zip(header, rows[4], strict=True))
    assert (unit["单位"], unit["党支部数"], unit["党员总数"], unit["参加评议的党员"], unit["其中预备党员"]) == (
        "机关党总支", 1, 8, 7, 1
    )  # fmt: skip
    assert unit["评为不合格"] == 1 and unit["组织处置：限期改正"] == 1 and unit["未参加评议"] == 1
    assert sum(unit[f"评为{g}"] for g in ("优秀", "合格", "基本合格", "不合格")) == 6 and unit["尚未审批"] == 0
    assert total["单位"] == "合计" and list(total.values())[1:] == list(unit.values())[1:]
    found = statistics.statistics(actor=ORG, campaign_id=cid)
    assert rows[3] == statistics_sheet.figures_row(found.units[0])  # the page's row, the sheet's row
    at = next(i for i, r in enumerate(rows) if r[0] == "未参加评议的原因")
    assert rows[at + 1][:3] == ["单位", "出国（境）", "合计"] and rows[at + 2][:3] == ["机关党总支", 1, 1]
    assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.orientation == "landscape"
    assert ws.print_title_rows == "$3:$3" and ws.oddFooter.center.text
    names = [list(r) for r in book["上年度限期改正"].iter_rows(values_only=True)]
    assert names[0][0] == f"上年度（{TODAY.year - 1}年）评为不合格、限期改正的党员及其结果"
    assert names[2] == statistics_sheet.CORRECTION_HEADER
    [(number, name, branch, stage, closed, this_year)] = names[3:]
    assert (number, name, branch, closed) == (1, "杨帆", "机关党总支 / 第一党支部", "否")
    assert stage == found.corrections[0].stage and this_year == "机关党总支 / 第一党支部，本年度评为不合格"


def test_a_general_branch_files_its_own_figures_and_an_empty_name_list_says_so():
    cid, path, _ = _graded()
    _approve(cid, path)
    general = make_account("general_branch_secretary", "机关党总支", username="zz")
    book = _sheet(general, cid, within="机关党总支")
    rows = [list(r) for r in book["民主评议党员"].iter_rows(values_only=True)]
    assert rows[1][0].startswith("填报单位：机关党总支") and rows[3][:3] == ["机关党总支", 1, 8]
    assert rows[4][0] == "机关党总支合计"
    reasons = next(i for i, r in enumerate(rows) if r[0] == "未参加评议的原因")
    assert rows[reasons + 1][0] == "无"
    names = [list(r) for r in book["上年度限期改正"].iter_rows(values_only=True)]
    assert names[1][0].endswith("共 0 人") and names[3][1] == "无"
