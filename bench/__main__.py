"""Every benchmark in one run, and one table of figures, each beside its same-run baseline.

python -m bench [--smoke] [--postgres URL] [--only NAME ...] [--out FILE]

Runs each script of bench/ in its own process (its own fresh database), collects the figures each
reports (bench/figures.py), and prints one Markdown table headed by the date, the commit and the
machine's cores. PostgreSQL figures use --postgres (an admin URL; one new database per script), else
DATABASE_URL when it names PostgreSQL, else a private server from Debian's binaries, else are left out.
--smoke runs every script at a small scale, as CI does, so that none can rot; its figures mean nothing.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import driver  # noqa: E402
from bench.figures import Figure, read, table  # noqa: E402

# name, script, engine ("sqlite" or "postgresql"), full-scale args (the script's defaults if empty), smoke args
_BALLOTS = ["--members", "10", "--requests", "5", "--ballots", "20"]
_PHONES = ["--phones", "20", "--branch-size", "10"]
_ROSTER = ["--members", "300", "--branches", "10"]
_PROGRESS = [*_ROSTER, "--runs", "2", "--page-runs", "1"]
_SEALS = ["--seal", "2", "--members", "10", "--ballots", "20", "--phones", "4", "--interval", "0.2"]
SUITE = [
    ("ballot_page", "ballot_page.py", "sqlite", [], _BALLOTS),
    ("ballot_page", "ballot_page.py", "postgresql", [], _BALLOTS),
    ("burst", "ballot_burst.py", "sqlite", [], _PHONES),
    ("two_processes", "two_processes.py", "postgresql", [], _PHONES),
    ("dashboards", "dashboards.py", "sqlite", [], ["--dashboards", "3", "--phones", "20"]),
    ("roster_import", "roster_import.py", "sqlite", [], _ROSTER),
    ("roster_import", "roster_import.py", "postgresql", [], _ROSTER),
    ("progress", "progress.py", "sqlite", [], _PROGRESS),
    ("progress", "progress.py", "postgresql", [], _PROGRESS),
    ("sealing", "sealing.py", "sqlite", [], ["--members", "10", "--branches", "2"]),
    ("seal_during_burst", "seal_during_burst.py", "sqlite", [], _SEALS),
    ("seal_during_burst", "seal_during_burst.py", "postgresql", [], _SEALS),
    ("filing", "filing.py", "sqlite", [], _ROSTER),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="every script at a small scale (CI)")
    parser.add_argument(
        "--postgres", help="PostgreSQL admin URL, e.g. postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    )
    parser.add_argument("--only", nargs="*", help="run only these names")
    parser.add_argument("--out", help="also write the table to this file")
    args = parser.parse_args()

    failed = []
    with ExitStack() as stack:
        admin = _postgres(args.postgres, stack)
        figures_file = Path(tempfile.mkdtemp()) / "figures.jsonl"
        figures_file.touch()
        for name, script, engine, full, smoke in SUITE:
            if args.only and name not in args.only:
                continue
            env = {**os.environ, "BENCH_FIGURES": str(figures_file)}
            env.pop("DATABASE_URL", None)
            if engine == "postgresql":
                if admin is None:
                    print(f"== {name} on PostgreSQL: left out (no PostgreSQL server)")
                    continue
                env["DATABASE_URL"] = _new_database(admin, stack)
            print(f"== {name} ({engine or 'own database'})", flush=True)
            t0 = time.perf_counter()
            command = [sys.executable, str(ROOT / "bench" / script), *(smoke if args.smoke else full)]
            done = subprocess.run(command, cwd=ROOT, env=env)
            print(f"   ({time.perf_counter() - t0:.0f} s)", flush=True)
            if done.returncode:
                failed.append(f"{name} ({engine})")
        figures = read(str(figures_file))
    figures += _derived(figures)
    text = _heading(args.smoke) + "\n\n" + table(figures)
    print("\n" + text)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    if failed:
        sys.exit(f"failed: {', '.join(failed)}")


def _derived(figures: list[Figure]) -> list[Figure]:
    """Figures made of two others of the same run: casting on PostgreSQL against SQLite."""
    rate = {f.what.rsplit("(", 1)[-1].rstrip(")"): f.value for f in figures if f.what.startswith("cast_ballot")}
    if "sqlite" in rate and "postgresql" in rate:
        return [
            Figure("cast_ballot on PostgreSQL", rate["postgresql"], "/s", "SQLite, this run", rate["sqlite"], "≥ 0.67×")
        ]
    return []


def _heading(smoke: bool) -> str:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    what = "smoke run (small scale: the figures mean nothing)" if smoke else "full run"
    return f"Benchmarks, {what}: {date.today():%Y-%m-%d}, commit {commit.stdout.strip() or '?'}, {cores} cores"


def _postgres(given: str | None, stack: ExitStack) -> str | None:
    if given:
        return given
    if os.environ.get("DATABASE_URL", "").startswith("postgresql"):
        return os.environ["DATABASE_URL"]
    from bench.postgres_server import NoPostgres, private_postgres

    try:
        return stack.enter_context(private_postgres()).url
    except (NoPostgres, subprocess.CalledProcessError) as missing:
        print(f"PostgreSQL figures left out: {missing}")
        return None


def _new_database(admin: str, stack: ExitStack) -> str:
    """A fresh database on the admin URL's server for one script, dropped when the suite ends."""
    from sqlalchemy.engine import make_url

    url = make_url(admin)
    name = f"bench_{uuid.uuid4().hex[:10]}"
    _admin_sql(url, f'CREATE DATABASE "{name}"')
    stack.callback(_admin_sql, url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return url.set(database=name).render_as_string(hide_password=False)


def _admin_sql(url, sql: str) -> None:
    connection, _ = driver.connect(url, autocommit=True)
    with connection:
        connection.execute(sql)


if __name__ == "__main__":
    main()
