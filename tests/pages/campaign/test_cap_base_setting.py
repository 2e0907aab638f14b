"""The cap's base chosen on the campaign screen, and shown where the cap is (AppTest)."""

import pytest

from services.campaign import campaigns
from tests.factories import ORG, make_account, make_voted_branch
from tests.pages.helpers import page

pytestmark = pytest.mark.usefixtures("database")


def test_the_organizer_chooses_the_base_when_setting_up_and_the_results_page_prints_it():
    at = page("campaign.campaign_setup", ORG).run()
    choice = at.radio(key="create_cap_base")
    assert choice.value == "full" and choice.options == [
        "参评正式党员（默认：只有正式党员评定格次）", "参评党员总数（含预备党员）（通知所说的“党员总数”）",
    ]  # fmt: skip
    at.text_input(key="create_title").set_value("2020年度基层党组织组织生活会和民主评议党员")
    at.number_input(key="create_y").set_value(2020)
    at.radio(key="create_cap_base").set_value("all")
    at.button(key="FormSubmitter:create_campaign-创建").click().run()
    assert not at.exception and at.success
    [made] = campaigns.list_campaigns(actor=ORG)
    assert made.cap_base == "all"
    assert at.radio(key=f"edit{made.id}_cap_base").value == "all"  # the correction form shows it


def test_the_results_page_states_the_cap_with_its_base_and_the_tie_rule():
    _cid, path, _ = make_voted_branch(cap_base="all")  # 7 full members and 1 probationary: 8, a cap of 2
    at = page("grading.results", make_account("branch_secretary", path, username="zb")).run()
    captions = [c.value for c in at.caption]
    assert "“优秀”名额：参评党员总数（含预备党员） 8 人的三分之一，向下取整为 2 人。" in captions
    assert any("票数相同时按较低的等次建议（如“优秀”“合格”各 10 票，建议“合格”）" in c for c in captions)
