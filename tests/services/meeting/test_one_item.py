"""Single-item changes of a branch's lists, as the one-item forms make them: the same checks as the whole
table (each message naming its field), all or nothing, and never onto an item someone changed meanwhile."""

from dataclasses import replace
from datetime import timedelta

import pytest

from services.meeting import commitments, problems, publicity, rectification, study
from services.meeting.problems import Problem
from services.meeting.rectification import Rectification
from services.platform.clock import local, now
from services.platform.errors import InvalidInput, InvalidTransition, NotFound
from tests.factories import ORG, make_voting_branch

pytestmark = pytest.mark.usefixtures("database")
TODAY = local(now()).date()


@pytest.fixture
def branch():
    cid, path, links = make_voting_branch(full=3)
    return {"actor": ORG, "campaign_id": cid, "branch_path": path}, links


def _texts(where) -> list[str]:
    return [p.text for p in problems.list_problems(**where)]


def test_problems_are_added_replaced_and_deleted_one_at_a_time(branch):
    where, _ = branch
    first, second = Problem("甲", "学习", "自我查摆"), Problem("乙", "作风", "征求意见")
    problems.add_problem(**where, item=first)
    problems.add_problem(**where, item=second)
    assert _texts(where) == ["甲", "乙"]
    with pytest.raises(InvalidInput, match=r"^请填写“问题”$"):  # the field, without a row number
        problems.add_problem(**where, item=Problem("  ", "学习", "自我查摆"))
    with pytest.raises(InvalidInput, match=r"^请选择类别"):
        problems.update_problem(**where, number=1, before=first, item=Problem("甲改", "", "自我查摆"))
    assert _texts(where) == ["甲", "乙"]  # nothing half-saved
    problems.update_problem(**where, number=2, before=second, item=Problem("乙改", "作风", "征求意见"))
    assert _texts(where) == ["甲", "乙改"]
    with pytest.raises(InvalidTransition, match="刚被别人修改或删除了"):  # item 2 no longer reads 乙
        problems.delete_problem(**where, number=2, before=second)
    with pytest.raises(InvalidTransition):
        problems.update_problem(**where, number=3, before=second, item=second)  # past the end
    problems.delete_problem(**where, number=1, before=first)
    assert _texts(where) == ["乙改"]


def test_rectification_items_are_checked_as_in_the_table_and_changed_one_at_a_time(branch):
    where, _ = branch
    item = Rectification("会议记录不规范", "会后两日内整理", "王芳", TODAY + timedelta(days=30))
    with pytest.raises(InvalidInput, match=r"^请填写“整改措施”$"):
        rectification.add_rectification(**where, item=Rectification("问题", "", "王芳", item.deadline))
    with pytest.raises(InvalidInput, match=r"^请填写整改时限$"):
        rectification.add_rectification(**where, item=Rectification("问题", "措施", "王芳", None))
    rectification.add_rectification(**where, item=item)
    done = Rectification(item.problem, item.measures, item.responsible, item.deadline, "done")
    with pytest.raises(InvalidInput, match=r"^标为“已完成”，请填写完成情况"):
        rectification.update_rectification(**where, number=1, before=item, item=done)
    done = Rectification(item.problem, item.measures, item.responsible, item.deadline, "done", "已整理 3 次")
    rectification.update_rectification(**where, number=1, before=item, item=done)
    [stored] = rectification.list_rectifications(**where)
    assert stored == replace(done, done_on=rectification.today())  # done today, as it was marked
    with pytest.raises(InvalidTransition):
        rectification.delete_rectification(**where, number=1, before=item)  # it reads `done` now
    rectification.delete_rectification(**where, number=1, before=stored)
    assert rectification.list_rectifications(**where) == []


def test_a_study_session_is_deleted_with_its_absences(branch):
    where, links = branch
    held = study.record_study(**where, held_on=TODAY, topic="党章", materials=None, absent=[links[0].member_id])
    kept = study.record_study(**where, held_on=TODAY, topic="准则", materials=None, absent=[])
    study.delete_study(**where, session_id=held.id)
    assert [s.id for s in study.list_study(**where)] == [kept.id]
    with pytest.raises(NotFound):
        study.delete_study(**where, session_id=held.id)


def test_only_a_commitment_the_branch_entered_is_deleted_and_not_after_publicity(branch):
    where, links = branch
    own, entered = links[0], links[1]
    commitments.write_own(own.token, "本人写的")
    commitments.enter_for(**where, member_id=entered.member_id, text="代录的")
    with pytest.raises(InvalidTransition, match="是本人填写的，不能删除"):
        commitments.delete_entered(**where, member_id=own.member_id)
    with pytest.raises(NotFound):
        commitments.delete_entered(**where, member_id=links[2].member_id)  # nothing written
    commitments.delete_entered(**where, member_id=entered.member_id)
    texts = {r.member_id: r.text for r in commitments.branch_commitments(**where)}
    assert (texts[own.member_id], texts[entered.member_id]) == ("本人写的", None)
    commitments.enter_for(**where, member_id=entered.member_id, text="代录的")
    rectification.add_rectification(**where, item=Rectification("问题", "措施", "王芳", TODAY + timedelta(days=9)))
    publicity.publish(**where, starts_on=TODAY, ends_on=TODAY + timedelta(days=6))
    with pytest.raises(InvalidTransition, match="已公示"):
        commitments.delete_entered(**where, member_id=entered.member_id)
