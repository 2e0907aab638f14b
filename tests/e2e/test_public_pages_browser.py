"""The public opinion form and a member's commitment on a 360 px phone, JavaScript off, in a real
headless Chromium: typed, sent, thanked, and shown back as plain text."""

import pytest
from playwright.sync_api import expect

from services.meeting import branch_links, opinions
from services.platform import db
from tests.e2e.browser import chromium
from tests.e2e.server import running_app
from tests.factories import ORG, make_voting_branch

pytestmark = [pytest.mark.e2e, pytest.mark.one_database]
PHONE = {"width": 360, "height": 740}


def test_an_opinion_and_a_commitment_from_a_phone(empty_database_url):
    db.upgrade(url=empty_database_url)
    cid, path, links = make_voting_branch(full=7)
    address = branch_links.public_link(actor=ORG, campaign_id=cid, branch_path=path, purpose="opinions", base_url="")
    db.dispose_all()
    with running_app(empty_database_url) as base, chromium() as browser:
        context = browser.new_context(viewport=PHONE, java_script_enabled=False, is_mobile=True, has_touch=True)
        page = context.new_page()
        page.goto(f"{base}{address}")
        page.get_by_label("意见建议").fill("希望<b>多开展</b>志愿服务")
        page.get_by_role("button", name="提交意见").tap()
        expect(page.get_by_role("status")).to_contain_text("已收到您的意见")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

        page.goto(f"{base}/c/{links[0].token}")
        page.get_by_label("整改承诺").fill("<i>每月</i>读一本理论书籍")
        page.get_by_role("button", name="保存承诺").tap()
        expect(page.get_by_role("status")).to_contain_text("已保存")
        expect(page.get_by_label("整改承诺")).to_have_value("<i>每月</i>读一本理论书籍")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    [left] = opinions.list_opinions(actor=ORG, campaign_id=cid, branch_path=path)
    assert left.text == "希望<b>多开展</b>志愿服务"
