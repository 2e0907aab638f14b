"""Backups and restore of the whole database: SQLite's online backup API (a consistent copy while
ballots keep arriving), `pg_dump` / `pg_restore` on PostgreSQL. A backup holds no key: keep the
ballot key and the cookie key apart from it (README, “The ballot key”)."""

import glob
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

from services.platform import db
from services.platform.config import get_settings
from services.platform.errors import InvalidInput, ServiceError


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    engine: str  # sqlite | postgresql
    size: int


class BackupFailed(ServiceError):
    pass


def backup(out: Path, *, url: str | None = None) -> BackupInfo:
    url = url or get_settings().database_url
    parsed = make_url(url)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    if parsed.get_backend_name() == "sqlite":
        with sqlite3.connect(parsed.database) as source, sqlite3.connect(partial) as target:
            source.backup(target)  # all pages in one step, under one read transaction: consistent
        target.close()
        source.close()
        kind = "sqlite"
    else:
        _run(_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={partial}", _libpq(url))
        kind = "postgresql"
    os.chmod(partial, 0o600)  # as private as the database itself
    partial.replace(out)
    return BackupInfo(out, kind, out.stat().st_size)


def restore(path: Path, *, url: str | None = None, replace: bool = False) -> None:
    """The backup in place of the database's contents, then the schema brought up to date. Refuses to
    overwrite a database that holds campaigns unless `replace`."""
    url = url or get_settings().database_url
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(f"找不到备份文件 {path}")
    if not replace and _has_campaigns(url):
        raise InvalidInput("数据库里已有数据：恢复会用备份替换全部内容。确需恢复，请加 --replace")
    parsed = make_url(url)
    db.dispose_all()
    if parsed.get_backend_name() == "sqlite":
        with path.open("rb") as head:
            if not head.read(16).startswith(b"SQLite format 3"):
                raise InvalidInput(f"{path} 不是本系统在 SQLite 上做的备份")
        with sqlite3.connect(path) as source, sqlite3.connect(parsed.database) as target:
            source.backup(target)
        target.close()
        source.close()
    else:
        _run(_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
             f"--dbname={_libpq(url)}", str(path))  # fmt: skip
    db.dispose_all()
    db.upgrade(url=url)


def _has_campaigns(url: str) -> bool:
    engine = db.get_engine(url)
    if "campaign" not in inspect(engine).get_table_names():
        return False
    with engine.connect() as connection:
        return connection.execute(text("SELECT count(*) FROM campaign")).scalar() > 0


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _tool(name: str) -> str:
    """The PostgreSQL client program, from PATH or the newest Debian installation."""
    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None)
    if found is None:
        raise BackupFailed(f"找不到 {name}：请安装 PostgreSQL 客户端（Debian 软件包 postgresql-client）")
    return found


def _run(*command: str) -> None:
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupFailed(f"{Path(command[0]).name} 失败：{done.stderr.strip()[-500:]}")
