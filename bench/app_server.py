"""Starting the real app (`streamlit run app.py`) on a free port, for benchmarks and end-to-end tests.
Needs nothing beyond requirements.txt."""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children() -> list[int]:
    """This process's child processes (Linux /proc; none elsewhere)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == os.getpid():
                found.append(int(stat.parent.name))
        except (OSError, ValueError):
            continue
    return found


def cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) used so far by process `pid`; 0 once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def wait_healthy(url: str, process: subprocess.Popen, output: Callable[[], str], seconds: float = 60) -> None:
    """Until `url`/healthz answers 200; an error with the process's last output if it exits or never does."""
    deadline = time.monotonic() + seconds
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited early:\n{output()}")
        try:
            if fetch(f"{url}/healthz")[0] == 200:
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url}/healthz did not answer within {seconds:.0f} s:\n{output()}")
        time.sleep(0.3)


@contextmanager
def running_app(database_url: str) -> Iterator[str]:
    with app_process(database_url) as (_, base):
        yield base


@contextmanager
def app_process(
    database_url: str, *, script: str = "app.py", env: dict | None = None, cpus: set[int] | None = None
) -> Iterator[tuple[subprocess.Popen, str]]:
    """The app's process and address, for a caller that needs the process itself (to kill it).
    `script` another st.App file (a benchmark's baseline); `cpus` the cores it may run on (Linux)."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, **(env or {})}
    command = [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port)]
    command += ["--server.address", "127.0.0.1", "--server.headless", "true"]
    pin = (lambda: os.sched_setaffinity(0, cpus)) if cpus else None
    # The server's output goes to a file: a pipe nobody reads would stall a server that logs a lot.
    log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 (closed when the process is)
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, preexec_fn=pin)
    base = f"http://127.0.0.1:{port}"

    def output() -> str:
        log.seek(0)
        return log.read()[-3000:]

    try:
        wait_healthy(base, process, output)
        yield process, base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
