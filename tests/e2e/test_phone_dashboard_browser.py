"""The vote day on a 390 px phone, in headless Chromium: the menu folds away once a page is chosen, every page
is listed (no "View 7 more"), figures sit side by side, nothing runs off the right edge of 组织测评 or 测评进度,
and a reminder is copied with a tap."""

import re

import pytest
from playwright.sync_api import expect

from services.platform import db
from tests.e2e.browser import chromium, log_in, settle
from tests.e2e.server import running_app
from tests.factories import make_account, make_voting_branch

pytestmark = [pytest.mark.e2e, pytest.mark.one_database]
PHONE = {"width": 390, "height": 844}


def _choose(page, link: str) -> None:
    """Open the folded menu and tap a page, as a thumb does."""
    page.get_by_test_id("stExpandSidebarButton").tap()
    nav = page.get_by_test_id("stSidebarNav")
    expect(nav.get_by_role("link", name=link, exact=True)).to_be_visible()
    # every page listed: no "View 7 more" (a word, case kept: an icon's name such as rate_review is no match)
    assert nav.get_by_text(re.compile(r"\bView\b")).count() == 0
    nav.get_by_role("link", name=link, exact=True).tap()
    expect(page.get_by_role("heading", name=link, exact=True)).to_be_visible()
    settle(page)


def test_on_a_phone_the_menu_folds_after_a_choice_and_nothing_runs_off_the_edge(empty_database_url):
    db.upgrade(url=empty_database_url)
    _, path, _ = make_voting_branch()
    make_account("branch_secretary", path, username="zb001")
    db.dispose_all()
    with running_app(empty_database_url) as base, chromium() as browser:
        context = browser.new_context(
            viewport=PHONE, is_mobile=True, has_touch=True, permissions=["clipboard-read", "clipboard-write"]
        )
        page = context.new_page()
        page.set_default_timeout(30_000)
        log_in(page, base, "zb001", "secret12345")
        page.get_by_role("heading", name="民主评议党员", exact=True).wait_for()
        settle(page)
        for link in ("组织测评", "测评进度"):
            _choose(page, link)
            expect(page.get_by_test_id("stSidebar")).to_have_attribute("data-collapsed", "true")  # folded away
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], link
            charts = page.locator(".vega-embed").evaluate_all("cs => cs.map(c => c.getBoundingClientRect().right)")
            assert all(right <= PHONE["width"] for right in charts), (link, charts)  # no chart cut at the edge
        _choose(page, "组织测评")
        tops = page.get_by_test_id("stMetric").evaluate_all(
            "ms => ms.map(m => Math.round(m.getBoundingClientRect().top))"
        )
        assert len(tops) == 4 and len(set(tops)) <= 2, tops  # figures side by side, not one tall column
        label = page.get_by_text("我已知晓，仍要结束测评")
        expect(label).to_be_visible()
        assert label.evaluate("e => e.scrollWidth <= e.clientWidth")  # the whole label, not cut off
        _choose(page, "未投票提醒")
        page.get_by_role("button", name="复制", exact=True).first.tap()  # a thumb: no hover to show a button
        expect(page.get_by_role("button", name="已复制", exact=True)).to_be_visible()
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied.startswith("各位党员同志：第一党支部党员民主测评还有 8 人尚未完成"), copied
        context.close()
