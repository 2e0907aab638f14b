"""The results page on a 1280 px laptop, in a real headless Chromium (issue 25): the table fits the page
(no column off to the right) and every hint can be read whole."""

import pytest
from playwright.sync_api import expect

from services.platform import db
from tests.e2e.browser import chromium, log_in, settle
from tests.e2e.server import running_app
from tests.factories import make_account, make_voted_branch

pytestmark = [pytest.mark.e2e, pytest.mark.one_database]
WAIT = 30_000
DESK = {"width": 1280, "height": 900}
HINT = "张伟：“优秀”只比“合格”多一票（4 比 3），请支部研究决定；“优秀”得票最多，但超出本支部优秀名额（2 人）"


def test_at_1280_px_the_results_table_fits_and_each_hint_is_shown_whole(empty_database_url):
    db.upgrade(url=empty_database_url)
    _, path, _ = make_voted_branch()
    make_account("branch_secretary", path, username="zb001")
    db.dispose_all()
    with running_app(empty_database_url) as base, chromium() as browser:
        page = browser.new_context(viewport=DESK).new_page()
        page.set_default_timeout(WAIT)
        log_in(page, base, "zb001", "secret12345")
        expect(page.get_by_role("heading", name="民主评议党员", exact=True)).to_be_visible()
        settle(page)
        page.goto(base + "/results")
        expect(page.get_by_role("heading", name="评议结果与评定格次", exact=True)).to_be_visible()
        settle(page)
        hint = page.get_by_text(HINT)
        expect(hint).to_be_visible()
        box = hint.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= DESK["width"], box  # wrapped, not cut off
        table = page.get_by_test_id("stDataFrame").first
        box = table.bounding_box()
        assert box["x"] + box["width"] <= DESK["width"], box
        scroller = table.locator(".dvn-scroller").first
        overflow = scroller.evaluate("e => e.scrollWidth - e.clientWidth")
        assert overflow <= 1, overflow  # every column in view, none behind a sideways scroll
