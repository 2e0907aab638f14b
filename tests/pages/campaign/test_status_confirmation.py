"""评议活动与花名册's status buttons through AppTest: each change is asked once with what will happen, 取消 changes
nothing, 确认 changes it once and shows the result without offering the next change in the same spot."""

import pytest

from services.ballot import campaign_status, casting
from services.campaign import campaigns
from tests.factories import ORG, all_qualified, import_fixture, make_campaign, make_voting_branch
from tests.pages.helpers import page

pytestmark = pytest.mark.usefixtures("database")


def _status(cid: int) -> str:
    return campaigns.get_campaign(actor=ORG, campaign_id=cid).status


def _status_buttons(at) -> list[str]:
    return [
        b.key
        for b in at.button
        if b.key and b.key.startswith("status_") and b.key not in ("status_cancel", "status_confirm")
    ]


def test_opening_is_asked_once_and_a_second_click_cannot_close_the_campaign():
    cid = make_campaign()
    import_fixture(cid, "roster_title_rows.xlsx")
    at = page("campaign.campaign_setup", ORG).run()
    at.button(key="status_open").click().run()
    assert not at.exception
    assert _status(cid) == "draft"  # one click asks, changes nothing
    [asked] = [w.value for w in at.warning if w.value.startswith("确定")]
    assert asked.startswith("确定把本活动由“草稿”改为“进行中”吗？")
    assert "3 个党支部、6 名党员" in asked
    assert _status_buttons(at) == []  # while asked, no other change is on offer
    at.button(key="status_confirm").click().run()
    assert _status(cid) == "open"
    assert at.success[0].value == "已改为“进行中”。"
    assert _status_buttons(at) == [] and not [b for b in at.button if b.key == "status_confirm"]
    at.run()  # drawn again: the next change is offered, and it asks too
    assert _status_buttons(at) == ["status_closed"]


def test_closing_says_how_many_have_not_voted_and_cancel_changes_nothing():
    cid, _, links = make_voting_branch(full=4)  # 5 voters
    casting.cast_ballot(links[0].token, all_qualified(links[0].token))
    at = page("campaign.campaign_setup", ORG).run()
    at.button(key="status_closed").click().run()
    [asked] = [w.value for w in at.warning if w.value.startswith("确定")]
    assert "结束后党员不能再投票" in asked
    assert "正在测评的 1 个党支部将同时结束测评，其中还有 4 人尚未投票。" in asked
    at.button(key="status_cancel").click().run()
    assert _status(cid) == "open"
    assert _status_buttons(at) == ["status_closed"]
    assert not [w for w in at.warning if w.value.startswith("确定")]


def test_a_confirmation_made_before_someone_else_changed_the_status_does_nothing():
    cid = make_campaign()
    import_fixture(cid, "roster_title_rows.xlsx")
    at = page("campaign.campaign_setup", ORG).run()
    at.button(key="status_open").click().run()  # asked to open the draft
    campaign_status.set_status(actor=ORG, campaign_id=cid, status="open")  # meanwhile, in another window
    campaign_status.set_status(actor=ORG, campaign_id=cid, status="closed")
    at.button(key="status_confirm").click().run()
    assert _status(cid) == "closed"  # not reopened by a confirmation given for opening a draft
    assert at.error[0].value == "该活动的状态已经变为“已结束”，没有再作更改：请查看后重新操作"
