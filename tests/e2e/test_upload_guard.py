"""Streamlit's upload endpoint on the real server (survey/upload_guard.py): a script that opened the login page
cannot fill the server's memory with files, and a logged-in session uploads within its cap."""

import time

import jwt
import pytest

from bench.app_server import app_process
from services.platform import db
from services.platform.config import cookie_key
from services.staff import accounts
from tests.e2e.raw_session import raw_session, rss_bytes
from tests.factories import ORG

pytestmark = [pytest.mark.e2e, pytest.mark.one_database]
MB = 1024 * 1024
FILE = 9 * MB
PUTS = 40
# 40 files of 9 MB held would be 360 MB; the process may move by allocator noise, never by the files.
GROWTH_BOUND = 50 * MB


@pytest.fixture
def server(empty_database_url):
    db.upgrade(url=empty_database_url)
    accounts.create_account(actor=ORG, username="zzb", display_name="张虹", role="organizer", password="abc1234567")
    db.dispose_all()
    with app_process(empty_database_url) as (process, base):
        yield process.pid, base


def _login_cookie(username: str, key: str | None = None) -> str:
    """A login cookie as the dashboard writes it after a login now (pages/staff/auth.py)."""
    return jwt.encode({"username": username, "exp_date": time.time() + 86400}, key or cookie_key(), "HS256")


def test_without_login_no_file_is_taken_and_memory_stays(server):
    pid, base = server
    with raw_session(base) as session:
        status, text = session.put(1024)
        assert status == 403
        assert "登录" in text
        assert session.put(1024, login=_login_cookie("zzb", "x" * 40))[0] == 403  # signed with another key

        before = rss_bytes(pid)
        answers = {str(session.put(FILE)[0]) for _ in range(PUTS)}
        answers |= {str(session.put(FILE, chunked=True)[0])}
        after = rss_bytes(pid)
    assert answers <= {"403", "reset"}
    assert after - before < GROWTH_BOUND, f"{before / MB:.0f} -> {after / MB:.0f} MB"


def test_a_logged_in_session_uploads_within_its_cap(server):
    pid, base = server
    login = _login_cookie("zzb")
    with raw_session(base) as session:
        assert session.put(1024, login=login)[0] == 204  # a roster-sized file is taken

        before = rss_bytes(pid)
        answers = [session.put(FILE, login=login)[0] for _ in range(PUTS)]
        chunked, text = session.put(FILE, login=login, chunked=True)  # no Content-Length: counted as it streams
        after = rss_bytes(pid)
    assert answers[:3] == [204, 204, 204]  # 27 MB of the session's 30 MB
    assert set(answers[3:]) == {413}
    assert chunked == 413
    assert "文件太多" in text
    assert after - before < 3 * FILE + GROWTH_BOUND, f"{before / MB:.0f} -> {after / MB:.0f} MB"
