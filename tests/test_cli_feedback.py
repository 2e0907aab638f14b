"""Feedback recorded in bulk from the command line (`record-feedback`), and shown by `results --json`."""

import io
import json
from datetime import datetime

import pytest
from openpyxl import Workbook

from services.grading import feedback_records
from tests.factories import ORG, PROBATIONARY
from tests.services.grading.test_feedback_records import approved_branch
from tests.test_cli import manage

pytestmark = pytest.mark.usefixtures("database")

GOOD = [
    ["王芳", "2021-01-08", "集体反馈", "王书记"],
    ["李明", "2021/1/8", "集体反馈", "王书记"],
    ["张伟", "2021年1月8日", "书面通知", "王书记"],
    ["刘洋", "2021-01-09", "个别谈话", "王书记"],
    ["陈静", "2021-01-08", "集体反馈", "王书记"],
    ["杨帆", "2021-01-10", "个别谈话", "王书记、李委员"],
    ["赵刚", "2021-01-08", "集体反馈", "王书记"],
]


def _csv(tmp_path, rows: list[list[str]]):
    path = tmp_path / "反馈.csv"
    path.write_text(
        "\n".join(",".join(r) for r in [["姓名", "日期", "方式", "反馈人"], *rows]) + "\n", encoding="utf-8"
    )
    return path


def _record(cid: int, sheet):
    return manage("record-feedback", "--campaign", str(cid), "--branch", "第一党支部", "--file", str(sheet))


def _missing(cid, path) -> list[str]:
    return [r.name for r in feedback_records.branch_feedback(actor=ORG, campaign_id=cid, branch_path=path).missing]


def test_a_sheet_records_every_members_feedback_and_results_json_shows_it(tmp_path):
    cid, path, _, _ = approved_branch()
    before = json.loads(manage("results", "--campaign", str(cid), "--branch", "第一党支部", "--json").stdout)
    assert [m["feedback"] for m in before["members"]] == [None] * 7
    # An .xlsx with a real date cell and a title row above the header.
    wb = Workbook()
    ws = wb.active
    ws.append(["第一党支部评议结果反馈情况"])
    ws.append(["序号", "姓名", "反馈日期", "反馈方式", "反馈人"])
    for i, (name, _day, way, by) in enumerate(GOOD[:3], 1):
        ws.append([i, name, datetime(2021, 1, 8), way, by])
    sheet = tmp_path / "反馈.xlsx"
    out = io.BytesIO()
    wb.save(out)
    sheet.write_bytes(out.getvalue())
    done = _record(cid, sheet)
    assert done.returncode == 0, done.stderr
    assert "已记录反馈情况：3 / 7 名评定了格次的党员已记录" in done.stdout
    assert "还差：4 名党员的反馈尚未记录：刘洋、陈静、杨帆、赵刚" in done.stdout
    done = _record(cid, _csv(tmp_path, GOOD))
    assert done.returncode == 0, done.stderr
    assert "7 / 7" in done.stdout and "还差" not in done.stdout
    after = json.loads(manage("results", "--campaign", str(cid), "--branch", "第一党支部", "--json").stdout)
    feedback = {m["name"]: m["feedback"] for m in after["members"]}
    assert feedback["张伟"] == {"date": "2021-01-08", "way": "书面通知", "by": "王书记"}
    assert feedback["杨帆"] == {"date": "2021-01-10", "way": "个别谈话", "by": "王书记、李委员"}
    assert _missing(cid, path) == []


def test_a_bad_sheet_is_refused_whole_with_rows_and_columns_in_chinese(tmp_path):
    cid, path, _, _ = approved_branch()
    bad = [
        *GOOD[:3],
        ["刘洋", "2021-01-09", "书面通知", "王书记"],  # 基本合格: a talk
        ["陈静", "下周", "集体反馈", "王书记"],
        ["杨帆", "2021-01-10", "电话", "王书记"],
        ["外人", "2021-01-10", "个别谈话", "王书记"],
    ]
    refused = _record(cid, _csv(tmp_path, bad))
    assert refused.returncode == 2, refused.stderr
    assert "第 6 行，“日期”列：陈静：“下周”不是日期" in refused.stderr
    assert "第 7 行，“方式”列：杨帆：反馈方式“电话”不对，可填：个别谈话、书面通知、集体反馈" in refused.stderr
    # The file's own problems first; once they are put right, the names and the rules, each with its row.
    bad[4][1], bad[5][2] = "2021-01-09", "个别谈话"
    refused = _record(cid, _csv(tmp_path, bad))
    assert refused.returncode == 2 and "第 8 行，“姓名”列：“外人”不是本支部的党员" in refused.stderr
    bad[6] = [PROBATIONARY, "2021-01-09", "集体反馈", "王书记"]
    refused = _record(cid, _csv(tmp_path, bad))
    assert refused.returncode == 2
    assert "第 5 行，“方式”列：刘洋评定为“基本合格”，须个别谈话反馈，不能用“书面通知”" in refused.stderr
    assert f"第 8 行，“姓名”列：{PROBATIONARY}没有评定格次" in refused.stderr
    assert len(_missing(cid, path)) == 7  # nothing recorded, not even the good rows


def test_a_sheet_without_the_columns_or_before_approval_is_refused(tmp_path):
    from tests.factories import make_voted_branch

    cid, _, _ = make_voted_branch()
    sheet = _csv(tmp_path, GOOD)
    early = _record(cid, sheet)
    assert early.returncode == 1 and "评定格次经上级党组织审批后，才能记录反馈情况" in early.stderr
    sheet.write_text("姓名,日期\n王芳,2021-01-08\n", encoding="utf-8")
    headless = _record(cid, sheet)
    assert headless.returncode == 2 and "没有找到表头：文件中须有“姓名”“日期”“方式”“反馈人”四列" in headless.stderr
    missing = manage("record-feedback", "--campaign", str(cid), "--branch", "第一党支部", "--file", "无此文件.csv")
    assert missing.returncode == 1 and "找不到文件" in missing.stderr
