"""A voter on a phone (390×844, touch) fills the ballot from a link, in a real headless Chromium,
once with JavaScript on and once with it off: the page has to work either way."""

import re
from contextlib import contextmanager

import pytest
from playwright.sync_api import expect

from services import demo
from services.ballot import voter_links, voting
from services.platform import db
from tests.e2e.browser import chromium
from tests.e2e.server import running_app
from tests.factories import ORG

pytestmark = pytest.mark.e2e
WAIT = 30_000
PHONE = {"width": 390, "height": 844}
BRANCH = "机关党总支/党政办公室党支部"  # 24 full members: at most 8 rated 优秀
EXCELLENT_ROWS = 2


@contextmanager
def _voting_demo_branch(url: str, mode: str):
    """The demo unit with BRANCH voting in `mode`, and the app running: (campaign id, links, address)."""
    db.upgrade(url=url)
    campaign_id = demo.load_demo(actor=ORG).campaign_id
    voting.open_voting(actor=ORG, campaign_id=campaign_id, branch_path=BRANCH, mode=mode, base_url="http://unused")
    links = voter_links.current_links(actor=ORG, campaign_id=campaign_id, branch_path=BRANCH, base_url="http://unused")
    db.dispose_all()
    with running_app(url) as base:
        yield campaign_id, links.links, base


@pytest.fixture
def ballot(empty_database_url):
    """(campaign id, the voting link of one member) with the app running."""
    with _voting_demo_branch(empty_database_url, "named") as (campaign_id, links, base):
        yield campaign_id, f"{base}/v/{links[0].token}"


def _choice(index: int) -> str:
    return "优秀" if index < EXCELLENT_ROWS else "合格"


def _tap_rows(rows, indexes) -> None:
    for i in indexes:
        rows.nth(i).get_by_text(_choice(i), exact=True).tap()


def _assert_checked(rows, indexes) -> None:
    for i in indexes:
        expect(rows.nth(i).get_by_label(_choice(i), exact=True)).to_be_checked()


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_a_voter_on_a_phone_fills_confirms_and_gets_a_receipt(ballot, javascript):
    campaign_id, link = ballot
    with chromium() as browser:
        context = browser.new_context(viewport=PHONE, java_script_enabled=javascript, is_mobile=True, has_touch=True)
        page = context.new_page()
        page.set_default_timeout(WAIT)
        page.goto(link)

        rows = page.locator("fieldset.row[id^=m]")
        expect(rows).to_have_count(24)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scrolling
        assert page.locator(".opts label").first.bounding_box()["height"] >= 44  # a target a thumb can hit

        # Every row but the last, then "next": the page names the missing member and keeps the rest.
        last = rows.count() - 1
        _tap_rows(rows, range(last))
        if javascript:
            expect(page.locator("#live")).to_contain_text("还有 1 项未选")
        missing = rows.nth(last).locator("legend").inner_text().split(maxsplit=1)[1]
        page.get_by_role("button", name="下一步：核对").tap()
        expect(page.locator(".errors")).to_contain_text(f"请为{missing}选择一项")
        expect(rows.nth(last)).to_have_class(re.compile(r"\bbad\b"))
        _assert_checked(rows, range(last))

        _tap_rows(rows, [last])
        _assert_checked(rows, range(last + 1))
        if javascript:
            expect(page.locator("#live")).to_contain_text(f"优秀 已选 {EXCELLENT_ROWS} / 最多 8")
            expect(page.locator("#live")).to_contain_text("已全部选择")
        else:
            expect(page.locator("#live")).to_contain_text("最多 8 人")

        page.get_by_role("button", name="下一步：核对").tap()
        expect(page.get_by_role("heading", name="请核对您的测评")).to_be_visible()
        expect(page.locator(".intro")).to_contain_text(f"优秀 {EXCELLENT_ROWS} 人，合格 {last + 1 - EXCELLENT_ROWS} 人")
        page.get_by_role("button", name="确认提交").tap()

        expect(page.locator("#receipt")).to_have_text(re.compile(r"^[A-Z0-9]{4}-[A-Z0-9]{4}$"))

        page.goto(link)  # the same link again
        expect(page.get_by_text("已经提交")).to_be_visible()
        expect(page.locator("form")).to_have_count(0)
        context.close()

    assert voting.state(actor=ORG, campaign_id=campaign_id, branch_path=BRANCH).voted_online == 1


def _small_phone(browser):
    """A 360 px touch phone, the narrowest members use: (context, page)."""
    context = browser.new_context(viewport={"width": 360, "height": 640}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(WAIT)
    return context, page


def test_at_360_px_secrecy_is_explained_confirm_stays_in_view_and_back_never_errs(ballot):
    _, link = ballot
    with chromium() as browser:
        context, page = _small_phone(browser)
        page.goto(link)
        expect(page.locator(".secret")).to_contain_text("只用来记录您是否已经投票，从不记录您投了什么")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        rows = page.locator("fieldset.row[id^=m]")
        _tap_rows(rows, range(rows.count()))
        page.get_by_role("button", name="下一步：核对").tap()
        confirm = page.get_by_role("button", name="确认提交")
        expect(confirm).to_be_in_viewport()  # 24 rows of summary above it, and still in view
        page.get_by_role("button", name="返回修改").tap()
        expect(rows).to_have_count(24)
        _assert_checked(rows, range(24))  # back on the form with every choice kept
        # The phone's back gesture after a correction, made once evaluate has returned: a navigation inside
        # evaluate can tear its context down before it answers (seen under load).
        page.evaluate("setTimeout(() => history.back(), 0)")
        expect(page.get_by_role("heading", name="请核对您的测评")).to_be_visible()  # not the browser's error page
        assert not page.url.startswith("chrome-error")
        page.evaluate("setTimeout(() => history.back(), 0)")
        expect(rows).to_have_count(24)
        context.close()


@pytest.fixture
def code_branch(empty_database_url):
    """(the app's address, the codes of a branch voting with unnamed codes)."""
    with _voting_demo_branch(empty_database_url, "unnamed") as (_, links, base):
        yield base, [link.code for link in links]


def test_at_360_px_a_member_types_the_code_from_a_slip_and_a_typo_is_given_back(code_branch):
    base, codes = code_branch
    with chromium() as browser:
        context, page = _small_phone(browser)
        page.goto(f"{base}/v")
        box = page.get_by_label("投票码")
        typo = codes[0][:-1] + ("x" if codes[0][-1] != "x" else "y")
        box.fill(typo)
        page.get_by_role("button", name="打开测评表").tap()
        expect(page.get_by_role("alert")).to_contain_text("没有这个投票码")
        expect(page.get_by_label("投票码")).to_have_value(typo)  # what was typed, to correct rather than retype
        page.get_by_label("投票码").fill(codes[0].upper().replace("-", " "))
        page.get_by_role("button", name="打开测评表").tap()
        expect(page.locator("fieldset.row[id^=m]")).to_have_count(24)
        expect(page.locator(".secret")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        context.close()
