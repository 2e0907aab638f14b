"""The deployment of deploy/ started on 127.0.0.1: N app processes from the systemd unit, nginx with the
site config in front, against one PostgreSQL; torn down afterwards. Needs requirements.txt and nginx.

    python deploy/run_local.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/pingyi [--processes 2]
    python deploy/run_local.py render --ports 8501 8502 --listen 80 --server-name pingyi.example.org

From Python: `with local_setup(url, processes=2) as setup:` gives setup.base (through nginx) and
setup.apps (each process's own address). The app processes get the unit's ExecStart, Environment and
EnvironmentFile (deploy/pingyi.env.example with its empty values filled in) and nothing else of ours.
"""

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

DEPLOY = Path(__file__).resolve().parent
ROOT = DEPLOY.parent
sys.path.insert(0, str(ROOT))

from bench.app_server import free_port, wait_healthy  # noqa: E402

UNIT = DEPLOY / "pingyi@.service"
SITE = DEPLOY / "nginx-pingyi.conf"
ENV_EXAMPLE = DEPLOY / "pingyi.env.example"
POSTGRES_SETTINGS = DEPLOY / "postgresql.conf"
INSTALL_DIR = "/srv/pingyi"  # where the unit expects the checkout
NGINX = os.environ.get("NGINX_PATH") or shutil.which("nginx") or "/usr/sbin/nginx"
_PASSED_THROUGH = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")  # what systemd would give the process anyway


class NoNginx(RuntimeError):
    """nginx is not installed (Debian package nginx-light)."""


def render_site(ports: list[int], listen: str, server_name: str = "_") -> str:
    """deploy/nginx-pingyi.conf with its placeholders filled in."""
    servers = "\n".join(f"    server 127.0.0.1:{port};" for port in ports)
    text = SITE.read_text()
    return text.replace("@APP_SERVERS@", servers).replace("@LISTEN@", listen).replace("@SERVER_NAME@", server_name)


def read_env_file(path: Path) -> dict[str, str]:
    """systemd's EnvironmentFile format: KEY=VALUE lines, # comments, optional quotes."""
    values = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip().strip("\"'")
    return values


def postgres_settings() -> dict[str, str]:
    """deploy/postgresql.conf as name -> value, for a PostgreSQL server started here (bench/postgres_server.py)."""
    values = {}
    for line in POSTGRES_SETTINGS.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if "=" in line:
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip().strip("'")
    return values


def unit_service(port: int, env_file: Path) -> tuple[list[str], Path, dict[str, str]]:
    """The unit's command, working directory and environment for instance `port`, as systemd would run it here."""
    service: dict[str, list[str]] = {}
    section = ""
    for line in UNIT.read_text().splitlines():
        line = line.strip()
        if line.startswith("["):
            section = line
        elif section == "[Service]" and "=" in line and not line.startswith("#"):
            key, _, value = line.partition("=")
            service.setdefault(key, []).append(value.replace("%i", str(port)))

    def here(value: str) -> str:
        return value.replace(f"{INSTALL_DIR}/.venv/bin/python", sys.executable).replace(INSTALL_DIR, str(ROOT))

    env = {key: os.environ[key] for key in _PASSED_THROUGH if key in os.environ}
    for assignment in service.get("Environment", []):
        key, _, value = assignment.partition("=")
        env[key] = value
    for _ in service.get("EnvironmentFile", []):  # the unit's /etc/pingyi/pingyi.env is ours here
        env |= read_env_file(env_file)
    command = [here(part) for part in service["ExecStart"][0].split()]
    return command, Path(here(service["WorkingDirectory"][0])), env


def write_env_file(path: Path, database_url: str, base_url: str) -> None:
    """The example with DATABASE_URL, BASE_URL and the two keys filled in (keys from the environment or fresh)."""
    values = read_env_file(ENV_EXAMPLE)
    values |= {"DATABASE_URL": database_url, "BASE_URL": base_url}
    for key in ("COOKIE_KEY", "BALLOT_KEY"):
        values[key] = os.environ.get(key) or secrets.token_urlsafe(48)
    path.touch(mode=0o600)
    path.write_text("".join(f"{key}={value}\n" for key, value in values.items()))


def _main_conf(work: Path, site: Path) -> str:
    """nginx.conf of a private nginx: everything under `work`, the site included as Debian would."""
    user = "user root;\n" if os.getuid() == 0 else ""  # as root, workers would otherwise be nobody, locked out of work/
    kinds = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    temps = "".join(f"  {kind}_temp_path {work}/{kind};\n" for kind in kinds)
    return (
        f"{user}worker_processes auto;\nworker_rlimit_nofile 8192;\npid {work}/nginx.pid;\n"
        f"error_log {work}/error.log warn;\nevents {{ worker_connections 4096; }}\n"
        f"http {{\n  access_log off;\n{temps}  include {site};\n}}\n"
    )


@dataclass
class LocalSetup:
    base: str  # through nginx
    apps: list[str]  # each app process directly
    work: Path
    processes: list[subprocess.Popen] = field(default_factory=list)


def _stop(process: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    if process.poll() is None:
        process.send_signal(sig)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def _started(command: list[str], cwd: Path, env: dict[str, str], log: Path, stop_signal: int) -> Iterator:
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        yield process
    finally:
        _stop(process, stop_signal)


@contextmanager
def local_setup(database_url: str, processes: int = 2, port: int | None = None) -> Iterator[LocalSetup]:
    """`processes` app processes and nginx on 127.0.0.1, all stopped and their files removed on exit."""
    if not os.access(NGINX, os.X_OK):
        raise NoNginx(f"nginx not found at {NGINX} (install Debian's nginx-light)")
    work = Path(tempfile.mkdtemp(prefix="pingyi-local-"))
    base = f"http://127.0.0.1:{port or free_port()}"
    ports = [free_port() for _ in range(processes)]
    setup = LocalSetup(base, [f"http://127.0.0.1:{p}" for p in ports], work)
    env_file = work / "pingyi.env"
    write_env_file(env_file, database_url, base)
    try:
        with ExitStack() as stack:
            for app_port, url in zip(ports, setup.apps, strict=True):
                command, cwd, env = unit_service(app_port, env_file)
                log = work / f"app-{app_port}.log"
                setup.processes.append(stack.enter_context(_started(command, cwd, env, log, signal.SIGTERM)))
                wait_healthy(url, setup.processes[-1], lambda log=log: log.read_text()[-3000:])
            site = work / "pingyi.conf"
            site.write_text(render_site(ports, base.removeprefix("http://")))
            (work / "nginx.conf").write_text(_main_conf(work, site))
            nginx = [NGINX, "-p", str(work), "-c", str(work / "nginx.conf"), "-e", str(work / "error.log")]
            nginx += ["-g", "daemon off;"]
            log = work / "nginx.log"
            # SIGQUIT: a graceful stop, so that open websockets are closed rather than cut.
            nginx_process = stack.enter_context(_started(nginx, work, dict(os.environ), log, signal.SIGQUIT))
            wait_healthy(base, nginx_process, lambda: log.read_text()[-3000:])
            yield setup
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command")
    render = sub.add_parser("render", help="print the nginx site for the given app ports")
    render.add_argument("--ports", type=int, nargs="+", required=True)
    render.add_argument("--listen", default="80")
    render.add_argument("--server-name", default="_")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--port", type=int, help="nginx's port (default: a free one)")
    args = parser.parse_args()
    if args.command == "render":
        print(render_site(args.ports, args.listen, args.server_name), end="")
        return
    if not args.database_url or not args.database_url.startswith("postgresql"):
        parser.error("--database-url (or DATABASE_URL) must name a PostgreSQL database")
    with local_setup(args.database_url, args.processes, args.port) as setup:
        print(f"nginx: {setup.base}  app processes: {' '.join(setup.apps)}  files: {setup.work}", flush=True)
        print("Ctrl-C stops everything.", flush=True)
        signal.signal(signal.SIGTERM, signal.default_int_handler)
        with suppress(KeyboardInterrupt):
            signal.pause()


if __name__ == "__main__":
    main()
