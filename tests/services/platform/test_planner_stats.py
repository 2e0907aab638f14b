"""SQLite's planner finds one branch's rows through the branch's index, not by reading the whole campaign's:
statistics are gathered after a roster is imported, and connections opened before are replaced."""

import sqlite3

import pytest
from sqlmodel import select

from models import OrgUnit
from services.campaign import roster
from services.campaign.roster_reader import Roster, RosterRow
from services.platform import db, planner_stats
from services.platform.db import session_scope
from tests.factories import ORG, make_campaign


def _plan(connection, campaign_id: int, branch_id: int) -> str:
    rows = connection.exec_driver_sql(
        f"EXPLAIN QUERY PLAN SELECT name FROM member WHERE campaign_id = {campaign_id} AND branch_id = {branch_id}"
    ).all()
    return " ".join(str(r[-1]) for r in rows)


def test_after_an_import_a_branch_s_members_are_found_through_the_branch_s_index(database):
    engine = db.get_engine()
    if engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL gathers its own statistics (autovacuum)")
    cid = make_campaign()
    early = [engine.connect() for _ in range(3)]  # opened before the import, then back in the pool
    for connection in early:
        _plan(connection, cid, 1)
        connection.close()
    rows = [
        RosterRow(row=n + 1, units=(("branch", f"第{n // 40 + 1}党支部"),), name=f"党员{n:03d}", category="full")
        for n in range(200)
    ]
    roster.import_roster(actor=ORG, campaign_id=cid, roster=Roster(rows, []), source="测试")
    with session_scope() as session:
        branch_id = session.exec(select(OrgUnit.id).where(OrgUnit.path == "第3党支部")).one()
    later = [engine.connect() for _ in range(3)]  # the import gathered on one; the others are replaced
    plans = [_plan(connection, cid, branch_id) for connection in later]
    for connection in later:
        connection.close()
    assert all("ix_member_branch_id" in plan for plan in plans), plans


def test_an_import_stands_when_the_statistics_cannot_be_gathered_for_the_lock(database, monkeypatch):
    """ANALYZE needs SQLite's write lock; held elsewhere (a restore, a long import), the statistics wait for the
    next gathering and the roster just imported is kept."""
    engine = db.get_engine()
    if engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL gathers its own statistics (autovacuum)")
    monkeypatch.setattr(planner_stats, "WAIT_MS", 50)
    cid = make_campaign()
    rows = [RosterRow(row=1, units=(("branch", "第一党支部"),), name="王芳", category="full")]
    holder = sqlite3.connect(engine.url.database, isolation_level=None)
    real_gather = planner_stats.gather
    outcome = []

    def gather_while_locked(target):
        holder.execute("BEGIN IMMEDIATE")  # another writer takes the lock once the import has committed
        try:
            outcome.append(real_gather(target))
        finally:
            holder.execute("ROLLBACK")

    monkeypatch.setattr(planner_stats, "gather", gather_while_locked)
    report = roster.import_roster(actor=ORG, campaign_id=cid, roster=Roster(rows, []), source="测试")
    holder.close()
    assert outcome == [False] and report.members == 1
    with session_scope() as session:
        assert session.exec(select(OrgUnit.name).where(OrgUnit.path == "第一党支部")).one() == "第一党支部"
    assert real_gather(engine)  # the lock gone, the next gathering succeeds
