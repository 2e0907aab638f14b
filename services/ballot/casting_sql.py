"""The statements every phone runs, as the driver's own SQL on a pooled DBAPI connection.

Opening a ballot link and casting a ballot are the only paths 300 phones take at once. Profiling
showed SQLAlchemy's statement machinery and the ORM session around these few statements costing
more than running them, so here they go straight to the driver (bench/ballot_page.py measures it
against the sqlite3 module alone). The rules stay in services/ballot/casting.py; this module only speaks SQL.
"""

import functools
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy.exc import DBAPIError

from services.platform import db


class LinkState(NamedTuple):
    status: str
    voting_id: int
    closed_at: object  # only ever compared with None
    sealed_at: object
    deadline: date
    campaign_status: str


class VotingUnderLock(NamedTuple):
    closed_at: object
    deadline: date
    campaign_status: str
    wrapped_key: bytes | None


_LINK_STATE = (
    "SELECT t.status, t.voting_id, b.closed_at, b.sealed_at, c.deadline, c.status"
    " FROM voter_token t JOIN branch_voting b ON b.id = t.voting_id JOIN campaign c ON c.id = b.campaign_id"
    " WHERE t.token_hash IN (?, ?)"
)
_USE_TOKEN = "UPDATE voter_token SET status = 'used' WHERE token_hash IN (?, ?) AND voting_id = ? AND status = 'unused'"
_VOTING = (
    "SELECT b.closed_at, c.deadline, c.status, b.wrapped_key"
    " FROM branch_voting b JOIN campaign c ON c.id = b.campaign_id WHERE b.id = ?"
)
_STORE = "INSERT INTO encrypted_ballot (id, voting_id, content) VALUES (?, ?, ?)"
_RECEIPT = "INSERT INTO ballot_receipt (voting_id, receipt) VALUES (?, ?)"
_TICK = (
    "INSERT INTO ballot_tick (voting_id, minute, ballots) VALUES (?, ?, 1)"
    " ON CONFLICT (voting_id, minute) DO UPDATE SET ballots = ballot_tick.ballots + 1"
)
# PostgreSQL: each round trip to the server costs more than the statement, so the same statements go
# as one each way (data-modifying WITH); SQLite runs in this process and takes them one by one.
_PG_TAKE = (
    f"WITH used AS ({_USE_TOKEN} RETURNING 1) SELECT (SELECT count(*) FROM used), {_VOTING.removeprefix('SELECT ')}"
).replace("?", "%s")
_PG_WRITE = f"WITH s AS ({_STORE}), r AS ({_RECEIPT}) {_TICK}".replace("?", "%s")


class Unreachable(Exception):
    """The driver could not reach the database or wait for it (locked, restarting, full)."""


class Cast:
    """One ballot's statements, inside the transaction `casting()` opened."""

    def __init__(self, cursor, dialect: str) -> None:
        self._cursor, self._sqlite = cursor, dialect == "sqlite"

    def take_token(self, hashes: tuple[str, str], voting_id: int) -> VotingUnderLock | None:
        """Uses the token up if it is unused and a link of this voting, and reads the branch's voting
        under the locks; None when not (of two submissions racing, exactly one gets the voting)."""
        cursor = self._cursor
        if self._sqlite:
            if cursor.execute(_USE_TOKEN, (*hashes, voting_id)).rowcount != 1:
                return None
            row = cursor.execute(_VOTING, (voting_id,)).fetchone()
        else:  # sent with the BEGIN and the lock casting() queued: one round trip
            used, *row = cursor.execute(_PG_TAKE, (*hashes, voting_id, voting_id)).fetchone()
            if used != 1:
                return None
        closed_at, deadline, status, wrapped = row
        return VotingUnderLock(closed_at, _date(deadline), status, bytes(wrapped) if wrapped is not None else None)

    def write(self, ballot_id: str, voting_id: int, content: bytes, receipt: str, minute: datetime) -> None:
        """The encrypted ballot, its receipt, and one more in this minute's count."""
        if self._sqlite:
            self._cursor.execute(_STORE, (ballot_id, voting_id, content))
            self._cursor.execute(_RECEIPT, (voting_id, receipt))
            self._cursor.execute(_TICK, (voting_id, _moment(minute)))
        else:
            self._cursor.execute(_PG_WRITE, (ballot_id, voting_id, content, voting_id, receipt, voting_id, minute))


def link_state(hashes: tuple[str, str]) -> LinkState | None:
    """The link's token and its branch's voting, read outside any transaction (one round trip)."""
    with _connection() as (connection, sqlite):
        cursor = connection.cursor()
        try:
            row = cursor.execute(_LINK_STATE if sqlite else _LINK_STATE.replace("?", "%s"), hashes).fetchone()
        finally:
            cursor.close()
    if row is None:
        return None
    status, voting_id, closed_at, sealed_at, deadline, campaign_status = row
    return LinkState(status, voting_id, closed_at, sealed_at, _date(deadline), campaign_status)


@contextmanager
def casting(voting_id: int, wait_ms: int) -> Iterator[Cast]:
    """One transaction for one ballot of a branch, committed at the end, rolled back on any exception.

    It first takes what it needs to write, waiting at most `wait_ms` for another writer: SQLite's write
    lock; on PostgreSQL the branch's row lock, shared, before any token's, in the same order as every
    other writer (services.ballot.voting_lookup.lock_voting), so ballots go in side by side while closing or sealing
    waits for them. On PostgreSQL the statements are pipelined: the BEGIN and the lock travel with
    take_token's statement, the COMMIT with write's, two round trips in all. Only take_token's statement
    goes through the cursor Cast reads (the others through a cursor never read), so what it reads can only
    be that statement's answer. Unreachable when the driver fails to reach or wait for the database."""
    with _connection() as (connection, sqlite):
        cursor = connection.cursor()
        try:
            if sqlite:
                cursor.execute(f"PRAGMA busy_timeout={int(wait_ms)}")
                cursor.execute("BEGIN IMMEDIATE")
                yield Cast(cursor, "sqlite")
                cursor.execute("COMMIT")
            else:
                driver = connection.dbapi_connection
                with driver.pipeline(), driver.cursor() as unread:
                    unread.execute("BEGIN")
                    unread.execute(f"SET LOCAL lock_timeout = {int(wait_ms)}")
                    unread.execute(f"SELECT id FROM branch_voting WHERE id = {int(voting_id)} FOR SHARE")
                    yield Cast(cursor, "postgresql")
                    unread.execute("COMMIT")
        except BaseException:
            # What went wrong is the error raised, not a failing ROLLBACK after it (SQLite has already
            # rolled back after a full disk; a PostgreSQL that went away cannot roll back).
            with suppress(Exception):
                cursor.execute("ROLLBACK")
            raise
        finally:
            cursor.close()


@contextmanager
def _connection():
    """A connection from the engine's pool, where the statements above begin and end each transaction
    themselves (psycopg is switched to autocommit for that); given back as it was taken, or discarded when
    PostgreSQL's connection failed."""
    engine = db.get_engine()
    operational = engine.dialect.dbapi.OperationalError
    sqlite = engine.dialect.name == "sqlite"
    try:
        connection = engine.raw_connection()
    except (DBAPIError, operational) as error:  # the pool could not connect
        raise Unreachable(str(error)) from None
    driver = connection.dbapi_connection
    try:
        if not sqlite:
            driver.autocommit = True
        yield connection, sqlite
        if not sqlite:
            driver.autocommit = False
    except BaseException as error:
        # A lost PostgreSQL connection is not always raised as one: in a pipeline it can surface as a
        # statement with no answer. Whatever was raised, a broken connection means the server is unreachable.
        if isinstance(error, operational) or (isinstance(error, Exception) and not sqlite and driver.closed):
            with suppress(Exception):
                if sqlite:
                    connection.rollback()  # locked or full: the file is still there
                else:
                    connection.invalidate()  # the server may have gone: never hand this one out again
                    if driver.closed:  # it has: so has every connection pooled before now, as the ORM assumes too
                        engine.dispose()
            raise Unreachable(str(error)) from None
        with suppress(Exception):
            connection.rollback()
            if not sqlite:
                driver.autocommit = False
        raise
    finally:
        connection.close()


def _date(value) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


@functools.lru_cache(maxsize=4)  # one minute for every ballot cast in it
def _moment(value: datetime) -> str:
    """A time as SQLAlchemy stores it in SQLite (naive, microseconds), so one minute is one row."""
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")
