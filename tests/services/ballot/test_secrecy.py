"""Ballot secrecy against anyone holding a copy of the database, at every moment.

30 members vote in a known order, each ballot recognisable by its content (voter k rates member k
"basically qualified"). However voting ends — a secretary's close, the campaign closed, the deadline
passing with nobody reading anything, a campaign reopened and closed again — a copy of the database
read the way an administrator could (every column, the order rows come back in, keys, and on
PostgreSQL the system columns ctid and xmin) shows no signal lining ballots or receipts up with the
order of voting. While voting is open, a copy holds no ballot content at all: not in any table,
not in the raw files.
"""

import os
import random
import sqlite3
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import inspect, text

from models import BranchVoting, Campaign
from services.ballot import ballot_form, campaign_status, casting, counting, encryption, sealing, voting, voting_window
from services.platform import db
from services.platform.clock import now
from services.platform.db import session_scope
from services.progress import overview
from tests.factories import ORG, all_qualified, make_voting_branch
from tests.services.ballot import stolen_copy

pytestmark = pytest.mark.usefixtures("database")
VOTERS = 30
_BALLOT_COLUMNS = {"id", "voting_id", "channel", "branch_committee_rating", "report_rating", "opinion"}
ENDINGS = ("close", "campaign closed", "deadline passed", "reopened then closed")


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


class KnownOrder:
    """A branch whose members vote one by one in a shuffled order, each ballot marked by its voter."""

    def __init__(self, **options):
        self.cid, self.path, links = make_voting_branch(full=VOTERS, **options)
        self.names = [name for _, name in casting.open_ballot(links[0].token).rated]
        self.voters = [link for link in links if link.member_id is not None][:VOTERS]
        random.Random(2021).shuffle(self.voters)  # voting order unlike roster or token order
        self.receipt_position: dict[str, int] = {}

    def vote(self, positions) -> None:
        for position in positions:
            token = self.voters[position].token
            filled = all_qualified(token, **{self.names[position]: "basically_qualified"})
            self.receipt_position[casting.cast_ballot(token, filled)] = position

    def close(self) -> None:
        voting.close_voting(actor=ORG, campaign_id=self.cid, branch_path=self.path)


def _end(branch: KnownOrder, ending: str, monkeypatch) -> None:
    if ending == "reopened then closed":
        branch.vote(range(VOTERS // 2))
        campaign_status.set_status(actor=ORG, campaign_id=branch.cid, status="closed")
        campaign_status.set_status(actor=ORG, campaign_id=branch.cid, status="open")  # e.g. an extended deadline
        branch.vote(range(VOTERS // 2, VOTERS))
        branch.close()
        return
    branch.vote(range(VOTERS))
    if ending == "close":
        branch.close()
    elif ending == "campaign closed":
        campaign_status.set_status(actor=ORG, campaign_id=branch.cid, status="closed")
    else:  # the clock passes the deadline; the app's minute sweep (or `manage.py seal-due`) runs
        later = now() + timedelta(days=40)
        monkeypatch.setattr(voting_window, "now", lambda: later)
        assert sealing.seal_due().sealed == 1


@pytest.mark.parametrize("ending", ENDINGS)
def test_however_voting_ends_a_copy_cannot_match_ballots_or_receipts_to_voters(database, tmp_path, monkeypatch, ending):
    branch = KnownOrder()
    _end(branch, ending, monkeypatch)
    stolen = stolen_copy.rows(database, tmp_path)  # taken before anybody read results or receipts

    # What the ballot tables hold: no token, member, session, address or time.
    assert {c["name"] for c in inspect(db.get_engine()).get_columns("ballot")} == _BALLOT_COLUMNS
    assert {c["name"] for c in inspect(db.get_engine()).get_columns("ballot_choice")} == {
        "ballot_id",
        "member_id",
        "grade",
    }
    assert stolen["encrypted_ballot"] == []  # every ballot was sealed, none left encrypted in arrival order

    # Recognise each ballot by its content (voter k marked member k), to know when it was cast.
    ids = {name: m for m, name in casting.open_ballot(branch.voters[0].token).rated}
    position_of_member = {ids[name]: k for k, name in enumerate(branch.names)}
    cast_position = {
        c["ballot_id"]: position_of_member[c["member_id"]]
        for c in stolen["ballot_choice"]
        if c["grade"] == "basically_qualified"
    }
    assert len(cast_position) == VOTERS
    receipt_position = {r["receipt"]: branch.receipt_position[r["receipt"]] for r in stolen["ballot_receipt"]}
    assert len(receipt_position) == VOTERS

    signals = {
        "ballot rows as returned": _positions([b["id"] for b in stolen["ballot"]], cast_position),
        "ballot_choice rows as returned": _positions([c["ballot_id"] for c in stolen["ballot_choice"]], cast_position),
        "ballot primary key": _positions(sorted(b["id"] for b in stolen["ballot"]), cast_position),
        "receipt rows as returned": [receipt_position[r["receipt"]] for r in stolen["ballot_receipt"]],
    }
    if not stolen_copy.is_sqlite(database):
        by_ctid = lambda rows, key: [row[key] for row in sorted(rows, key=lambda r: _ctid(r["ctid"]))]  # noqa: E731
        signals["ballot ctid"] = _positions(by_ctid(stolen["ballot"], "id"), cast_position)
        signals["ballot_choice ctid"] = _positions(by_ctid(stolen["ballot_choice"], "ballot_id"), cast_position)
        signals["receipt ctid"] = [receipt_position[r] for r in by_ctid(stolen["ballot_receipt"], "receipt")]
        # Every row was rewritten by one transaction: xmin no longer names each voter's transaction.
        for table in ("ballot", "ballot_choice", "ballot_receipt"):
            assert len({row["xmin"] for row in stolen[table]}) == 1, table
    for name, positions in signals.items():
        assert len(positions) == VOTERS, name
        assert not _linkable(positions), f"{name} follows the order of voting: {positions}"
    tally = counting.tally(actor=ORG, campaign_id=branch.cid, branch_path=branch.path)
    assert tally.online == VOTERS  # nothing lost on the way


def test_a_copy_taken_while_voting_is_open_holds_no_ballot_content(database, tmp_path):
    cid, path, links = make_voting_branch(full=6, collect_opinions=True, rate_branch_committee=True)
    start = stolen_copy.wal_position(database)
    opinions = {f"意见{uuid.uuid4().hex[:16]}" for _ in links[:5]}
    for link, opinion in zip(links, sorted(opinions), strict=False):
        filled = all_qualified(link.token)
        casting.cast_ballot(
            link.token,
            ballot_form.FilledBallot(filled.choices, "basically_satisfied", "unsatisfied", opinion),
        )

    def found() -> set[str]:
        raw = stolen_copy.raw_bytes(database, tmp_path, since_wal_file=start)
        return {o for o in opinions if o.encode() in raw} | stolen_copy.found_in_tables(database, opinions)

    rows = stolen_copy.rows(database, tmp_path)
    assert rows["ballot"] == rows["ballot_choice"] == []
    assert len(rows["encrypted_ballot"]) == 5
    assert found() == set()
    # Every ciphertext has one length, whatever its ballot says (a 16-character opinion or none).
    assert len({len(r["content"]) for r in rows["encrypted_ballot"]}) == 1

    # The same search finds every opinion once the branch is sealed and they are plaintext.
    voting.close_voting(actor=ORG, campaign_id=cid, branch_path=path)
    assert found() == opinions


def test_sealing_destroys_the_data_key_and_leaves_no_ciphertext(database, tmp_path):
    cid, path, links = make_voting_branch(full=5, collect_opinions=True)
    opinion = f"意见{uuid.uuid4().hex[:16]}"
    filled = all_qualified(links[0].token)
    casting.cast_ballot(links[0].token, ballot_form.FilledBallot(filled.choices, opinion=opinion))
    with session_scope() as session:
        voting_id, wrapped = session.exec(text("SELECT id, wrapped_key FROM branch_voting")).one()
        (stored,) = session.exec(text("SELECT content FROM encrypted_ballot")).one()
    wrapped, stored = bytes(wrapped), bytes(stored)
    # What a copy taken now gives to someone who also holds the ballot key: the reason to destroy it.
    data_key = encryption.unwrap(wrapped, voting_id)
    assert encryption.decrypt(data_key, voting_id, stored).opinion == opinion

    assert _keys_held_in_memory() > 0  # kept unwrapped while the branch votes (one per branch)

    voting.close_voting(actor=ORG, campaign_id=cid, branch_path=path)
    with session_scope() as session:
        assert session.get(BranchVoting, voting_id).wrapped_key is None
        assert session.exec(text("SELECT count(*) FROM encrypted_ballot")).one()[0] == 0
    assert _keys_held_in_memory() == 0  # and forgotten by this process when it seals
    assert stolen_copy.found_in_tables(database, {opinion}) == {opinion}  # sealed: in plaintext, as it should be
    with db.get_engine().connect() as connection:
        blobs = [bytes(r[0]) for r in connection.exec_driver_sql("SELECT wrapped_key FROM branch_voting") if r[0]]
    assert blobs == []
    if stolen_copy.is_sqlite(database):  # zeroed in the file and gone from the truncated log
        raw = stolen_copy.raw_bytes(database, tmp_path)
        assert wrapped not in raw and stored[:64] not in raw


def _keys_held_in_memory() -> int:
    """How many data keys this process keeps unwrapped (and set up as ciphers) for casting."""
    return encryption._unwrap.cache_info().currsize + encryption._cipher.cache_info().currsize


def test_sealing_vacuums_every_table_it_rewrote(database):
    if stolen_copy.is_sqlite(database):
        pytest.skip("PostgreSQL only (SQLite zeroes deleted content as it goes)")

    def vacuums() -> dict[str, int]:
        with db.get_engine().connect() as connection:
            return dict(
                connection.exec_driver_sql(
                    "SELECT relname, vacuum_count FROM pg_stat_user_tables WHERE relname = ANY(%(t)s)",
                    {"t": list(sealing._REWRITTEN)},
                ).all()
            )

    branch = KnownOrder()
    branch.vote(range(3))
    before = vacuums()
    branch.close()
    after = vacuums()
    assert set(after) == {"encrypted_ballot", "ballot_choice", "ballot", "ballot_receipt", "branch_voting"}
    assert all(after[t] > before.get(t, 0) for t in after), (before, after)


def test_a_reader_holding_on_across_the_close_delays_the_log_truncation_until_it_lets_go(database, monkeypatch):
    if not stolen_copy.is_sqlite(database):
        pytest.skip("SQLite only")
    monkeypatch.setattr(sealing, "CHECKPOINT_TRY_SECONDS", 0.1)
    branch = KnownOrder()
    branch.vote(range(10))
    wal = database.removeprefix("sqlite:///") + "-wal"
    reader = sqlite3.connect(database.removeprefix("sqlite:///"))
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM voter_token").fetchall()  # a backup or a long report, mid-read

    branch.close()
    assert os.path.getsize(wal) > 0  # the pages as they were before sealing still wait in the log
    assert _seal_shown() == "log"
    assert sealing.seals_incomplete() == 1
    assert sealing.seal_due().log_owed  # retried, still held

    reader.rollback()
    reader.close()
    report = sealing.seal_due()
    assert report.complete
    assert os.path.getsize(wal) == 0
    assert _seal_shown() == "sealed"
    assert sealing.seals_incomplete() == 0


def test_while_the_log_waits_for_a_reader_ballots_are_never_held_behind_it(database, monkeypatch):
    """Emptying the log after a seal waits for readers (a backup, a long report) between tries, never
    inside SQLite holding the write lock: between two tries a writer that cannot wait at all gets in."""
    if not stolen_copy.is_sqlite(database):
        pytest.skip("SQLite only")
    path = database.removeprefix("sqlite:///")
    monkeypatch.setattr(sealing, "CHECKPOINT_TRY_SECONDS", 0.2)
    writers_in = []

    def between_tries(_seconds: float) -> None:
        impatient = sqlite3.connect(path, timeout=0)  # no busy wait: refused at once if the lock is held
        impatient.execute("BEGIN IMMEDIATE")
        impatient.execute("UPDATE campaign SET title = title")
        impatient.commit()
        impatient.close()
        writers_in.append(True)

    monkeypatch.setattr(sealing, "_pause", between_tries, raising=False)
    branch = KnownOrder()
    branch.vote(range(5))
    reader = sqlite3.connect(path)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM voter_token").fetchall()
    branch.close()
    reader.rollback()
    reader.close()
    assert writers_in  # the truncation was pending, and writers went on meanwhile
    assert _seal_shown() == "log" and sealing.seal_due().complete


def test_sqlite_write_ahead_log_is_emptied_when_voting_closes(database):
    if not stolen_copy.is_sqlite(database):
        pytest.skip("SQLite only")
    branch = KnownOrder()
    branch.vote(range(VOTERS))
    branch.close()
    wal = database.removeprefix("sqlite:///") + "-wal"
    assert not os.path.exists(wal) or os.path.getsize(wal) == 0


def test_a_branch_past_its_deadline_is_shown_unsealed_until_the_sweep_seals_it(monkeypatch):
    branch = KnownOrder()
    branch.vote(range(4))
    with session_scope() as session:
        session.get(Campaign, branch.cid).deadline = now().date() - timedelta(days=1)
    assert _seal_shown() == "pending"
    assert sealing.seals_incomplete() == 1
    assert sealing.seal_due().sealed == 1
    assert _seal_shown() == "sealed"
    assert sealing.seal_due().sealed == 0  # once
    assert sealing.seals_incomplete() == 0


def test_a_reopened_branch_takes_ballots_again_and_its_next_end_seals_them_all():
    branch = KnownOrder()
    branch.vote(range(5))
    campaign_status.set_status(actor=ORG, campaign_id=branch.cid, status="closed")
    with session_scope() as session:
        first = session.exec(text("SELECT sealed_at, wrapped_key FROM branch_voting")).one()
    assert first[0] is not None and first[1] is None
    campaign_status.set_status(actor=ORG, campaign_id=branch.cid, status="open")
    branch.vote(range(5, 8))
    with session_scope() as session:
        again = session.exec(text("SELECT sealed_at, wrapped_key FROM branch_voting")).one()
        pending = session.exec(text("SELECT count(*) FROM encrypted_ballot")).one()[0]
    assert again[0] is None and again[1] is not None and pending == 3  # a new key; sealed again at the end
    branch.close()
    assert counting.tally(actor=ORG, campaign_id=branch.cid, branch_path=branch.path).online == 8


def _seal_shown() -> str:
    (row,) = overview.campaign_progress(actor=ORG, campaign_id=_campaign_id()).branches
    return row.seal


def _campaign_id() -> int:
    with session_scope() as session:
        return session.exec(text("SELECT id FROM campaign")).one()[0]


def _positions(order_of_ballot_ids: list[str], cast_position: dict[str, int]) -> list[int]:
    return [cast_position[b] for b in dict.fromkeys(order_of_ballot_ids)]


def _ctid(value: str) -> tuple[int, int]:
    page, item = value.strip("()").split(",")
    return int(page), int(item)


def test_representatives_ballots_cannot_be_matched_to_their_codes(database, tmp_path):
    """群众评议 (services/ballot/representatives.py): 30 representatives vote in a known order, each ballot
    marked by its code; a copy taken while it is open holds only ciphertexts of one size, and once it is
    closed no row order, key, receipt order, ctid or xmin follows the order of voting."""
    from services.ballot import representatives
    from tests.factories import all_qualified as complete

    cid, path, _ = make_voting_branch(full=VOTERS)
    representatives.set_enabled(actor=ORG, campaign_id=cid, enabled=True)
    codes = representatives.open_masses(actor=ORG, campaign_id=cid, branch_path=path, codes=VOTERS, base_url="http://t")
    rated = casting.open_ballot(codes[0].token).rated
    order = list(range(VOTERS))
    random.Random(2026).shuffle(order)  # voting order unlike slip or token order
    receipt_position, cast_order = {}, []
    for position, slip in enumerate(order):
        token = codes[slip].token
        receipt_position[casting.cast_ballot(token, complete(token, **{rated[position][1]: "unqualified"}))] = position
        cast_order.append(slip)

    while_open = stolen_copy.rows(database, tmp_path)
    assert while_open["ballot"] == while_open["ballot_choice"] == []
    assert len(while_open["encrypted_ballot"]) == VOTERS
    assert len({len(r["content"]) for r in while_open["encrypted_ballot"]}) == 1

    representatives.close_masses(actor=ORG, campaign_id=cid, branch_path=path)
    (tmp_path / "sealed").mkdir()
    stolen = stolen_copy.rows(database, tmp_path / "sealed")
    assert stolen["encrypted_ballot"] == []
    position_of_member = {member_id: k for k, (member_id, _) in enumerate(rated)}
    cast_position = {
        c["ballot_id"]: position_of_member[c["member_id"]]
        for c in stolen["ballot_choice"]
        if c["grade"] == "unqualified"
    }
    assert len(cast_position) == VOTERS
    ballot_ids = [b["id"] for b in stolen["ballot"]]
    signals = {
        "ballot rows as returned": _positions(ballot_ids, cast_position),
        "ballot_choice rows as returned": _positions([c["ballot_id"] for c in stolen["ballot_choice"]], cast_position),
        "ballot primary key": _positions(sorted(ballot_ids), cast_position),
        "receipt rows as returned": [receipt_position[r["receipt"]] for r in stolen["ballot_receipt"]],
        # Which slips voted is known (like an electoral roll), never which ballot is whose: rows follow no slip order.
        "slip numbers in ballot row order": [cast_order[p] for p in _positions(ballot_ids, cast_position)],
    }
    if not stolen_copy.is_sqlite(database):
        by_ctid = lambda rows, key: [row[key] for row in sorted(rows, key=lambda r: _ctid(r["ctid"]))]  # noqa: E731
        signals["ballot ctid"] = _positions(by_ctid(stolen["ballot"], "id"), cast_position)
        signals["receipt ctid"] = [receipt_position[r] for r in by_ctid(stolen["ballot_receipt"], "receipt")]
        for table in ("ballot", "ballot_choice", "ballot_receipt"):
            assert len({row["xmin"] for row in stolen[table]}) == 1, table
    for name, positions in signals.items():
        assert len(positions) == VOTERS, name
        assert not _linkable(positions), f"{name} follows the order of voting: {positions}"
    with session_scope() as session:
        masses = session.exec(text("SELECT wrapped_key, sealed_at FROM branch_voting WHERE audience = 'masses'")).one()
    assert masses.wrapped_key is None and masses.sealed_at is not None
