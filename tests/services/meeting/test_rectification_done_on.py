"""整改清单: an item marked 已完成 keeps the day it was done — given, kept when the list is saved again, or today —
so that 按期完成 (the 历年对比 page, the filing) compares it with the deadline."""

from dataclasses import replace
from datetime import timedelta

import pytest

from services.meeting import rectification
from services.meeting.rectification import Rectification
from services.platform.errors import InvalidInput
from tests.factories import ORG, make_voting_branch

pytestmark = pytest.mark.usefixtures("database")


@pytest.fixture
def where():
    cid, path, _ = make_voting_branch(full=3)
    return {"actor": ORG, "campaign_id": cid, "branch_path": path}


def test_marked_done_it_takes_today_keeps_it_when_saved_again_and_loses_it_when_undone(where):
    today = rectification.today()
    deadline = today + timedelta(days=30)
    item = Rectification("学习不够", "每周自学", "王芳", deadline, "done", "已学 4 次")
    [saved] = rectification.save_rectifications(**where, items=[item])
    assert saved.done_on == today and not saved.done_late
    earlier = today - timedelta(days=3)
    [given] = rectification.save_rectifications(**where, items=[replace(item, done_on=earlier)])
    assert given.done_on == earlier  # the day the secretary gave
    [kept] = rectification.save_rectifications(**where, items=[replace(item, evidence="已学 5 次")])
    assert kept.done_on == earlier  # saved again without a day: the day it was done is kept
    [undone] = rectification.save_rectifications(**where, items=[replace(item, state="in_progress")])
    assert undone.done_on is None


def test_a_day_after_the_deadline_is_late_and_a_day_to_come_is_refused(where):
    today = rectification.today()
    late = Rectification("学习不够", "每周自学", "王芳", today - timedelta(days=5), "done", "已学", today)
    [saved] = rectification.save_rectifications(**where, items=[late])
    assert saved.done_late and not saved.overdue(today)
    with pytest.raises(InvalidInput, match=r"第 1 项：完成日期 .* 晚于今天"):
        rectification.save_rectifications(**where, items=[replace(late, done_on=today + timedelta(days=1))])
    assert rectification.list_rectifications(**where) == [saved]  # nothing half-written


def test_an_item_changed_in_the_one_item_form_keeps_the_day_it_was_done(where):
    today = rectification.today()
    four_days_ago, deadline = today - timedelta(days=4), today + timedelta(days=30)
    item = Rectification("学习不够", "每周自学", "王芳", deadline, "done", "已学", four_days_ago)
    [saved] = rectification.add_rectification(**where, item=item)
    retyped = Rectification("学习还不够深入", "每周自学", "王芳", deadline, "done", "已学 6 次")  # as the form sends it
    [changed] = rectification.update_rectification(**where, number=1, before=saved, item=retyped)
    assert changed.done_on == four_days_ago
