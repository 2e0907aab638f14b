"""Results and grading from the command line: the results sheet, filled in, goes back as it is."""

import io
import json
from datetime import date

import pytest
from openpyxl import load_workbook

from services.ballot import casting, voting
from services.grading import final_grades, results
from services.grading.results_sheet import results_workbook
from tests.factories import ORG, PROBATIONARY, all_qualified, make_account, make_voted_branch, make_voting_branch
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
    ],
)
def test_a_sheet_that_cannot_be_stored_is_refused_with_its_rows_and_saves_nothing(tmp_path, changes, expected):
    cid, path, _ = make_voted_branch()
    sheet = tmp_path / "grades.xlsx"
    sheet.write_bytes(_filled_sheet(cid, path, {**GOOD, **changes}))
    refused = manage("set-grades", "--campaign", str(cid), "--branch", "第一党支部", "--file", str(sheet))
    assert refused.returncode == 2 and expected in refused.stderr, refused.stderr
    assert "第 " in refused.stderr  # the row of the file
    found = results.branch_results(actor=ORG, campaign_id=cid, branch_path=path)
    assert all(r.final.grade is None for r in found.rows) and found.state == "not_started"


def test_a_sheet_breaking_the_rules_is_saved_as_the_draft_and_every_problem_is_listed(tmp_path):
    """As 保存草稿 on the page: the draft holds what was entered; submit-grades refuses until it is right."""
    cid, path, _ = make_voted_branch()
    sheet = tmp_path / "grades.xlsx"
    changes = {"杨帆": ("不合格",), "张伟": ("优秀",), "陈静": ("基本合格",)}
    sheet.write_bytes(_filled_sheet(cid, path, {**GOOD, **changes}))
    saved = manage("set-grades", "--campaign", str(cid), "--branch", "第一党支部", "--file", str(sheet))
    assert saved.returncode == 0, saved.stderr
    assert "7 / 7 名正式党员已评定" in saved.stdout and "报送审批前还需修改 5 处：" in saved.stdout
    for expected in (
        "杨帆：评定为“不合格”，须选择组织处置",
        "杨帆：评定为“不合格”，须填写处置说明",
        "评为“优秀”的有 3 人（王芳、李明、张伟），超过上限 2 人（参评正式党员 7 人的三分之一，向下取整）",
        "陈静：评定为“基本合格”，与建议格次“合格”不同，请填写理由",
        "张伟：评定为“优秀”，与建议格次“合格”不同，请填写理由",
    ):
        assert expected in saved.stdout, saved.stdout
    found = results.branch_results(actor=ORG, campaign_id=cid, branch_path=path)
    assert found.state == "draft" and [r.final.grade for r in found.rows][2] == "excellent"
    refused = manage("submit-grades", "--campaign", str(cid), "--branch", "第一党支部")
    assert refused.returncode == 1 and "评定格次未报送审批，共 5 处问题" in refused.stderr
    assert "陈静：评定为“基本合格”" in refused.stderr


def test_a_name_not_in_the_branch_is_refused_with_its_row(tmp_path):
    cid, _, _ = make_voted_branch()
    sheet = tmp_path / "grades.csv"
    sheet.write_text("姓名,评定格次\n王芳,优秀\n外人,合格\n", encoding="utf-8")
    refused = manage("set-grades", "--campaign", str(cid), "--branch", "第一党支部", "--file", str(sheet))
    assert refused.returncode == 2 and "第 3 行，“姓名”列：“外人”不是本支部的党员" in refused.stderr


def _two_away() -> tuple[int, str]:
    """A closed branch where everyone voted online but 杨帆 and 赵刚, whose links went unused."""
    cid, path, links = make_voting_branch(full=7)
    for link in links[:6]:  # roster order: 王芳, 李明, 孙丽 (probationary), 张伟, 刘洋, 陈静
        casting.cast_ballot(link.token, all_qualified(link.token))
    voting.close_voting(actor=ORG, campaign_id=cid, branch_path=path)
    return cid, path


def test_a_reason_in_the_sheet_marks_the_member_not_taking_part_and_results_json_says_who_takes_part(tmp_path):
    cid, _ = _two_away()
    sheet = tmp_path / "grades.csv"
    sheet.write_text("姓名,评定格次,未参加评议原因\n王芳,合格,\n杨帆,,重病\n赵刚,,其他：长期外派\n", encoding="utf-8")
    saved = manage("set-grades", "--campaign", str(cid), "--branch", "第一党支部", "--file", str(sheet))
    assert saved.returncode == 0, saved.stderr
    assert "1 / 5 名正式党员已评定" in saved.stdout
    assert "未参加评议（不评定格次）：杨帆（重病）、赵刚（其他：长期外派）" in saved.stdout
    assert "还有 4 名正式党员未评定格次：李明、张伟、刘洋、陈静" in saved.stdout
    document = json.loads(manage("results", "--campaign", str(cid), "--branch", "第一党支部", "--json").stdout)
    assert (document["cap"], document["cap_base"], document["cap_base_count"]) == (1, "full", 5)
    assert document["cap_rule"] == "“优秀”名额：参评正式党员 5 人的三分之一，向下取整为 1 人"
    assert document["voters"] == 6 and document["turnout"] == 1.0  # 8 on the roster, 2 not taking part
    assert {m["name"]: m["takes_part"] for m in document["members"]} == {
        "王芳": True, "李明": True, "张伟": True, "刘洋": True, "陈静": True, "杨帆": False, "赵刚": False,
    }  # fmt: skip
    zhao = next(m for m in document["members"] if m["name"] == "赵刚")
    assert (zhao["not_taking_part"], zhao["not_taking_part_reason"], zhao["final"]) == (
        "other", "其他：长期外派", None
    )  # fmt: skip
    assert "票数相同时按较低的等次建议" in document["tie_rule"]
    shown = manage("results", "--campaign", str(cid), "--branch", "第一党支部").stdout
    assert "赵刚\t未参加评议：其他：长期外派" in shown
    assert "“优秀”名额：参评正式党员 5 人的三分之一，向下取整为 1 人" in shown


def test_the_sheets_reasons_are_checked_row_by_row_and_nothing_is_saved(tmp_path):
    cid, path = _two_away()
    sheet = tmp_path / "grades.csv"
    sheet.write_text(
        "姓名,评定格次,未参加评议原因\n王芳,合格,\n杨帆,,其他\n赵刚,合格,失联\n陈静,,出国（境）\n刘洋,,出差\n",
        encoding="utf-8",
    )
    refused = manage("set-grades", "--campaign", str(cid), "--branch", "第一党支部", "--file", str(sheet))
    assert refused.returncode == 2
    assert "第 3 行，“未参加评议原因”列：杨帆：原因为“其他”的，请写明具体原因" in refused.stderr
    assert "第 6 行，“未参加评议原因”列：刘洋：“出差”不是未参加评议的原因" in refused.stderr
    sheet.write_text("姓名,评定格次,未参加评议原因\n王芳,合格,\n赵刚,合格,失联\n", encoding="utf-8")
    refused = manage("set-grades", "--campaign", str(cid), "--branch", "第一党支部", "--file", str(sheet))
    assert refused.returncode == 2 and "第 3 行，“未参加评议原因”列：赵刚：填了未参加评议原因" in refused.stderr
    sheet.write_text("姓名,评定格次,未参加评议原因\n王芳,合格,\n陈静,,出国（境）\n", encoding="utf-8")
    refused = manage("set-grades", "--campaign", str(cid), "--branch", "第一党支部", "--file", str(sheet))
    assert refused.returncode == 2 and "第 3 行，“未参加评议原因”列：陈静已经通过投票链接投票" in refused.stderr
    found = results.branch_results(actor=ORG, campaign_id=cid, branch_path=path)
    assert found.not_taking_part == [] and all(r.final.grade is None for r in found.rows)  # nothing half-saved


def test_export_writes_the_zip_and_prints_what_is_unfinished(tmp_path):
    import zipfile

    cid, _, _ = make_voted_branch()
    out = tmp_path / "备案.zip"
    made = manage("export", "--campaign", str(cid), "--out", str(out))
    assert made.returncode == 0, made.stderr
    assert "未完成：机关党总支/第一党支部：一、集中学习：尚未记录集中学习" in made.stdout
    names = zipfile.ZipFile(out).namelist()
    assert "民主评议党员情况统计表.xlsx" in names and any(n.endswith("_第一党支部.xlsx") for n in names)
    assert not any("党性分析材料" in n for n in names)  # the list is in the workbook; the texts only on request
    texts = manage("export", "--campaign", str(cid), "--out", str(out), "--self-reviews")
    assert texts.returncode == 0, texts.stderr
    assert "机关党总支/党性分析材料_第一党支部.html" in zipfile.ZipFile(out).namelist()
    refused = manage("report", "--campaign", str(cid), "--unit", "机关党总支")
    assert refused.returncode == 1 and "材料尚未完成，不能报送" in refused.stderr
    not_sent = manage("report", "--campaign", str(cid), "--unit", "机关党总支", "--return", "请补充")
    assert not_sent.returncode == 1 and "尚未报送，无需退回" in not_sent.stderr
