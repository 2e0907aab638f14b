"""Live progress at university scale: the progress query and the whole progress page, every ballot cast.

python bench/overview.py [--members 20000] [--branches 600] [--runs 30] [--page-runs 5]
Uses DATABASE_URL (default: a temporary SQLite file), e.g.
DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:55432/bench python bench/overview.py

The roster (general branches of 12 branches, about 10% probationary), the open campaign, opening voting
and issuing named links in every branch all go through the services. The ballots do not: instead of
20,000 calls of services.ballot.casting.cast_ballot, bulk SQL writes the rows cast_ballot would write: every
voter_token 'used', one online `ballot` with a receipt per token, one `ballot_choice` ('qualified') per
full member of its branch, and `ballot_tick` counts per minute spread over the last two hours.
branch_voting is left untouched, as cast_ballot leaves it. On PostgreSQL the load is followed by
VACUUM ANALYZE, as autovacuum would after ballots arriving over days.
"""

import argparse
import random
import statistics
import sys
import time
from collections import Counter
from dataclasses import asdict
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import driver
from bench.figures import Figure, report
from bench.voting_setup import ORG, percentile, use_database

PER_GENERAL = 12


def ms(seconds: list[float]) -> str:
    return f"median {statistics.median(seconds) * 1000:.1f} ms, p95 {percentile(seconds, 95) * 1000:.1f} ms"


def build(members: int, branches: int) -> int:
    """The campaign id of a fresh campaign with `members` members in `branches` branches, every ballot cast."""
    from sqlalchemy import func, insert, literal, update
    from sqlmodel import select

    from models import Ballot, BallotChoice, BallotTick, BranchVoting, Member, TokenStatus, VoterToken
    from services.ballot import campaign_status, tokens, voter_links, voting
    from services.campaign import campaigns, roster
    from services.campaign.roster_reader import Roster, RosterRow
    from services.platform.clock import local, now
    from services.platform.db import session_scope

    today = local(now()).date()
    campaign_id = campaigns.create_campaign(
        actor=ORG, title="进度基准测试", year=today.year, deadline=today + timedelta(days=30)
    )
    rows = []
    for i in range(members):
        b = i % branches
        units = (("general_branch", f"第{b // PER_GENERAL + 1}党总支"), ("branch", f"第{b + 1}党支部"))
        # Every tenth member of each branch is probationary (never every member of some branch).
        category = "probationary" if (i // branches) % 10 == 0 else "full"
        rows.append(RosterRow(row=i + 1, units=units, name=f"党员{i:05d}", category=category))
    roster.import_roster(actor=ORG, campaign_id=campaign_id, roster=Roster(rows, []), source="bench")
    campaign_status.set_status(actor=ORG, campaign_id=campaign_id, status="open")
    for path in dict.fromkeys(r.branch_path for r in rows):
        voting.open_voting(actor=ORG, campaign_id=campaign_id, branch_path=path)
        voter_links.issue_links(actor=ORG, campaign_id=campaign_id, branch_path=path, base_url="http://bench")

    start = now().replace(second=0, microsecond=0) - timedelta(minutes=120)
    rng = random.Random(1)
    with session_scope() as session:
        issued = session.exec(
            select(VoterToken.voting_id, func.count())
            .join(BranchVoting, BranchVoting.id == VoterToken.voting_id)
            .where(BranchVoting.campaign_id == campaign_id, VoterToken.status == TokenStatus.unused)
            .group_by(VoterToken.voting_id)
        ).all()
        session.exec(
            update(VoterToken)
            .where(VoterToken.voting_id.in_([v for v, _ in issued]), VoterToken.status == TokenStatus.unused)
            .values(status=TokenStatus.used)
        )
        ballots = [
            {"id": tokens.new_ballot_id(), "voting_id": v, "channel": "online", "receipt": tokens.new_receipt()}
            for v, n in issued
            for _ in range(n)
        ]
        session.execute(insert(Ballot), ballots)
        session.exec(
            insert(BallotChoice).from_select(
                ["ballot_id", "member_id", "grade"],
                select(Ballot.id, Member.id, literal("qualified"))
                .join(BranchVoting, BranchVoting.id == Ballot.voting_id)
                .join(Member, Member.branch_id == BranchVoting.branch_id)
                .where(BranchVoting.campaign_id == campaign_id, Member.category == "full"),
            )
        )
        ticks = [
            {"voting_id": v, "minute": start + timedelta(minutes=m), "ballots": c}
            for v, n in issued
            for m, c in Counter(rng.randrange(120) for _ in range(n)).items()
        ]
        session.execute(insert(BallotTick), ticks)
    return campaign_id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--branches", type=int, default=600)
    parser.add_argument("--runs", type=int, default=30, help="timed calls of each query")
    parser.add_argument("--page-runs", type=int, default=5, help="timed runs of the whole page")
    args = parser.parse_args()
    use_database()

    from streamlit.testing.v1 import AppTest

    from services.platform import db
    from services.progress import overview
    from services.staff.access import Actor

    db.ensure_schema()
    t0 = time.perf_counter()
    campaign_id = build(args.members, args.branches)
    if db.get_engine().dialect.name == "postgresql":
        with db.get_engine().connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
    print(
        f"database: {db.get_engine().dialect.name}; set-up of {args.members} members in {args.branches} branches,"
        f" every ballot cast: {time.perf_counter() - t0:.1f} s"
    )

    secretary = Actor(username="gb", display_name="gb", role="general_branch_secretary", scope_path="第1党总支")
    figures = []
    engine = db.get_engine().dialect.name
    for who, actor in (("organizer", ORG), ("general-branch secretary", secretary)):
        first = overview.campaign_progress(actor=actor, campaign_id=campaign_id)
        assert first.total.received == first.total.eligible > 0, first.total
        for name in ("campaign_progress", "ballots_over_time"):
            call = getattr(overview, name)
            times = []
            for _ in range(args.runs):
                t0 = time.perf_counter()
                call(actor=actor, campaign_id=campaign_id)
                times.append(time.perf_counter() - t0)
            raw = same_sql_alone(lambda call=call, actor=actor: call(actor=actor, campaign_id=campaign_id), args.runs)
            print(f"{name}, {who} ({len(first.branches)} branches, {first.total.received} ballots): {ms(times)}")
            print(f"  baseline, the same SQL statements through the driver alone: {ms(raw)}")
            figures.append(
                Figure(
                    f"{name}, {who}, {len(first.branches)} branches ({engine})",
                    statistics.median(times) * 1000,
                    "ms",
                    "the same SQL through the driver alone",
                    statistics.median(raw) * 1000,
                )
            )

    script = (
        "from pages.progress import overview\nfrom services.staff.access import Actor\n"
        f"overview.render(Actor(**{asdict(ORG)!r}))\n"
    )
    at = AppTest.from_string(script, default_timeout=60)
    runs = []
    for _ in range(args.page_runs):
        t0 = time.perf_counter()
        at.run()
        runs.append(time.perf_counter() - t0)
        assert not at.exception, at.exception
    assert {m.label: m.value for m in at.metric}["已收 / 应投"] == f"{args.members} / {args.members}"
    print(f"whole page (AppTest, organizer): first run {runs[0] * 1000:.0f} ms; later runs {ms(runs[1:] or runs)}")
    report(figures)


def same_sql_alone(call, runs: int) -> list[float]:
    """Seconds per run of exactly the statements `call` sends (caught as SQLAlchemy sends them), sent
    again through a connection of the driver alone, every row fetched: the floor under the query."""
    from sqlalchemy import event

    from services.platform import db

    engine = db.get_engine()
    sent = []

    def catch(_conn, _cursor, statement, parameters, _context, _many):
        sent.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", catch)
    try:
        call()
    finally:
        event.remove(engine, "before_cursor_execute", catch)
    connection, _ = driver.connect(engine.url)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        cursor = connection.cursor()
        for statement, parameters in sent:
            cursor.execute(statement, parameters)
            cursor.fetchall()
        connection.rollback()
        times.append(time.perf_counter() - t0)
    connection.close()
    return times


if __name__ == "__main__":
    main()
