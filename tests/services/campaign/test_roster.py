"""Importing real-shaped rosters: exact members and branches, exact errors, nothing half-written."""

import pytest

from services.ballot import campaign_status
from services.campaign import campaigns, members, org, roster
from services.campaign.org import DIRECT
from services.platform.errors import ImportRejected, InvalidTransition
from tests.factories import ORG, csv_bytes, import_fixture, make_campaign

pytestmark = pytest.mark.usefixtures("database")


def _tree(campaign_id):
    return [(r.parent, r.name, r.full, r.probationary) for r in org.branch_rows(actor=ORG, campaign_id=campaign_id)]


def _names(campaign_id):
    return [(m.branch_name, m.name, m.category) for m in members.list_members(actor=ORG, campaign_id=campaign_id)]


def _errors(excinfo):
    return [(e.row, e.column, e.message) for e in excinfo.value.errors]


def test_xlsx_with_title_rows_merged_cells_and_blank_rows_imports_exact_roster():
    cid = make_campaign()
    report = import_fixture(cid, "roster_title_rows.xlsx")

    assert (report.added, report.changed, report.removed) == (6, 0, 0)
    assert report.ignored_columns == ["出生年月"]
    assert _tree(cid) == [
        ("机关党总支", "党政办党支部", 2, 1),
        ("机关党总支", "财务党支部", 1, 1),
        (DIRECT, "图书馆直属党支部", 1, 0),
    ]
    assert _names(cid) == [
        ("党政办党支部", "王芳", "full"),
        ("党政办党支部", "李明", "full"),
        ("党政办党支部", "迪丽热巴·迪力木拉提", "probationary"),
        ("财务党支部", "张𠀾", "full"),
        ("财务党支部", "陈静", "probationary"),
        ("图书馆直属党支部", "赵刚", "full"),
    ]
    wang = members.list_members(actor=ORG, campaign_id=cid)[0]
    assert (wang.gender, wang.phone, wang.note) == ("女", "13812345678", None)
    zhang = members.list_members(actor=ORG, campaign_id=cid)[3]
    assert zhang.phone == "0511-85551234"


@pytest.mark.parametrize("fixture", ["roster_gbk.csv", "roster_utf8_bom.csv", "roster_gb18030_rare.csv"])
def test_csv_in_every_common_encoding_gives_the_same_roster(fixture):
    cid = make_campaign()
    import_fixture(cid, fixture)
    names = _names(cid)
    assert names[:4] == [
        ("教工党支部", "刘洋", "full"),
        ("教工党支部", "孙丽", "probationary"),
        ("学生党支部", "周强", "full"),
        ("继续教育直属党支部", "吴敏", "full"),
    ]
    assert _tree(cid)[-1] == (DIRECT, "继续教育直属党支部", 1, 0)


def test_character_outside_the_bmp_survives_the_database():
    cid = make_campaign()
    import_fixture(cid, "roster_gb18030_rare.csv")
    assert "王𠀾" in [m.name for m in members.list_members(actor=ORG, campaign_id=cid)]


def test_duplicate_name_in_one_branch_is_rejected_with_both_rows_and_nothing_written():
    cid = make_campaign()
    with pytest.raises(ImportRejected) as excinfo:
        import_fixture(cid, "roster_duplicates.csv")
    assert _errors(excinfo) == [
        (4, "姓名", "“王芳”在教工党支部中与第 2 行重名；如确为两人，请在姓名后加注区分，如“王芳（大）”")
    ]
    assert members.list_members(actor=ORG, campaign_id=cid) == []
    assert org.branch_rows(actor=ORG, campaign_id=cid) == []


def test_missing_required_column_is_named():
    cid = make_campaign()
    with pytest.raises(ImportRejected) as excinfo:
        import_fixture(cid, "roster_missing_columns.csv")
    assert _errors(excinfo) == [(1, "党员类别", "缺少必需的列“党员类别”（表头可写作：党员类别、人员类别、类别）")]


def test_every_bad_row_is_reported_with_row_and_column():
    cid = make_campaign()
    with pytest.raises(ImportRejected) as excinfo:
        import_fixture(cid, "roster_bad_rows.xlsx")
    assert _errors(excinfo) == [
        (3, "姓名", "姓名为空"),
        (4, "党员类别", "无法识别的党员类别“入党积极分子”，应填“正式党员”或“预备党员”"),
        (5, "性别", "无法识别的性别“F”，应填“男”或“女”"),
        (6, "党支部", "党支部为空"),
    ]
    assert members.list_members(actor=ORG, campaign_id=cid) == []


@pytest.mark.parametrize(
    ("fixture", "message"),
    [
        ("roster_legacy.xls", "这是旧版 Excel（.xls）文件，请在 Excel 中“另存为” .xlsx 格式后再导入"),
        ("roster_not_excel.xlsx", "无法读取该文件：它不是有效的 .xlsx 表格（可能是 Word 文档或已损坏）"),
        ("roster_empty.csv", "文件是空的，请检查是否选错了文件"),
    ],
)
def test_files_that_are_not_rosters_are_refused_plainly(fixture, message):
    cid = make_campaign()
    with pytest.raises(ImportRejected) as excinfo:
        import_fixture(cid, fixture)
    assert _errors(excinfo) == [(None, None, message)]


def test_header_only_file_says_there_is_no_data():
    cid = make_campaign()
    with pytest.raises(ImportRejected) as excinfo:
        roster.import_roster_file(
            actor=ORG, campaign_id=cid, filename="r.csv", data=csv_bytes([["姓名", "党支部", "党员类别"], ["", "", ""]])
        )
    assert _errors(excinfo) == [(1, None, "表头下面没有党员数据")]


def test_reimporting_the_same_file_changes_nothing():
    cid = make_campaign()
    import_fixture(cid, "roster_title_rows.xlsx")
    before = members.list_members(actor=ORG, campaign_id=cid)
    report = import_fixture(cid, "roster_title_rows.xlsx")
    assert (report.added, report.changed, report.removed, report.unchanged) == (0, 0, 0, 6)
    assert members.list_members(actor=ORG, campaign_id=cid) == before


def test_corrected_roster_updates_in_place_and_reports_the_difference():
    cid = make_campaign()
    import_fixture(cid, "roster_gbk.csv")
    zhou_before = next(m for m in members.list_members(actor=ORG, campaign_id=cid) if m.name == "周强")

    report = import_fixture(cid, "roster_corrected.csv")

    assert (report.added, report.changed, report.removed, report.unchanged) == (1, 2, 1, 1)
    after = {m.name: m for m in members.list_members(actor=ORG, campaign_id=cid)}
    assert sorted(after) == ["何静", "刘洋", "吴敏", "周强"]
    assert after["刘洋"].phone == "13899998888"
    assert after["周强"].branch_name == "教工党支部"
    assert after["周强"].id == zhou_before.id  # moved, not deleted and re-added
    assert _tree(cid) == [
        ("机电学院党总支", "教工党支部", 2, 0),
        ("机电学院党总支", "学生党支部", 0, 1),
        (DIRECT, "继续教育直属党支部", 1, 0),
    ]


def test_branches_left_empty_by_a_reimport_disappear():
    cid = make_campaign()
    import_fixture(cid, "roster_gbk.csv")
    rows = [["姓名", "党支部", "党员类别"], ["刘洋", "教工党支部", "正式党员"]]
    roster.import_roster_file(actor=ORG, campaign_id=cid, filename="r.csv", data=csv_bytes(rows))
    assert _tree(cid) == [(DIRECT, "教工党支部", 1, 0)]


def test_a_rejected_reimport_leaves_the_previous_roster_untouched():
    cid = make_campaign()
    import_fixture(cid, "roster_gbk.csv")
    before = members.list_members(actor=ORG, campaign_id=cid)
    with pytest.raises(ImportRejected):
        import_fixture(cid, "roster_bad_rows.xlsx")
    assert members.list_members(actor=ORG, campaign_id=cid) == before


def test_rosters_are_snapshots_per_campaign():
    last_year = make_campaign()
    import_fixture(last_year, "roster_gbk.csv")
    this_year = make_campaign(
        title="2021年度民主评议党员", year=2021, deadline=__import__("datetime").date(2022, 3, 20)
    )
    import_fixture(this_year, "roster_corrected.csv")
    assert [m.name for m in members.list_members(actor=ORG, campaign_id=last_year)] == ["刘洋", "孙丽", "周强", "吴敏"]
    assert (
        next(m for m in members.list_members(actor=ORG, campaign_id=last_year) if m.name == "刘洋").phone
        == "13811112222"
    )


def test_tree_of_any_depth_from_a_committee_column():
    cid = make_campaign()
    rows = [
        ["姓名", "二级党委", "党总支", "党支部", "类别"],
        ["甲一", "机电学院党委", "教工党总支", "教工一支部", "正式"],
        ["乙二", "机电学院党委", "", "学生支部", "预备"],
        ["丙三", "", "", "后勤支部", "正式"],
    ]
    roster.import_roster_file(actor=ORG, campaign_id=cid, filename="deep.csv", data=csv_bytes(rows))
    assert _tree(cid) == [
        ("机电学院党委 / 教工党总支", "教工一支部", 1, 0),
        ("机电学院党委", "学生支部", 0, 1),
        (DIRECT, "后勤支部", 1, 0),
    ]
    assert campaigns.get_campaign(actor=ORG, campaign_id=cid).branches == 3


def test_import_is_refused_once_the_campaign_is_closed():
    cid = make_campaign()
    campaign_status.set_status(actor=ORG, campaign_id=cid, status="open")
    campaign_status.set_status(actor=ORG, campaign_id=cid, status="closed")
    with pytest.raises(InvalidTransition, match="已结束或归档"):
        import_fixture(cid, "roster_gbk.csv")


def test_flags_and_party_group_columns_are_read():
    cid = make_campaign()
    rows = [
        ["姓名", "党支部", "党员类别", "党小组", "是否党员领导干部", "流动党员", "年老体弱", "备注"],
        ["甲", "一支部", "正式党员", "第一党小组", "是", "", "√", "住院"],
        ["乙", "一支部", "正式党员", "", "否", "是", "", ""],
    ]
    roster.import_roster_file(actor=ORG, campaign_id=cid, filename="f.csv", data=csv_bytes(rows))
    a, b = members.list_members(actor=ORG, campaign_id=cid)
    assert (a.party_group, a.is_leading_cadre, a.is_away, a.is_elderly_ill, a.note) == (
        "第一党小组",
        True,
        False,
        True,
        "住院",
    )
    assert (b.is_leading_cadre, b.is_away, b.is_elderly_ill) == (False, True, False)


def test_unreadable_flag_value_is_reported():
    cid = make_campaign()
    rows = [["姓名", "党支部", "党员类别", "流动党员"], ["甲", "一支部", "正式党员", "也许"]]
    with pytest.raises(ImportRejected) as excinfo:
        roster.import_roster_file(actor=ORG, campaign_id=cid, filename="f.csv", data=csv_bytes(rows))
    assert _errors(excinfo) == [(2, "流动党员", "“也许”无法识别，应填“是”或留空")]


def test_a_name_used_for_two_kinds_of_unit_is_refused():
    cid = make_campaign()
    rows = [["姓名", "党总支", "党支部", "党员类别"], ["甲", "机关", "一支部", "正式"], ["乙", "", "机关", "正式"]]
    with pytest.raises(ImportRejected) as excinfo:
        roster.import_roster_file(actor=ORG, campaign_id=cid, filename="r.csv", data=csv_bytes(rows))
    assert _errors(excinfo) == [(3, "党支部", "“机关”在表中既是党总支又是党支部，请改用不同的名称")]


def test_overlong_fields_are_row_errors_not_crashes():
    cid = make_campaign()
    rows = [
        ["姓名", "党支部", "党员类别", "联系电话", "党小组"],
        ["甲", "一支部", "正式", "(010)-6123-4567/(0512)-8765-4321", ""],
        ["乙", "一支部", "正式", "", "第" * 61],
    ]
    with pytest.raises(ImportRejected) as excinfo:
        roster.import_roster_file(actor=ORG, campaign_id=cid, filename="r.csv", data=csv_bytes(rows))
    assert _errors(excinfo) == [
        (2, "联系电话", "电话号码过长（超过 30 个字符），只填一个号码即可"),
        (3, "党小组", "党小组名称过长（超过 60 个字）"),
    ]


def test_footers_in_the_name_column_and_slashes_in_names_are_handled():
    cid = make_campaign()
    rows = [
        ["姓名", "党支部", "党员类别"],
        ["甲", "教工/行政支部", "正式"],
        ["制表人：王五", "", ""],
        ["合计：1人", "", ""],
    ]
    report = roster.import_roster_file(actor=ORG, campaign_id=cid, filename="r.csv", data=csv_bytes(rows))
    assert report.added == 1
    assert _tree(cid) == [(DIRECT, "教工／行政支部", 1, 0)]


def test_exported_cells_never_become_formulas():
    from services.sheets.cells import safe

    assert safe('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert safe("王芳") == "王芳"
    assert safe(3) == 3


def test_a_real_shaped_roster_with_a_total_in_its_first_column_imports_and_a_half_row_is_refused():
    import io

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["机关党总支党员花名册"])
    ws.merge_cells("A1:F1")
    ws.append(["序号", "姓名", "性别", "党总支", "党支部", "党员类别"])
    ws.append([1, "王芳", "女", "机关党总支", "党政办公室党支部", "正式党员"])
    ws.append([2, "李明", "男", None, "党政办公室党支部", "预备党员"])
    ws.merge_cells("D3:D4")
    ws.append(["合计", "2人", None, None, None, None])  # the total sits in the 序号 column
    ws.append([None, None, None, "制表人：张虹", None, None])
    ws.append([None, "审核：组织部", None, None, None, None])
    out = io.BytesIO()
    wb.save(out)
    cid = make_campaign()
    report = roster.import_roster_file(actor=ORG, campaign_id=cid, filename="花名册.xlsx", data=out.getvalue())
    assert (report.added, report.full, report.probationary) == (2, 1, 1)

    ws.append([3, "张伟", "男", None, None, None])  # looks like a member, lacks branch and category
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(ImportRejected) as refused:
        roster.import_roster_file(actor=ORG, campaign_id=cid, filename="花名册.xlsx", data=out.getvalue())
    assert {(e.row, e.column) for e in refused.value.errors} == {(8, "党支部"), (8, "党员类别")}


def test_an_id_number_column_is_kept_for_matching_and_never_handed_out():
    import io

    from openpyxl import load_workbook
    from sqlmodel import select

    from models import Member
    from services.campaign import roster_export
    from services.platform import db

    cid = make_campaign()
    rows = [["姓名", "党支部", "党员类别", "身份证号"], ["王芳", "第一党支部", "正式党员", "11010119900101123x"]]
    roster.import_roster_file(actor=ORG, campaign_id=cid, filename="r.csv", data=csv_bytes(rows))
    with db.session_scope() as session:
        assert session.exec(select(Member.person_id)).all() == ["11010119900101123X"]
    [listed] = members.list_members(actor=ORG, campaign_id=cid)
    assert not hasattr(listed, "person_id")
    sheet = load_workbook(io.BytesIO(roster_export.roster_sheet(actor=ORG, campaign_id=cid))).active
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "王芳" in cells and not any("1101011990" in c for c in cells)
