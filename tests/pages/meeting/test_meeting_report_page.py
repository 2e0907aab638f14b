"""The meeting page's 书记述职 and 上年整改落实情况: typed in the form, saved with the record, shown again."""

from datetime import date, timedelta

import pytest

from services.meeting import meeting_record
from services.meeting.meeting_record import MeetingFields
from tests.factories import BRANCH, ORG, make_account, make_voting_branch
from tests.pages.helpers import page

pytestmark = pytest.mark.usefixtures("database")
REPORT = "一年来支部坚持学习。\n<b>不足</b>：联系群众不够。"
LAST_YEAR = "上年 3 个问题已整改 2 个。"


def test_the_secretary_types_the_report_and_last_years_rectification(monkeypatch):
    monkeypatch.setenv("BASE_URL", "http://192.168.1.10:8501")
    cid, path, _ = make_voting_branch(full=3)
    held = MeetingFields(date.today() - timedelta(days=1), "会议室", "王芳", None, True, True, True)
    meeting_record.save_meeting(actor=ORG, campaign_id=cid, branch_path=path, fields=held, absences={})
    at = page("meeting.meeting_record", make_account("branch_secretary", BRANCH)).run()
    assert not at.exception
    at.text_area(key="meeting_report").input(REPORT)
    at.text_area(key="meeting_last_year").input(LAST_YEAR)
    next(b for b in at.button if b.label == "保存会议记录").click().run()
    assert not at.exception and not at.error
    saved = meeting_record.meeting(actor=ORG, campaign_id=cid, branch_path=path).record
    assert (saved.secretary_report, saved.last_year_rectification) == (REPORT, LAST_YEAR)
    assert (saved.place, saved.report_given) == ("会议室", True)  # the rest of the record kept
    again = page("meeting.meeting_record", make_account("branch_secretary", BRANCH, username="again")).run()
    assert again.text_area(key="meeting_report").value == REPORT
    assert again.text_area(key="meeting_last_year").value == LAST_YEAR
