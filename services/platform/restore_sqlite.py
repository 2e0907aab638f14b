"""Restoring a SQLite backup: the backup copied into a new file beside the database, checked there
(integrity, this product's schema), brought up to date, and only then put in the database's place by
one rename. Until that rename the live database is not written to at all."""

import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from services.platform import db, restore_checks
from services.platform.restore_checks import BackupContents

SIDECARS = ("-wal", "-shm", "-journal")
HEADER = b"SQLite format 3\x00"


@dataclass(frozen=True)
class Staged:
    copy: Path  # the checked copy, in the live database's directory
    live: Path
    contents: BackupContents

    def upgrade(self) -> None:
        """The copy brought to the newest schema, then out of WAL mode: one self-contained file."""
        db.upgrade(url=f"sqlite:///{self.copy}")
        db.dispose_all()
        with closing(sqlite3.connect(self.copy)) as connection:
            connection.execute("PRAGMA journal_mode=DELETE")

    def swap(self) -> None:
        """The copy in the live database's place. The live database's log is folded in and removed
        first (so no stale -wal is ever read with the new file); refused while another connection,
        e.g. a running app, has the database open."""
        self.live.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not self.live.exists():
            _remove_sidecars(self.live)
            os.replace(self.copy, self.live)
        else:
            with closing(_take_over(self.live)) as holder:
                if os.geteuid() == 0:  # run as root: the file stays the app user's
                    owner = self.live.stat()
                    os.chown(self.copy, owner.st_uid, owner.st_gid)
                os.replace(self.copy, self.live)
                holder.rollback()
        directory = os.open(self.live.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


@contextmanager
def staged(path: Path, live: Path) -> Iterator[Staged]:
    """The backup copied beside `live` and checked; the copy is removed unless swapped in."""
    with path.open("rb") as backup:
        head = backup.read(len(HEADER))
    if head != HEADER:
        raise restore_checks.wrong_engine(path, head, "sqlite")
    live.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    handle, name = tempfile.mkstemp(dir=live.parent, prefix=f"{live.name}.restore-")  # O_EXCL, 0600
    copy = Path(name)
    try:
        with os.fdopen(handle, "wb") as sink, path.open("rb") as backup:
            shutil.copyfileobj(backup, sink, 1 << 20)
            sink.flush()
            os.fsync(sink.fileno())
        yield Staged(copy, live, _contents(path, copy))
    finally:
        copy.unlink(missing_ok=True)
        _remove_sidecars(copy)


def _contents(path: Path, copy: Path) -> BackupContents:
    try:
        with closing(sqlite3.connect(copy)) as connection:
            if connection.execute("PRAGMA integrity_check").fetchall() != [("ok",)]:
                raise restore_checks.damaged(path)
            tables = {n for (n,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            revisions = None
            if "alembic_version" in tables:
                revisions = [r for (r,) in connection.execute("SELECT version_num FROM alembic_version")]
            revision = restore_checks.check_schema(path, tables, revisions)
            campaigns = connection.execute("SELECT count(*) FROM campaign").fetchone()[0]
            connection.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.DatabaseError:
        raise restore_checks.damaged(path) from None
    return BackupContents(revision, campaigns)


def _take_over(live: Path) -> sqlite3.Connection:
    """A connection holding the live database alone: switched to rollback-journal mode, which folds
    its -wal into the file and removes it with the -shm, and succeeds only if no other connection
    has the file open; then an exclusive lock, so none opens it until the rename."""
    connection = sqlite3.connect(live, timeout=1, isolation_level=None)
    try:
        if connection.execute("PRAGMA journal_mode=DELETE").fetchone()[0] != "delete":
            raise sqlite3.OperationalError("journal mode unchanged")
        connection.execute("BEGIN EXCLUSIVE")
    except sqlite3.OperationalError:
        connection.close()
        raise restore_checks.refuse(
            "数据库正被其他程序打开（应用是否还在运行？）。请先停止应用的全部进程再恢复，"
        ) from None
    except sqlite3.DatabaseError:  # the live file is itself damaged: nothing of it to keep
        connection.close()
        _remove_sidecars(live)
        return sqlite3.connect(":memory:")
    return connection


def _remove_sidecars(database: Path) -> None:
    for suffix in SIDECARS:
        Path(f"{database}{suffix}").unlink(missing_ok=True)
