"""The ballot burst through nginx with two app processes against one with one process, in the same run,
both started by deploy/run_local.py from deploy/'s files (same nginx site, same unit, one PostgreSQL).

python bench/two_processes.py [--phones 300] [--branch-size 30] [--rounds 1]
Uses DATABASE_URL when it names PostgreSQL; otherwise starts a private PostgreSQL from Debian's binaries
with deploy/postgresql.conf's settings. Needs nginx (Debian's nginx-light). Each round runs one process,
then two, each on fresh links, after a small untimed burst so that no process is timed on its first requests
(templates compiled, connections opened); every phone must get its receipt and the database must hold one
ballot each.
"""

import argparse
import asyncio
import os
import sys
import time
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.ballot_burst import burst, server_cpu, stored
from bench.figures import Figure, report
from bench.voting_setup import branch_sizes, open_branches, percentile, tokens_of, use_database
from deploy.run_local import local_setup, postgres_settings

WARM_UP = 30  # phones voting through nginx before the timed burst, untimed


def _database(stack: ExitStack) -> str:
    if os.environ.get("DATABASE_URL", "").startswith("postgresql"):
        return os.environ["DATABASE_URL"]
    from bench.postgres_server import private_postgres

    os.environ["DATABASE_URL"] = stack.enter_context(private_postgres(postgres_settings())).url
    return os.environ["DATABASE_URL"]


def _machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far, from /proc/stat (every core, every process)."""
    ticks = [int(t) for t in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = ticks[3] + ticks[4]  # idle + iowait
    return (sum(ticks) - idle) / os.sysconf("SC_CLK_TCK"), sum(ticks) / os.sysconf("SC_CLK_TCK")


def _one_burst(url: str, processes: int, sizes: list[int]) -> tuple[float, float, float, float]:
    """(wall seconds, p95 seconds per phone, server CPU seconds, CPU seconds the whole machine was busy) of
    one burst; raises if anything was lost."""
    from services.platform import db

    campaign_id, links = open_branches(sizes)
    tokens, warm = tokens_of(links), tokens_of(open_branches([WARM_UP])[1])
    db.dispose_all()  # the app processes get the database to themselves
    with local_setup(url, processes=processes) as setup:
        asyncio.run(burst(setup.base, warm))  # every process has served before, as in a day's use
        cpu, client, (busy, total) = server_cpu(), time.process_time(), _machine_busy()
        wall, results = asyncio.run(burst(setup.base, tokens))
        cpu, client = server_cpu() - cpu, time.process_time() - client
        busy, total = (now - then for now, then in zip(_machine_busy(), (busy, total), strict=True))
    latencies = [seconds for seconds, _, _ in results]
    shown = sorted(receipt for _, receipt, _ in results if receipt)
    problems = sorted({problem for _, _, problem in results if problem})
    ballots, receipts, statuses = stored(campaign_id)
    ok = sorted(receipts) == shown and statuses == {"used": len(tokens)} and ballots == len(tokens)
    p95 = percentile(latencies, 95)
    print(
        f"{processes} process{'es' if processes > 1 else ''}: {wall:.2f} s wall, per phone p50 "
        f"{percentile(latencies, 50):.2f} s p95 {p95:.2f} s, CPU: app processes {cpu:.1f} s, client {client:.1f} s, "
        f"machine busy {busy / total:.0%} of {os.cpu_count()} cores, "
        f"errors {len(latencies) - len(shown)}{f' {problems}' if problems else ''}, stored and receipts match: {ok}",
        flush=True,
    )
    if not ok:
        raise SystemExit("ballots lost or doubled: the figures below would mean nothing")
    return wall, p95, cpu, busy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--phones", type=int, default=300)
    parser.add_argument("--branch-size", type=int, default=30, help="about this many full members per branch")
    parser.add_argument("--rounds", type=int, default=1, help="alternate one and two processes this many times")
    args = parser.parse_args()
    sizes = branch_sizes(args.phones, args.branch_size)
    n = len(sizes)
    with ExitStack() as stack:
        url = _database(stack)
        use_database()  # one COOKIE_KEY and one BALLOT_KEY for every process of the run
        from services.platform import db

        db.ensure_schema()
        print(f"{args.phones} phones in {n} branches, PostgreSQL, nginx in front; {os.cpu_count()} CPUs", flush=True)
        runs: dict[int, list[tuple[float, float, float, float]]] = {1: [], 2: []}
        for _ in range(args.rounds):
            for processes in (1, 2):
                runs[processes].append(_one_burst(url, processes, sizes))
                time.sleep(1)
        db.dispose_all()
    one, two = (min(runs[p]) for p in (1, 2))  # the best wall time of each, with its p95 and CPU
    what, base = f"{args.phones} phones vote at once through nginx", "1 process behind the same nginx"
    # However the work is split, this machine cannot do the one-process burst's CPU work (app, PostgreSQL,
    # nginx, client) faster than all its cores at once: the least two processes could take, as a ratio.
    cores = len(os.sched_getaffinity(0))
    report(
        [
            Figure(f"{what}: wall time, 2 processes", two[0], "s", base, one[0], "≤ 0.65×"),
            Figure(f"{what}: p95 per phone, 2 processes", two[1], "s", base, one[1]),
            Figure(
                f"{what}: CPU the 1-process burst kept busy, all processes (the floor for 2 processes here)",
                one[3],
                "s",
                f"{cores} cores × its wall time",
                cores * one[0],
            ),
        ]
    )


if __name__ == "__main__":
    main()
