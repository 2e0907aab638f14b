"""Backups and restore of the whole database: SQLite's online backup API (a consistent copy while
ballots keep arriving), `pg_dump` / `pg_restore` on PostgreSQL. A backup holds no key: keep the
ballot key and the cookie key apart from it (README, “The ballot key”). A backup file is its owner's
only from its first byte and never overwrites a file; a restore is checked on a copy before it
replaces anything (restore_sqlite, restore_postgres)."""

import os
import sqlite3
import tempfile
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

from services.platform import db, restore_postgres, restore_sqlite
from services.platform.config import get_settings
from services.platform.errors import InvalidInput
from services.platform.pg_tools import BackupFailed, client_env, libpq, run, tool
from services.platform.restore_checks import BackupContents

__all__ = ["BackupContents", "BackupFailed", "BackupInfo", "backup", "restore"]


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    engine: str  # sqlite | postgresql
    size: int


def backup(out: Path, *, url: str | None = None) -> BackupInfo:
    url = url or get_settings().database_url
    parsed = make_url(url)
    out = Path(out)
    if out.exists():
        raise _exists(out)
    out.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # Created new (O_EXCL) and 0600 before the first byte; a killed backup leaves only this private file.
    handle, name = tempfile.mkstemp(dir=out.parent, prefix=f"{out.name}.", suffix=".partial")
    partial = Path(name)
    try:
        with os.fdopen(handle, "wb") as sink:
            if parsed.get_backend_name() == "sqlite":
                kind = "sqlite"
                # All pages in one step, under one read transaction: consistent. In WAL mode writers
                # go on meanwhile (docs/operations.md has the measurement); a backup in steps would
                # start over after every ballot written between two steps.
                with closing(sqlite3.connect(parsed.database)) as source, closing(sqlite3.connect(partial)) as target:
                    source.backup(target)
            else:
                kind = "postgresql"
                dump = (tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", libpq(url))
                run(*dump, stdout=sink, env=client_env(url))
            os.fsync(sink.fileno())
        _publish(partial, out)
    finally:
        partial.unlink(missing_ok=True)
        Path(f"{partial}-journal").unlink(missing_ok=True)
    return BackupInfo(out, kind, out.stat().st_size)


def restore(
    path: Path,
    *,
    url: str | None = None,
    replace: bool = False,
    show: Callable[[BackupContents], None] | None = None,
) -> BackupContents:
    """The backup in place of the database's contents, at the newest schema. The backup is checked
    first (on a copy, or the dump's own contents) and `show`n; a database that holds campaigns is
    replaced only with `replace`. Any refusal or failure leaves the database untouched."""
    url = url or get_settings().database_url
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(f"找不到备份文件 {path}")
    db.dispose_all()
    if make_url(url).get_backend_name() == "sqlite":
        with restore_sqlite.staged(path, Path(make_url(url).database)) as staged:
            _confirm(staged.contents, url, replace, show)
            staged.upgrade()
            staged.swap()
        db.dispose_all()
        return staged.contents
    found = restore_postgres.contents(path)
    _confirm(found, url, replace, show)
    restore_postgres.ensure_unused(url)
    restore_postgres.swap(path, url, found)
    db.dispose_all()
    db.upgrade(url=url)
    return found


def _confirm(found: BackupContents, url: str, replace: bool, show) -> None:
    if show is not None:
        show(found)
    if not replace and _has_campaigns(url):
        raise InvalidInput("数据库里已有数据：恢复会用备份替换全部内容。确需恢复，请加 --replace")


def _has_campaigns(url: str) -> bool:
    engine = db.get_engine(url)
    try:
        if "campaign" not in inspect(engine).get_table_names():
            return False
        with engine.connect() as connection:
            return connection.execute(text("SELECT count(*) FROM campaign")).scalar() > 0
    finally:
        db.dispose_all()


def _publish(partial: Path, out: Path) -> None:
    """The finished file under its name, never over an existing file."""
    try:
        os.link(partial, out)
    except FileExistsError:
        raise _exists(out) from None
    except OSError:  # a file system without hard links
        if out.exists():
            raise _exists(out) from None
        partial.replace(out)


def _exists(out: Path) -> InvalidInput:
    return InvalidInput(f"{out} 已存在：备份不会覆盖已有的文件，请换一个文件名")
