"""测评与组织生活会 on 评议结果 and on 组织生活会记录, through AppTest: ballots by day against the meeting, flagged."""

from datetime import date

import pytest

from pages.shared.plain_text import plain
from services.meeting import meeting_record
from services.meeting.meeting_record import MeetingFields
from services.platform.clock import local, now
from tests.factories import ORG, make_account, make_voted_branch
from tests.pages.helpers import page

pytestmark = pytest.mark.usefixtures("database")
PAGES = ("grading.results", "meeting.meeting_record")


def _meeting(cid, path, held_on: date, absent: dict[int, str]) -> None:
    fields = MeetingFields(held_on, "党员活动室", "王芳", None, True, True, True)
    meeting_record.save_meeting(actor=ORG, campaign_id=cid, branch_path=path, fields=fields, absences=absent)


@pytest.fixture
def voted():
    cid, path, links = make_voted_branch()  # 8 ballots: 6 online (links 0-5), 1 paper, 1 废票
    return cid, path, {link.label: link.member_id for link in links}, links


@pytest.mark.parametrize("screen", PAGES)
def test_ballots_beyond_attendance_and_absent_voters_are_flagged_on_both_pages(voted, screen):
    cid, path, ids, links = voted
    voter = links[0].label  # voted online with their own link
    _meeting(cid, path, local(now()).date(), {ids[voter]: "出差", ids[links[6].label]: "病假"})
    at = page(screen, make_account("branch_secretary", path, username="zb")).run()
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert plain("收到测评票 8 张，多于会议实到 6 人（多 2 张）") in warnings
    assert plain(f"会议记录为缺席的 1 名党员用本人链接投了票：{voter}") in warnings
    assert any(m.value.startswith("收到测评票（按日期）：") and "实到 6 人" in m.value for m in at.markdown)


@pytest.mark.parametrize("screen", PAGES)
def test_ballots_taken_on_another_day_than_the_meeting_are_flagged_not_refused(voted, screen):
    cid, path, _, _ = voted
    _meeting(cid, path, date(2025, 11, 17), {})
    general = make_account("general_branch_secretary", "机关党总支", username="zzb")  # the approver reads it too
    at = page(screen, general).run()
    assert not at.exception
    day = local(now()).date()
    flag = f"有 8 张测评票不是在组织生活会当天（2025-11-17）收到的：{day} 8 张"
    assert plain(flag) in [w.value for w in at.warning]


def test_a_vote_that_fits_its_meeting_says_so_quietly(voted):
    cid, path, _, _ = voted
    _meeting(cid, path, local(now()).date(), {})
    at = page("meeting.meeting_record", ORG).run()
    assert not at.exception and not any("测评票" in w.value for w in at.warning)
    assert any(c.value == "测评票都在组织生活会当天收到，不多于实到人数。" for c in at.caption)
