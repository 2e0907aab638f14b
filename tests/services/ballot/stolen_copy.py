"""What someone holding a copy of the database can read: every row with its system columns, and the
raw bytes of the files (SQLite's database and -wal; PostgreSQL's table files and write-ahead log)."""

import os
import shutil
import sqlite3
from pathlib import Path

from sqlalchemy import text

from services.platform import db

BALLOT_TABLES = ("ballot", "ballot_choice", "ballot_receipt", "encrypted_ballot")


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def rows(url: str, tmp_path, tables=BALLOT_TABLES) -> dict[str, list[dict]]:
    """Rows as a copy returns them, in that order; on PostgreSQL with ctid and xmin."""
    if is_sqlite(url):
        connection = sqlite3.connect(_copy_files(url, tmp_path))
        connection.row_factory = sqlite3.Row
        found = {t: [dict(r) for r in connection.execute(f"SELECT * FROM {t}")] for t in tables}
        connection.close()
        return found
    with db.get_engine(url).connect() as connection:
        return {
            t: [
                dict(r._mapping)
                for r in connection.execute(text(f"SELECT ctid::text AS ctid, xmin::text AS xmin, * FROM {t}"))
            ]
            for t in tables
        }


def found_in_tables(url: str, needles: set[str]) -> set[str]:
    """Which of the texts appear in any value of any table, as text or as bytes (bytea, BLOB)."""
    listing = (
        "SELECT name FROM sqlite_master WHERE type='table'"
        if is_sqlite(url)
        else "SELECT tablename FROM pg_tables WHERE schemaname='public'"
    )
    found = set()
    with db.get_engine(url).connect() as connection:
        for name in [r[0] for r in connection.exec_driver_sql(listing)]:
            for row in connection.exec_driver_sql(f'SELECT * FROM "{name}"'):
                for value in row:
                    if isinstance(value, (bytes, memoryview)):
                        found |= {n for n in needles if n.encode() in bytes(value)}
                    elif value is not None:
                        found |= {n for n in needles if n in str(value)}
    return found


def wal_position(url: str) -> str | None:
    """Where PostgreSQL's write-ahead log stands now, so that raw_bytes reads only what came after."""
    if is_sqlite(url):
        return None
    with db.get_engine(url).connect() as connection:
        return connection.exec_driver_sql("SELECT pg_walfile_name(pg_current_wal_lsn())").scalar()


def raw_bytes(url: str, tmp_path, since_wal_file: str | None = None) -> bytes:
    """The database's files as stored on disk: SQLite's file and -wal; PostgreSQL's files of every
    table (and its TOAST and indexes) after a CHECKPOINT, and the write-ahead log since a position."""
    if is_sqlite(url):
        source = url.removeprefix("sqlite:///")
        return b"".join(Path(p).read_bytes() for p in (source, source + "-wal") if os.path.exists(p))
    engine = db.get_engine(url).execution_options(isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql("CHECKPOINT")
        files = [
            r[0]
            for r in connection.exec_driver_sql(
                "SELECT pg_relation_filepath(c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE n.nspname IN ('public', 'pg_toast') AND c.relkind IN ('r', 't', 'i')"
                " AND pg_relation_filepath(c.oid) IS NOT NULL"
            )
        ]
        wal = [
            "pg_wal/" + r[0]
            for r in connection.exec_driver_sql("SELECT name FROM pg_ls_waldir() ORDER BY name")
            if len(r[0]) == 24 and (since_wal_file is None or r[0] >= since_wal_file)
        ]
        chunks = []
        for path in files + wal:
            chunks.append(
                connection.exec_driver_sql("SELECT pg_read_binary_file(%(p)s, 0, 1 << 29, true)", {"p": path}).scalar()
                or b""
            )
        return b"".join(chunks)


def _copy_files(url: str, tmp_path) -> str:
    source = url.removeprefix("sqlite:///")
    copy = tmp_path / "stolen.db"
    shutil.copy(source, copy)
    if os.path.exists(source + "-wal"):
        shutil.copy(source + "-wal", str(copy) + "-wal")
    return str(copy)
