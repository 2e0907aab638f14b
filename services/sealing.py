"""Sealing a branch's ballots when voting ends: nothing stored may follow their order of arrival.

While voting is open, ballots sit in tables with random keys and no rowid, so a plain SELECT on
SQLite returns them in key order. PostgreSQL returns heap order, and its system columns (ctid, xmin)
tie each ballot to the transaction that marked its token used. At the end the branch's ballots are
deleted and written again in a random order, with new random keys, in one transaction: one xmin for
all, a new heap order. On SQLite the write-ahead log is then checkpointed so the recent ballots'
pages no longer wait in the -wal file in arrival order.
"""

import logging
import secrets

from sqlalchemy import delete, insert, update
from sqlmodel import select

from models import Ballot, BallotChoice, BallotReceipt, BranchVoting
from services import tokens
from services.clock import now
from services.db import get_engine, session_scope

_shuffle = secrets.SystemRandom().shuffle
log = logging.getLogger(__name__)


def seal(voting_id: int) -> int:
    """Rewrite the branch's ballots and receipts in random order, once; returns how many ballots."""
    with session_scope() as session:
        # First statement, conditional: of several sealers (a close, readers after the deadline) one
        # proceeds; on PostgreSQL it also waits for ballots still being cast (they hold a share lock).
        claimed = session.exec(
            update(BranchVoting)
            .where(BranchVoting.id == voting_id, BranchVoting.sealed_at.is_(None))
            .values(sealed_at=now())
        ).rowcount
        if not claimed:
            return 0
        ballots = session.exec(select(Ballot).where(Ballot.voting_id == voting_id)).all()
        ids = [b.id for b in ballots]
        choices: dict[str, list[tuple[int, str]]] = {i: [] for i in ids}
        for choice in session.exec(select(BallotChoice).where(BallotChoice.ballot_id.in_(ids))).all():
            choices[choice.ballot_id].append((choice.member_id, choice.grade))
        copies = [(b.channel, b.committee_rating, b.report_rating, b.opinion, choices[b.id]) for b in ballots]
        receipts = list(session.exec(select(BallotReceipt.receipt).where(BallotReceipt.voting_id == voting_id)))
        session.exec(delete(BallotChoice).where(BallotChoice.ballot_id.in_(ids)))
        session.exec(delete(Ballot).where(Ballot.voting_id == voting_id))
        session.exec(delete(BallotReceipt).where(BallotReceipt.voting_id == voting_id))
        _shuffle(copies)
        _shuffle(receipts)
        for channel, committee, report, opinion, picks in copies:
            ballot_id = tokens.new_ballot_id()
            session.exec(
                insert(Ballot).values(
                    id=ballot_id,
                    voting_id=voting_id,
                    channel=channel,
                    committee_rating=committee,
                    report_rating=report,
                    opinion=opinion,
                )
            )
            if picks:
                session.execute(
                    insert(BallotChoice), [{"ballot_id": ballot_id, "member_id": m, "grade": g} for m, g in picks]
                )
        if receipts:
            session.execute(insert(BallotReceipt), [{"voting_id": voting_id, "receipt": r} for r in receipts])
    _checkpoint()
    return len(copies)


def _checkpoint() -> None:
    """Clear out the dead copies the rewrite left behind, as far as SQL can reach."""
    engine = get_engine()
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            # Waits for readers only briefly, so no one else stalls behind it; if they hold on, the
            # log is emptied at a later checkpoint (SQLite starts it over once it is fully copied).
            connection.exec_driver_sql("PRAGMA busy_timeout=2000")
            busy, _, _ = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
            connection.exec_driver_sql("PRAGMA busy_timeout=10000")
            if busy:
                log.warning("WAL checkpoint after sealing was busy; the log is emptied at a later checkpoint")
    elif engine.dialect.name == "postgresql":
        # The deleted rows stay readable to page-inspecting tools until vacuumed.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ballot_choice, ballot")
