"""The one database engine of the process, its sessions, and schema upgrades."""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlmodel import Session

from services.platform import connection_liveness, planner_stats
from services.platform.config import ROOT, get_settings

SQLITE_BUSY_MS = 10_000  # how long a connection waits for SQLite's write lock, unless a caller says less
_UPGRADE_LOCK = 0x70696E6779  # "pingy": the advisory lock held while the schema is upgraded
_engines: dict[str, Engine] = {}
_upgraded: set[str] = set()
# Caches of database content elsewhere, emptied whenever the engines are (tests switch databases).
forget_on_dispose: list = []


def _on_sqlite_connect(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
    # Deleted content is overwritten with zeros, not left in free pages (ballots are rewritten at close).
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def _build_engine(url: str) -> Engine:
    # hide_parameters: a failing statement's error (and so any log line or traceback) never shows
    # the values it carried: names, phone numbers, and in older data ballot content.
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            _private_file(Path(parsed.database))
        # As many connections as the server has worker threads (Streamlit's AnyIO pool holds 28).
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 10},
            pool_size=30,
            max_overflow=10,
            hide_parameters=True,
        )
        event.listen(engine, "connect", _on_sqlite_connect)
        planner_stats.watch(engine)
        return engine
    engine = create_engine(url, pool_size=20, max_overflow=20, hide_parameters=True)
    connection_liveness.watch(engine)  # rather than pool_pre_ping's round trip before every use
    return engine


def _private_file(path: Path) -> None:
    """The database file readable by its owner only; SQLite gives its -wal and -shm the same mode."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))


def get_engine(url: str | None = None) -> Engine:
    url = url or get_settings().database_url
    if url not in _engines:
        _engines[url] = _build_engine(url)
    return _engines[url]


def dispose_all() -> None:
    """Forget every engine (tests switch databases between cases)."""
    for engine in _engines.values():
        engine.dispose()
    _engines.clear()
    _upgraded.clear()
    for forget in forget_on_dispose:
        forget()


# The session that reads of one piece of work share (one_session), in this thread or task only.
READS = "reads"  # session.info's key for what one_session's readers keep for one another (org.branch_unit)
_shared: ContextVar[Session | None] = ContextVar("shared_session", default=None)


@contextmanager
def session_scope(within: Session | None = None, *, alone: bool = False) -> Iterator[Session]:
    """One unit of work: commits once at the end, rolls back on any exception. Given `within`, the
    work joins that caller's unit instead, and the caller commits or rolls back the whole; inside
    `one_session`, it joins that one, unless `alone` (a write that must commit on its own, as a seal)."""
    within = within or (None if alone else _shared.get())
    if within is not None:
        yield within
        return
    with _unit_of_work() as session:
        yield session


@contextmanager
def one_session() -> Iterator[Session]:
    """Every session_scope inside shares one session: for many reads in a row (a branch's filing workbook
    asks some twenty services), one connection and one identity map instead of a session per call. Inside
    another one_session, the outer one is shared."""
    if _shared.get() is not None:
        yield _shared.get()
        return
    with _unit_of_work(info={READS: {}}) as session:
        # the identity map holds rows weakly: a row no caller still holds (the campaign, the branch's voting)
        # would be read again by the next session.get; kept here, it is read once per one_session
        kept = []
        event.listen(session, "loaded_as_persistent", lambda _session, row: kept.append(row))
        token = _shared.set(session)
        try:
            yield session
        finally:
            _shared.reset(token)


@contextmanager
def _unit_of_work(**options) -> Iterator[Session]:
    with Session(get_engine(), expire_on_commit=False, **options) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def lock_row(session: Session, table: str, row_id: int) -> None:
    """Hold `table`'s row `row_id` for the rest of the transaction, so that a count-then-insert (a cap)
    made after it sees every earlier writer's rows and none slips in between. A no-op UPDATE: a row lock
    on PostgreSQL, and on SQLite the database's write lock taken before the count is read."""
    session.execute(text(f"UPDATE {table} SET id = id WHERE id = :id"), {"id": row_id})


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    return cfg


def upgrade(revision: str = "head", url: str | None = None) -> None:
    """Bring the schema up to `revision` (creates the database file on first run)."""
    engine = get_engine(url)
    cfg = alembic_config()
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # SQLite alters a table by copying it and dropping the original; with foreign keys on,
            # that drop would cascade to every row that refers to it. (Only takes effect outside
            # a transaction, hence before the migration's own.)
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        with connection.begin():
            if connection.dialect.name == "postgresql":
                # Several app processes starting at once: one migrates, the others wait, then find it done.
                connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_UPGRADE_LOCK})")
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, revision)
        if sqlite:
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()
            if broken:
                raise RuntimeError(f"migration left rows pointing nowhere: {broken[:5]}")


def ensure_schema() -> None:
    """Upgrade to head once per process and database."""
    url = get_settings().database_url
    if url not in _upgraded:
        upgrade(url=url)
        planner_stats.gather(get_engine(url))
        _upgraded.add(url)
