"""Feedback on record: when, how and by whom each graded member was told their approved result."""

from datetime import date, timedelta

import pytest

from services.grading import feedback_records, final_grades, results
from services.grading.feedback_records import FeedbackEntry, FeedbackRejected
from services.platform.clock import local, now
from services.platform.errors import InvalidInput, InvalidTransition, NotPermitted
from services.progress import checklist
from services.staff import audit
from tests.factories import BRANCH_MEMBERS, ORG, PROBATIONARY, make_account, make_voted_branch

pytestmark = pytest.mark.usefixtures("database")

DAY = date(2021, 1, 8)


def grade_as_suggested(cid: int, path: str, secretary) -> dict[str, int]:
    """The suggested grades saved and submitted (王芳 李明 优秀, 刘洋 基本合格, 杨帆 不合格, the rest 合格).
    Returns member ids by name, the probationary member's included."""
    found = results.branch_results(actor=ORG, campaign_id=cid, branch_path=path)
    unqualified = {"disposition": "限期改正", "disposition_note": "限期六个月改正"}
    entries = []
    for r in found.rows:
        extra = unqualified if r.suggestion.grade == "unqualified" else {}
        entries.append(final_grades.GradeEntry(r.member_id, r.suggestion.grade, **extra))
    final_grades.save_grades(actor=secretary, campaign_id=cid, branch_path=path, entries=entries)
    final_grades.submit_grades(actor=secretary, campaign_id=cid, branch_path=path)
    return {r.name: r.member_id for r in found.rows} | {name: m for m, name in found.probationary}


def approved_branch():
    """A voted branch whose suggested grades are approved: (campaign id, path, its secretary, ids by name)."""
    cid, path, _ = make_voted_branch()
    secretary = make_account("branch_secretary", path, username="zb")
    ids = grade_as_suggested(cid, path, secretary)
    final_grades.approve_grades(actor=ORG, campaign_id=cid, branch_path=path)
    return cid, path, secretary, ids


@pytest.fixture
def approved():
    return approved_branch()


def everyone(ids: dict[str, int], *, day: date = DAY, by: str = "王书记") -> list[FeedbackEntry]:
    """Every graded member: 个别谈话 for 刘洋 (基本合格) and 杨帆 (不合格), 集体反馈 for the rest."""
    talk = {"刘洋", "杨帆"}
    return [FeedbackEntry(ids[n], day, "talk" if n in talk else "collective", by) for n in BRANCH_MEMBERS]


def _step_five(cid, path) -> checklist.Step:
    return checklist.branch_checklist(actor=ORG, campaign_id=cid, branch_path=path)[4]


def test_feedback_is_recorded_for_many_at_once_and_completes_step_five(approved):
    cid, path, secretary, ids = approved
    where = {"actor": secretary, "campaign_id": cid, "branch_path": path}
    before = feedback_records.branch_feedback(**where)
    assert [r.name for r in before.rows] == BRANCH_MEMBERS  # graded members only: not the probationary one
    assert len(before.missing) == 7
    assert _step_five(cid, path).missing == ["7 名党员的反馈尚未记录"]
    assert _step_five(cid, path).state == checklist.IN_PROGRESS

    kept = feedback_records.record_feedback(**where, entries=everyone(ids)[:5])
    assert [r.name for r in kept.missing] == ["杨帆", "赵刚"]
    assert _step_five(cid, path).missing == ["2 名党员的反馈尚未记录"]
    kept = feedback_records.record_feedback(**where, entries=everyone(ids)[5:])
    assert kept.missing == []
    assert _step_five(cid, path).state == checklist.DONE
    row = {r.name: r for r in kept.rows}["刘洋"]
    assert (row.given_on, row.way_label, row.given_by) == (DAY, "个别谈话", "王书记")
    assert row.as_json() == {"date": "2021-01-08", "way": "个别谈话", "by": "王书记"}
    entries = audit.list_entries(actor=ORG, action="feedback.record")
    assert [e.detail for e in entries] == ["记录 2 名党员的反馈情况", "记录 5 名党员的反馈情况"]


def test_a_low_grade_needs_a_talk_and_a_refusal_names_every_problem_and_records_nothing(approved):
    cid, path, secretary, ids = approved
    where = {"actor": secretary, "campaign_id": cid, "branch_path": path}
    tomorrow = local(now()).date() + timedelta(days=1)
    bad = [
        FeedbackEntry(ids["王芳"], DAY, "集体反馈", "王书记"),  # a label is taken as well as a key: fine
        FeedbackEntry(ids["刘洋"], DAY, "written", "王书记"),
        FeedbackEntry(ids["杨帆"], DAY, "集体反馈", "王书记"),
        FeedbackEntry(ids["张伟"], tomorrow, "talk", "王书记"),
        FeedbackEntry(ids["陈静"], DAY, "电话", "王书记"),
        FeedbackEntry(ids["赵刚"], DAY, "talk", "  "),
        FeedbackEntry(ids[PROBATIONARY], DAY, "talk", "王书记"),
        FeedbackEntry(ids["王芳"], DAY, "talk", "王书记"),
    ]
    with pytest.raises(FeedbackRejected) as refused:
        feedback_records.record_feedback(**where, entries=bad)
    assert [p.message for p in refused.value.problems] == [
        "刘洋评定为“基本合格”，须个别谈话反馈，不能用“书面通知”",
        "杨帆评定为“不合格”，须个别谈话反馈，不能用“集体反馈”",
        f"张伟：反馈日期 {tomorrow} 晚于今天",
        "陈静：反馈方式“电话”不对，可选：个别谈话、书面通知、集体反馈",
        "赵刚：请填写反馈人",
        f"{PROBATIONARY}没有评定格次（预备党员或未参加评议），不记录反馈",
        "王芳：填了两次",
    ]
    assert "反馈情况未记录，共 7 处问题" in str(refused.value)
    assert len(feedback_records.branch_feedback(**where).missing) == 7  # 王芳's good line was not kept either
    assert audit.list_entries(actor=ORG, action="feedback.record") == []


def test_feedback_waits_for_approval():
    cid, path, _ = make_voted_branch()
    secretary = make_account("branch_secretary", path, username="zb")
    ids = grade_as_suggested(cid, path, secretary)  # submitted, not approved
    with pytest.raises(InvalidTransition, match="评定格次经上级党组织审批后，才能记录反馈情况"):
        feedback_records.record_feedback(
            actor=secretary, campaign_id=cid, branch_path=path, entries=[FeedbackEntry(ids["王芳"], DAY, "talk", "甲")]
        )
    assert _step_five(cid, path).missing == ["评定格次尚未经上级党组织审批"]  # not also the feedback
    with pytest.raises(InvalidInput, match="请选择要记录反馈情况的党员"):
        feedback_records.record_feedback(actor=secretary, campaign_id=cid, branch_path=path, entries=[])


def test_only_those_who_run_the_branchs_vote_record_feedback(approved):
    cid, path, _secretary, ids = approved
    entry = [FeedbackEntry(ids["王芳"], DAY, "talk", "王书记")]
    general = make_account("general_branch_secretary", "机关党总支", username="zzb")
    with pytest.raises(NotPermitted, match="反馈情况由支部书记"):
        feedback_records.record_feedback(actor=general, campaign_id=cid, branch_path=path, entries=entry)
    assert len(feedback_records.branch_feedback(actor=general, campaign_id=cid, branch_path=path).missing) == 7
    member = make_account("committee_member", path, username="wy")
    feedback_records.record_feedback(actor=member, campaign_id=cid, branch_path=path, entries=entry)
    assert len(feedback_records.branch_feedback(actor=ORG, campaign_id=cid, branch_path=path).missing) == 6


def test_a_record_is_corrected_and_a_regrading_to_a_low_grade_asks_for_a_talk_again(approved):
    cid, path, secretary, ids = approved
    where = {"actor": secretary, "campaign_id": cid, "branch_path": path}
    feedback_records.record_feedback(**where, entries=everyone(ids))
    later = DAY + timedelta(days=3)
    kept = feedback_records.record_feedback(**where, entries=[FeedbackEntry(ids["陈静"], later, "written", "李委员")])
    row = {r.name: r for r in kept.rows}["陈静"]
    assert (row.given_on, row.way, row.given_by) == (later, "written", "李委员")
    assert _step_five(cid, path).state == checklist.DONE
    # Reopened and 陈静 regraded 基本合格: the 书面通知 on record no longer does.
    final_grades.reopen_grades(actor=ORG, campaign_id=cid, branch_path=path, reason="更正陈静的格次")
    entry = final_grades.GradeEntry(ids["陈静"], "basically_qualified", reason="经支委会复核")
    final_grades.save_grades(**where, entries=[entry])
    final_grades.submit_grades(**where)
    final_grades.approve_grades(actor=ORG, campaign_id=cid, branch_path=path)
    assert _step_five(cid, path).missing == ["1 名党员的反馈尚未记录"]
    assert [r.name for r in feedback_records.branch_feedback(**where).missing] == ["陈静"]
    feedback_records.record_feedback(**where, entries=[FeedbackEntry(ids["陈静"], later, "个别谈话", "王书记")])
    assert _step_five(cid, path).state == checklist.DONE
