"""Two app processes behind nginx on one PostgreSQL, started by deploy/run_local.py from deploy/'s files:
nothing a member or a secretary does depends on which process answers."""

import os
import re
import time
import urllib.request
from urllib.parse import urlencode, urlsplit

import pytest

from bench.ballot_burst import CSRF, MEMBER, RECEIPT
from deploy.run_local import NGINX, local_setup
from pages.progress.overview import REFRESH_SECONDS
from services.platform import db
from services.staff import accounts
from tests.e2e.browser import chromium, log_in, settle
from tests.factories import ORG, make_voting_branch

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
        reason="several processes share one PostgreSQL (TEST_DATABASE_URL)",
    ),
]
WAIT = 30_000
SHOWN_WITHIN = REFRESH_SECONDS + 5  # one refresh, plus the fragment's own run on a loaded 2-core machine


def _require_nginx() -> None:
    """Skip where nginx is missing, unless the run demands it (CI sets REQUIRE_BROWSER=1)."""
    if os.access(NGINX, os.X_OK):
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"nginx not found at {NGINX}")
    pytest.skip(f"nginx not found at {NGINX} (install Debian's nginx-light)")


def _request(url: str, public: str, data: dict | None = None) -> tuple[int, str]:
    """GET, or POST `data`, to one process as nginx would pass a phone's request: Host and Origin are nginx's."""
    headers = {"Host": urlsplit(public).netloc}
    if data is not None:
        headers |= {"Origin": public, "Content-Type": "application/x-www-form-urlencoded"}
    body = urlencode(data).encode() if data is not None else None
    try:
        with urllib.request.urlopen(urllib.request.Request(url, body, headers), timeout=20) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _vote(get_from: str, post_to: str, public: str, token: str) -> str:
    """The ballot page from one address, all 合格 sent to another; the receipt shown."""
    status, page = _request(f"{get_from}/v/{token}", public)
    assert status == 200, page
    fields = {"csrf": CSRF.search(page).group(1), "action": "submit"} | dict.fromkeys(MEMBER.findall(page), "qualified")
    status, page = _request(f"{post_to}/v/{token}", public, fields)
    assert status == 200 and RECEIPT.search(page), page
    return RECEIPT.search(page).group(1)


@pytest.fixture
def two_processes(database):
    _require_nginx()
    _, _, links = make_voting_branch(full=7)
    accounts.create_account(actor=ORG, username="zzb", display_name="张虹", role="organizer", password="abc1234567")
    db.dispose_all()
    with local_setup(database, processes=2) as setup:
        yield setup, [link.token for link in links]


def test_ballots_logins_and_form_secrets_cross_processes_and_progress_follows(two_processes):
    setup, tokens = two_processes
    a, b = setup.apps
    voters = len(tokens)  # full and probationary members: one link each
    with chromium() as browser:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        # Logged in on process A; its signed cookie (cookies are per host, not port) opens process B too.
        log_in(page, a, "zzb", "abc1234567")
        page.get_by_text("张虹（组织部）").wait_for(timeout=WAIT)
        page.wait_for_function("document.cookie.includes('pingyi_login=')", timeout=WAIT)
        # A process's first session runs the frame (dashboard.py) before a page's own address works.
        page.goto(f"{b}/")
        page.get_by_text("张虹（组织部）").wait_for(timeout=WAIT)
        page.goto(f"{b}/progress")
        page.get_by_role("heading", name="测评进度").wait_for(timeout=WAIT)
        settle(page)
        page.get_by_text(f"0 / {voters}", exact=True).wait_for(timeout=WAIT)

        # A form secret rendered by B is accepted by A, which stores the ballot; B's live page shows it
        # at its next refresh, without a reload.
        _vote(get_from=b, post_to=a, public=setup.base, token=tokens[0])
        cast = time.monotonic()
        page.get_by_text(f"1 / {voters}", exact=True).wait_for(timeout=SHOWN_WITHIN * 1000)
        assert time.monotonic() - cast <= SHOWN_WITHIN

        # The other way round, then a phone through nginx, which sends the GET and the POST where it likes.
        _vote(get_from=a, post_to=b, public=setup.base, token=tokens[1])
        _vote(get_from=setup.base, post_to=setup.base, public=setup.base, token=tokens[2])
        page.get_by_text(f"3 / {voters}", exact=True).wait_for(timeout=SHOWN_WITHIN * 1000)

        # The dashboard through nginx: its websocket upgraded there, the session kept to one process.
        fresh = browser.new_context(viewport={"width": 1280, "height": 900})
        page = fresh.new_page()
        log_in(page, setup.base, "zzb", "abc1234567")
        page.get_by_text("张虹（组织部）").wait_for(timeout=WAIT)
        assert any(c["name"] == "pingyi_route" for c in fresh.cookies())
        settle(page)
        page.goto(f"{setup.base}/progress")
        page.get_by_role("heading", name="测评进度").wait_for(timeout=WAIT)
        page.get_by_text(f"3 / {voters}", exact=True).wait_for(timeout=WAIT)
        # the caption comes after the figures in the same run: wait for it rather than read the page at once
        page.get_by_text(re.compile(r"每 \d+ 秒自动刷新")).wait_for(timeout=WAIT)
