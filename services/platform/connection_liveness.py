"""Whether a pooled PostgreSQL connection still reaches the server, checked only when it may not.

SQLAlchemy's pool_pre_ping sends a round trip before every use of a connection; on the ballot path that
was one round trip in three. A connection given back a moment ago was working a moment ago, so, as
HikariCP does with its aliveBypassWindowMs, only a connection that has lain idle longer than that is
checked. A server that restarts takes longer than the window, so its old connections are all checked and
replaced before use; a connection that fails in use anyway is discarded where it fails (the ORM's
disconnect handling, services/ballot/casting_sql.py), and the voter is asked to send again with every choice kept.
"""

import time

from sqlalchemy import Engine, event
from sqlalchemy.exc import DisconnectionError

BYPASS_SECONDS = 0.5


def watch(engine: Engine) -> None:
    """Check each connection of the engine's pool before use when it has been idle over BYPASS_SECONDS."""
    dialect = engine.dialect

    @event.listens_for(engine, "checkin")
    def returned(_dbapi_connection, record) -> None:
        if record is not None:
            record.info["returned"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def taken(dbapi_connection, record, _proxy) -> None:
        if time.monotonic() - record.info.get("returned", float("-inf")) <= BYPASS_SECONDS:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except Exception as gone:  # the pool discards this connection and takes (or makes) another
            raise DisconnectionError(str(gone)) from gone
