"""The PostgreSQL client programs backups and restores run: pg_dump, pg_restore, psql."""

import glob
import os
import shutil
import subprocess
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from services.platform.errors import ServiceError


class BackupFailed(ServiceError):
    pass


def libpq(url: str) -> str:
    """The SQLAlchemy URL as the client programs take it (postgresql://…), without its password:
    a command line is visible to every user of the machine (ps). The password goes in PGPASSWORD."""
    u = make_url(url)
    bare = URL.create("postgresql", u.username, None, u.host, u.port, u.database, u.query)
    return bare.render_as_string(hide_password=False)


def client_env(url: str) -> dict[str, str]:
    """The environment for a client program: ours, with the URL's password as PGPASSWORD."""
    password = make_url(url).password
    return {**os.environ, "PGPASSWORD": str(password)} if password is not None else dict(os.environ)


def tool(name: str) -> str:
    """The PostgreSQL client program, from PATH or the newest Debian installation."""
    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None)
    if found is None:
        raise BackupFailed(f"找不到 {name}：请安装 PostgreSQL 客户端（Debian 软件包 postgresql-client）")
    return found


def run(*command: str, stdout=None, env: dict[str, str] | None = None) -> str:
    """Runs the program; its output as text, unless `stdout` (an open file) takes it."""
    done = subprocess.run(command, stdout=stdout or subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    if done.returncode != 0:
        raise BackupFailed(f"{Path(command[0]).name} 失败：{_tail(done.stderr)}")
    return "" if stdout else done.stdout.decode("utf-8", errors="replace")


def _tail(stderr: bytes) -> str:
    return stderr.decode("utf-8", errors="replace").strip()[-500:]
