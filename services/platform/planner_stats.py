"""SQLite's statistics for its query planner (the sqlite_stat1 table), gathered and kept fresh.

Most tables are indexed on campaign_id and on branch_id apart. Without statistics SQLite cannot tell which of
the two narrows a query more, and it took the campaign's: a branch's 33 members were found by reading all
20,000 of the campaign (2.1 ms instead of 0.08 ms, on every read of one branch's rows). ANALYZE, bounded to a
few hundred rows per index, takes milliseconds even on a file of 600 branches. A connection reads the
statistics when it opens, so after each gathering the pool's older connections are replaced as they are next
taken. PostgreSQL gathers its own (autovacuum's ANALYZE): nothing to do there.

Gathered when the schema is brought up to date (each start), after a roster is imported, and hourly.
"""

import itertools
import logging

from sqlalchemy import Engine, event
from sqlalchemy.exc import DisconnectionError, OperationalError

log = logging.getLogger(__name__)
ANALYSIS_LIMIT = 400  # rows read per index: SQLite's suggested bound (100 to 1,000)
WAIT_MS = 2000  # for SQLite's write lock, which ANALYZE takes to store what it found
_gatherings = itertools.count(1)
_latest = 0  # the latest gathering in this process; 0: none yet


def watch(engine: Engine) -> None:
    """Replace a pooled SQLite connection opened before the latest gathering when it is next taken."""

    @event.listens_for(engine, "connect")
    def opened(_dbapi_connection, record) -> None:
        record.info["statistics"] = _latest

    @event.listens_for(engine, "checkout")
    def taken(_dbapi_connection, record, _proxy) -> None:
        if record.info.get("statistics", _latest) != _latest:
            # the pool closes this one and opens another, which reads the new statistics
            raise DisconnectionError("planner statistics gathered since this connection opened")


def gather(engine: Engine) -> bool:
    """Whether they were gathered: not when SQLite's write lock stayed taken (a restore, a long import); the
    work that asked has been done, and the next gathering (within the hour) catches up."""
    global _latest
    if engine.dialect.name != "sqlite":
        return True
    try:
        with engine.connect() as connection:
            waits = connection.exec_driver_sql("PRAGMA busy_timeout").scalar()
            connection.exec_driver_sql(f"PRAGMA busy_timeout={WAIT_MS}")
            try:
                connection.exec_driver_sql(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
                connection.exec_driver_sql("ANALYZE")
                connection.commit()
            finally:
                connection.exec_driver_sql(f"PRAGMA busy_timeout={waits}")
    except OperationalError:
        log.warning("planner statistics not gathered: the database stayed locked")
        return False
    _latest = next(_gatherings)
    return True
