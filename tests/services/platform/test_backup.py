"""Backups taken while ballots keep arriving, restored into another database: every ballot whose
receipt was shown before the backup began is there, none twice, and the tokens agree. A restore is
checked before it replaces anything; a refused one leaves the database as it was."""

import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from services.ballot import casting
from services.platform import backup, db
from services.platform.errors import InvalidInput
from services.platform.pg_tools import client_env, libpq, run, tool
from tests import conftest
from tests.factories import all_qualified, make_campaign, make_voting_branch

pytestmark = pytest.mark.usefixtures("database")


@pytest.fixture
def other_database(tmp_path):
    """An empty database of the same engine to restore into."""
    if conftest.PG_ADMIN_URL:
        name = f"pingyi_restore_{uuid.uuid4().hex[:8]}"
        yield conftest._pg_create(name)
        conftest._pg_drop(name)
    else:
        yield f"sqlite:///{tmp_path / 'restored.db'}"


def _counts(url: str) -> tuple[set[str], int, int]:
    engine = create_engine(url)
    with engine.connect() as c:
        receipts = [r for (r,) in c.execute(text("SELECT receipt FROM ballot_receipt"))]
        stored = c.execute(text("SELECT count(*) FROM encrypted_ballot")).scalar()
        used = c.execute(text("SELECT count(*) FROM voter_token WHERE status = 'used'")).scalar()
    engine.dispose()
    assert len(receipts) == len(set(receipts))
    return set(receipts), stored, used


def test_a_backup_taken_mid_burst_restores_every_receipted_ballot_once(database, other_database, tmp_path):
    _, _, links = make_voting_branch(full=40)
    shown_before: list[str] = []
    shown: list[str] = []
    started = threading.Event()

    def vote(token: str) -> None:
        receipt = casting.cast_ballot(token, all_qualified(token))
        shown.append(receipt)
        if not started.is_set():
            shown_before.append(receipt)

    for link in links[:10]:
        vote(link.token)
    workers = [threading.Thread(target=vote, args=(link.token,)) for link in links[10:]]
    for worker in workers:
        worker.start()
    started.set()
    before = list(shown_before)  # every receipt a phone had been shown when the backup began
    made = backup.backup(tmp_path / "mid-burst.backup")
    for worker in workers:
        worker.join()
    assert len(shown) == len(links) and made.size > 0
    backup.restore(made.path, url=other_database)
    receipts, stored, used = _counts(other_database)
    assert set(before) <= receipts
    assert stored == used == len(receipts)  # no half-written ballot: each with its token and receipt
    assert receipts <= set(shown)


def test_a_restore_never_overwrites_data_unless_asked(database, tmp_path):
    make_voting_branch(full=3)
    made = backup.backup(tmp_path / "b.backup")
    with pytest.raises(InvalidInput, match="确需恢复，请加 --replace"):
        backup.restore(made.path, url=database)
    backup.restore(made.path, url=database, replace=True)
    with pytest.raises(InvalidInput, match="找不到备份文件"):
        backup.restore(tmp_path / "nothing", url=database, replace=True)


HEAD = ScriptDirectory.from_config(db.alembic_config()).get_current_head()


def _fingerprint(url: str) -> bytes:
    """The whole live database: the SQLite file's bytes, or PostgreSQL's plain dump of everything."""
    db.dispose_all()
    if make_url(url).get_backend_name() == "sqlite":
        path = Path(make_url(url).database)
        wal = Path(f"{path}-wal")
        assert not wal.exists() or wal.stat().st_size == 0  # every byte is in the file
        return path.read_bytes()
    dump = run(tool("pg_dump"), "--format=plain", libpq(url), env=client_env(url))
    return "\n".join(line for line in dump.splitlines() if "restrict " not in line).encode()  # a random key


def _execute(url: str, *statements: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))
    engine.dispose()


def _campaign_count(url: str) -> int:
    engine = create_engine(url)
    with engine.connect() as connection:
        count = connection.execute(text("SELECT count(*) FROM campaign")).scalar()
    engine.dispose()
    return count


def _damaged(made: Path, tmp_path: Path, where: float = 0.5) -> Path:
    data = bytearray(made.read_bytes())
    start = int(len(data) * where)
    end = min(start + 4096, len(data))
    data[start:end] = (bytes(range(256)) * 16)[: end - start]
    damaged = tmp_path / "damaged.backup"
    damaged.write_bytes(bytes(data))
    return damaged


@pytest.mark.parametrize("where", [0.5, 0.995])
def test_a_damaged_backup_is_refused_and_the_database_left_byte_for_byte(database, tmp_path, where):
    if where > 0.99 and not conftest.PG_ADMIN_URL:
        pytest.skip("a SQLite file may end in free pages, whose damage harms nothing")
    make_voting_branch(full=20)
    damaged = _damaged(backup.backup(tmp_path / "b.backup").path, tmp_path, where)
    before = _fingerprint(database)
    shown = []
    with pytest.raises(InvalidInput, match=r"已损坏.*当前数据库没有改动"):
        backup.restore(damaged, url=database, replace=True, show=shown.append)
    assert _fingerprint(database) == before
    if conftest.PG_ADMIN_URL:  # the dump's last table is read only by the restore itself, which rolls back
        assert bool(shown) == (where > 0.99)
    assert not list(tmp_path.glob("*.restore-*"))  # the checked copy is gone


@pytest.mark.parametrize(
    "tamper, refusal",
    [
        ("DROP TABLE alembic_version", "不是本系统的备份"),  # another program's database
        ("UPDATE alembic_version SET version_num = '9999_future'", "9999_future 不是本程序认识的版本"),
        ("DROP TABLE member CASCADE", "缺少本系统的数据表：member"),
    ],
)
def test_a_backup_of_another_schema_is_refused_before_anything_is_replaced(
    database, other_database, tmp_path, tamper, refusal
):
    make_campaign()
    db.upgrade(url=other_database)
    _execute(
        other_database,
        "CREATE TABLE notes (id integer PRIMARY KEY, body text)",
        tamper.replace(" CASCADE", "" if "sqlite" in other_database else " CASCADE"),
    )
    made = backup.backup(tmp_path / "foreign.backup", url=other_database)
    before = _fingerprint(database)
    with pytest.raises(InvalidInput, match=refusal):
        backup.restore(made.path, url=database, replace=True)
    assert _fingerprint(database) == before
    assert _campaign_count(database) == 1


def test_a_file_of_the_other_engine_or_of_neither_is_refused(database, tmp_path):
    other = tmp_path / "other.db"
    if conftest.PG_ADMIN_URL:
        sqlite3.connect(other).execute("CREATE TABLE x (a)").connection.close()
        expected = "是 SQLite 数据库文件，而本系统现在用的是 PostgreSQL"
    else:
        other.write_bytes(b"PGDMP" + bytes(200))
        expected = "是 PostgreSQL 的备份，而本系统现在用的是 SQLite"
    text_file = tmp_path / "notes.txt"
    text_file.write_text("不是备份")
    before = _fingerprint(database)
    with pytest.raises(InvalidInput, match=expected):
        backup.restore(other, url=database, replace=True)
    with pytest.raises(InvalidInput, match="不是本系统的数据库备份"):
        backup.restore(text_file, url=database, replace=True)
    assert _fingerprint(database) == before


def test_a_restore_shows_the_backup_then_asks_for_replace_leaving_the_database_alone(database, tmp_path):
    make_campaign()
    make_campaign(title="第二个活动")
    made = backup.backup(tmp_path / "b.backup")
    before = _fingerprint(database)
    shown = []
    with pytest.raises(InvalidInput, match="请加 --replace"):
        backup.restore(made.path, url=database, show=shown.append)
    assert shown == [backup.BackupContents(HEAD, 2)]
    assert _fingerprint(database) == before


def test_a_restore_is_refused_while_another_connection_has_the_database_open(database, tmp_path):
    make_campaign()
    made = backup.backup(tmp_path / "b.backup")
    before = _fingerprint(database)
    app = create_engine(database)  # as a running app process would
    with app.connect() as connection:
        connection.execute(text("SELECT count(*) FROM campaign")).scalar()
        with pytest.raises(InvalidInput, match="请先停止应用"):
            backup.restore(made.path, url=database, replace=True)
        assert _fingerprint(database) == before
    app.dispose()
    backup.restore(made.path, url=database, replace=True)
    assert _campaign_count(database) == 1


def test_nothing_of_the_replaced_database_survives_a_restore(database, tmp_path):
    make_campaign()
    made = backup.backup(tmp_path / "b.backup")
    if conftest.PG_ADMIN_URL:
        _execute(
            database,
            "CREATE TABLE extra (x integer)",
            "CREATE FUNCTION evil() RETURNS integer LANGUAGE sql AS 'SELECT 1'",
            "CREATE SCHEMA stray",
            "CREATE TABLE stray.kept (x integer)",
            "SELECT lo_from_bytea(0, 'x')",
        )
        leftovers = (
            "SELECT count(*) FROM pg_class WHERE relname IN ('extra', 'kept')",
            "SELECT count(*) FROM pg_proc WHERE proname = 'evil'",
            "SELECT count(*) FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'"
            " AND nspname <> 'public'",
            "SELECT count(*) FROM pg_largeobject_metadata",
        )
    else:  # a process killed while its writes were still in the -wal: that log must not meet the new file
        db.dispose_all()
        writer = (
            "import os, sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute('PRAGMA wal_autocheckpoint=0');"
            "c.execute('CREATE TABLE extra (x integer)'); c.execute('INSERT INTO extra VALUES (1)'); c.commit();"
            "os._exit(0)"
        )
        subprocess.run([sys.executable, "-c", writer, make_url(database).database], check=True)
        assert Path(f"{make_url(database).database}-wal").stat().st_size > 0
        leftovers = ("SELECT count(*) FROM sqlite_master WHERE name = 'extra'",)
    backup.restore(made.path, url=database, replace=True)
    engine = create_engine(database)
    with engine.connect() as connection:
        assert [connection.execute(text(q)).scalar() for q in leftovers] == [0] * len(leftovers)
        assert connection.execute(text("SELECT count(*) FROM campaign")).scalar() == 1
        if not conftest.PG_ADMIN_URL:
            assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    engine.dispose()


def _hold_the_database(url: str):
    """A lock that makes a backup wait at its start: SQLite's exclusive locking mode (readers get
    busy, and Python's backup waits and retries), or an exclusive lock on a table pg_dump must read."""
    if make_url(url).get_backend_name() == "sqlite":
        db.dispose_all()  # the pool's connections would keep the exclusive lock away
        holder = sqlite3.connect(make_url(url).database, isolation_level=None)
        holder.execute("PRAGMA locking_mode=EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")
        return holder.close  # ends the transaction, releases the lock
    engine = create_engine(url)
    connection = engine.connect()
    connection.execute(text("LOCK TABLE campaign IN ACCESS EXCLUSIVE MODE"))

    def release() -> None:
        connection.rollback()
        connection.close()
        engine.dispose()

    return release


def test_a_backup_file_is_private_from_its_creation_and_never_overwrites(database, tmp_path):
    make_campaign()
    out = tmp_path / "backups" / "b.backup"
    release = _hold_the_database(database)
    done = []
    worker = threading.Thread(target=lambda: done.append(backup.backup(out)))
    worker.start()
    try:
        deadline = time.monotonic() + 60
        while not list(out.parent.glob("*.partial")) and time.monotonic() < deadline:
            time.sleep(0.02)
        (partial,) = out.parent.glob("*.partial")  # the backup waits for the lock, its file already made
        assert partial.stat().st_mode & 0o777 == 0o600
    finally:
        release()
        worker.join()
    assert done and out.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in out.parent.iterdir()] == ["b.backup"]
    kept = out.read_bytes()
    with pytest.raises(InvalidInput, match="已存在：备份不会覆盖已有的文件"):
        backup.backup(out)
    assert out.read_bytes() == kept
    assert [p.name for p in out.parent.iterdir()] == ["b.backup"]


def test_the_database_password_is_never_on_a_command_line():
    url = "postgresql+psycopg://pingyi:s%40cret@db.example:5432/pingyi"
    assert libpq(url) == "postgresql://pingyi@db.example:5432/pingyi"  # what ps shows of pg_dump and psql
    assert client_env(url)["PGPASSWORD"] == "s@cret"
