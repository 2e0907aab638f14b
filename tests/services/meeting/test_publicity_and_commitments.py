"""Opinions from the masses, members' commitments, publicity, and the six-step checklist."""

from datetime import timedelta

import pytest

from services.ballot import voter_links, voting
from services.grading import final_grades, results
from services.meeting import branch_links, commitments, opinions, problems, publicity, rectification, talks
from services.meeting.rectification import Rectification
from services.platform.clock import local, now
from services.platform.errors import InvalidInput, InvalidTransition, NotFound
from services.progress import checklist, overview
from tests.factories import ORG, PROBATIONARY, make_account, make_voting_branch

pytestmark = pytest.mark.usefixtures("database")
TODAY = local(now()).date()  # the unit's day, as the services count it


@pytest.fixture
def branch():
    return make_voting_branch(full=7)


def _token(url: str) -> str:
    return url.rsplit("/", 1)[1]


def test_opinions_are_anonymous_bounded_and_limited_per_browser_and_per_hour(branch, monkeypatch):
    cid, path, _ = branch
    url = branch_links.public_link(
        actor=ORG, campaign_id=cid, branch_path=path, purpose="opinions", base_url="http://x"
    )
    assert url == branch_links.public_link(actor=ORG, campaign_id=cid, branch_path=path, purpose="opinions",
                                           base_url="http://x")  # fmt: skip
    token = _token(url)
    assert opinions.target(token).branch_name == "第一党支部" and opinions.target(token).accepting
    opinions.leave_opinion(token, "希望多组织<script>alert(1)</script>活动", sent_from_this_browser=0)
    with pytest.raises(opinions.OpinionRefused, match="最多可提 3 条"):
        opinions.leave_opinion(token, "再一条", sent_from_this_browser=3)
    with pytest.raises(InvalidInput, match="过长"):
        opinions.leave_opinion(token, "很" * 501, sent_from_this_browser=0)
    monkeypatch.setattr(opinions, "PER_BRANCH_HOUR", 2)
    opinions.leave_opinion(token, "第二条", sent_from_this_browser=1)
    with pytest.raises(opinions.OpinionRefused, match="这一小时内收到的意见已经很多了"):
        opinions.leave_opinion(token, "第三条", sent_from_this_browser=0)
    with pytest.raises(NotFound):
        opinions.leave_opinion("0" * 26, "x", sent_from_this_browser=0)
    listed = opinions.list_opinions(actor=ORG, campaign_id=cid, branch_path=path)
    assert [o.text for o in listed] == ["希望多组织<script>alert(1)</script>活动", "第二条"]
    opinions.mark_opinion(actor=ORG, campaign_id=cid, branch_path=path, opinion_id=listed[1].id, state="answered")
    opinions.copy_to_problems(actor=ORG, campaign_id=cid, branch_path=path, opinion_id=listed[0].id, category="作风")
    states = [o.state for o in opinions.list_opinions(actor=ORG, campaign_id=cid, branch_path=path)]
    assert states == ["adopted", "answered"]
    [problem] = problems.list_problems(actor=ORG, campaign_id=cid, branch_path=path)
    assert (problem.text, problem.category, problem.source) == (listed[0].text, "作风", "征求意见")


def _publish(cid, path, starts_on, days=5):
    item = Rectification("学习不系统", "每月集中学习", "王芳", TODAY + timedelta(days=30))
    rectification.save_rectifications(actor=ORG, campaign_id=cid, branch_path=path, items=[item])
    return publicity.publish(
        actor=ORG, campaign_id=cid, branch_path=path, starts_on=starts_on, ends_on=starts_on + timedelta(days=days - 1)
    )


def test_a_member_writes_their_commitment_through_their_link_until_it_is_published(branch):
    cid, path, links = branch
    wang = links[0]
    page = commitments.own_commitment(wang.token)
    assert (page.name, page.text, page.locked) == ("王芳", None, False)
    commitments.write_own(wang.token, "加强理论学习，每月读一本书")
    commitments.write_own(wang.token, "加强理论学习，每月读两本书")  # editable until published
    assert commitments.own_commitment(wang.token).text == "加强理论学习，每月读两本书"
    probationary = next(link for link in links if link.label == PROBATIONARY)
    commitments.enter_for(
        actor=ORG, campaign_id=cid, branch_path=path, member_id=probationary.member_id, text="按时交纳党费"
    )
    rows = commitments.branch_commitments(actor=ORG, campaign_id=cid, branch_path=path)
    written = {r.name: (r.text, r.by_secretary) for r in rows if r.text}
    assert written == {"王芳": ("加强理论学习，每月读两本书", False), PROBATIONARY: ("按时交纳党费", True)}
    assert "还有 6 位同志尚未填写整改承诺" in commitments.reminder_text(branch_name="第一党支部", missing=6)
    _publish(cid, path, TODAY)
    assert commitments.own_commitment(wang.token).locked
    with pytest.raises(InvalidTransition, match="已公示整改承诺"):
        commitments.write_own(wang.token, "改一下")
    with pytest.raises(InvalidTransition):
        commitments.enter_for(actor=ORG, campaign_id=cid, branch_path=path, member_id=links[1].member_id, text="x")


def test_an_unnamed_code_or_a_replaced_link_cannot_write_a_commitment(database):
    cid, path, codes = make_voting_branch(full=7, mode="unnamed")
    with pytest.raises(NotFound, match="不能填写整改承诺"):
        commitments.write_own(codes[0].token, "我的承诺")
    assert commitments.own_commitment(codes[0].token) is None
    cid2, path2, links = make_voting_branch(full=7, year=TODAY.year - 1, deadline=TODAY + timedelta(days=20))
    new = voter_links.reissue_link(actor=ORG, campaign_id=cid2, branch_path=path2, member_id=links[0].member_id,
                              base_url="http://x")  # fmt: skip
    with pytest.raises(NotFound):
        commitments.write_own(links[0].token, "旧链接")
    commitments.write_own(new.token, "新链接")
    # the member's page belongs to their own branch and campaign, never another's
    assert [
        r.text for r in commitments.branch_commitments(actor=ORG, campaign_id=cid, branch_path=path) if r.text
    ] == []


def test_the_publicity_page_shows_only_the_list_and_commitments_and_only_in_its_period(branch, monkeypatch):
    cid, path, links = branch
    url = branch_links.public_link(
        actor=ORG, campaign_id=cid, branch_path=path, purpose="publicity", base_url="http://x"
    )
    token = _token(url)
    assert publicity.public_page(token).state == "none"
    with pytest.raises(InvalidInput, match="整改清单还是空的"):
        publicity.publish(
            actor=ORG, campaign_id=cid, branch_path=path, starts_on=TODAY, ends_on=TODAY + timedelta(days=6)
        )
    with pytest.raises(InvalidInput, match="公示期为 3 天，应不少于 5 天"):
        _publish(cid, path, TODAY, days=3)
    commitments.write_own(links[0].token, "带头学习")
    _publish(cid, path, TODAY + timedelta(days=1))
    assert publicity.public_page(token).state == "before" and publicity.public_page(token).rectifications == []
    monkeypatch.setattr(publicity, "now", lambda: now() + timedelta(days=2))  # two days on
    during = publicity.public_page(token)
    assert during.state == "during"
    assert during.rectifications[0][:3] == ("学习不系统", "每月集中学习", "王芳")
    assert during.commitments == [("王芳", "带头学习")]
    assert set(vars(during)) == {"branch_name", "campaign_title", "state", "period", "rectifications", "commitments"}
    monkeypatch.setattr(publicity, "now", lambda: now() + timedelta(days=10))  # its last day is past
    assert publicity.public_page(token).state == "after" and publicity.public_page(token).commitments == []


def test_a_publicity_period_cannot_start_before_today_but_a_running_one_can_be_extended(branch, monkeypatch):
    cid, path, _ = branch
    with pytest.raises(InvalidInput, match=f"公示开始日期 {TODAY - timedelta(days=10)} 早于今天（{TODAY}）"):
        _publish(cid, path, TODAY - timedelta(days=10))  # wholly past: nothing was ever public
    with pytest.raises(InvalidInput, match="早于今天"):
        _publish(cid, path, TODAY - timedelta(days=2))  # half past: those two days were not public either
    assert publicity.current_period(actor=ORG, campaign_id=cid, branch_path=path) is None  # nothing saved
    assert [s.state for s in checklist.branch_checklist(actor=ORG, campaign_id=cid, branch_path=path)][5] != "done"
    _publish(cid, path, TODAY)
    monkeypatch.setattr(publicity, "now", lambda: now() + timedelta(days=2))  # while it runs
    longer = _publish(cid, path, TODAY, days=7)  # the same start, two days later: an extension
    assert (longer.starts_on, longer.ends_on) == (TODAY, TODAY + timedelta(days=6))
    with pytest.raises(InvalidInput, match="早于今天"):
        _publish(cid, path, TODAY + timedelta(days=1))  # a new start in the past of the moved clock


def test_the_checklist_follows_the_six_steps_and_progress_counts_the_done(branch):
    from services.meeting import meeting_record, study
    from services.meeting.meeting_record import MeetingFields

    cid, path, links = branch

    def states() -> list[str]:
        return [s.state for s in checklist.branch_checklist(actor=ORG, campaign_id=cid, branch_path=path)]

    assert states() == ["not_started", "not_started", "not_started", "not_started", "in_progress", "not_started"]
    first = checklist.branch_checklist(actor=ORG, campaign_id=cid, branch_path=path)
    assert first[4].missing == ["民主测评尚未结束", "评定格次尚未经上级党组织审批"]
    held = study.record_study(actor=ORG, campaign_id=cid, branch_path=path, held_on=TODAY, topic="党章",
                              materials=None, absent=[links[1].member_id])  # fmt: skip
    assert states()[0] == "in_progress"
    study.mark_materials_sent(actor=ORG, campaign_id=cid, branch_path=path, session_id=held.id,
                              member_id=links[1].member_id)  # fmt: skip
    talks.save_talks(actor=ORG, campaign_id=cid, branch_path=path, counts={"committee": (2, None)})
    problems.save_problems(actor=ORG, campaign_id=cid, branch_path=path,
                           items=[problems.Problem("x", "学习", "自我查摆")])  # fmt: skip
    meeting_record.save_meeting(actor=ORG, campaign_id=cid, branch_path=path, absences={},
                         fields=MeetingFields(TODAY, "会议室", "王芳", None, True, True, False))  # fmt: skip
    assert states()[:4] == ["done", "done", "done", "in_progress"]
    voting.close_voting(actor=ORG, campaign_id=cid, branch_path=path)
    found = results.branch_results(actor=ORG, campaign_id=cid, branch_path=path)
    secretary = make_account("branch_secretary", path)
    final_grades.save_grades(actor=secretary, campaign_id=cid, branch_path=path,
                        entries=[final_grades.GradeEntry(r.member_id, "qualified") for r in found.rows])  # fmt: skip
    final_grades.submit_grades(actor=secretary, campaign_id=cid, branch_path=path)
    final_grades.approve_grades(actor=ORG, campaign_id=cid, branch_path=path)
    assert checklist.branch_checklist(actor=ORG, campaign_id=cid, branch_path=path)[4].missing == [
        "7 名党员的反馈尚未记录"
    ]
    from services.grading import feedback_records  # step 5 is done once every graded member was told

    told = [feedback_records.FeedbackEntry(r.member_id, TODAY, "collective", "王芳") for r in found.rows]
    feedback_records.record_feedback(actor=ORG, campaign_id=cid, branch_path=path, entries=told)
    assert states()[4] == "done"
    [row] = overview.campaign_progress(actor=ORG, campaign_id=cid).branches
    assert row.steps_done == 4
    for link in links:
        commitments.write_own(link.token, "承诺")
    _publish(cid, path, TODAY)
    assert states()[5] == "done"
    assert overview.campaign_progress(actor=ORG, campaign_id=cid).branches[0].steps_done == 5
