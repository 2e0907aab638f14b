"""Dashboards held open on 测评进度 while phones vote: do they keep refreshing, and what do they cost?

python bench/dashboards.py [--dashboards 50] [--phones 300] [--branch-size 30]
Smoke (CI, < 60 s): python bench/dashboards.py --dashboards 3 --phones 20
Settings to compare with .streamlit/config.toml's go in the environment, e.g.
STREAMLIT_RUNNER_POST_SCRIPT_GC=true STREAMLIT_SERVER_FILE_WATCHER_TYPE=auto python bench/dashboards.py

One app process (`streamlit run app.py`) serves three campaigns of the same branches, each with its own
links: a small warm-up burst (so the baseline does not pay for a cold process), the baseline burst with
no dashboard open, then the dashboards' campaign. The dashboards are real logins - an organizer, the
general branch secretaries, each branch's secretary, then branch committee members in turn - each a
websocket session speaking Streamlit's protocol (bench/st_client.py), held in a separate process so
that reading their messages does not slow the phones' client. Each logs in through the form, opens
测评进度 from the page list, and refreshes its live fragment every REFRESH_SECONDS as the browser does.
After an idle spell the same burst (bench/ballot_burst.py) runs against the dashboards' campaign, and
the sessions stay open a while after it. A refresh interval is the time between two completed
refreshes of one session; the aim is at most 3× the set interval, and every session refreshing on.
Server memory per session is the server's RSS with all of them open minus with the first one open (which
loads the dashboard's code: pandas, Altair, the pages), divided by the number of further sessions.
"""

import argparse
import asyncio
import multiprocessing
import os
import sys
import time
from itertools import pairwise
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.app_server import app_process, cpu_seconds
from bench.voting_setup import ORG, branch_sizes, open_branches, percentile, tokens_of, use_database

PASSWORD = "Dashboard2468x"
PAGE = "progress"


def create_logins(links: dict[str, list], n: int) -> list[tuple[str, str]]:
    """n logins over the branches in `links`: one organizer, each general branch's secretary, each branch's
    secretary, then committee members of the branches in turn (several may be needed)."""
    from services.staff import accounts

    branches = list(links)
    wanted = [("org", "organizer", None)]
    parents = dict.fromkeys(b.split("/")[0] for b in branches)
    wanted += [(f"zzb{i}", "general_branch_secretary", g) for i, g in enumerate(parents)]
    wanted += [(f"zb{i}", "branch_secretary", b) for i, b in enumerate(branches)]
    wanted += [(f"wy{i}", "committee_member", branches[i % len(branches)]) for i in range(max(0, n - len(wanted)))]
    for username, role, scope in wanted[:n]:
        accounts.create_account(
            actor=ORG, username=username, display_name=username, role=role, scope_path=scope, password=PASSWORD
        )
    return [(username, PASSWORD) for username, _, _ in wanted[:n]]


def hold(base: str, logins: list[tuple[str, str]], conn) -> None:
    """In a child process: open every dashboard, say so, refresh until told to stop, send the refreshes."""
    asyncio.run(_hold(base, logins, conn))


async def _hold(base: str, logins: list[tuple[str, str]], conn) -> None:
    from bench.st_client import Board

    boards = [Board(base) for _ in logins]
    gate = asyncio.Semaphore(4)  # people open their dashboards over a while, not in one instant

    async def open_one(board: Board, login: tuple[str, str]) -> None:
        async with gate:
            await board.open(*login, PAGE)
            if "测评进度" not in board.texts or not board.timers:
                raise RuntimeError(f"{login[0]}: not on 测评进度 with a refreshing fragment: {board.texts[:5]}")

    # The first alone, so that the server's memory can be read with the dashboard's code loaded once.
    opened = await asyncio.gather(open_one(boards[0], logins[0]), return_exceptions=True)
    conn.send([repr(r) for r in opened if isinstance(r, BaseException)])
    await asyncio.get_running_loop().run_in_executor(None, conn.recv)  # "go on"
    pairs = zip(boards[1:], logins[1:], strict=True)
    opened += await asyncio.gather(*(open_one(b, login) for b, login in pairs), return_exceptions=True)
    conn.send([repr(r) for r in opened if isinstance(r, BaseException)])
    await asyncio.get_running_loop().run_in_executor(None, conn.recv)  # "stop"
    await asyncio.gather(*(b.close() for b in boards), return_exceptions=True)
    conn.send([(b.refreshes, b.interval) for b in boards])


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def worst_gap(times: list[float], start: float, end: float, stop: float) -> float:
    """The longest time between refreshes that overlaps [start, end], counting the wait from the last
    refresh to `stop` (a session that stopped refreshing shows as one long gap)."""
    marks = [*times, stop] if times else [start, stop]  # no refresh at all: the whole time is one gap
    return max(b - a for a, b in pairwise(marks) if b >= start and a <= end)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dashboards", type=int, default=50)
    parser.add_argument("--phones", type=int, default=300)
    parser.add_argument("--branch-size", type=int, default=30, help="about this many full members per branch")
    parser.add_argument("--idle", type=float, default=12, help="seconds of refreshing before the burst")
    parser.add_argument("--tail", type=float, default=12, help="seconds the dashboards stay after the burst")
    args = parser.parse_args()
    os.environ.setdefault("BCRYPT_ROUNDS", "4")  # the accounts are made quickly; logins check what was stored
    url = use_database()

    from bench.ballot_burst import burst
    from services.platform import db

    db.ensure_schema()
    sizes = branch_sizes(args.phones, args.branch_size)
    n = len(sizes)
    warm = tokens_of(open_branches([min(20, args.phones)])[1])
    alone = tokens_of(open_branches(sizes)[1])
    _, links = open_branches(sizes)  # the newest campaign: the one every dashboard opens on
    watched = tokens_of(links)
    logins = create_logins(links, args.dashboards)
    db.dispose_all()

    with app_process(url) as (server, base):
        asyncio.run(burst(base, warm))
        alone_wall, alone_results = asyncio.run(burst(base, alone))
        time.sleep(1)
        rss_before = rss_mib(server.pid)
        ours, theirs = multiprocessing.get_context("spawn").Pipe()
        child = multiprocessing.get_context("spawn").Process(target=hold, args=(base, logins, theirs), daemon=True)
        child.start()
        if first := ours.recv():
            raise SystemExit(f"the first dashboard did not open: {first}")
        time.sleep(1)
        rss_one = rss_mib(server.pid)
        opened_at = time.monotonic()
        ours.send("go on")
        failures = ours.recv()
        if failures:  # reported, and counted below as sessions that did not keep refreshing
            print(f"{len(failures)} dashboards did not open: {sorted(set(failures))[:3]}")
        open_seconds = time.monotonic() - opened_at
        idle_start, idle_cpu = time.monotonic(), cpu_seconds(server.pid)
        time.sleep(args.idle)
        idle_end, idle_cpu = time.monotonic(), cpu_seconds(server.pid) - idle_cpu
        rss_after = rss_mib(server.pid)
        print(f"{len(logins) - len(failures)} dashboards open; the burst of {args.phones} phones starts", flush=True)
        burst_cpu = cpu_seconds(server.pid)
        wall, results = asyncio.run(burst(base, watched))
        burst_end, burst_cpu = time.monotonic(), cpu_seconds(server.pid) - burst_cpu
        burst_start = burst_end - wall
        time.sleep(args.tail)
        ours.send("stop")
        refreshes, intervals = zip(*ours.recv(), strict=True)
        stop = time.monotonic()
        child.join(10)

    interval = max(intervals)  # run_every of 测评进度's fragment (pages/progress/overview.py REFRESH_SECONDS)
    times = [[t for t, _ in board] for board in refreshes]
    idle_count = sum(1 for board in times for t in board if idle_start <= t <= idle_end)
    idle_gaps = [b - a for board in times for a, b in pairwise(board) if idle_start <= a and b <= idle_end]
    worst = [worst_gap(board, burst_start, burst_end, stop) for board in times]
    kept = [any(t > burst_end for t in board) and w <= 3 * interval for board, w in zip(times, worst, strict=True)]
    asked = [s for board in refreshes for t, s in board if burst_start <= t <= burst_end + interval]
    idle_asked = [s for board in refreshes for t, s in board if idle_start <= t <= idle_end]
    p95, p95_alone = (percentile([s for s, _, _ in rs], 95) for rs in (results, alone_results))
    errors = sum(1 for rs in (alone_results, results) for _, _, problem in rs if problem)
    per_session = (rss_after - rss_one) / max(len(logins) - 1, 1)
    per_refresh = idle_cpu / max(idle_count, 1) * 1000
    d, p = len(logins), args.phones
    roles = ", ".join(sorted({u.rstrip("0123456789") for u, _ in logins}))
    settings = {k: v for k, v in os.environ.items() if k.startswith("STREAMLIT_")}

    print(f"{d} dashboards ({roles}) on 测评进度, refresh every {interval:g} s; {p} phones in {n} branches")
    print(f"server settings from the environment: {settings or 'none (.streamlit/config.toml)'}")
    print(f"opening them after the first (log in, go to 测评进度, first render), 4 at a time: {open_seconds:.1f} s")
    print(
        f"idle {args.idle:g} s: {idle_count} refreshes, interval median {percentile(idle_gaps, 50):.2f} s, "
        f"max {max(idle_gaps, default=0):.2f} s; asked->done median {percentile(idle_asked, 50) * 1000:.0f} ms; "
        f"server CPU {idle_cpu:.2f} s = {per_refresh:.0f} ms per refresh"
    )
    print(
        f"burst {wall:.2f} s (server CPU {burst_cpu:.2f} s): worst refresh interval of each session: "
        f"median {percentile(worst, 50):.2f} s, p95 {percentile(worst, 95):.2f} s, max {max(worst):.2f} s; "
        f"asked->done median {percentile(asked, 50):.2f} s, max {max(asked, default=0):.2f} s"
    )
    print(f"every session kept refreshing (one after the burst, no gap over {3 * interval:g} s): {sum(kept)}/{d}")
    print(f"phones p95 {p95:.2f} s with dashboards, {p95_alone:.2f} s without (wall {wall:.2f} vs {alone_wall:.2f} s)")
    print(f"phone errors: {errors}")
    print(
        f"server RSS {rss_before:.0f} MiB before the dashboards, {rss_one:.0f} MiB with the first (its code loaded), "
        f"{rss_after:.0f} MiB with all {d}: {per_session:.2f} MiB per further session"
    )

    from bench.figures import Figure, report

    report(
        [
            Figure(
                f"{d} dashboards during {p} phones: worst refresh interval, p95 of sessions",
                percentile(worst, 95),
                "s",
                "the set run_every",
                interval,
                "≤ 3×",
            ),
            Figure(f"{p} phones' p95 with {d} dashboards open", p95, "s", "same burst, no dashboard open", p95_alone),
            Figure("server memory per held dashboard session", per_session, "MiB"),
            Figure("server CPU per dashboard refresh (idle)", per_refresh, "ms"),
        ]
    )
    if not all(kept) or errors:
        sys.exit(1)


if __name__ == "__main__":
    main()
