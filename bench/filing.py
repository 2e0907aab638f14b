"""The whole committee's filing package at university scale: time and peak memory of the ZIP.

python bench/filing.py [--members 20000] [--branches 600]
Uses DATABASE_URL (default: a temporary SQLite file).

Set-up as bench/progress.py (every ballot cast, bulk-written as cast_ballot writes them); then every
branch is closed and sealed, and graded and approved, with bulk writes of what the services would
write (every full member 合格). Timed: bundle.bundle for the organizer (the summary, the cover
and one workbook per branch). Same-run baseline: openpyxl alone writing the same number of workbooks,
sheets and rows with no data behind them, zipped the same way.
"""

import argparse
import io
import resource
import statistics
import sys
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.figures import Figure, report
from bench.voting_setup import ORG, use_database


def grade_everything(campaign_id: int) -> None:
    from sqlalchemy import insert, literal, update
    from sqlmodel import select

    from models import BranchGrading, BranchVoting, FinalGrade, GradingStep, Member
    from services.platform.clock import now
    from services.platform.db import session_scope

    moment = now()
    with session_scope() as session:
        session.exec(
            update(BranchVoting)
            .where(BranchVoting.campaign_id == campaign_id)
            .values(closed_at=moment, sealed_at=moment, wrapped_key=None)
        )
        votings = session.exec(select(BranchVoting.branch_id).where(BranchVoting.campaign_id == campaign_id)).all()
        session.execute(
            insert(BranchGrading),
            [{"campaign_id": campaign_id, "branch_id": b, "state": "approved", "submitted_by": "zb",
              "updated_at": moment} for b in votings],
        )  # fmt: skip
        session.exec(
            insert(FinalGrade).from_select(
                ["grading_id", "member_id", "grade"],
                select(BranchGrading.id, Member.id, literal("qualified"))
                .join(Member, Member.branch_id == BranchGrading.branch_id)
                .where(BranchGrading.campaign_id == campaign_id, Member.category == "full"),
            )
        )
        session.exec(
            insert(GradingStep).from_select(
                ["grading_id", "at", "actor", "actor_name", "action"],
                select(BranchGrading.id, literal(moment), literal("org"), literal("组织部"), literal("approve")).where(
                    BranchGrading.campaign_id == campaign_id
                ),
            )
        )


def baseline(books: int, rows_per_book: int) -> float:
    """openpyxl alone: as many workbooks of seven sheets with as many rows, zipped."""
    from openpyxl import Workbook

    t0 = time.perf_counter()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for n in range(books):
            wb = Workbook()
            for s in range(7):
                ws = wb.active if s == 0 else wb.create_sheet(f"表{s}")
                for r in range(rows_per_book if s < 3 else 3):
                    ws.append([r, f"党员{r:05d}", 1, "100.0", 0, "0.0", 0, "0.0", 0, "0.0", 1])
            data = io.BytesIO()
            wb.save(data)
            archive.writestr(f"党总支/{n}.xlsx", data.getvalue())
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--branches", type=int, default=600)
    args = parser.parse_args()
    use_database()

    from bench.progress import build, same_sql_alone
    from services.filing import bundle, summary
    from services.platform import db
    from services.platform.clock import local, now

    db.ensure_schema()
    t0 = time.perf_counter()
    campaign_id = build(args.members, args.branches)
    grade_everything(campaign_id)
    print(f"database: {db.get_engine().dialect.name}; set-up of {args.members} members in {args.branches} branches,"
          f" every ballot cast, every branch graded and approved: {time.perf_counter() - t0:.1f} s")  # fmt: skip
    tally, tally_sql = [], same_sql_alone(lambda: summary.summary(actor=ORG, campaign_id=campaign_id), 3)
    for _ in range(3):
        t0 = time.perf_counter()
        summary.summary(actor=ORG, campaign_id=campaign_id)
        tally.append(time.perf_counter() - t0)
    print(f"the committee's tally (统计表 rows, every branch): median {statistics.median(tally) * 1000:.0f} ms;"
          f" the same SQL through the driver alone: {statistics.median(tally_sql) * 1000:.0f} ms")  # fmt: skip
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    made = bundle.bundle(actor=ORG, campaign_id=campaign_id, today=local(now()).date())
    elapsed = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    names = zipfile.ZipFile(io.BytesIO(made.data)).namelist()
    assert len(names) == args.branches + 3, len(names)  # the summary, the cover, the committee's report (.docx)
    base = baseline(args.branches, args.members // args.branches)
    print(f"filing ZIP, whole committee: {elapsed:.1f} s for {len(names)} files, {len(made.data) / 1048576:.1f} MB;"
          f" process peak memory {peak / 1024:.0f} MiB (before: {before / 1024:.0f} MiB)")  # fmt: skip
    print(f"baseline, openpyxl alone writing as many workbooks and rows: {base:.1f} s;"
          f" the package takes {elapsed / base:.1f}× that")  # fmt: skip
    engine = db.get_engine().dialect.name
    report(
        [
            Figure(f"filing ZIP, {args.branches} branches, {args.members} members ({engine})", elapsed, "s",
                   "openpyxl alone, as many workbooks and rows", base),
            Figure("filing ZIP: process peak memory", peak / 1024, "MiB"),
            Figure(f"tally of every branch (统计表), {args.members} members ({engine})",
                   statistics.median(tally) * 1000, "ms",
                   "the same SQL through the driver alone", statistics.median(tally_sql) * 1000),
        ]
    )  # fmt: skip


if __name__ == "__main__":
    main()
