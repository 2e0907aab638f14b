"""The roster template as an organizer uses it: saved, opened, filled below the examples, saved again and
imported — every column the importer reads is in it, and the two example rows never become members."""

import pytest
from openpyxl import load_workbook

from services.campaign import members, roster
from services.campaign.roster_preview import preview_roster_file
from services.campaign.roster_reader import COLUMNS, read_roster
from services.campaign.roster_template import SHEET, template_workbook
from services.platform.names import normalize_header
from tests.factories import ORG, make_campaign

pytestmark = pytest.mark.usefixtures("database")


def _saved(tmp_path) -> tuple:
    path = tmp_path / "党员花名册模板.xlsx"
    path.write_bytes(template_workbook())
    book = load_workbook(path)
    return path, book


def test_the_template_has_every_column_the_importer_reads_and_two_marked_examples(tmp_path):
    _, book = _saved(tmp_path)
    sheet = book[SHEET]
    assert book.active.title == SHEET
    headers = [c.value for c in sheet[2]]
    aliases = {alias: field for field, (_, names) in COLUMNS.items() for alias in names}
    read_as = [aliases.get(normalize_header(h)) for h in headers]
    assert read_as[0] is None and headers[0] == "序号"
    assert sorted(f for f in read_as if f) == sorted(COLUMNS)  # each field once, none missing
    assert [h for h in headers if "必填" in h] == ["姓名（必填）", "党支部（必填）", "党员类别（必填）"]
    examples = [[c.value for c in row] for row in sheet.iter_rows(min_row=3, max_row=4)]
    assert [(r[0], r[1]) for r in examples] == [("示例", "张三"), ("示例", "李四")]
    assert "导入时自动跳过" in sheet["A1"].value
    rules = {str(v.sqref).split(":")[0][0]: v.formula1 for v in sheet.data_validations.dataValidation}
    assert rules["F"] == '"正式党员,预备党员"' and rules["G"] == '"男,女"'
    assert [row[0].value for row in book["填写说明"].iter_rows(min_row=2, max_row=len(headers) + 1)] == headers


def test_a_filled_template_reads_back_through_the_importer_without_its_examples(tmp_path):
    path, book = _saved(tmp_path)
    sheet = book[SHEET]
    filled = [
        [
            1,
            "王芳",
            "",
            "机关党总支",
            "第一党支部",
            "正式党员",
            "女",
            "13812345678",
            "第一党小组",
            "是",
            "",
            "",
            "",
            "",
        ],
        [2, "陈静", "", "", "图书馆直属党支部", "预备党员", "", "", "", "", "", "是", "320102198001011234", "请假"],
    ]
    for offset, values in enumerate(filled):
        for column, value in enumerate(values, start=1):
            sheet.cell(5 + offset, column, value)
    book.save(path)

    read = read_roster(path.name, path.read_bytes())
    assert read.examples_skipped == 2 and read.ignored_columns == []
    assert [(r.row, r.branch_path, r.name, r.category) for r in read.rows] == [
        (5, "机关党总支/第一党支部", "王芳", "full"),
        (6, "图书馆直属党支部", "陈静", "probationary"),
    ]
    wang, chen = read.rows
    assert (wang.gender, wang.phone, wang.party_group, wang.is_leading_cadre) == (
        "女",
        "13812345678",
        "第一党小组",
        True,
    )
    assert (chen.is_elderly_ill, chen.person_id, chen.note) == (True, "320102198001011234", "请假")

    cid = make_campaign()
    report = roster.import_roster_file(actor=ORG, campaign_id=cid, filename=path.name, data=path.read_bytes())
    assert report.added == 2
    assert [m.name for m in members.list_members(actor=ORG, campaign_id=cid)] == ["王芳", "陈静"]


def test_the_template_as_downloaded_says_only_examples_are_in_it(tmp_path):
    path, _ = _saved(tmp_path)
    shown = preview_roster_file(actor=ORG, campaign_id=make_campaign(), filename=path.name, data=path.read_bytes())
    assert [p.message for p in shown.problems] == ["表中只有示例行，请在示例行下面填写本单位的党员"]
    assert shown.added == [] and not shown.can_import
