"""The ballot's live counter in Chromium (JavaScript on): over the cap it says only that, in red, and
nothing that reads as done; back within the cap it counts again."""

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import chromium
from tests.e2e.test_ballot_browser import PHONE, WAIT, _voting_demo_branch

pytestmark = [pytest.mark.e2e, pytest.mark.one_database]
CAP = 8  # the demo branch: 24 full members


def test_over_the_cap_the_live_counter_shows_only_the_over_cap_message(empty_database_url):
    with _voting_demo_branch(empty_database_url, "named") as (_, links, base), chromium() as browser:
        context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
        page = context.new_page()
        page.set_default_timeout(WAIT)
        page.goto(f"{base}/v/{links[0].token}")
        rows = page.locator("fieldset.row[id^=m]")
        for i in range(rows.count()):  # every row chosen, one 优秀 over the cap
            rows.nth(i).get_by_text("优秀" if i <= CAP else "合格", exact=True).tap()
        live = page.locator("#live")
        expect(live).to_have_text(f"“优秀”已选 {CAP + 1} 人，超过最多 {CAP} 人：请把 1 人改为其他等次")
        expect(live).to_have_class("over")
        rows.nth(0).get_by_text("合格", exact=True).tap()  # back within the cap
        expect(live).to_have_text(f"优秀 已选 {CAP} / 最多 {CAP} 人　已全部选择")
        expect(live).not_to_have_class("over")
        context.close()
