"""A ballot sent while a bulk job holds the database: refused as busy, every choice kept, nothing
stored, the link still usable; on both engines."""

import re
import sqlite3
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine
from starlette.applications import Starlette
from starlette.testclient import TestClient

from services.ballot import casting
from survey import routes
from tests.factories import BRANCH_MEMBERS, make_voting_branch

pytestmark = pytest.mark.usefixtures("database")


@contextmanager
def held_write_lock(url: str):
    """Another connection holding what a ballot needs, as a long import would."""
    if url.startswith("sqlite"):
        other = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            other.execute("ROLLBACK")
            other.close()
    else:
        engine = create_engine(url)
        with engine.connect() as other:
            other.exec_driver_sql("BEGIN")
            other.exec_driver_sql("LOCK TABLE voter_token IN EXCLUSIVE MODE")
            try:
                yield
            finally:
                other.rollback()
        engine.dispose()


def test_a_ballot_during_a_held_lock_is_told_to_retry_with_every_choice_kept(database, monkeypatch):
    monkeypatch.setattr(casting, "BALLOT_WAIT_MS", 200)
    client = TestClient(Starlette(routes=routes), base_url="http://testserver")
    _, _, links = make_voting_branch()
    token = links[0].token
    page = client.get(f"/v/{token}").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    ids = {name: m for m, name in casting.open_ballot(token).rated}
    data = {"csrf": csrf, "action": "submit"} | {f"m{ids[n]}": "qualified" for n in BRANCH_MEMBERS}
    data[f"m{ids[BRANCH_MEMBERS[0]]}"] = "excellent"
    with held_write_lock(database):
        busy = client.post(f"/v/{token}", data=data)
    assert busy.status_code == 503
    assert "系统繁忙，您的票还没有提交。您的选择都还在" in busy.text
    assert f'name="m{ids[BRANCH_MEMBERS[0]]}" value="excellent"' in busy.text  # ready to send again
    assert casting.open_ballot(token).state == "open"
    done = client.post(f"/v/{token}", data=data)
    assert done.status_code == 200 and 'id="receipt"' in done.text


def test_an_unreachable_database_keeps_what_the_phone_sent_for_sending_again(monkeypatch):
    """No server listens on the address (a database restarting): the page says so, 503, and a POST
    comes back as a form carrying every value it sent."""
    from services.platform import db

    monkeypatch.setenv("DATABASE_URL", f"postgresql+psycopg://postgres@127.0.0.1:{_closed_port()}/none")
    db.dispose_all()
    client = TestClient(Starlette(routes=routes))
    opened = client.get("/v/" + "a" * 26)
    assert opened.status_code == 503 and "系统繁忙，暂时打不开测评表" in opened.text
    sent = client.post("/v/" + "a" * 26, data={"csrf": "s", "m1": "excellent", "m2": "qualified", "action": "submit"})
    assert sent.status_code == 503 and "您的 2 项选择都还在" in sent.text
    assert 'name="m1" value="excellent"' in sent.text and 'name="csrf" value="s"' in sent.text
    assert '<button type="submit" name="action" value="submit">再次提交</button>' in sent.text
    db.dispose_all()


def _closed_port() -> int:
    from bench.app_server import free_port

    return free_port()  # bound and released at once: nothing listens there
