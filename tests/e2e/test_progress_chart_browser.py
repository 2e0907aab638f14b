"""测评进度's chart in a browser whose clock is on UTC, in headless Chromium: its times are the unit's own
(Asia/Shanghai by default), as on the rest of the page, not the browser's."""

import pytest
from playwright.sync_api import expect

from services.ballot import casting
from services.platform import db
from services.progress import overview
from tests.e2e.browser import chromium, log_in, settle
from tests.e2e.dashboard_ui import open_page
from tests.e2e.server import running_app
from tests.factories import ORG, all_qualified, make_account, make_voting_branch

pytestmark = [pytest.mark.e2e, pytest.mark.one_database]


def test_the_chart_shows_the_units_clock_in_a_browser_on_utc(empty_database_url):
    db.upgrade(url=empty_database_url)
    cid, _, links = make_voting_branch()
    casting.cast_ballot(links[0].token, all_qualified(links[0].token))
    [(minute, _)] = overview.ballots_over_time(actor=ORG, campaign_id=cid)
    make_account("organizer", username="zzb")
    db.dispose_all()
    unit = minute.strftime("%m-%d %H:%M")  # as the unit's clock reads it
    utc = (minute.replace(tzinfo=None) - minute.utcoffset()).strftime("%m-%d %H:%M")  # the same moment on UTC
    assert unit != utc
    with running_app(empty_database_url) as base, chromium() as browser:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, timezone_id="UTC")
        page = context.new_page()
        page.set_default_timeout(30_000)
        log_in(page, base, "zzb", "secret12345")
        page.get_by_role("heading", name="民主评议党员", exact=True).wait_for()
        settle(page)
        open_page(page, "测评进度")
        chart = page.locator("svg").filter(has_text="累计收到测评票")
        expect(chart).to_be_visible()
        labels = chart.locator("text").evaluate_all("texts => texts.map(t => t.textContent)")
        assert unit in labels and utc not in labels, labels
        assert not [label for label in labels if "." in label]  # whole ballots on the count axis, no 0.5
        context.close()
