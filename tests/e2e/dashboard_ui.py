"""Driving the Streamlit dashboard from Playwright the way a person does: log in, follow the sidebar,
read a metric, take a download, fill a row of an editable table (st.data_editor). Logging in is
tests/e2e/browser.py's log_in."""

import re
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from tests.e2e.browser import settle

WAIT = 30_000


def set_first_password(page: Page, one_time: str, new: str) -> None:
    """The screen forced after a login with a one-time password; ends on the home page."""
    expect(page.get_by_role("heading", name="设置新密码")).to_be_visible(timeout=WAIT)
    settle(page)
    page.get_by_label("当前密码", exact=True).fill(one_time)
    page.get_by_label("新密码（至少 10 位，含字母和数字）", exact=True).fill(new)
    page.get_by_label("再输一次新密码", exact=True).fill(new)
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_text("密码已设置，以后请用新密码登录")).to_be_visible(timeout=WAIT)
    settle(page)


def open_page(page: Page, link: str, heading: str | None = None) -> None:
    """A page from the sidebar, which shows only the first few pages until "View N more" is pressed."""
    nav = page.get_by_test_id("stSidebarNav")
    target = nav.get_by_role("link", name=link, exact=True)
    if not target.is_visible():
        nav.get_by_role("button", name=re.compile(r"^View \d+ more$")).click()
    target.click()
    title = page.get_by_role("heading", name=heading or link, exact=True)
    try:
        expect(title).to_be_visible(timeout=WAIT)
    except AssertionError:
        # On a loaded machine a click can land while the page is still rerunning (a redirect, the login
        # cookie's rerun) and be lost: once the page is idle, click again if the page has not come.
        settle(page, timeout=2 * WAIT)
        if not title.is_visible():
            target.click()
            expect(title).to_be_visible(timeout=2 * WAIT)
    settle(page)


def pick(page: Page, label: str, option: str) -> None:
    """Choose `option` in the select box labelled `label` (exactly). As with open_page, a click that lands while
    the page reruns can be lost: once the page is idle, the box is opened again."""
    box, choice = page.get_by_label(label, exact=True), page.get_by_role("option", name=option, exact=True)
    box.click()
    try:
        expect(choice).to_be_visible(timeout=WAIT)
    except AssertionError:
        settle(page, timeout=2 * WAIT)
        page.keyboard.press("Escape")
        box.click()
        expect(choice).to_be_visible(timeout=2 * WAIT)
    choice.click()


def metric(page: Page, label: str) -> Locator:
    """The st.metric whose label is `label`."""
    return page.get_by_test_id("stMetric").filter(
        has=page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
    )


def download(page: Page, button: str, timeout: int = WAIT) -> tuple[str, bytes]:
    """(suggested file name, content) of what a download button gives."""
    with page.expect_download(timeout=timeout) as info:
        page.get_by_role("button", name=button, exact=True).click()
    got = info.value
    return got.suggested_filename, Path(got.path()).read_bytes()


class NewRow:
    """A row added to an editable table (st.data_editor, a canvas) and filled cell by cell from the
    keyboard, as a person tabbing through it: Enter opens a cell's editor, Tab keeps the value and
    moves right (Enter would move down, onto the row that adds another row)."""

    def __init__(self, page: Page, table: Locator) -> None:
        self.page = page
        self._editor = page.locator("#portal .gdg-clip-region")
        table.scroll_into_view_if_needed()
        settle(page)
        box = table.bounding_box()
        # A click on the empty row below the last (here: below the header) adds a row and opens the
        # editor of its first cell; Escape closes the editor and leaves that cell selected.
        page.mouse.click(box["x"] + 100, box["y"] + 35 + 17)
        self._editor.wait_for()
        page.keyboard.press("Escape")
        self._editor.wait_for(state="detached")
        expect(table.get_by_test_id("glide-cell-1-0")).to_have_attribute("aria-selected", "true", timeout=WAIT)

    def skip(self, columns: int = 1) -> "NewRow":
        for _ in range(columns):
            self.page.keyboard.press("ArrowRight")
        return self

    def text(self, value: str) -> "NewRow":
        self.page.keyboard.press("Enter")
        self.page.locator("#portal textarea").fill(value)
        return self._next()

    def date(self, value: str) -> "NewRow":
        self.page.keyboard.press("Enter")
        self.page.locator("#portal input[type=date]").fill(value)
        return self._next()

    def choose(self, option: str) -> "NewRow":
        self.page.keyboard.press("Enter")
        self.page.locator("#portal input[role=combobox]").fill(option)
        expect(self.page.get_by_role("option", name=option, exact=True)).to_be_visible(timeout=WAIT)
        return self._next()

    def _next(self) -> "NewRow":
        self.page.keyboard.press("Tab")
        self._editor.wait_for(state="detached")
        return self
