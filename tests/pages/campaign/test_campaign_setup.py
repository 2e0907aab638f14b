"""The organizer's campaign screen through AppTest: create, confirm, correct, delete."""

import pytest

from services.campaign import campaigns
from tests.factories import ORG
from tests.pages.helpers import page

pytestmark = pytest.mark.usefixtures("database")


def test_creating_a_campaign_confirms_it_and_a_second_click_makes_no_second_one():
    at = page("campaign.campaign_setup", ORG).run()
    at.text_input(key="create_title").set_value("2020年度基层党组织组织生活会和民主评议党员")
    at.number_input(key="create_y").set_value(2020)
    at.button(key="FormSubmitter:create_campaign-创建").click().run()
    assert not at.exception
    assert at.success[0].value.startswith("已创建评议活动“2020年度基层党组织组织生活会和民主评议党员”（编号 1）")
    assert len(campaigns.list_campaigns(actor=ORG)) == 1
    at.text_input(key="create_title").set_value("2020年度基层党组织组织生活会和民主评议党员")
    at.number_input(key="create_y").set_value(2020)
    at.button(key="FormSubmitter:create_campaign-创建").click().run()
    assert "无需重复创建" in at.error[0].value
    assert len(campaigns.list_campaigns(actor=ORG)) == 1


def test_a_draft_is_corrected_and_then_deleted_from_the_screen():
    from tests.factories import make_campaign

    cid = make_campaign()
    at = page("campaign.campaign_setup", ORG).run()
    form = f"edit_campaign_{cid}"
    at.text_input(key=f"edit{cid}_title").set_value("2020年度民主评议党员（更正）")
    at.button(key=f"FormSubmitter:{form}-保存修改").click().run()
    assert not at.exception
    assert at.success[0].value == "活动设置已保存"
    assert campaigns.get_campaign(actor=ORG, campaign_id=cid).title == "2020年度民主评议党员（更正）"
    at.checkbox(key=f"delete_sure_{cid}").check().run()
    at.button(key=f"delete_{cid}").click().run()
    assert at.success[0].value == "已删除草稿“2020年度民主评议党员（更正）”"
    assert campaigns.list_campaigns(actor=ORG) == []


def test_a_refused_campaign_form_keeps_everything_typed():
    at = page("campaign.campaign_setup", ORG).run()
    at.text_input(key="create_title").set_value("2021年度民主评议党员")
    at.number_input(key="create_y").set_value(2020)
    at.checkbox(key="create_rate").check()
    at.checkbox(key="create_opinions").check()
    at.text_input(key="create_party").set_value("中共某某大学委员会")
    at.button(key="FormSubmitter:create_campaign-创建").click().run()
    assert "评议年度却是 2020" in at.error[0].value
    assert campaigns.list_campaigns(actor=ORG) == []
    assert at.text_input(key="create_title").value == "2021年度民主评议党员"
    assert at.number_input(key="create_y").value == 2020
    assert at.checkbox(key="create_rate").value is True
    assert at.checkbox(key="create_opinions").value is True
    assert at.text_input(key="create_party").value == "中共某某大学委员会"
    at.number_input(key="create_y").set_value(2021)
    at.button(key="FormSubmitter:create_campaign-创建").click().run()
    assert at.success[0].value.startswith("已创建评议活动“2021年度民主评议党员”")
    created = campaigns.list_campaigns(actor=ORG)[0]
    assert (created.rate_branch_committee, created.collect_opinions) == (True, True)
    assert at.checkbox(key="create_rate").value is False  # a created campaign empties the form
