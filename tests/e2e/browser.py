"""Headless Chromium (Debian's package) driven by Playwright, for the flows that matter most."""

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Chromium's own background traffic is refused on closed networks; keep it quiet.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def require_chromium() -> None:
    """Skip where no Chromium is installed, unless the run demands it (CI sets REQUIRE_BROWSER=1)."""
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"Chromium not found at {CHROMIUM}")
    pytest.skip(f"Chromium not found at {CHROMIUM} (install Debian's chromium package)")


@contextmanager
def chromium() -> Iterator:
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()


# True once Streamlit has stayed idle for a moment: the cookie component's own rerun follows
# the first run, and a click made in between can be lost.
_IDLE = """() => new Promise(resolve => {
  let quiet = 0;
  const tick = () => {
    const app = document.querySelector('[data-testid="stApp"]');
    quiet = app && app.getAttribute('data-test-script-state') === 'notRunning' ? quiet + 1 : 0;
    if (quiet >= 4) resolve(true); else setTimeout(tick, 150);
  };
  tick();
})"""


def settle(page, timeout: int = 30_000) -> None:
    """Wait until the Streamlit page has finished running its script and stays idle."""
    page.wait_for_function(_IDLE, timeout=timeout)


def log_in(page, base: str, username: str, password: str) -> None:
    """Open the dashboard at `base` and submit the login form (the caller waits for what follows)."""
    page.goto(base + "/")
    settle(page)
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录", exact=True).click()
