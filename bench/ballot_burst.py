"""A burst of phones voting at the same instant against the real app (`streamlit run app.py`).

python bench/ballot_burst.py [--phones 300] [--branch-size 80]
Uses DATABASE_URL (default: a temporary SQLite file), e.g.
DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:55432/bench python bench/ballot_burst.py --phones 1000

Each phone opens its own connection, GETs its ballot page (gzip accepted, like a phone browser), reads the
form secret, and POSTs action=submit with every row "qualified". All phones start together; the client is
one asyncio loop speaking minimal HTTP/1.1 over asyncio.open_connection. Afterwards the database must hold
exactly one ballot per phone, every link used once, and exactly the receipts the phones were shown.

The same-run baseline: the same client against a bare form route inside st.App storing with the sqlite3
module alone (bench/bare/form_app.py). On two cores or more the server runs on one core and the client
on the others, for both.
"""

import argparse
import asyncio
import gzip
import os
import re
import sys
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.app_server import app_process, children, cpu_seconds
from bench.figures import Figure, report
from bench.voting_setup import branch_sizes, open_branches, percentile, tokens_of, use_database

CSRF = re.compile(r'name="csrf" value="([^"]+)"')
MEMBER = re.compile(r'name="(m\d+)" value="qualified"')
RECEIPT = re.compile(r'id="receipt">([A-Z0-9]{4}-[A-Z0-9]{4})<')


async def request(reader, writer, host: str, method: str, path: str, body: bytes = b"") -> tuple[int, str]:
    head = f"{method} {path} HTTP/1.1\r\nHost: {host}\r\nAccept-Encoding: gzip\r\n"
    if method == "POST":
        head += f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n"
    writer.write(head.encode() + b"\r\n" + body)
    await writer.drain()
    status_line, *lines = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines if line)}
    if headers.get("transfer-encoding") == "chunked":
        data = b""
        while size := int((await reader.readuntil(b"\r\n")).strip(), 16):
            data += (await reader.readexactly(size + 2))[:-2]
        await reader.readuntil(b"\r\n")
    else:
        data = await reader.readexactly(int(headers.get("content-length", 0)))
    if headers.get("content-encoding") == "gzip":
        data = gzip.decompress(data)
    return int(status_line.split()[1]), data.decode()


async def phone(base: str, token: str, start: asyncio.Event) -> tuple[float, str | None, str]:
    """One voter: returns (seconds from the common start, receipt or None, what went wrong)."""
    url = urlsplit(base)
    await start.wait()
    t0 = time.perf_counter()
    try:
        reader, writer = await asyncio.open_connection(url.hostname, url.port)
        try:
            status, page = await request(reader, writer, url.netloc, "GET", f"/v/{token}")
            if status != 200:
                return time.perf_counter() - t0, None, f"GET {status}"
            fields = {"csrf": CSRF.search(page).group(1), "action": "submit"}
            fields |= {key: "qualified" for key in MEMBER.findall(page)}
            status, page = await request(reader, writer, url.netloc, "POST", f"/v/{token}", urlencode(fields).encode())
        finally:
            writer.close()
        receipt = RECEIPT.search(page)
        problem = "" if status == 200 and receipt else f"POST {status}"
        return time.perf_counter() - t0, receipt.group(1) if receipt else None, problem
    except (OSError, asyncio.IncompleteReadError, AttributeError) as error:
        return time.perf_counter() - t0, None, type(error).__name__


async def burst(base: str, tokens: list[str]) -> tuple[float, list[tuple[float, str | None, str]]]:
    start = asyncio.Event()
    tasks = [asyncio.create_task(phone(base, token, start)) for token in tokens]
    await asyncio.sleep(0.2)  # every task is now waiting on the event
    t0 = time.perf_counter()
    start.set()
    results = await asyncio.gather(*tasks)
    return time.perf_counter() - t0, results


def server_cpu() -> float:
    """CPU seconds used so far by this process's children, i.e. the server (Linux /proc; 0 elsewhere)."""
    return sum(cpu_seconds(pid) for pid in children())


def stored(campaign_id: int) -> tuple[int, list[str], dict[str, int]]:
    """The campaign's ballots (encrypted while open), receipt codes, and tokens counted by status."""
    from sqlalchemy import func
    from sqlmodel import select

    from models import BallotReceipt, BranchVoting, EncryptedBallot, VoterToken
    from services.platform.db import session_scope

    votings = select(BranchVoting.id).where(BranchVoting.campaign_id == campaign_id)
    with session_scope() as session:
        ballots = session.exec(select(func.count()).where(EncryptedBallot.voting_id.in_(votings))).one()
        receipts = session.exec(select(BallotReceipt.receipt).where(BallotReceipt.voting_id.in_(votings))).all()
        statuses = session.exec(
            select(VoterToken.status, func.count()).where(VoterToken.voting_id.in_(votings)).group_by(VoterToken.status)
        ).all()
    return ballots, list(receipts), dict(statuses)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--phones", type=int, default=300)
    parser.add_argument(
        "--branch-size", type=int, default=80, help="at most this many full members per branch (rows of a ballot)"
    )
    args = parser.parse_args()
    url = use_database()

    from services.platform import db

    db.ensure_schema()
    sizes = branch_sizes(args.phones, args.branch_size)
    n = len(sizes)
    campaign_id, links = open_branches(sizes)
    tokens = tokens_of(links)
    db.dispose_all()  # the server process gets the database to itself
    server_cores, client_cores = _cores()

    with app_process(url, cpus=server_cores) as (_, base):
        cpu, server = time.process_time(), server_cpu()
        wall, results = asyncio.run(burst(base, tokens))
        cpu, server = time.process_time() - cpu, server_cpu() - server
    bare_wall, bare_results = bare_burst(len(tokens), max(sizes), server_cores)

    latencies = [seconds for seconds, _, _ in results]
    shown = [receipt for _, receipt, _ in results if receipt]
    problems = [problem for _, _, problem in results if problem]
    ballots, receipts, statuses = stored(campaign_id)
    ok = sorted(receipts) == sorted(shown) and statuses == {"used": args.phones} and ballots == args.phones
    bare_p95 = percentile([seconds for seconds, _, _ in bare_results], 95)
    bare_ok = all(receipt for _, receipt, _ in bare_results)
    print(
        f"database: {db.get_engine().dialect.name}; {args.phones} phones in {n} branches of {min(sizes)}-{max(sizes)}"
    )
    print(f"server on core(s) {sorted(server_cores) or 'any'}, the phones' client on {sorted(client_cores) or 'any'}")
    print(f"wall time until every phone had its receipt page: {wall:.2f} s (bare form: {bare_wall:.2f} s)")
    print(f"per phone (GET + POST): p50 {percentile(latencies, 50):.2f} s, p95 {percentile(latencies, 95):.2f} s")
    print(f"CPU during the burst: server {server:.2f} s, client {cpu:.2f} s (one asyncio loop, same machine)")
    print(f"errors: {len(problems)}" + (f" {sorted(set(problems))}" if problems else ""))
    print(
        f"ballots stored: {ballots}; tokens by status: {statuses}; receipts match: {ok}"
        f"; bare form all stored: {bare_ok}"
    )
    if not (ok and bare_ok):
        sys.exit("the burst lost or doubled a ballot")
    engine = db.get_engine().dialect.name
    bare = f"bare st.App route, {max(sizes)}-row form, raw sqlite3"
    report(
        [
            Figure(f"{args.phones} phones vote at once ({engine}): wall time", wall, "s", bare, bare_wall, "≤ 3×"),
            Figure(
                f"{args.phones} phones vote at once ({engine}): phone p95",
                percentile(latencies, 95),
                "s",
                bare,
                bare_p95,
            ),
        ]
    )


def _cores() -> tuple[set[int], set[int]]:
    """Server on one core, the phones' client on another, as the issue measured; any core on one core."""
    cores = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    if len(cores) < 2:
        return set(), set()
    server, client = {cores[0]}, set(cores[1:])
    os.sched_setaffinity(0, client)
    return server, client


def bare_burst(phones: int, rows: int, cores: set[int]) -> tuple[float, list]:
    """The same burst against the bare form (bench/bare/form_app.py) with its own SQLite file."""
    import secrets
    import sqlite3
    import tempfile

    path = Path(tempfile.mkdtemp()) / "bare.db"
    tokens = [secrets.token_urlsafe(16) for _ in range(phones)]
    with sqlite3.connect(path) as bare:
        bare.execute("PRAGMA journal_mode=WAL")
        bare.execute("CREATE TABLE token (token TEXT PRIMARY KEY, used INTEGER NOT NULL DEFAULT 0)")
        bare.execute("CREATE TABLE ballot (receipt TEXT PRIMARY KEY, choices TEXT NOT NULL)")
        bare.executemany("INSERT INTO token (token) VALUES (?)", [(t,) for t in tokens])
    env = {"BARE_DB": str(path), "BARE_ROWS": str(rows)}
    with app_process(f"sqlite:///{path}", script="bench/bare/form_app.py", env=env, cpus=cores) as (_, base):
        return asyncio.run(burst(base, tokens))


if __name__ == "__main__":
    main()
