"""The final grades as submitted, read-only on 评议结果: the approver reads them above the approval buttons,
the secretary after submitting, everyone in scope after approval; a return's comment heads the secretary's
首页 and grade page until resubmitted (issue 23, item 1), through AppTest."""

import pytest

from services.grading import final_grades, results
from services.grading.final_grades import GradeEntry
from tests.factories import ORG, make_account, make_voted_branch
from tests.pages.helpers import page

pytestmark = pytest.mark.usefixtures("database")

RETURN = "刘洋的理由请写具体"


@pytest.fixture
def submitted():
    """Graded by the branch secretary — 刘洋 合格 where 基本合格 was suggested, 杨帆 不合格 — and submitted."""
    cid, path, _ = make_voted_branch()
    secretary = make_account("branch_secretary", path, username="zb")
    _grade(cid, path, secretary, "表现整体合格")
    final_grades.submit_grades(actor=secretary, campaign_id=cid, branch_path=path)
    general = make_account("general_branch_secretary", "机关党总支", username="zzb")
    return cid, path, secretary, general


def _grade(cid, path, secretary, reason: str) -> None:
    found = results.branch_results(actor=ORG, campaign_id=cid, branch_path=path)
    changes = {
        "刘洋": {"grade": "qualified", "reason": reason, "feedback_note": "继续努力"},
        "杨帆": {"grade": "unqualified", "disposition": "限期改正", "disposition_note": "六个月内改正"},
    }
    entries = [GradeEntry(r.member_id, **{"grade": r.suggestion.grade, **changes.get(r.name, {})}) for r in found.rows]
    final_grades.save_grades(actor=secretary, campaign_id=cid, branch_path=path, entries=entries)


def _texts(at) -> list[str]:
    """Every text of the page in the order shown: headers, markdown, alerts, captions, button labels."""
    shown = []

    def walk(node) -> None:
        value = getattr(node, "value", None) if node.type not in ("button", "dataframe") else None
        if node.type == "button":
            shown.append(f"[{node.label}]")
        elif node.type == "dataframe":
            shown.append(f"<table {list(node.value.columns)[:2]}>")
        elif isinstance(value, str):
            shown.append(value)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.main)
    return shown


def _review(at):
    """The review table: the one with the 与建议不同 column."""
    return next(d.value for d in at.dataframe if "与建议不同" in d.value.columns)


def _index(texts: list[str], part: str) -> int:
    return next(i for i, t in enumerate(texts) if part in t)


def test_the_approver_reads_who_is_excellent_and_unqualified_and_why_above_the_buttons(submitted):
    _cid, _path, _secretary, general = submitted
    at = page("grading.results", general).run()
    assert not at.exception
    texts = _texts(at)
    heading = _index(texts, "报送审批的评定格次")
    assert heading < _index(texts, "[审批通过]") and heading < _index(texts, "[退回修改]")
    excellent = texts[_index(texts, "优秀（2 人）")]
    assert "王芳；得票 优秀 5，合格 2（有效 7 票）；与建议格次一致" in excellent and "李明" in excellent
    unqualified = texts[_index(texts, "不合格（1 人）")]
    assert "杨帆；得票 基本合格 3，不合格 4（有效 7 票）" in unqualified
    assert "组织处置：限期改正；处置说明：六个月内改正" in unqualified
    differing = texts[_index(texts, "与建议格次不同（1 人）")]
    assert "刘洋：建议“基本合格”，评定“合格”，理由：表现整体合格" in differing
    assert "zb 于" in texts[_index(texts, "报上级党组织审批")]
    table = _review(at)
    assert list(table.columns) == [
        "姓名", "评定格次", "与建议不同", "建议格次", "优秀票", "合格票", "基本合格票", "不合格票",
        "理由", "组织处置", "处置说明", "给本人的话", "未参加评议",
    ]  # fmt: skip
    rows = table.set_index("姓名")
    assert list(rows["评定格次"]) == ["优秀", "优秀", "合格", "合格", "合格", "不合格", "合格"]
    assert list(rows["与建议不同"]) == ["", "", "", "✔", "", "", ""]
    assert rows.loc["刘洋", "给本人的话"] == "继续努力" and rows.loc["杨帆", "组织处置"] == "限期改正"
    assert rows.loc["王芳", "优秀票"] == 5
    votes = at.dataframe[0].value  # the vote table: no final grades beside the one view of them
    assert "建议格次" in votes.columns and "评定格次" not in votes.columns


def test_after_approval_the_approver_and_everyone_in_scope_read_it_without_buttons(submitted):
    _cid, path, secretary, general = submitted
    at = page("grading.results", general).run()
    at.text_area(key="approval_comment").input("同意").run()
    at.button(key="approve_grades").click().run()
    assert not at.exception
    for reader in (general, secretary, make_account("committee_member", path, username="zw")):
        after = page("grading.results", reader).run()
        texts = _texts(after)
        assert "评定格次（已审批）" in texts and "[审批通过]" not in texts
        assert "zzb 于" in texts[_index(texts, "审批通过，意见：同意")]
        assert list(_review(after)["与建议不同"]) == ["", "", "", "✔", "", "", ""]


def test_the_secretary_reads_what_was_submitted_and_has_no_buttons(submitted):
    _cid, _path, secretary, _general = submitted
    at = page("grading.results", secretary).run()
    texts = _texts(at)
    assert "报送审批的评定格次" in texts and "[审批通过]" not in texts and "[保存草稿]" not in texts
    assert any("不合格（1 人）" in t and "杨帆" in t for t in texts)
    assert any("已报上级党组织审批，等待审批" in t for t in texts)


def test_a_return_heads_the_secretarys_home_and_grade_page_until_resubmitted(submitted):
    cid, path, secretary, general = submitted
    home = page("campaign.home", general).run()
    assert any("待您审批：机关党总支 / 第一党支部" in i.value for i in home.info)
    assert any("前往评议结果，查看并审批" in c.value for c in home.caption)  # a page link in the dashboard
    assert not page("campaign.home", secretary).run().warning

    at = page("grading.results", general).run()
    at.text_area(key="approval_comment").input(RETURN).run()
    at.button(key="return_grades").click().run()
    assert not at.exception
    assert any(RETURN in i.value and "等待重新报送" in i.value for i in at.info)  # what the approver said
    assert not page("campaign.home", general).run().info

    home = page("campaign.home", secretary).run()
    texts = _texts(home)
    top = _index(texts, f"意见：{RETURN}")
    assert "评定格次已被退回：机关党总支 / 第一党支部" in texts[top] and "zzb 于" in texts[top]
    assert top < _index(texts, "当前：")  # above everything else on 首页, the next step too
    grade_page = page("grading.results", secretary).run()
    texts = _texts(grade_page)
    assert _index(texts, f"意见：{RETURN}") < _index(texts, "[保存草稿]")
    assert _index(texts, f"意见：{RETURN}") < _index(texts, "评定格次：已退回")  # heads the page

    _grade(cid, path, secretary, "支部大会表决为合格")
    assert RETURN in page("campaign.home", secretary).run().warning[0].value  # a draft is not a resubmission
    final_grades.submit_grades(actor=secretary, campaign_id=cid, branch_path=path)
    assert not page("campaign.home", secretary).run().warning
    assert not any(RETURN in w.value for w in page("grading.results", secretary).run().warning)
    assert any("待您审批" in i.value for i in page("campaign.home", general).run().info)
