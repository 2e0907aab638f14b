"""保存草稿 saves whatever is entered; 报上级党组织审批 checks every rule and lists every problem, each with the
member's name, in one message (AppTest)."""

import pytest

from services.grading import results
from tests.factories import ORG, make_account, make_voted_branch
from tests.pages.helpers import page

pytestmark = pytest.mark.usefixtures("database")


def test_a_draft_with_problems_saves_and_submitting_lists_them_all_in_one_message():
    cid, path, _ = make_voted_branch()
    at = page("grading.results", make_account("branch_secretary", path, username="zb")).run()
    # The grading table, suggestions filled in (杨帆 不合格, without 组织处置 or note); 张伟 (row 2) made a third
    # 优秀, beyond the cap of 2, without a reason.
    edits = {"edited_rows": {2: {"评定格次": "优秀"}}, "added_rows": [], "deleted_rows": []}
    at.session_state[f"grades:{cid}:{path}:0"] = edits
    at.button(key="grades_save").click().run()
    assert not at.exception and not at.error
    assert at.success[0].value == "草稿已保存：已评定 7 / 7 人。"
    found = results.branch_results(actor=ORG, campaign_id=cid, branch_path=path)
    assert [r.final.grade for r in found.rows][2] == "excellent" and found.state == "draft"
    at.checkbox(key="grades_sure").check().run()
    at.button(key="grades_submit").click().run()
    assert not at.exception
    [message] = [e.value for e in at.error]  # one message, every problem
    assert message.startswith("草稿已保存，但未报送审批：共 4 处需要修改：")
    for problem in (
        "张伟：评定为“优秀”，与建议格次“合格”不同，请填写理由",
        "杨帆：评定为“不合格”，须选择组织处置",
        "杨帆：评定为“不合格”，须填写处置说明",
        "评为“优秀”的有 3 人（王芳、李明、张伟），超过上限 2 人（参评正式党员 7 人的三分之一，向下取整）",
    ):
        assert problem in message, message
    assert results.branch_results(actor=ORG, campaign_id=cid, branch_path=path).state == "draft"
