"""The secret ballot for one voter: page weight, render and accept times in-process, and casting speed.

python bench/ballot_page.py [--members 80] [--requests 50] [--ballots 500]
Uses DATABASE_URL (default: a temporary SQLite file), e.g.
DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:55432/bench python bench/ballot_page.py

Page weight and request times go straight into the survey's routes in this process
(bench/asgi_client.py: no network, no gzip middleware: the gzip size is computed here). Casting speed
is what a submission does after its page was shown (services.ballot.casting.submission_form, then
cast_ballot), one ballot after another, spread over branches of --members full members each; each
page view (open_ballot) happens before and is not timed. The same-run baseline sends exactly the SQL
that casting sent, through the driver alone (sqlite3 or psycopg), with the same round trips.
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
    parser.add_argument("--ballots", type=int, default=500, help="ballots cast through the service per round")
    parser.add_argument(
        "--rounds", type=int, default=3, help="casting rounds, product and baseline in turn; the best of each counts"
    )
    args = parser.parse_args()
    assert args.requests <= args.members, "each timed submission needs its own link in the first branch"
    use_database()

    from starlette.applications import Starlette

    import survey
    from bench.asgi_client import AsgiClient
    from services.ballot import casting
    from services.platform import db

    db.ensure_schema()
    service_branches = math.ceil(args.ballots / args.members)
    t0 = time.perf_counter()
    sqlite = db.get_engine().dialect.name == "sqlite"
    _, links = open_branches([args.members] * (1 + service_branches * 2 * args.rounds))
    setup = time.perf_counter() - t0
    page_branch, *other_branches = links.values()
    # Each round: its own branches for the product, then others for the baseline.
    rounds = [other_branches[i : i + 2 * service_branches] for i in range(0, len(other_branches), 2 * service_branches)]
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
        form = casting.open_ballot(link.token)
        csrf = CSRF.search(client.get(f"/v/{link.token}").text).group(1)
        data = {"csrf": csrf, "action": "submit"} | {f"m{m}": "qualified" for m, _ in form.rated}
        t0 = time.perf_counter()
        response = client.post(f"/v/{link.token}", data=data)
        accepts.append(time.perf_counter() - t0)
        assert response.status_code == 200 and RECEIPT.search(response.text), response.status_code
    print(f"POST /v/<token> action=submit, {len(form.rated)} rows: {ms(accepts)}")

    driver = "sqlite3" if sqlite else "psycopg"
    product_rates, raw_rates = [], []
    for branches in rounds:
        queue = [(link, branch) for branch in branches[:service_branches] for link in branch][: args.ballots]
        product_rates.append(len(queue) / cast_through_service(queue))
        raw = [link for branch in branches[service_branches:] for link in branch][: args.ballots]
        raw_rates.append(len(raw) / raw_driver(raw, len(_stored_content())))
        print(
            f"round {len(raw_rates)}: cast_ballot {product_rates[-1]:.0f} ballots/s ({len(queue)} × {args.members}"
            f" rows, one after another); raw {driver} sending casting's SQL {raw_rates[-1]:.0f} ballots/s"
        )
    engine = db.get_engine().dialect.name
    report(
        [
            Figure(f"open the ballot page ({engine}): GET median", statistics.median(renders) * 1000, "ms"),
            Figure(f"submit a ballot ({engine}): POST median", statistics.median(accepts) * 1000, "ms"),
            Figure(
                f"cast_ballot, {args.members} rows ({engine})",
                max(product_rates),
                "/s",
                f"raw {driver}, the same SQL; best of {len(raw_rates)} rounds each",
                max(raw_rates),
                "≥ 0.6×",
            ),
        ]
    )


def cast_through_service(queue) -> float:
    """Seconds to send every ballot of the queue as the survey's route does, each link's page opened
    (untimed) just before it is sent: every member rated 合格."""
    from services.ballot import casting
    from services.ballot.ballot_form import FilledBallot

    filled, elapsed = {}, 0.0
    for link, branch in queue:
        shown = casting.open_ballot(link.token)  # the page view, before the member sends it
        filled.setdefault(id(branch), FilledBallot(choices={m: "qualified" for m, _ in shown.rated}))
        t0 = time.perf_counter()
        casting.cast_ballot(link.token, filled[id(branch)], casting.submission_form(link.token))
        elapsed += time.perf_counter() - t0
    return elapsed


def _stored_content() -> bytes:
    from sqlmodel import select

    from models import EncryptedBallot
    from services.platform.db import session_scope

    with session_scope() as session:
        return session.exec(select(EncryptedBallot.content)).first()


def raw_driver(links, size: int) -> float:
    """The SQL casting sends (services/ballot/casting_sql.py), through the driver alone on the same database, one
    transaction per ballot, with the same round trips: seconds for all. Each link's voting is known, as
    the page view told the product's submission."""
    from services.ballot import casting_sql as cast_sql
    from services.ballot import tokens
    from services.ballot.casting import BALLOT_WAIT_MS
    from services.platform import db
    from services.platform.clock import now

    connection, mark = driver.connect(db.get_engine().url, autocommit=True)  # BEGIN and COMMIT as written below
    cursor = connection.cursor()
    voting_of_hash = dict(cursor.execute("SELECT token_hash, voting_id FROM voter_token").fetchall())
    voting_of = {link.token: voting_of_hash[tokens.token_hash(link.token)] for link in links}
    minute = now().replace(second=0, microsecond=0)
    t0 = time.perf_counter()
    if mark == "?":  # sqlite3, one statement at a time as casting sends them
        connection.execute("PRAGMA foreign_keys=ON")
        moment = minute.strftime("%Y-%m-%d %H:%M:%S.%f")
        for link in links:
            voting_id = voting_of[link.token]
            cursor.execute(f"PRAGMA busy_timeout={BALLOT_WAIT_MS}")
            cursor.execute("BEGIN IMMEDIATE")
            cursor.execute(cast_sql._USE_TOKEN, (*tokens.stored_hashes(link.token), voting_id))
            cursor.execute(cast_sql._VOTING, (voting_id,)).fetchone()
            cursor.execute(cast_sql._STORE, (tokens.new_ballot_id(), voting_id, os.urandom(size)))
            cursor.execute(cast_sql._RECEIPT, (voting_id, tokens.new_receipt()))
            cursor.execute(cast_sql._TICK, (voting_id, moment))
            cursor.execute("COMMIT")
    else:  # psycopg, pipelined as casting sends them (the same cursors): two round trips
        for link in links:
            voting_id = voting_of[link.token]
            with connection.pipeline(), connection.cursor() as unread:
                unread.execute("BEGIN")
                unread.execute(f"SET LOCAL lock_timeout = {BALLOT_WAIT_MS}")
                unread.execute(f"SELECT id FROM branch_voting WHERE id = {voting_id} FOR SHARE")
                hashes = tokens.stored_hashes(link.token)
                cursor.execute(cast_sql._PG_TAKE, (*hashes, voting_id, voting_id)).fetchone()
                ballot = (tokens.new_ballot_id(), voting_id, os.urandom(size))
                cursor.execute(cast_sql._PG_WRITE, (*ballot, voting_id, tokens.new_receipt(), voting_id, minute))
                unread.execute("COMMIT")
    elapsed = time.perf_counter() - t0
    connection.close()
    return elapsed


if __name__ == "__main__":
    main()
