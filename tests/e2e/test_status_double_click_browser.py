"""A double click on a campaign's status button in a real Chromium: the first click asks, the second changes
nothing; a double click on 确认 makes one change and offers no next change until the page is drawn again."""

import pytest
from playwright.sync_api import expect

from services.campaign import campaigns
from services.platform import db
from services.staff import accounts
from tests.e2e.browser import chromium, log_in, settle
from tests.e2e.server import running_app
from tests.factories import ORG, import_fixture, make_campaign

pytestmark = pytest.mark.e2e
WAIT = 30_000


def test_double_clicks_make_one_status_change_at_most(empty_database_url):
    db.upgrade(url=empty_database_url)
    cid = make_campaign()
    import_fixture(cid, "roster_title_rows.xlsx")
    accounts.create_account(actor=ORG, username="zzb", display_name="张虹", role="organizer", password="abc1234567")
    db.dispose_all()
    with running_app(empty_database_url) as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        log_in(page, base, "zzb", "abc1234567")
        page.get_by_text("张虹（组织部）").wait_for(timeout=WAIT)
        settle(page)  # the login cookie is written by a component after the first run: leave before, and it is lost
        page.goto(base + "/campaigns")
        settle(page)

        start = page.get_by_role("button", name="改为“进行中”")
        expect(start).to_be_visible(timeout=2 * WAIT)  # a loaded machine (CI runs two suites at once) is slow
        start.dblclick()
        expect(page.get_by_text("确定把本活动由“草稿”改为“进行中”吗？")).to_be_visible(timeout=WAIT)
        settle(page)
        assert campaigns.get_campaign(actor=ORG, campaign_id=cid).status == "draft"

        page.get_by_role("button", name="确认", exact=True).dblclick()
        expect(page.get_by_text("已改为“进行中”。")).to_be_visible(timeout=WAIT)
        settle(page)
        assert campaigns.get_campaign(actor=ORG, campaign_id=cid).status == "open"
        assert page.get_by_role("button", name="改为“已结束”").count() == 0  # not in the spot just clicked

        page.reload()
        settle(page)
        expect(page.get_by_role("button", name="改为“已结束”")).to_be_visible(timeout=WAIT)  # drawn again: offered
