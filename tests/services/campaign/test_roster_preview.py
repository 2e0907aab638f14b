"""The preview before a roster import: per-branch counts, new / changed / removed members against the current
roster, rows with problems — and nothing written; what it announces is what the import then does."""

import pytest
from sqlalchemy import func
from sqlmodel import select

from models import AuditEntry
from services.campaign import members, roster
from services.campaign.roster_preview import preview_roster_file
from services.platform.db import session_scope
from tests.factories import ORG, csv_bytes, make_campaign, make_voting_branch

pytestmark = pytest.mark.usefixtures("database")
HEADER = ["姓名", "党总支", "党支部", "党员类别", "联系电话"]
FIRST = ["机关党总支", "第一党支部"]
LIBRARY = ["", "图书馆直属党支部"]
BEFORE = [
    HEADER,
    ["王芳", *FIRST, "正式党员", "13800000001"],
    ["李明", *FIRST, "正式党员", ""],
    ["张伟", *FIRST, "正式党员", ""],
    ["赵刚", *LIBRARY, "正式党员", ""],
    ["陈静", *LIBRARY, "预备党员", ""],
]
AFTER = [
    HEADER,
    ["王芳", *FIRST, "正式党员", "13800000002"],  # phone changed
    ["李明", *FIRST, "正式党员", ""],
    ["刘洋", *FIRST, "预备党员", ""],  # new
    ["陈静", *FIRST, "预备党员", ""],  # moved from the library
    ["赵刚", *LIBRARY, "正式党员", ""],
]  # 张伟 is gone
BAD = [*AFTER, ["孙丽", *FIRST, "党员", ""], ["", *LIBRARY, "正式党员", ""]]  # rows 7 and 8


def _audit_entries() -> int:
    with session_scope() as session:
        return session.exec(select(func.count()).select_from(AuditEntry)).one()


def _campaign_with_roster() -> int:
    cid = make_campaign()
    roster.import_roster_file(actor=ORG, campaign_id=cid, filename="r.csv", data=csv_bytes(BEFORE))
    return cid


def test_the_preview_shows_counts_changes_and_problems_and_writes_nothing():
    cid = _campaign_with_roster()
    before = members.list_members(actor=ORG, campaign_id=cid)
    entries = _audit_entries()

    shown = preview_roster_file(actor=ORG, campaign_id=cid, filename="r.csv", data=csv_bytes(BAD))

    assert [(b.label, b.members, b.full, b.probationary, b.added, b.changed, b.removed) for b in shown.branches] == [
        ("机关党总支 / 第一党支部", 4, 2, 2, 1, 2, 1),
        ("图书馆直属党支部", 1, 1, 0, 0, 0, 0),
    ]
    assert [(c.branch, c.name) for c in shown.added] == [("机关党总支 / 第一党支部", "刘洋")]
    assert [(c.name, c.what) for c in shown.changed] == [("王芳", "联系电话"), ("陈静", "从“图书馆直属党支部”转入")]
    assert [(c.branch, c.name) for c in shown.removed] == [("机关党总支 / 第一党支部", "张伟")]
    assert shown.unchanged == 2
    assert [(p.row, p.column) for p in shown.problems] == [(7, "党员类别"), (8, "姓名")]
    assert "无法识别的党员类别“党员”" in shown.problems[0].message
    assert not shown.can_import
    assert shown.summary() == (
        "表中有 2 个党支部、5 名党员（正式 3，预备 2）。导入后：新增 1 人，更新 2 人，移除 1 人，未变 2 人。"
    )
    assert members.list_members(actor=ORG, campaign_id=cid) == before
    assert _audit_entries() == entries


def test_what_the_preview_announces_is_what_the_import_does():
    cid = _campaign_with_roster()
    shown = preview_roster_file(actor=ORG, campaign_id=cid, filename="r.csv", data=csv_bytes(AFTER))
    assert shown.can_import and shown.problems == [] and shown.blocked is None

    report = roster.import_roster_file(actor=ORG, campaign_id=cid, filename="r.csv", data=csv_bytes(AFTER))

    announced = (len(shown.added), len(shown.changed), len(shown.removed), shown.unchanged)
    assert (report.added, report.changed, report.removed, report.unchanged) == announced == (1, 2, 1, 2)
    again = preview_roster_file(actor=ORG, campaign_id=cid, filename="r.csv", data=csv_bytes(AFTER))
    assert (again.added, again.changed, again.removed, again.unchanged) == ([], [], [], 5)


def test_a_first_import_lists_everyone_as_new():
    cid = make_campaign()
    shown = preview_roster_file(actor=ORG, campaign_id=cid, filename="r.csv", data=csv_bytes(BEFORE))
    assert [c.name for c in shown.added] == ["王芳", "李明", "张伟", "赵刚", "陈静"]
    assert shown.changed == shown.removed == [] and shown.can_import


def test_a_file_that_is_not_a_roster_shows_its_problem_instead_of_failing():
    cid = _campaign_with_roster()
    shown = preview_roster_file(actor=ORG, campaign_id=cid, filename="r.csv", data=csv_bytes([["序号", "单位"]]))
    assert [p.column for p in shown.problems] == ["姓名"]
    assert "没有找到表头" in shown.problems[0].message
    assert shown.branches == [] and not shown.can_import


def test_a_name_the_campaign_uses_for_another_kind_of_unit_is_a_problem_row():
    cid = _campaign_with_roster()
    rows = [HEADER, ["王芳", "", "机关党总支", "正式党员", ""]]  # the general branch as a branch
    shown = preview_roster_file(actor=ORG, campaign_id=cid, filename="r.csv", data=csv_bytes(rows))
    assert [(p.row, p.column) for p in shown.problems] == [(2, "党支部")]
    assert "已是本活动中的党总支" in shown.problems[0].message


def test_a_locked_roster_is_said_before_anything_is_tried():
    cid, _, _ = make_voting_branch()
    rows = [HEADER, ["王芳", *FIRST, "正式党员", ""]]
    shown = preview_roster_file(actor=ORG, campaign_id=cid, filename="r.csv", data=csv_bytes(rows))
    assert shown.blocked == "已有党支部开始测评，花名册已锁定，不能再导入"
    assert not shown.can_import
