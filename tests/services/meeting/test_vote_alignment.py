"""The vote beside the meeting: ballots per day against the meeting's date, its 实到 and recorded absences."""

import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook

from models import BallotTick
from services.ballot import casting, voting
from services.ballot.voting_lookup import branch_voting
from services.filing.branch_workbook import branch_workbook
from services.meeting import meeting_record, vote_alignment
from services.meeting.meeting_record import MeetingFields
from services.platform.clock import local, now
from services.platform.db import session_scope
from services.platform.errors import NotPermitted
from tests.factories import ORG, all_qualified, make_account, make_voted_branch, make_voting_branch

pytestmark = pytest.mark.usefixtures("database")

MEETING = date(2025, 11, 17)


def _meeting(cid: int, path: str, held_on: date, absent: dict[int, str] | None = None) -> None:
    fields = MeetingFields(held_on, "党员活动室", "王芳", None, True, True, True)
    meeting_record.save_meeting(actor=ORG, campaign_id=cid, branch_path=path, fields=fields, absences=absent or {})


def _ticks(cid: int, path: str, *counts: tuple[datetime, int]) -> None:
    """Ballots counted in given minutes, as casting counts them (the minute in UTC)."""
    with session_scope() as session:
        voting_id = branch_voting(session, cid, path).id
        for minute, ballots in counts:
            session.add(BallotTick(voting_id=voting_id, minute=minute, ballots=ballots))


def _aligned(cid: int, path: str, actor=ORG) -> vote_alignment.VoteAlignment:
    return vote_alignment.vote_alignment(actor=actor, campaign_id=cid, branch_path=path)


def test_ballots_are_counted_by_the_units_day_and_those_of_other_days_are_flagged():
    cid, path, _ = make_voting_branch()
    _ticks(
        cid, path,
        (datetime(2025, 11, 17, 2, 0, tzinfo=UTC), 5),  # 10:00 in Beijing, during the meeting
        (datetime(2025, 11, 17, 2, 1, tzinfo=UTC), 1),
        (datetime(2025, 11, 30, 17, 30, tzinfo=UTC), 2),  # 01:30 on 12-01 in Beijing
    )  # fmt: skip
    assert _aligned(cid, path).flags == []  # no meeting recorded: nothing to compare with
    assert _aligned(cid, path).by_day_text == "2025-11-17 6 张；2025-12-01 2 张"
    _meeting(cid, path, MEETING)
    aligned = _aligned(cid, path)
    assert aligned.by_day == [(date(2025, 11, 17), 6), (date(2025, 12, 1), 2)]
    assert (aligned.received, aligned.on_meeting_day, aligned.expected, aligned.present) == (8, 6, 8, 8)
    assert aligned.flags == ["有 2 张测评票不是在组织生活会当天（2025-11-17）收到的：2025-12-01 2 张"]
    _meeting(cid, path, date(2025, 12, 1))
    assert _aligned(cid, path).flags == ["有 6 张测评票不是在组织生活会当天（2025-12-01）收到的：2025-11-17 6 张"]


def test_ballots_beyond_the_meetings_attendance_and_absent_members_who_voted_are_flagged():
    cid, path, links = make_voted_branch()  # 6 online (links 0-5), 1 paper and 1 废票 (links 6-7 on paper)
    ids = {link.label: link.member_id for link in links}
    voted_online, on_paper = links[0].label, links[6].label
    today = local(now()).date()
    _meeting(cid, path, today, {ids[voted_online]: "出差", ids[on_paper]: "病假"})
    aligned = _aligned(cid, path)
    assert aligned.named and aligned.paper == 2
    assert (aligned.received, aligned.expected, aligned.present, aligned.beyond_present) == (8, 8, 6, 2)
    assert aligned.absent_voted == [voted_online]  # marked for paper: whether they voted is not known
    assert "收到测评票 8 张，多于会议实到 6 人（多 2 张）" in aligned.flags
    assert f"会议记录为缺席的 1 名党员用本人链接投了票：{voted_online}" in aligned.flags
    assert aligned.by_day_text.endswith("（其中纸质票 2 张，按录入日期计）")
    _meeting(cid, path, today, {ids[links[1].label]: "出差"})  # now 7 present, 8 ballots
    assert _aligned(cid, path).absent_voted == [links[1].label]
    assert _aligned(cid, path).beyond_present == 1


def test_unnamed_codes_name_no_one_but_still_count_against_attendance():
    cid, path, slips = make_voting_branch(mode="unnamed")
    for slip in slips[:3]:
        casting.cast_ballot(slip.token, all_qualified(slip.token))
    voting.close_voting(actor=ORG, campaign_id=cid, branch_path=path)
    members = [m for m, _, _ in meeting_record.meeting(actor=ORG, campaign_id=cid, branch_path=path).members]
    _meeting(cid, path, local(now()).date(), {m: "外出" for m in members[:6]})
    aligned = _aligned(cid, path)
    assert not aligned.named and aligned.absent_voted == []
    assert (aligned.received, aligned.present, aligned.beyond_present) == (3, 2, 1)
    assert "收到测评票 3 张，多于会议实到 2 人（多 1 张）" in aligned.flags
    assert not any("缺席" in flag for flag in aligned.flags)


def test_a_branch_that_has_not_voted_shows_nothing_and_others_may_not_read_it():
    from services.campaign import roster
    from tests.factories import BRANCH, csv_bytes, make_campaign

    cid = make_campaign()
    rows = [["姓名", "党总支", "党支部", "党员类别"], ["甲", "机关党总支", "第一党支部", "正式党员"]]
    rows += [["乙", "机关党总支", "第二党支部", "正式党员"]]
    roster.import_roster_file(actor=ORG, campaign_id=cid, filename="r.csv", data=csv_bytes(rows))
    silent = _aligned(cid, BRANCH)
    assert (silent.voted, silent.by_day_text, silent.flags) == (False, "尚未开启测评", [])
    with pytest.raises(NotPermitted):
        _aligned(cid, BRANCH, actor=make_account("branch_secretary", "机关党总支/第二党支部"))


def test_the_filing_shows_the_same_counts_and_flags():
    cid, path, _ = make_voting_branch()
    _ticks(cid, path, (datetime(2025, 11, 17, 2, 0, tzinfo=UTC), 3), (datetime(2025, 12, 1, 2, 0, tzinfo=UTC), 6))
    _meeting(cid, path, MEETING, {})
    made = branch_workbook(
        actor=ORG, campaign_id=cid, campaign_title="t", year=2025, branch_path=path, today=date(2025, 12, 2)
    )
    sheet = load_workbook(io.BytesIO(made.data))["组织生活会召开情况"]
    rows = {r[0]: r[1] for r in sheet.iter_rows(values_only=True) if r and r[0]}
    assert rows["测评票收到日期"] == "2025-11-17 3 张；2025-12-01 6 张"
    assert rows["测评与会议核对"] == "；".join(
        [
            "有 6 张测评票不是在组织生活会当天（2025-11-17）收到的：2025-12-01 6 张",
            "收到测评票 9 张，多于会议实到 8 人（多 1 张）",
        ]
    )
    assert rows["测评与会议核对"] == "；".join(_aligned(cid, path).flags)
