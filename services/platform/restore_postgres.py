"""Restoring a PostgreSQL backup: the dump's table of contents and its alembic_version and campaign
rows read first, without touching the database; then, in one transaction, every schema of the
database set aside (and any large object removed), the dump restored into a fresh `public`, checked,
and the old schemas dropped.
Nothing that was in the database before survives (no table or function someone added), and if
anything fails, the transaction rolls back and the database is as it was."""

import re
import secrets
import subprocess
import tempfile
from pathlib import Path

from sqlalchemy import text

from services.platform import db, restore_checks
from services.platform.pg_tools import BackupFailed, client_env, libpq, run, tool
from services.platform.restore_checks import BackupContents

MAGIC = b"PGDMP"  # pg_dump's custom format
_TABLE = re.compile(r"^\d+; \d+ \d+ TABLE public (\S+) ", re.MULTILINE)
_LARGE_OBJECTS = re.compile(r"^\d+; \d+ \d+ (BLOB|BLOBS|LARGE OBJECT) ", re.MULTILINE)


def contents(path: Path) -> BackupContents:
    with path.open("rb") as dump:
        head = dump.read(16)
    if not head.startswith(MAGIC):
        raise restore_checks.wrong_engine(path, head, "postgresql")
    try:
        listing = run(tool("pg_restore"), "--list", str(path))
        if _LARGE_OBJECTS.search(listing):  # never made by this product; their SQL would commit midway
            raise restore_checks.refuse(f"{path} 含有本系统不使用的大对象（large object），不是本系统的备份，")
        tables = set(_TABLE.findall(listing))
        revisions = _rows(path, "alembic_version") if "alembic_version" in tables else None
        revision = restore_checks.check_schema(path, tables, revisions)
        return BackupContents(revision, len(_rows(path, "campaign")))
    except BackupFailed:
        raise restore_checks.damaged(path) from None


def ensure_unused(url: str) -> None:
    """Refused while another session (e.g. a running app process) is connected to the database."""
    with db.get_engine(url).connect() as connection:
        others = connection.execute(
            text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
            )
        ).scalar()
    db.dispose_all()
    if others:
        raise restore_checks.refuse(
            f"数据库还有 {others} 个其他连接（应用是否还在运行？）。请先停止应用的全部进程再恢复，"
        )


def swap(path: Path, url: str, expected: BackupContents) -> None:
    """pg_restore's SQL fed to psql between our own BEGIN and COMMIT; the COMMIT is sent only
    once pg_restore has finished without error and the restored rows match `expected`."""
    old = f"pingyi_replaced_{secrets.token_hex(4)}_"
    with tempfile.TemporaryFile() as psql_errors, tempfile.TemporaryFile() as restore_errors:
        psql = subprocess.Popen(
            [tool("psql"), "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", f"--dbname={libpq(url)}"],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=psql_errors, env=client_env(url),
        )  # fmt: skip
        try:
            psql.stdin.write(_before(old).encode())
            psql.stdin.flush()
            restored = subprocess.run(
                [tool("pg_restore"), "--no-owner", "--no-privileges", "--file=-", str(path)],
                stdout=psql.stdin, stderr=restore_errors,
            )  # fmt: skip
            if restored.returncode == 0:
                psql.stdin.write(_after(old, expected).encode())
            psql.stdin.close()  # without a COMMIT (even mid-COPY) psql ends and the server rolls back
        except BrokenPipeError:  # psql stopped at an error: its transaction is rolled back
            restored = None
        psql.wait()
        if restored is not None and restored.returncode > 0:  # pg_restore's own error, not psql gone
            raise restore_checks.refuse(f"备份文件 {path} 已损坏，读不出全部内容（{_said(restore_errors)}），")
        if restored is None or restored.returncode != 0 or psql.returncode != 0:
            raise BackupFailed(f"恢复失败，当前数据库没有改动：{_said(restore_errors, psql_errors)}")


def _said(*files) -> str:
    said = []
    for file in files:
        file.seek(0)
        said.append(file.read().decode("utf-8", errors="replace").strip())
    return "\n".join(s for s in said if s)[-500:]


def _rows(path: Path, table: str) -> list[str]:
    """The table's rows in the dump, as COPY lines (one line per row: COPY escapes line breaks)."""
    lines = run(tool("pg_restore"), "--data-only", f"--table={table}", "--file=-", str(path)).splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith(f"COPY public.{table} ")), None)
    return [] if start is None else lines[start + 1 : lines.index("\\.", start)]


def _before(old: str) -> str:
    return f"""BEGIN;
DO $$ DECLARE s name; n int := 0; BEGIN
  FOR s IN SELECT nspname FROM pg_namespace WHERE nspname !~ '^pg_' AND nspname <> 'information_schema' LOOP
    n := n + 1;
    EXECUTE format('ALTER SCHEMA %I RENAME TO %I', s, '{old}' || n);
  END LOOP;
END $$;
SELECT lo_unlink(oid) FROM pg_largeobject_metadata;
CREATE SCHEMA public AUTHORIZATION pg_database_owner;
GRANT USAGE ON SCHEMA public TO PUBLIC;
"""


def _after(old: str, expected: BackupContents) -> str:
    # Both values come from a revision this program knows and a count: nothing typed by anyone.
    return f"""
DO $$ BEGIN
  IF (SELECT count(*) FROM public.alembic_version WHERE version_num = '{expected.revision}') <> 1
     OR (SELECT count(*) FROM public.campaign) <> {int(expected.campaigns)} THEN
    RAISE EXCEPTION 'the restored database differs from the backup';
  END IF;
END $$;
DO $$ DECLARE s name; BEGIN
  FOR s IN SELECT nspname FROM pg_namespace WHERE starts_with(nspname, '{old}') LOOP
    EXECUTE format('DROP SCHEMA %I CASCADE', s);
  END LOOP;
END $$;
COMMIT;
"""
