"""首页's next step: a branch walked from empty to 报送 through the services, the rule's answer at each point;
and the organizer's units behind with the days left."""

from datetime import timedelta

import pytest

from services.ballot import campaign_status, casting, voter_links, voting
from services.campaign import roster
from services.filing import reporting
from services.grading import feedback_records, final_grades, results
from services.meeting import commitments, meeting_record, problems, publicity, rectification, study, talks
from services.meeting.meeting_record import MeetingFields
from services.meeting.problems import Problem
from services.meeting.rectification import Rectification
from services.platform.clock import local, now
from services.progress import checklist, next_step
from tests.factories import ORG, all_qualified, csv_bytes, make_account, make_campaign

pytestmark = pytest.mark.usefixtures("database")
TODAY = local(now()).date()
FIRST, SECOND, DIRECT = "机关党总支/第一党支部", "机关党总支/第二党支部", "图书馆直属党支部"


@pytest.fixture
def unit():
    """A campaign as a new secretary finds it: three branches, nothing recorded. Returns (cid, secretary)."""
    cid = make_campaign(year=TODAY.year, deadline=TODAY + timedelta(days=12))
    rows = [["姓名", "党总支", "党支部", "党员类别"]]
    rows += [[n, "机关党总支", "第一党支部", "正式党员"] for n in ("王芳", "李明", "张伟")]
    rows += [["乙一", "机关党总支", "第二党支部", "正式党员"], ["丙一", "", "图书馆直属党支部", "正式党员"]]
    roster.import_roster_file(actor=ORG, campaign_id=cid, filename="r.csv", data=csv_bytes(rows))
    campaign_status.set_status(actor=ORG, campaign_id=cid, status="open")
    return cid, make_account("branch_secretary", FIRST, username="zb001")


def _plan(actor, cid, path=FIRST) -> next_step.BranchPlan:
    return next_step.branch_plan(actor=actor, campaign_id=cid, branch_path=path)


def _vote_and_close(cid, path):
    voting.open_voting(actor=ORG, campaign_id=cid, branch_path=path, mode="named")
    for link in voter_links.issue_links(actor=ORG, campaign_id=cid, branch_path=path, base_url="http://t"):
        casting.cast_ballot(link.token, all_qualified(link.token))
    voting.close_voting(actor=ORG, campaign_id=cid, branch_path=path)


def _grade_and_submit(secretary, cid, path):
    found = results.branch_results(actor=secretary, campaign_id=cid, branch_path=path)
    entries = [final_grades.GradeEntry(r.member_id, "qualified") for r in found.rows]
    final_grades.save_grades(actor=secretary, campaign_id=cid, branch_path=path, entries=entries)
    final_grades.submit_grades(actor=secretary, campaign_id=cid, branch_path=path)


def _rectify(cid, path):
    where = {"actor": ORG, "campaign_id": cid, "branch_path": path}
    rectification.save_rectifications(**where, items=[Rectification("记录不规范", "每月检查", "书记", TODAY)])
    for row in commitments.branch_commitments(**where):
        commitments.enter_for(**where, member_id=row.member_id, text="加强学习")
    publicity.publish(**where, starts_on=TODAY, ends_on=TODAY + timedelta(days=4))


def _feedback(cid, path):
    where = {"actor": ORG, "campaign_id": cid, "branch_path": path}
    told = feedback_records.branch_feedback(**where).rows
    entries = [feedback_records.FeedbackEntry(r.member_id, TODAY, "collective", "书记") for r in told]
    feedback_records.record_feedback(**where, entries=entries)


def test_an_empty_branch_is_led_from_study_to_the_general_branch_reporting(unit):
    cid, secretary = unit
    where = {"actor": ORG, "campaign_id": cid, "branch_path": FIRST}

    def next_of() -> tuple[str, str | None, int | None]:
        found = _plan(secretary, cid).next
        return found.label, found.page, found.step

    plan = _plan(secretary, cid)
    assert (plan.next.label, plan.next.page, plan.done) == ("下一步：记录集中学习", "study", 0)
    assert [i for i, _ in plan.ordered()] == [0, 1, 2, 3, 4, 5]
    assert (plan.reporter, plan.report_label) == ("党总支书记", "未报送")

    study.record_study(**where, held_on=TODAY, topic="党章", materials=None, absent=[])
    assert next_of() == ("下一步：谈心谈话、征求意见", "talks", 1)
    talks.save_talks(**where, counts={"committee": (3, None)})
    assert next_of() == ("下一步：查摆问题", "problems", 2)
    assert [i for i, _ in _plan(secretary, cid).ordered()] == [2, 0, 1, 3, 4, 5]  # the current one first
    problems.save_problems(**where, items=[Problem("记录不规范", "作风", "自我查摆")])
    assert next_of() == ("下一步：开启民主测评", "voting", 4)  # the vote comes before the meeting's record

    voting.open_voting(**where, mode="named")
    assert next_of() == ("下一步：结束民主测评", "voting", 4)
    voting.close_voting(**where)
    assert next_of() == ("下一步：记录组织生活会", "meeting", 3)
    held = MeetingFields(TODAY, "会议室", "王芳", None, True, True, True)
    meeting_record.save_meeting(**where, absences={}, fields=held)
    assert next_of() == ("下一步：评定格次并报上级审批", "results", 4)

    _grade_and_submit(secretary, cid, FIRST)
    plan = _plan(secretary, cid)
    assert (plan.next.label, plan.next.page) == ("下一步：整改落实", "rectification")  # not idle while approval waits
    assert "审批期间可以先做这一步" in plan.next.why
    general = make_account("general_branch_secretary", "机关党总支", username="zzb001")
    final_grades.return_grades(actor=general, campaign_id=cid, branch_path=FIRST, comment="请写明理由")
    assert next_of() == ("下一步：按退回意见修改评定格次", "results", 4)
    final_grades.submit_grades(actor=secretary, campaign_id=cid, branch_path=FIRST)

    _rectify(cid, FIRST)
    assert next_of() == ("等待上级党组织审批评定格次", None, 4)
    final_grades.approve_grades(actor=general, campaign_id=cid, branch_path=FIRST)
    assert next_of() == ("下一步：记录反馈情况", "results", 4)
    _feedback(cid, FIRST)
    plan = _plan(secretary, cid)
    assert plan.done == 6
    assert all(s.state == checklist.DONE for s in plan.steps)
    assert (plan.next.label, plan.next.page) == ("等待党总支书记报送", None)  # he does not report; his 总支 does


def test_a_direct_branch_reports_itself_and_is_done_once_reported(unit):
    cid, _ = unit
    secretary = make_account("branch_secretary", DIRECT, username="zb009")
    where = {"actor": ORG, "campaign_id": cid, "branch_path": DIRECT}
    study.record_study(**where, held_on=TODAY, topic="党章", materials=None, absent=[])
    talks.save_talks(**where, counts={"committee": (1, None)})
    problems.save_problems(**where, items=[Problem("学习不够", "学习", "自我查摆")])
    _vote_and_close(cid, DIRECT)
    held = MeetingFields(TODAY, "会议室", "丙一", None, True, True, True)
    meeting_record.save_meeting(**where, absences={}, fields=held)
    _grade_and_submit(secretary, cid, DIRECT)
    final_grades.approve_grades(actor=ORG, campaign_id=cid, branch_path=DIRECT)
    _feedback(cid, DIRECT)
    _rectify(cid, DIRECT)
    plan = _plan(secretary, cid, DIRECT)
    assert (plan.next.label, plan.next.page, plan.reporter) == ("下一步：报送备案材料", "filing", "本支部书记")
    reporting.report(actor=secretary, campaign_id=cid, unit_path=DIRECT, today=TODAY)
    plan = _plan(secretary, cid, DIRECT)
    assert (plan.next.label, plan.next.page, plan.report_label) == ("本年度工作已完成", None, "已报送")


def test_a_reader_of_the_branch_is_told_where_it_stands_with_nothing_to_click(unit):
    cid, _ = unit
    general = make_account("general_branch_secretary", "机关党总支", username="zzb001")
    found = _plan(general, cid).next
    assert (found.label, found.page, found.step) == ("当前：一、集中学习", None, 0)


def test_the_organizer_sees_the_units_behind_the_least_done_first_and_the_days_left(unit):
    cid, _ = unit
    where = {"actor": ORG, "campaign_id": cid, "branch_path": DIRECT}
    standing = next_step.units_behind(actor=ORG, campaign_id=cid)
    assert standing.deadline_text == f"截止日期 {(TODAY + timedelta(days=12)).isoformat()}，还有 12 天"
    assert [(u.name, u.done, len(u.branches), u.report_label) for u in standing.behind] == [
        ("机关党总支", 0, 2, "未报送"),
        ("图书馆直属党支部", 0, 1, "未报送"),
    ]
    study.record_study(**where, held_on=TODAY, topic="党章", materials=None, absent=[])
    voting.open_voting(**where, mode="named")
    direct = next_step.units_behind(actor=ORG, campaign_id=cid).behind[1].branches[0]
    assert (direct.name, direct.steps_done, direct.vote_label) == ("图书馆直属党支部", 1, "进行中")

    # A general branch's secretary sees his own unit only; a deadline passed is said so.
    from services.campaign import campaigns

    summary = campaigns.get_campaign(actor=ORG, campaign_id=cid)
    campaigns.update_campaign(
        actor=ORG, campaign_id=cid, title=summary.title, year=summary.year, deadline=TODAY - timedelta(days=3),
        party_committee_name=summary.party_committee_name, excellent_cap=summary.excellent_cap,
        rate_branch_committee=False, collect_opinions=False, instructions=None,
    )  # fmt: skip
    general = make_account("general_branch_secretary", "机关党总支", username="zzb001")
    standing = next_step.units_behind(actor=general, campaign_id=cid)
    assert [u.name for u in standing.behind] == ["机关党总支"]
    assert [b.name for b in standing.behind[0].branches] == ["第一党支部", "第二党支部"]
    assert standing.deadline_text.endswith("3 天") and standing.deadline_text.startswith("已过截止日期")
