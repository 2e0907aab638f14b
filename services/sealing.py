"""Sealing a branch's ballots when voting ends: nothing stored may follow their order of arrival.

While voting is open, ballots sit in tables with random keys and no rowid, so a plain SELECT on
SQLite returns them in key order. PostgreSQL returns heap order, and its system columns (ctid, xmin)
tie each ballot to the transaction that marked its token used. At the end the branch's ballots are
deleted and written again in a random order, with new random keys, in one transaction: one xmin for
all, a new heap order. On SQLite the write-ahead log is then checkpointed so the recent ballots'
pages no longer wait in the -wal file in arrival order.
"""

import secrets

from sqlalchemy import delete
from sqlmodel import select

from models import Ballot, BallotChoice, BranchVoting
from services import tokens
from services.clock import now
from services.db import get_engine, session_scope

_shuffle = secrets.SystemRandom().shuffle


def seal(voting_id: int) -> int:
    """Rewrite the branch's ballots in random order; returns how many there are."""
    with session_scope() as session:
        ballots = session.exec(select(Ballot).where(Ballot.voting_id == voting_id)).all()
        ids = [b.id for b in ballots]
        choices: dict[str, list[tuple[int, str]]] = {i: [] for i in ids}
        for choice in session.exec(select(BallotChoice).where(BallotChoice.ballot_id.in_(ids))).all():
            choices[choice.ballot_id].append((choice.member_id, choice.grade))
        copies = [
            (b.channel, b.receipt, b.committee_rating, b.report_rating, b.opinion, choices[b.id]) for b in ballots
        ]
        session.exec(delete(BallotChoice).where(BallotChoice.ballot_id.in_(ids)))
        session.exec(delete(Ballot).where(Ballot.voting_id == voting_id))
        session.flush()
        _shuffle(copies)
        for channel, receipt, committee, report, opinion, picks in copies:
            ballot_id = tokens.new_ballot_id()
            session.add(
                Ballot(
                    id=ballot_id,
                    voting_id=voting_id,
                    channel=channel,
                    receipt=receipt,
                    committee_rating=committee,
                    report_rating=report,
                    opinion=opinion,
                )
            )
            session.flush()
            session.add_all(BallotChoice(ballot_id=ballot_id, member_id=m, grade=g) for m, g in picks)
        voting = session.get(BranchVoting, voting_id)
        voting.sealed_at = now()
    _checkpoint()
    return len(copies)


def _checkpoint() -> None:
    """Clear out the dead copies the rewrite left behind, as far as SQL can reach."""
    engine = get_engine()
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    elif engine.dialect.name == "postgresql":
        # The deleted rows stay readable to page-inspecting tools until vacuumed.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ballot_choice, ballot")
