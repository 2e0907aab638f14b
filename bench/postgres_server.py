"""A private PostgreSQL server from Debian's binaries (package postgresql), for benchmarks and tests that
need PostgreSQL where none is configured. Needs nothing beyond requirements.txt."""

import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.app_server import free_port


class NoPostgres(RuntimeError):
    """PostgreSQL's server programs are not installed."""


@dataclass
class PrivatePostgres:
    url: str
    _ctl: list[str]

    def stop(self) -> None:
        """As abrupt as a crash: no shutdown checkpoint, every connection cut."""
        subprocess.run([*self._ctl, "-m", "immediate", "stop"], check=True, capture_output=True)

    def start(self) -> None:
        subprocess.run([*self._ctl, "start"], check=True, capture_output=True)


@contextmanager
def private_postgres(settings: dict[str, str] | None = None) -> Iterator[PrivatePostgres]:
    """A fresh cluster on a free port of 127.0.0.1 (fsync off, and `settings`), removed afterwards;
    NoPostgres if PostgreSQL is not installed."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise NoPostgres("PostgreSQL server programs are not installed (Debian package postgresql)")
    bin_dir = Path(found[-1]).parent
    root = Path(tempfile.mkdtemp(prefix="pingyi-private-pg-"))
    as_pg: list[str] = []
    if os.getuid() == 0:  # initdb refuses root: run the server as the postgres user
        root.chmod(0o755)
        shutil.chown(root, "postgres")
        as_pg = ["runuser", "-u", "postgres", "--"]
    port = free_port()
    data = root / "data"
    subprocess.run([*as_pg, str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                    "--no-locale"], check=True, capture_output=True)  # fmt: skip
    given = "".join(f" -c {key}={value}" for key, value in (settings or {}).items() if key != "listen_addresses")
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {root} -c fsync=off{given}"
    ctl = [*as_pg, str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(root / "server.log"), "-w", "-o", options]
    server = PrivatePostgres(f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres", ctl)
    server.start()
    try:
        yield server
    finally:
        subprocess.run([*ctl, "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(root, ignore_errors=True)
