"""Pooled PostgreSQL connections whose server side has gone (a restart, an idle timeout, a killed backend):
one that lay idle past the window is found out and replaced before anyone uses it; one given back within
the window is used unchecked, and a ballot through it asks the voter to send again, nothing lost."""

import pytest
from sqlalchemy import create_engine, text

from services.ballot import casting
from services.ballot.casting import SystemBusy
from services.platform import connection_liveness, db
from tests.conftest import PG_ADMIN_URL
from tests.factories import all_qualified, make_voting_branch

pytestmark = [
    pytest.mark.usefixtures("database"),
    pytest.mark.skipif(not PG_ADMIN_URL, reason="PostgreSQL only: SQLite has no server to lose"),
]


def _kill_the_apps_connections() -> int:
    """Ends every server process of the app's database, as a restart would: the pool does not know."""
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        killed = connection.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE datname = :name AND pid <> pg_backend_pid()"
            ),
            {"name": db.get_engine().url.database},
        ).scalar_one()
    admin.dispose()
    return killed


def _pooled_connections_warmed(token: str) -> None:
    casting.open_ballot(token)  # the pool now holds a connection, given back just now
    assert db.get_engine().pool.checkedin() >= 1


def test_a_connection_idle_past_the_window_is_replaced_before_use(monkeypatch):
    _, _, links = make_voting_branch()
    _pooled_connections_warmed(links[0].token)
    assert _kill_the_apps_connections() >= 1
    monkeypatch.setattr(connection_liveness, "BYPASS_SECONDS", -1.0)  # every connection counts as idle
    assert casting.open_ballot(links[0].token).state == "open"
    receipt = casting.cast_ballot(links[0].token, all_qualified(links[0].token))
    assert len(receipt) == 9


def test_a_connection_used_within_the_window_is_not_checked_and_a_ballot_is_sent_again(monkeypatch):
    _, _, links = make_voting_branch()
    filled = all_qualified(links[0].token)
    _pooled_connections_warmed(links[0].token)
    monkeypatch.setattr(connection_liveness, "BYPASS_SECONDS", 3600.0)  # every connection counts as fresh
    assert _kill_the_apps_connections() >= 1
    with pytest.raises(SystemBusy):  # the dead connection met in use, and thrown away
        casting.cast_ballot(links[0].token, filled, casting.submission_form(links[0].token))
    assert casting.open_ballot(links[0].token).state == "open"  # nothing was stored; the link still works
    assert len(casting.cast_ballot(links[0].token, filled)) == 9
    assert casting.open_ballot(links[0].token).state == "used"
