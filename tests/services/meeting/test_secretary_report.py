"""书记述职 and 上年整改落实情况 on the meeting record: kept as typed (trimmed), refused whole when too long or
holding a control character."""

from datetime import timedelta

import pytest

from models.meeting import NOTE_MAX, REPORT_MAX
from services.meeting import meeting_record
from services.meeting.meeting_record import MeetingFields
from services.platform.clock import local, now
from services.platform.errors import InvalidInput
from tests.factories import ORG, make_voting_branch

pytestmark = pytest.mark.usefixtures("database")
DAY = local(now()).date() - timedelta(days=1)


def _save(cid, path, **texts):
    fields = MeetingFields(DAY, "会议室", "王芳", None, True, True, True, None, **texts)
    return meeting_record.save_meeting(actor=ORG, campaign_id=cid, branch_path=path, fields=fields, absences={})


def test_the_report_and_last_years_rectification_are_kept_and_checked():
    cid, path, _ = make_voting_branch(full=3)
    view = _save(cid, path, secretary_report="  述职第一段\r\n述职第二段  ", last_year_rectification="已整改")
    assert (view.record.secretary_report, view.record.last_year_rectification) == ("述职第一段\n述职第二段", "已整改")
    for texts, message in (
        ({"secretary_report": "述" * (REPORT_MAX + 1)}, f"“书记述职”过长（{REPORT_MAX + 1} 字，最多 {REPORT_MAX} 字）"),
        ({"last_year_rectification": "改" * (NOTE_MAX + 1)}, "“上年整改落实情况”过长"),
        ({"secretary_report": "述职\x00"}, "“书记述职”中有无法显示的控制字符"),
    ):
        with pytest.raises(InvalidInput, match=message):
            _save(cid, path, **texts)
    kept = meeting_record.meeting(actor=ORG, campaign_id=cid, branch_path=path).record
    assert (kept.secretary_report, kept.last_year_rectification) == ("述职第一段\n述职第二段", "已整改")
    assert _save(cid, path).record.secretary_report is None  # cleared when saved empty
