"""Sealing at the end of voting: how long closing a branch takes, beside casting its ballots.

python bench/sealing.py [--members 80] [--branches 10]
Uses DATABASE_URL (default: a temporary SQLite file). Every member of each branch votes through
services.ballot.casting.cast_ballot (the same-run baseline); then each branch is closed through
services.ballot.voting.close_voting, which decrypts, shuffles and rewrites its ballots and empties the log.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.figures import Figure, report
from bench.voting_setup import ORG, open_branches, use_database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=80, help="full members per branch, each of whom votes")
    parser.add_argument("--branches", type=int, default=10)
    args = parser.parse_args()
    use_database()

    from services.ballot import casting, counting, voting
    from services.ballot.ballot_form import FilledBallot
    from services.platform import db

    db.ensure_schema()
    campaign_id, links = open_branches([args.members] * args.branches)
    cast_times, closing = [], []
    for path, branch_links in links.items():
        members = casting.open_ballot(branch_links[0].token).rated
        filled = FilledBallot(choices={m: "qualified" for m, _ in members})
        t0 = time.perf_counter()
        for link in branch_links:
            casting.cast_ballot(link.token, filled)
        cast_times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        voting.close_voting(actor=ORG, campaign_id=campaign_id, branch_path=path)
        closing.append(time.perf_counter() - t0)
        assert counting.tally(actor=ORG, campaign_id=campaign_id, branch_path=path).online == args.members
    cast, close = statistics.median(cast_times), statistics.median(closing)
    print(f"database: {db.get_engine().dialect.name}; {args.branches} branches of {args.members}, everyone voting")
    print(f"casting a branch's {args.members} ballots one by one (baseline): median {cast * 1000:.0f} ms")
    print(f"closing and sealing the branch: median {close * 1000:.0f} ms = {close / cast:.2f} × casting its ballots")
    engine = db.get_engine().dialect.name
    report(
        [
            Figure(
                f"close and seal a branch of {args.members} ({engine})",
                close * 1000,
                "ms",
                "casting its ballots one by one",
                cast * 1000,
            )
        ]
    )


if __name__ == "__main__":
    main()
