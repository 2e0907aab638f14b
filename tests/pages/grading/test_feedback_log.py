"""反馈情况记录 on the results page, through AppTest: the table, the form, a refusal naming the member."""

import pytest

from services.grading import feedback_records
from services.progress import checklist
from tests.factories import ORG, make_account
from tests.pages.helpers import page
from tests.services.grading.test_feedback_records import approved_branch

pytestmark = pytest.mark.usefixtures("database")


def _form_members(at):
    return next(m for m in at.multiselect if m.label.startswith("党员（"))


def _submit(at):
    next(b for b in at.button if b.label == "记录反馈情况").click().run()


def test_the_secretary_records_feedback_after_approval_and_a_low_grade_needs_a_talk():
    cid, path, secretary, ids = approved_branch()
    at = page("grading.results", secretary).run()
    assert not at.exception
    assert any(s.value == "反馈情况记录" for s in at.subheader)
    table = at.dataframe[-1].value
    assert list(table["状态"]) == ["未记录"] * 7
    assert any(i.value == "还差：7 名党员的反馈尚未记录" for i in at.info)
    assert len(_form_members(at).value) == 7  # everyone not yet recorded is chosen
    at.radio(key="feedback_way").set_value("collective")
    _submit(at)
    assert not at.exception and any(e.value == "未记录，共 2 处需要修改：" for e in at.error)
    shown = [m.value for m in at.markdown]
    assert any("刘洋评定为“基本合格”，须个别谈话反馈，不能用“集体反馈”" in m for m in shown)
    assert any("杨帆评定为“不合格”，须个别谈话反馈，不能用“集体反馈”" in m for m in shown)
    where = {"actor": ORG, "campaign_id": cid, "branch_path": path}
    assert len(feedback_records.branch_feedback(**where).missing) == 7  # nothing recorded

    _form_members(at).set_value([ids["刘洋"], ids["杨帆"]])
    at.radio(key="feedback_way").set_value("talk")
    at.text_input(key="feedback_by").input("王书记")
    _submit(at)
    assert not at.exception
    assert any(s.value == "已记录 2 名党员的反馈情况。" for s in at.success)
    table = at.dataframe[-1].value
    recorded = dict(zip(table["姓名"], table["方式"], strict=True))
    assert (recorded["刘洋"], recorded["杨帆"], recorded["王芳"]) == ("个别谈话", "个别谈话", "")
    assert any(i.value == "还差：5 名党员的反馈尚未记录" for i in at.info)
    assert sorted(_form_members(at).value) == sorted(ids[n] for n in ("王芳", "李明", "张伟", "陈静", "赵刚"))
    at.radio(key="feedback_way").set_value("collective")
    _submit(at)
    assert not at.exception and any(s.value == "全部 7 名党员的反馈均已记录。" for s in at.success)
    assert checklist.branch_checklist(**where)[4].state == checklist.DONE


def test_only_those_who_run_the_vote_see_the_feedback_form():
    _, path, _, _ = approved_branch()
    general = page("grading.results", make_account("general_branch_secretary", "机关党总支", username="zzb")).run()
    assert not general.exception
    assert not any(s.value == "反馈情况记录" for s in general.subheader)
    member = page("grading.results", make_account("committee_member", path, username="wy")).run()
    assert any(s.value == "反馈情况记录" for s in member.subheader)
    assert any(b.label == "记录反馈情况" for b in member.button)
