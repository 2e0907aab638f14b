"""The secret ballot for one voter: page weight, render and accept times in-process, and casting speed.

python bench/ballot_page.py [--members 80] [--requests 50] [--ballots 500]
Uses DATABASE_URL (default: a temporary SQLite file), e.g.
DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:55432/bench python bench/ballot_page.py

Page weight and request times go straight into the survey's routes in this process
(bench/asgi_client.py: no network, no gzip middleware: the gzip size is computed here). Casting speed
calls services.ballots.cast_ballot directly, one ballot after another, spread over branches of
--members full members each, beside the same reads and writes done through the driver alone (sqlite3
or psycopg; the same-run baseline).
"""

import argparse
import gzip
import math
import os
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import driver
from bench.figures import Figure, report
from bench.voting_setup import open_branches, percentile, use_database

CSRF = re.compile(r'name="csrf" value="([^"]+)"')
RECEIPT = re.compile(r'id="receipt">([A-Z0-9]{4}-[A-Z0-9]{4})<')
ASSETS = re.compile(r'(?:href|src)="(/assets/[^"]+)"')


def ms(seconds: list[float]) -> str:
    return f"median {statistics.median(seconds) * 1000:.1f} ms, p95 {percentile(seconds, 95) * 1000:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=80, help="full members per branch = rows of a ballot")
    parser.add_argument("--requests", type=int, default=50, help="timed page views and submissions")
    parser.add_argument("--ballots", type=int, default=500, help="ballots cast through the service")
    args = parser.parse_args()
    assert args.requests <= args.members, "each timed submission needs its own link in the first branch"
    use_database()

    from starlette.applications import Starlette

    import survey
    from bench.asgi_client import AsgiClient
    from services import ballots, db
    from services.ballots import FilledBallot

    db.ensure_schema()
    service_branches = math.ceil(args.ballots / args.members)
    t0 = time.perf_counter()
    sqlite = db.get_engine().dialect.name == "sqlite"
    _, links = open_branches([args.members] * (1 + service_branches * 2))
    setup = time.perf_counter() - t0
    page_branch, *other_branches = links.values()
    other_branches, raw_branches = other_branches[:service_branches], other_branches[service_branches:]
    print(f"database: {db.get_engine().dialect.name}; set-up of {len(links)} branches × {args.members}: {setup:.1f} s")

    client = AsgiClient(Starlette(routes=survey.routes))
    page = client.get(f"/v/{page_branch[0].token}")
    assert page.status_code == 200, page.status_code
    total_raw = total_gz = 0
    for name, body in [("ballot page (HTML)", page.content)] + [
        (path, client.get(path).content) for path in ASSETS.findall(page.text)
    ]:
        raw, gz = len(body), len(gzip.compress(body))
        total_raw, total_gz = total_raw + raw, total_gz + gz
        print(f"{name}: {raw:,} bytes ({gz:,} gzipped)")
    print(f"total page weight: {total_raw:,} bytes ({total_gz:,} gzipped)")

    renders = []
    for link in page_branch[: args.requests]:
        t0 = time.perf_counter()
        response = client.get(f"/v/{link.token}")
        renders.append(time.perf_counter() - t0)
        assert response.status_code == 200
    print(f"GET /v/<token>, {len(renders)} different links: {ms(renders)}")

    accepts = []
    for link in page_branch[: args.requests]:
        form = ballots.open_ballot(link.token)
        csrf = CSRF.search(client.get(f"/v/{link.token}").text).group(1)
        data = {"csrf": csrf, "action": "submit"} | {f"m{m}": "qualified" for m, _ in form.rated}
        t0 = time.perf_counter()
        response = client.post(f"/v/{link.token}", data=data)
        accepts.append(time.perf_counter() - t0)
        assert response.status_code == 200 and RECEIPT.search(response.text), response.status_code
    print(f"POST /v/<token> action=submit, {len(form.rated)} rows: {ms(accepts)}")

    queue = [(link, branch) for branch in other_branches for link in branch][: args.ballots]
    filled = {}
    t0 = time.perf_counter()
    for link, branch in queue:
        if id(branch) not in filled:  # one form per branch: every member rated "qualified"
            members = ballots.open_ballot(link.token).rated
            filled[id(branch)] = FilledBallot(choices={m: "qualified" for m, _ in members})
        ballots.cast_ballot(link.token, filled[id(branch)])
    elapsed = time.perf_counter() - t0
    print(
        f"cast_ballot, sequential: {len(queue)} ballots × {args.members} rows in {elapsed:.2f} s"
        f" = {len(queue) / elapsed:.0f} ballots/s ({elapsed / len(queue) * 1000:.1f} ms each)"
    )
    raw = [link for branch in raw_branches for link in branch][: args.ballots]
    size = len(_stored_content())
    raw_elapsed = raw_driver(raw, size)
    engine = db.get_engine().dialect.name
    driver = "sqlite3" if sqlite else "psycopg"
    print(
        f"baseline, raw {driver} doing the same writes (token, {size}-byte ballot, receipt, tick; one transaction"
        f" each): {len(raw) / raw_elapsed:.0f} ballots/s"
    )
    report(
        [
            Figure(f"open the ballot page ({engine}): GET median", statistics.median(renders) * 1000, "ms"),
            Figure(f"submit a ballot ({engine}): POST median", statistics.median(accepts) * 1000, "ms"),
            Figure(
                f"cast_ballot, {args.members} rows ({engine})",
                len(queue) / elapsed,
                "/s",
                f"raw {driver}, same reads and writes",
                len(raw) / raw_elapsed,
                "≥ 0.6×",
            ),
        ]
    )


def _stored_content() -> bytes:
    from sqlmodel import select

    from models import EncryptedBallot
    from services.db import session_scope

    with session_scope() as session:
        return session.exec(select(EncryptedBallot.content)).first()


def raw_driver(links, size: int) -> float:
    """The ballot's reads and writes through the driver alone (sqlite3 or psycopg), on the same database,
    one transaction each: seconds for all."""
    from services import db, tokens
    from services.clock import now

    connection, mark = driver.connect(db.get_engine().url, autocommit=True)  # BEGIN and COMMIT as written below
    if mark == "?":  # sqlite3
        connection.execute("PRAGMA foreign_keys=ON")
        begin, minute = "BEGIN IMMEDIATE", now().strftime("%Y-%m-%d %H:%M:00.000000")
    else:
        begin, minute = "BEGIN", now().replace(second=0, microsecond=0)
    cursor = connection.cursor()

    def run(sql: str, params: tuple):
        cursor.execute(sql.replace("?", mark), params)
        return cursor

    t0 = time.perf_counter()
    for link in links:
        hashes = tokens.stored_hashes(link.token)
        run(begin, ())
        voting_id = run("SELECT voting_id FROM voter_token WHERE token_hash = ?", hashes[:1]).fetchone()[0]
        run("UPDATE voter_token SET status = 'used' WHERE token_hash IN (?, ?) AND status = 'unused'", hashes)
        run(
            "SELECT b.closed_at, c.deadline, c.status, b.wrapped_key FROM branch_voting b"
            " JOIN campaign c ON c.id = b.campaign_id WHERE b.id = ?",
            (voting_id,),
        ).fetchone()
        run(
            "INSERT INTO encrypted_ballot (id, voting_id, content) VALUES (?, ?, ?)",
            (tokens.new_ballot_id(), voting_id, os.urandom(size)),
        )
        run("INSERT INTO ballot_receipt (voting_id, receipt) VALUES (?, ?)", (voting_id, tokens.new_receipt()))
        run(
            "INSERT INTO ballot_tick (voting_id, minute, ballots) VALUES (?, ?, 1)"
            " ON CONFLICT (voting_id, minute) DO UPDATE SET ballots = ballot_tick.ballots + 1",
            (voting_id, minute),
        )
        run("COMMIT", ())
    elapsed = time.perf_counter() - t0
    connection.close()
    return elapsed


if __name__ == "__main__":
    main()
