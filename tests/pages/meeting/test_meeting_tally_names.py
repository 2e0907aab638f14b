"""The meeting page's 计票人 and 监票人: typed in the form, saved with the record; they sign the filed
民主测评统计表."""

from datetime import date, timedelta

import pytest

from services.meeting import meeting_record
from services.meeting.meeting_record import MeetingFields
from tests.factories import BRANCH, ORG, make_account, make_voting_branch
from tests.pages.helpers import page

pytestmark = pytest.mark.usefixtures("database")


def test_the_secretary_names_who_counted_and_who_watched_the_count():
    cid, path, _ = make_voting_branch(full=3)
    held = MeetingFields(date.today() - timedelta(days=1), "会议室", "王芳", None, True, True, True)
    meeting_record.save_meeting(actor=ORG, campaign_id=cid, branch_path=path, fields=held, absences={})
    at = page("meeting.meeting_record", make_account("branch_secretary", BRANCH)).run()
    assert not at.exception
    at.text_input(key="meeting_counted_by").input("刘洋")
    at.text_input(key="meeting_scrutinized_by").input("陈静")
    next(b for b in at.button if b.label == "保存会议记录").click().run()
    assert not at.exception and not at.error
    saved = meeting_record.meeting(actor=ORG, campaign_id=cid, branch_path=path).record
    assert (saved.counted_by, saved.scrutinized_by, saved.place) == ("刘洋", "陈静", "会议室")
    again = page("meeting.meeting_record", make_account("branch_secretary", BRANCH, username="again")).run()
    assert again.text_input(key="meeting_counted_by").value == "刘洋"
