"""Ballot secrecy against anyone holding a copy of the database.

30 members vote in a known order, each ballot recognisable by its content (voter k rates member k
"basically qualified"). After the branch closes, a copy of the database is read the way an
administrator could — every column, the order rows come back in, keys, and on PostgreSQL the system
columns ctid and xmin — and no signal may line the ballots up with the order of voting.
"""

import os
import random
import shutil
import sqlite3

import pytest
from sqlalchemy import inspect, text

from services import ballots, db, voting
from tests.factories import ORG, all_qualified, make_voting_branch

pytestmark = pytest.mark.usefixtures("database")
VOTERS = 30
_BALLOT_COLUMNS = {"id", "voting_id", "channel", "committee_rating", "report_rating", "opinion"}


def _spearman(positions: list[int]) -> float:
    n = len(positions)
    d2 = sum((rank - pos) ** 2 for rank, pos in enumerate(positions))
    return 1 - 6 * d2 / (n * (n * n - 1))


def _linkable(positions: list[int]) -> bool:
    """Whether a row order tells the order of voting: strong rank correlation, or many exact hits."""
    hits = sum(1 for rank, pos in enumerate(positions) if rank == pos)
    return abs(_spearman(positions)) > 0.7 or hits > 6


def test_the_detector_sees_an_order_when_there_is_one():
    assert _linkable(list(range(VOTERS)))
    assert _linkable(list(reversed(range(VOTERS))))
    assert not _linkable(random.Random(1).sample(range(VOTERS), VOTERS))


def _vote_in_a_known_order():
    cid, path, links = make_voting_branch(full=VOTERS)
    names = [name for _, name in ballots.open_ballot(links[0].token).members]
    voters = [link for link in links if link.member_id is not None][:VOTERS]
    random.Random(2021).shuffle(voters)  # voting order unlike roster or token order
    for position, link in enumerate(voters):
        ballots.cast_ballot(link.token, all_qualified(link.token, **{names[position]: "basically_qualified"}))
    voting.close_voting(actor=ORG, campaign_id=cid, branch_path=path)
    return cid, path


def _snapshot(url: str, tmp_path) -> dict[str, list[dict]]:
    """Every row of the ballot tables as a copy of the database returns them, in that order."""
    if url.startswith("sqlite"):
        source = url.removeprefix("sqlite:///")
        copy = tmp_path / "stolen.db"
        shutil.copy(source, copy)
        if os.path.exists(source + "-wal"):
            shutil.copy(source + "-wal", str(copy) + "-wal")
        connection = sqlite3.connect(copy)
        connection.row_factory = sqlite3.Row
        with pytest.raises(sqlite3.OperationalError):
            connection.execute("SELECT rowid FROM ballot")  # no hidden insertion counter
        rows = {t: [dict(r) for r in connection.execute(f"SELECT * FROM {t}")] for t in ("ballot", "ballot_choice")}
        connection.close()
        return rows
    with db.get_engine(url).connect() as connection:
        return {
            t: [
                dict(r._mapping)
                for r in connection.execute(text(f"SELECT ctid::text AS ctid, xmin::text AS xmin, * FROM {t}"))
            ]
            for t in ("ballot", "ballot_choice")
        }


def _positions(order_of_ballot_ids: list[str], cast_position: dict[str, int]) -> list[int]:
    seen: list[str] = []
    for ballot_id in order_of_ballot_ids:
        if ballot_id not in seen:
            seen.append(ballot_id)
    return [cast_position[b] for b in seen]


def test_a_copy_of_the_database_cannot_match_ballots_to_voters(database, tmp_path):
    cid, path = _vote_in_a_known_order()
    stolen = _snapshot(database, tmp_path)

    # What the ballot tables hold: no token, member, session, address or time.
    assert {c["name"] for c in inspect(db.get_engine()).get_columns("ballot")} == _BALLOT_COLUMNS
    assert {c["name"] for c in inspect(db.get_engine()).get_columns("ballot_choice")} == {
        "ballot_id",
        "member_id",
        "grade",
    }

    # Recognise each ballot by its content (voter k marked member k), to know when it was cast.
    marked = {}
    for choice in stolen["ballot_choice"]:
        if choice["grade"] == "basically_qualified":
            marked[choice["ballot_id"]] = choice["member_id"]
    roster_position = {m: i for i, (m, _) in enumerate(_members(cid, path))}
    cast_position = {ballot_id: roster_position[member] for ballot_id, member in marked.items()}
    assert len(cast_position) == VOTERS

    signals = {
        "ballot rows as returned": [b["id"] for b in stolen["ballot"]],
        "ballot_choice rows as returned": [c["ballot_id"] for c in stolen["ballot_choice"]],
        "ballot primary key": sorted(b["id"] for b in stolen["ballot"]),
    }
    if "ctid" in stolen["ballot"][0]:
        signals["ballot ctid"] = [b["id"] for b in sorted(stolen["ballot"], key=lambda b: _ctid(b["ctid"]))]
        signals["ballot_choice ctid"] = [
            c["ballot_id"] for c in sorted(stolen["ballot_choice"], key=lambda c: _ctid(c["ctid"]))
        ]
        # Every ballot was rewritten by one transaction: xmin no longer names the voter's transaction.
        assert len({b["xmin"] for b in stolen["ballot"]}) == 1
        assert len({c["xmin"] for c in stolen["ballot_choice"]}) == 1
    for name, order in signals.items():
        positions = _positions(order, cast_position)
        assert len(positions) == VOTERS, name
        assert not _linkable(positions), f"{name} follows the order of voting: {positions}"


def test_sqlite_write_ahead_log_is_emptied_when_voting_closes(database):
    if not database.startswith("sqlite"):
        pytest.skip("SQLite only")
    _vote_in_a_known_order()
    wal = database.removeprefix("sqlite:///") + "-wal"
    assert not os.path.exists(wal) or os.path.getsize(wal) == 0


def _members(cid: int, path: str) -> list[tuple[int, str]]:
    from services import members

    return [
        (m.id, m.name)
        for m in members.list_members(actor=ORG, campaign_id=cid, branch_path=path)
        if m.category == "full"
    ]


def _ctid(value: str) -> tuple[int, int]:
    page, item = value.strip("()").split(",")
    return int(page), int(item)
