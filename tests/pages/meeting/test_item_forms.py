"""Problems, rectification items, study sessions, talks and commitments entered one item at a time in a plain
form, listed as read-only rows with 修改 (the form, filled) and 删除 (asked once); the table stays, folded away."""

from datetime import timedelta

import pytest

from models.meeting import RectificationState
from services.meeting import commitments, problems, rectification, study, talks
from services.meeting.problems import Problem
from services.meeting.rectification import Rectification
from services.platform.clock import local, now
from tests.factories import BRANCH, ORG, make_account, make_voting_branch
from tests.pages.helpers import page

pytestmark = pytest.mark.usefixtures("database")


@pytest.fixture
def branch():
    cid, path, links = make_voting_branch(full=3)
    return cid, path, {link.label: link for link in links}


@pytest.fixture
def secretary(branch):
    return make_account("branch_secretary", BRANCH)


def _widget(at, kind: str, label: str):
    """The one widget of `kind` (text_area, selectbox…) labelled `label` on the page."""
    [found] = [w for w in getattr(at, kind) if w.label == label]
    return found


def _button(at, label: str, nth: int = 0):
    """A button or a form's submit button by its label (the nth of those so labelled)."""
    return [b for b in at.button if b.label == label][nth]


def _said(at) -> str:
    return " ".join(m.value for m in [*at.success, *at.error, *at.warning])


def test_a_problem_is_added_changed_and_deleted_through_the_form(branch, secretary):
    cid, path, _ = branch
    where = {"actor": ORG, "campaign_id": cid, "branch_path": path}
    at = page("meeting.problems", secretary).run()
    assert [e.label for e in at.expander] == ["表格编辑（一次改很多项时用，可不打开）"]  # the table, folded away
    _widget(at, "text_area", "问题").input("理论学习不够深入")
    _button(at, "添加这一项").click().run()
    assert "请选择类别" in at.error[0].value  # named, not saved, and what was typed kept
    assert _widget(at, "text_area", "问题").value == "理论学习不够深入"
    assert problems.list_problems(**where) == []
    _widget(at, "selectbox", "类别").select("学习")
    _button(at, "添加这一项").click().run()
    assert not at.exception and "已添加第 1 项。" in _said(at)
    assert [(p.text, p.category, p.source) for p in problems.list_problems(**where)] == [
        ("理论学习不够深入", "学习", "自我查摆")
    ]
    assert _widget(at, "text_area", "问题").value == ""  # the form is empty again for the next one
    assert [t.value for t in at.text] == ["理论学习不够深入"]  # listed below, as typed

    at.button(key="problems:edit:1").click().run()
    assert _widget(at, "text_area", "问题").value == "理论学习不够深入"  # the form opens filled, in the row's place
    assert _widget(at, "selectbox", "类别").value == "学习"
    _widget(at, "text_area", "问题").input("")
    _button(at, "保存修改").click().run()
    assert "请填写“问题”" in at.error[0].value  # the field named, without a row number
    _widget(at, "text_area", "问题").input("理论学习不够系统")
    _widget(at, "selectbox", "类别").select("作风")
    _button(at, "保存修改").click().run()
    assert "第 1 项已修改。" in _said(at)
    assert [(p.text, p.category) for p in problems.list_problems(**where)] == [("理论学习不够系统", "作风")]

    at.button(key="problems:delete:1").click().run()
    assert "确定删除这一项吗" in _said(at)
    assert len(problems.list_problems(**where)) == 1  # asked first
    at.button(key="problems:really:1").click().run()
    assert "已删除第 1 项。" in _said(at)
    assert problems.list_problems(**where) == []


def test_an_edit_of_an_item_someone_else_changed_meanwhile_is_refused(branch, secretary):
    cid, path, _ = branch
    where = {"actor": ORG, "campaign_id": cid, "branch_path": path}
    problems.save_problems(**where, items=[Problem("甲", "学习", "自我查摆"), Problem("乙", "作风", "自我查摆")])
    at = page("meeting.problems", secretary).run()
    at.button(key="problems:edit:2").click().run()
    problems.delete_problem(**where, number=1, before=Problem("甲", "学习", "自我查摆"))  # another window
    _widget(at, "text_area", "问题").input("乙改")
    _button(at, "保存修改").click().run()
    assert "刚被别人修改或删除了" in at.error[0].value
    assert [p.text for p in problems.list_problems(**where)] == ["乙"]


def test_the_problem_table_still_saves_the_whole_list(branch, secretary):
    cid, path, _ = branch
    at = page("meeting.problems", secretary).run()
    key = f"problems:{cid}:{path}"
    row = {"问题": "调查研究不够", "类别": "作风", "来源": "自我查摆"}
    at.session_state[key] = {"edited_rows": {}, "added_rows": [row], "deleted_rows": []}
    at.button(key="save_problems").click().run()
    assert "已保存 1 项" in _said(at)
    assert [p.text for p in problems.list_problems(actor=ORG, campaign_id=cid, branch_path=path)] == ["调查研究不够"]
    assert [t.value for t in at.text] == ["调查研究不够"]  # the list above shows it at once


def test_a_rectification_item_is_added_changed_and_deleted_through_the_form(branch, secretary):
    cid, path, _ = branch
    where = {"actor": ORG, "campaign_id": cid, "branch_path": path}
    problems.save_problems(**where, items=[Problem("会议记录不规范", "作风", "自我查摆")])
    deadline = local(now()).date() + timedelta(days=30)
    at = page("meeting.rectification", secretary).run()
    _widget(at, "selectbox", "问题（从问题清单中选）").select("会议记录不规范")
    _widget(at, "text_area", "整改措施").input("会后两日内整理记录")
    _button(at, "添加这一项").click().run()
    assert "请填写整改时限" in at.error[0].value
    _widget(at, "date_input", "整改时限").set_value(deadline)
    _button(at, "添加这一项").click().run()
    assert "请填写“责任人”" in at.error[0].value  # the field named
    assert rectification.list_rectifications(**where) == []
    _widget(at, "text_input", "责任人").input("王芳")
    _button(at, "添加这一项").click().run()
    assert "已添加第 1 项。" in _said(at)
    assert rectification.list_rectifications(**where) == [
        Rectification("会议记录不规范", "会后两日内整理记录", "王芳", deadline)
    ]

    at.button(key="rectification:edit:1").click().run()
    assert _widget(at, "text_area", "整改措施").value == "会后两日内整理记录"  # filled
    _widget(at, "selectbox", "状态").set_value(RectificationState.done)
    _button(at, "保存修改").click().run()
    assert "请填写完成情况" in at.error[0].value
    _widget(at, "text_area", "完成情况（标为“已完成”时必填）").input("已按时整理 3 次会议记录")
    _button(at, "保存修改").click().run()
    assert "第 1 项已修改。" in _said(at)
    [done] = rectification.list_rectifications(**where)
    assert (done.state, done.evidence) == ("done", "已按时整理 3 次会议记录")

    at.button(key="rectification:delete:1").click().run()
    at.button(key="rectification:keep:1").click().run()  # 不删除
    assert len(rectification.list_rectifications(**where)) == 1
    at.button(key="rectification:delete:1").click().run()
    at.button(key="rectification:really:1").click().run()
    assert "已删除第 1 项。" in _said(at)
    assert rectification.list_rectifications(**where) == []


def test_the_rectification_table_still_saves_the_whole_list(branch, secretary):
    cid, path, _ = branch
    at = page("meeting.rectification", secretary).run()
    row = {"其他问题": "调查研究不够", "整改措施": "每季度走访", "责任人": "王芳",
           "整改时限": str(local(now()).date() + timedelta(days=30))}  # fmt: skip
    at.session_state[f"rectification:{cid}:{path}"] = {"edited_rows": {}, "added_rows": [row], "deleted_rows": []}
    at.button(key="save_rectification").click().run()
    assert "整改清单已保存，共 1 项。" in _said(at)
    [saved] = rectification.list_rectifications(actor=ORG, campaign_id=cid, branch_path=path)
    assert (saved.problem, saved.responsible) == ("调查研究不够", "王芳")


def test_a_commitment_is_entered_for_a_member_corrected_and_deleted(branch, secretary):
    cid, path, links = branch
    where = {"actor": ORG, "campaign_id": cid, "branch_path": path}
    member = links["王芳"].member_id
    commitments.write_own(links["李明"].token, "本人写的承诺")
    at = page("meeting.rectification", secretary).run()
    assert not [b for b in at.button if b.key == f"commitments:delete:{links['李明'].member_id}"]  # the member's own
    at.button(key=f"commitments:edit:{member}").click().run()
    assert "**王芳**" in [m.value for m in at.markdown]  # whose commitment the form is for
    _widget(at, "text_area", "承诺内容").input("")
    _button(at, "保存代录的承诺").click().run()
    assert "请填写“整改承诺”" in at.error[0].value
    _widget(at, "text_area", "承诺内容").input("带头学习")
    _button(at, "保存代录的承诺").click().run()
    assert "已保存代录的承诺。" in _said(at)
    mine = {r.member_id: r for r in commitments.branch_commitments(**where)}[member]
    assert (mine.text, mine.by_secretary) == ("带头学习", True)
    assert "王芳（支部代录）" in " ".join(m.value for m in at.markdown)

    at.button(key=f"commitments:edit:{member}").click().run()
    assert _widget(at, "text_area", "承诺内容").value == "带头学习"  # filled
    _widget(at, "text_area", "承诺内容").input("带头学习，按时交纳党费")
    _button(at, "保存代录的承诺").click().run()
    assert {r.member_id: r.text for r in commitments.branch_commitments(**where)}[member] == "带头学习，按时交纳党费"

    at.button(key=f"commitments:delete:{member}").click().run()
    at.button(key=f"commitments:really:{member}").click().run()
    assert "已删除为王芳代录的承诺。" in _said(at)
    assert {r.member_id: r.text for r in commitments.branch_commitments(**where)}[member] is None


def test_a_study_session_is_recorded_corrected_and_deleted_through_the_form(branch, secretary):
    cid, path, links = branch
    where = {"actor": ORG, "campaign_id": cid, "branch_path": path}
    at = page("meeting.study", secretary).run()
    _widget(at, "text_input", "学习主题").input("")
    _button(at, "保存").click().run()
    assert "请填写“学习主题”" in at.error[0].value
    assert study.list_study(**where) == []
    _widget(at, "text_input", "学习主题").input("学习党章")
    _widget(at, "multiselect", "缺席的党员（其余视为参加）").select(links["王芳"].member_id)
    _button(at, "保存").click().run()
    assert not at.exception and "的集中学习。" in _said(at)
    [held] = study.list_study(**where)
    assert (held.topic, [a.name for a in held.absent]) == ("学习党章", ["王芳"])
    at.checkbox(key=f"sent_{held.id}_{links['王芳'].member_id}").check().run()  # 送学, on the row
    assert study.list_study(**where)[0].absent[0].materials_sent

    at.button(key=f"study:edit:{held.id}").click().run()
    assert _widget(at, "text_input", "学习主题").value == "学习党章"  # filled, absentees too
    assert _widget(at, "multiselect", "缺席的党员（其余视为参加）").value == [links["王芳"].member_id]
    _widget(at, "multiselect", "缺席的党员（其余视为参加）").select(links["李明"].member_id)
    _button(at, "保存修改").click().run()
    [held] = study.list_study(**where)
    assert [(a.name, a.materials_sent) for a in held.absent] == [("王芳", True), ("李明", False)]  # 送学 kept

    at.button(key=f"study:delete:{held.id}").click().run()
    at.button(key=f"study:really:{held.id}").click().run()
    assert "的集中学习记录。" in _said(at)
    assert study.list_study(**where) == []


def test_a_kind_of_talk_is_filled_in_changed_and_cleared_one_at_a_time(branch, secretary):
    cid, path, _ = branch
    where = {"actor": ORG, "campaign_id": cid, "branch_path": path}
    at = page("meeting.talks", secretary).run()
    at.button(key="talks:edit:committee_member").click().run()
    _widget(at, "number_input", "支委委员与党员之间：次数").set_value(5)
    _widget(at, "text_input", "说明（可不填）").input("结合主题党日")
    _button(at, "保存").click().run()
    assert "“支委委员与党员之间”已保存：5 次。" in _said(at)
    assert talks.talks(**where).counts["committee_member"] == (5, "结合主题党日")
    assert at.subheader[0].value == "谈心谈话（共 5 次）"
    at.button(key="talks:delete:committee_member").click().run()
    at.button(key="talks:really:committee_member").click().run()
    assert talks.talks(**where).counts["committee_member"] == (0, None)


def test_the_talks_form_for_every_kind_at_once_still_saves(branch, secretary):
    cid, path, _ = branch
    at = page("meeting.talks", secretary).run()
    at.number_input(key="talk_committee").set_value(2)
    at.number_input(key="talk_home_visit").set_value(1)
    _button(at, "保存谈心谈话").click().run()
    assert "谈心谈话已保存。" in _said(at)
    counts = talks.talks(actor=ORG, campaign_id=cid, branch_path=path).counts
    assert (counts["committee"], counts["home_visit"]) == ((2, None), (1, None))
