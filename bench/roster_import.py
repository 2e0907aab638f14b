"""Roster import at university scale: builds a 20,000-member .xlsx and times parse and import.

python bench/roster_import.py [--members 20000] [--branches 600]
Uses DATABASE_URL (default: a temporary SQLite file). Same-run baselines: openpyxl alone reading the
file, and the driver alone (sqlite3 or psycopg executemany) inserting as many rows.
"""

import argparse
import io
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from openpyxl import Workbook

from bench import driver
from bench.figures import Figure, report


def build_roster(members: int, branches: int) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["某大学党员花名册"])
    ws.append(["序号", "姓名", "性别", "党总支", "党支部", "党员类别", "联系电话"])
    per_general = 12
    for i in range(members):
        b = i % branches
        ws.append(
            [
                i + 1,
                f"党员{i:05d}",
                "男" if i % 2 else "女",
                f"第{b // per_general + 1}党总支",
                f"第{b + 1}党支部",
                "预备党员" if i % 10 == 0 else "正式党员",
                f"138{i:08d}",
            ]
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--branches", type=int, default=600)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.db"

    from datetime import date

    from services.campaign import campaigns, roster
    from services.campaign.roster_reader import read_roster
    from services.platform import db
    from services.staff.access import command_line_actor

    actor = command_line_actor()

    db.ensure_schema()
    data = build_roster(args.members, args.branches)
    cid = campaigns.create_campaign(actor=actor, title="基准测试", year=2020, deadline=date(2021, 3, 20))

    t0 = time.perf_counter()
    parsed = read_roster("roster.xlsx", data)
    t1 = time.perf_counter()
    first = roster.import_roster(actor=actor, campaign_id=cid, roster=parsed, source="roster.xlsx")
    t2 = time.perf_counter()
    again = roster.import_roster_file(actor=actor, campaign_id=cid, filename="roster.xlsx", data=data)
    t3 = time.perf_counter()

    read_base = openpyxl_alone(data)
    insert_base = driver_alone(args.members)
    engine = db.get_engine().dialect.name
    driver = "sqlite3" if engine == "sqlite" else "psycopg"
    print(f"database: {engine}; file: {len(data) / 1024:.0f} KiB, {args.members} members, {args.branches} branches")
    print(f"read and validate .xlsx: {t1 - t0:.2f} s (openpyxl alone iterating the same file: {read_base:.2f} s)")
    print(f"first import (all new): {t2 - t1:.2f} s  ({first.added} added)")
    print(f"  baseline, {driver} executemany of as many rows in one transaction: {insert_base:.2f} s")
    print(f"re-import, same file (read + compare): {t3 - t2:.2f} s  ({again.unchanged} unchanged)")
    report(
        [
            Figure(
                f"roster .xlsx of {args.members} read and checked", t1 - t0, "s", "openpyxl alone, read-only", read_base
            ),
            Figure(
                f"roster of {args.members} imported ({engine})",
                t2 - t1,
                "s",
                f"{driver} executemany, same rows, one transaction",
                insert_base,
            ),
        ]
    )


def openpyxl_alone(data: bytes) -> float:
    """Every cell of the same workbook read by openpyxl in read-only mode, nothing checked."""
    from openpyxl import load_workbook

    t0 = time.perf_counter()
    book = load_workbook(io.BytesIO(data), read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    book.close()
    assert len(rows) > 2
    return time.perf_counter() - t0


def driver_alone(members: int) -> float:
    """The roster's rows (name, unit, category, order, phone) into a table of their own through the driver
    alone, executemany in one transaction, on the same database."""
    from services.platform import db

    connection, mark = driver.connect(db.get_engine().url)
    rows = [(f"党员{i:05d}", f"第{i % 600 + 1}党支部", "full", i, f"138{i:08d}") for i in range(members)]
    columns = "name TEXT, unit TEXT, category TEXT, ord INTEGER, phone TEXT"
    key = "INTEGER PRIMARY KEY" if mark == "?" else "SERIAL PRIMARY KEY"
    create = f"CREATE TABLE bench_roster (id {key}, {columns})"
    insert = f"INSERT INTO bench_roster (name, unit, category, ord, phone) VALUES ({', '.join([mark] * 5)})"
    connection.cursor().execute("DROP TABLE IF EXISTS bench_roster")
    connection.cursor().execute(create)
    connection.commit()
    t0 = time.perf_counter()
    connection.cursor().executemany(insert, rows)
    connection.commit()
    elapsed = time.perf_counter() - t0
    connection.close()
    return elapsed


if __name__ == "__main__":
    main()
