"""The whole committee's filing package at university scale: time and peak memory of the ZIP.

python bench/filing.py [--members 20000] [--branches 600]
Uses DATABASE_URL (default: a temporary SQLite file).

Set-up as bench/progress.py (every ballot cast, bulk-written as cast_ballot writes them); then every
branch is closed and sealed, and graded and approved, with bulk writes of what the services would
write (every full member 合格), and each branch given a meeting photo and a sign-in scan (about 400 KB
each). Timed: bundle.bundle for the organizer (the summary, the cover, the committee's report and one
workbook and its photos per branch). Same-run baseline: openpyxl alone writing as many workbooks with the
same sheets, rows and columns (read off the package's first branch workbook), a bordered cell each, and
the same photos, zipped the same way, with no data behind them, inside the same frozen_heap as the package.
Each is timed three times, in turn (package, baseline, package, …); the fastest run of each is given.
"""

import argparse
import io
import resource
import statistics
import sys
import tempfile
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


def photos() -> list[tuple[str, str, bytes]]:
    """A meeting photo and a sign-in scan as a phone sends them (2000 × 1500 JPEG, about 400 KB each)."""
    from PIL import Image, ImageFilter

    made = []
    for kind, name, sigma in (("photo", "会议照片.jpg", 40), ("sign_in", "签到表.jpg", 30)):
        noise = Image.effect_noise((2000, 1500), sigma).filter(ImageFilter.GaussianBlur(1))
        gradient = Image.linear_gradient("L").resize((2000, 1500))
        out = io.BytesIO()
        Image.merge("RGB", (noise, gradient, Image.blend(noise, gradient, 0.5))).save(out, "JPEG", quality=85)
        made.append((kind, name, out.getvalue()))
    return made


def attach_photos(campaign_id: int, pictures: list[tuple[str, str, bytes]]) -> None:
    """Each branch's meeting photo and sign-in scan, bulk-written as attachments.add_attachment writes them."""
    from sqlalchemy import insert
    from sqlmodel import select

    from models import Attachment, OrgUnit
    from models.org_unit import OrgKind
    from services.meeting.attachments import MAX_PIXELS, THUMBNAIL
    from services.platform import images
    from services.platform.clock import now
    from services.platform.db import session_scope

    thumbs = [images.thumbnail(d, name=n, formats=("JPEG",), max_pixels=MAX_PIXELS, box=THUMBNAIL,
                               unreadable="?").png for _, n, d in pictures]  # fmt: skip
    with session_scope() as session:
        branches = session.exec(
            select(OrgUnit.id).where(OrgUnit.campaign_id == campaign_id, OrgUnit.kind == OrgKind.branch)
        ).all()
    for start in range(0, len(branches), 50):
        with session_scope() as session:
            session.execute(insert(Attachment), [
                {"campaign_id": campaign_id, "branch_id": b, "kind": kind, "filename": name,
                 "content_type": "image/jpeg", "size": len(data), "data": data, "thumbnail": thumb,
                 "uploaded_at": now()}
                for b in branches[start:start + 50] for (kind, name, data), thumb in zip(pictures, thumbs, strict=True)
            ])  # fmt: skip


def shape(package: zipfile.ZipFile) -> list[tuple[int, int]]:
    """(rows, columns) of each sheet of the package's first branch workbook: what the baseline writes."""
    from openpyxl import load_workbook

    first = next(n for n in package.namelist() if "/" in n and n.endswith(".xlsx"))
    book = load_workbook(io.BytesIO(package.read(first)))
    return [(ws.max_row, ws.max_column) for ws in book.worksheets]


def baseline(books: int, sheets: list[tuple[int, int]], pictures: list[tuple[str, str, bytes]]) -> float:
    """openpyxl alone: as many workbooks, each with the same sheets of as many rows and columns (a bordered,
    wrapped cell each, text and numbers), and the same photos, into the same kind of ZIP."""
    from openpyxl import Workbook
    from openpyxl.cell import Cell, WriteOnlyCell
    from openpyxl.styles import Alignment, Border, NamedStyle, Side
    from openpyxl.styles.cell_style import StyleArray

    from services.platform.frozen_heap import frozen_heap

    line = Side(style="thin")
    grid = NamedStyle("grid", border=Border(left=line, right=line, top=line, bottom=line),
                      alignment=Alignment(wrap_text=True, vertical="top"))  # fmt: skip
    t0 = time.perf_counter()
    with (
        frozen_heap(),  # as the package: the objects there before left out of the collections it sets off
        tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024) as out,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        for n in range(books):
            wb = Workbook(write_only=True)
            wb.add_named_style(grid)
            for s, (rows, columns) in enumerate(sheets):
                ws = wb.create_sheet(f"表{s}")
                styled = WriteOnlyCell(ws)
                styled.style = "grid"  # resolved once, copied onto every cell (as the product does)
                for r in range(rows):
                    ws.append([Cell(ws, row=1, column=1, value=r if c % 2 else f"党员{r:05d}",
                                    style_array=StyleArray(styled._style)) for c in range(columns)])  # fmt: skip
            data = io.BytesIO()
            wb.save(data)
            archive.writestr(f"党总支/{n}.xlsx", data.getvalue())
            for kind, name, picture in pictures:
                archive.writestr(f"党总支/{n}_照片/{kind}_{name}", picture, compress_type=zipfile.ZIP_STORED)
    return time.perf_counter() - t0


ROUNDS = 3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--branches", type=int, default=600)
    args = parser.parse_args()
    use_database()

    from bench.progress import build, same_sql_alone
    from services.filing import bundle, summary
    from services.platform import db, planner_stats
    from services.platform.clock import local, now

    db.ensure_schema()
    t0 = time.perf_counter()
    campaign_id = build(args.members, args.branches)
    grade_everything(campaign_id)
    pictures = photos()
    attach_photos(campaign_id, pictures)
    planner_stats.gather(db.get_engine())  # as the app's hourly sweep has done by the time a unit files
    print(f"database: {db.get_engine().dialect.name}; set-up of {args.members} members in {args.branches} branches,"
          f" every ballot cast, every branch graded and approved, a photo and a sign-in scan each:"
          f" {time.perf_counter() - t0:.1f} s")  # fmt: skip
    tally, tally_sql = [], same_sql_alone(lambda: summary.summary(actor=ORG, campaign_id=campaign_id), 3)
    for _ in range(3):
        t0 = time.perf_counter()
        summary.summary(actor=ORG, campaign_id=campaign_id)
        tally.append(time.perf_counter() - t0)
    print(f"the committee's tally (统计表 rows, every branch): median {statistics.median(tally) * 1000:.0f} ms;"
          f" the same SQL through the driver alone: {statistics.median(tally_sql) * 1000:.0f} ms")  # fmt: skip
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # each side timed ROUNDS times, in turn, the faster run of each kept: this machine's speed drifts by a
    # tenth or more from one minute to the next, and a single run of each let that drift decide the ratio
    made_in, base_in = [], []
    for _ in range(ROUNDS):
        t0 = time.perf_counter()
        made = bundle.bundle(actor=ORG, campaign_id=campaign_id, today=local(now()).date())
        made_in.append(time.perf_counter() - t0)
        package = zipfile.ZipFile(made.file)
        names, size, sheets = package.namelist(), made.size, shape(package)
        made.file.close()  # the ZIP (a temporary file of some 460 MB) gone before the next run, as a download's is
        # a workbook and two photos per branch, besides the unit's own files (the summary, the cover, its report…)
        assert sum(1 for n in names if "/" in n) == args.branches * 3, len(names)
        base_in.append(baseline(args.branches, sheets, pictures))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    elapsed, base = min(made_in), min(base_in)
    print(
        "runs (product, baseline):", ", ".join(f"({a:.1f} s, {b:.1f} s)" for a, b in zip(made_in, base_in, strict=True))
    )
    print(f"filing ZIP, whole committee: {elapsed:.1f} s for {len(names)} files, {size / 1048576:.1f} MB;"
          f" process peak memory {peak / 1024:.0f} MiB (before: {before / 1024:.0f} MiB)")  # fmt: skip
    print(f"baseline, openpyxl alone writing as many workbooks, sheets, rows and photos: {base:.1f} s;"
          f" the package takes {elapsed / base:.1f}× that")  # fmt: skip
    engine = db.get_engine().dialect.name
    report(
        [
            Figure(f"filing ZIP, {args.branches} branches, {args.members} members ({engine})", elapsed, "s",
                   "openpyxl alone, as many workbooks, sheets, rows and photos", base),
            Figure("filing ZIP: process peak memory", peak / 1024, "MiB"),
            Figure(f"tally of every branch (统计表), {args.members} members ({engine})",
                   statistics.median(tally) * 1000, "ms",
                   "the same SQL through the driver alone", statistics.median(tally_sql) * 1000),
        ]
    )  # fmt: skip


if __name__ == "__main__":
    main()
