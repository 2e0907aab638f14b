"""Results and grading from the command line: the results sheet, filled in, goes back as it is."""

import io
import json
from datetime import date

import pytest
from openpyxl import load_workbook

from services.grading import final_grades, results
from services.grading.results_sheet import results_workbook
from tests.factories import ORG, PROBATIONARY, make_account, make_voted_branch
from tests.test_cli import manage

pytestmark = pytest.mark.usefixtures("database")


def _filled_sheet(cid: int, path: str, grades: dict[str, tuple]) -> bytes:
    """The downloaded 民主测评统计表 with its 评定格次 / 理由 / 组织处置 / 处置说明 columns filled in."""
    found = results.branch_results(actor=ORG, campaign_id=cid, branch_path=path)
    wb = load_workbook(io.BytesIO(results_workbook(found, today=date(2021, 1, 20))))
    ws = wb.active
    header = next(r for r in ws.iter_rows() if r[1].value == "姓名")
    column = {cell.value: cell.column for cell in header}
    for row in ws.iter_rows(min_row=header[0].row + 1):
        name = row[1].value
        if name in grades:
            for label, value in zip(("评定格次", "理由", "组织处置", "处置说明"), grades[name], strict=False):
                ws.cell(row[0].row, column[label], value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


GOOD = {
    "王芳": ("优秀",),
    "李明": ("优秀",),
    "张伟": ("合格",),
    "刘洋": ("基本合格",),
    "陈静": ("合格",),
    "杨帆": ("不合格", None, "限期改正", "三个月内改正"),
    "赵刚": ("合格",),
}


def test_results_print_counts_suggestions_and_probationary_members():
    cid, _, _ = make_voted_branch()
    shown = manage("results", "--campaign", str(cid), "--branch", "第一党支部")
    assert shown.returncode == 0, shown.stderr
    assert "收回 8 张（网上 6，纸质 1，废票 1），参评率 100%；优秀名额 2 人" in shown.stdout
    assert "王芳\t5\t2\t0\t0\t优秀\t-" in shown.stdout
    assert f"{PROBATIONARY}\t预备党员，不评定等次" in shown.stdout
    document = json.loads(manage("results", "--campaign", str(cid), "--branch", "第一党支部", "--json").stdout)
    assert [m["suggested"] for m in document["members"]][:3] == ["excellent", "excellent", "qualified"]
    assert document["state"] == "not_started" and document["probationary"] == [PROBATIONARY]


def test_the_downloaded_sheet_filled_in_sets_the_grades_then_submit_and_approve(tmp_path):
    cid, path, _ = make_voted_branch()
    sheet = tmp_path / "grades.xlsx"
    sheet.write_bytes(_filled_sheet(cid, path, GOOD))
    saved = manage("set-grades", "--campaign", str(cid), "--branch", "第一党支部", "--file", str(sheet))
    assert saved.returncode == 0, saved.stderr
    assert "7 / 7 名正式党员已评定" in saved.stdout
    found = results.branch_results(actor=ORG, campaign_id=cid, branch_path=path)
    assert [r.final.grade for r in found.rows] == [
        "excellent", "excellent", "qualified", "basically_qualified", "qualified", "unqualified", "qualified",
    ]  # fmt: skip
    assert found.rows[5].final.disposition == "限期改正"
    secretary = make_account("branch_secretary", path)
    final_grades.submit_grades(actor=secretary, campaign_id=cid, branch_path=path)
    assert "\t待审批" in manage("progress", "--campaign", str(cid)).stdout
    assert manage("approve-grades", "--campaign", str(cid), "--branch", "第一党支部").returncode == 0
    assert results.branch_results(actor=ORG, campaign_id=cid, branch_path=path).state == "approved"
    assert "\t已审批" in manage("progress", "--campaign", str(cid)).stdout


def test_the_command_line_cannot_approve_what_it_submitted_and_can_return_it(tmp_path):
    cid, path, _ = make_voted_branch()
    sheet = tmp_path / "grades.xlsx"
    sheet.write_bytes(_filled_sheet(cid, path, GOOD))
    manage("set-grades", "--campaign", str(cid), "--branch", "第一党支部", "--file", str(sheet))
    assert manage("submit-grades", "--campaign", str(cid), "--branch", "第一党支部").returncode == 0
    own = manage("approve-grades", "--campaign", str(cid), "--branch", "第一党支部")
    assert own.returncode == 1 and "不能审批自己报送的评定格次" in own.stderr
    general = make_account("general_branch_secretary", "机关党总支")
    final_grades.return_grades(actor=general, campaign_id=cid, branch_path=path, comment="请补充刘洋的理由")
    assert results.branch_results(actor=ORG, campaign_id=cid, branch_path=path).state == "returned"


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"陈静": ("很好",)}, "“评定格次”列：陈静：“很好”不是评定格次"),
        ({PROBATIONARY: ("合格",)}, f"{PROBATIONARY}是预备党员：预备党员参加民主评议，但不评定等次"),
        ({"杨帆": ("不合格",)}, "杨帆：评定为“不合格”，须选择组织处置"),
        ({"张伟": ("优秀",)}, "评为“优秀”的有 3 人（王芳、李明、张伟），超过上限 2 人"),
        ({"陈静": ("基本合格",)}, "陈静：评定为“基本合格”，与建议格次“合格”不同，请填写理由"),
    ],
)
def test_a_bad_sheet_is_refused_with_its_rows_and_saves_nothing(tmp_path, changes, expected):
    cid, path, _ = make_voted_branch()
    sheet = tmp_path / "grades.xlsx"
    sheet.write_bytes(_filled_sheet(cid, path, {**GOOD, **changes}))
    refused = manage("set-grades", "--campaign", str(cid), "--branch", "第一党支部", "--file", str(sheet))
    assert refused.returncode == 2 and expected in refused.stderr, refused.stderr
    row_named = [name for name in changes if name != "张伟"]
    if row_named:
        assert "第 " in refused.stderr  # the row of the file
    found = results.branch_results(actor=ORG, campaign_id=cid, branch_path=path)
    assert all(r.final.grade is None for r in found.rows) and found.state == "not_started"


def test_a_name_not_in_the_branch_is_refused_with_its_row(tmp_path):
    cid, _, _ = make_voted_branch()
    sheet = tmp_path / "grades.csv"
    sheet.write_text("姓名,评定格次\n王芳,优秀\n外人,合格\n", encoding="utf-8")
    refused = manage("set-grades", "--campaign", str(cid), "--branch", "第一党支部", "--file", str(sheet))
    assert refused.returncode == 2 and "第 3 行，“姓名”列：“外人”不是本支部的党员" in refused.stderr


def test_export_writes_the_zip_and_prints_what_is_unfinished(tmp_path):
    import zipfile

    cid, _, _ = make_voted_branch()
    out = tmp_path / "备案.zip"
    made = manage("export", "--campaign", str(cid), "--out", str(out))
    assert made.returncode == 0, made.stderr
    assert "未完成：机关党总支/第一党支部：一、集中学习：尚未记录集中学习" in made.stdout
    names = zipfile.ZipFile(out).namelist()
    assert "民主评议党员情况统计表.xlsx" in names and any(n.endswith("_第一党支部.xlsx") for n in names)
    refused = manage("report", "--campaign", str(cid), "--unit", "机关党总支")
    assert refused.returncode == 1 and "材料尚未完成，不能报送" in refused.stderr
    not_sent = manage("report", "--campaign", str(cid), "--unit", "机关党总支", "--return", "请补充")
    assert not_sent.returncode == 1 and "尚未报送，无需退回" in not_sent.stderr
