"""Sealing a branch's ballots whenever its voting ends: decrypted, shuffled, written out in plaintext
with new random keys, and the branch's data key destroyed, so nothing stored follows their arrival.

While voting is open, ballots exist only encrypted (services/encryption.py); their rows still
arrive in order (PostgreSQL's ctid and xmin tie each to the transaction that used its token), but
their content cannot be read without the ballot key. At the end, one transaction takes every
ballot of the branch — the encrypted new ones and any sealed before a reopening — deletes them,
writes them again in random order (one xmin for all, a new heap order) and forgets the data key.
Then the dead copies are cleared as far as SQL reaches: VACUUM on PostgreSQL; on SQLite
`secure_delete` zeroes freed content and the write-ahead log is truncated, retried until it is.

Voting ends by a secretary's close, by the campaign being closed, or by its deadline passing;
`seal_campaign` and `seal_due` (run by the app every minute and by `manage.py seal-due`) seal
every branch whose voting has ended, whether or not anybody reads its results.
"""

import logging
import secrets
import time
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from sqlalchemy import delete, insert, update
from sqlmodel import Session, select

from models import Ballot, BallotChoice, BallotReceipt, BranchVoting, Campaign, EncryptedBallot, OrgUnit
from services.ballot import encryption, tokens
from services.ballot.encryption import BallotContent, WrongBallotKey
from services.ballot.voting_window import ended
from services.platform.clock import now
from services.platform.db import SQLITE_BUSY_MS, get_engine, session_scope
from services.platform.errors import BallotsUnreadable

_shuffle = secrets.SystemRandom().shuffle
log = logging.getLogger(__name__)
# Every table whose rows a seal deletes or rewrites (the branch_voting row held the data key).
_REWRITTEN = ("encrypted_ballot", "ballot_choice", "ballot", "ballot_receipt", "branch_voting")
# Truncating the log is tried every CHECKPOINT_TRY_GAP seconds for at most CHECKPOINT_TRY_SECONDS, each try
# without waiting; when readers hold on throughout, the minute's sweep tries again.
CHECKPOINT_TRY_SECONDS = 2.0
CHECKPOINT_TRY_GAP = 0.05
_pause = time.sleep  # between two tries (tests look in there)


@dataclass
class SweepReport:
    sealed: int = 0  # branches sealed now
    unreadable: list[str] = field(default_factory=list)  # why a branch could not be sealed
    log_owed: bool = False  # SQLite: the write-ahead log still waits to be emptied

    @property
    def complete(self) -> bool:
        return not self.unreadable and not self.log_owed


def seal(voting_id: int) -> int:
    """Seal one branch whose voting has ended; returns how many ballots it holds (0 if already sealed)."""
    count = _rewrite(voting_id)
    settle_log()
    return count or 0


def seal_campaign(campaign_id: int) -> SweepReport:
    """Seal every branch of a campaign that has just been closed."""
    with session_scope() as session:
        ids = session.exec(
            select(BranchVoting.id).where(BranchVoting.campaign_id == campaign_id, BranchVoting.sealed_at.is_(None))
        ).all()
    return _seal_all(list(ids))


def seal_due() -> SweepReport:
    """Seal every branch whose voting has ended by any path and is not yet sealed; settle the log."""
    with session_scope() as session:
        rows = session.exec(
            select(BranchVoting.id, BranchVoting.closed_at, Campaign.deadline, Campaign.status)
            .join(Campaign, Campaign.id == BranchVoting.campaign_id)
            .where(BranchVoting.sealed_at.is_(None))
        ).all()
    return _seal_all([r.id for r in rows if ended(r.closed_at, r.deadline, r.status)])


def _seal_all(voting_ids: list[int]) -> SweepReport:
    report = SweepReport()
    for voting_id in voting_ids:
        try:
            if _rewrite(voting_id) is not None:
                report.sealed += 1
        except BallotsUnreadable as unreadable:
            log.error("%s", unreadable)
            report.unreadable.append(str(unreadable))
    report.log_owed = not settle_log(vacuum=report.sealed > 0)
    return report


@dataclass
class _Rewrite:
    """A branch's ballots as the seal will write them, read and prepared before its transaction."""

    found: frozenset[str]  # the ids of the rows they were read from: unchanged, or prepared again
    ballots: list[dict]
    choices: list[dict]
    receipts: list[str]


def _rewrite(voting_id: int) -> int | None:
    """The seal itself, in one transaction; None when another caller sealed the branch already.

    The ballots are read, decrypted, shuffled and given new ids first, outside the transaction: on
    SQLite the write lock (and every ballot cast meanwhile) then waits only for the deletes and inserts.
    Inside, the rows are checked to be the ones read (a ballot still in flight on PostgreSQL, a reopened
    branch): if not, they are prepared again there."""
    with session_scope(alone=True) as session:  # never inside a caller's reads (db.one_session)
        if session.exec(select(BranchVoting.sealed_at).where(BranchVoting.id == voting_id)).one() is not None:
            return None
        prepared = _prepare(session, voting_id)
    with session_scope(alone=True) as session:
        # First statement, conditional: of several sealers (a close, the sweep, readers) one proceeds;
        # on PostgreSQL it also waits for ballots still being cast (they hold a share lock on the row).
        claimed = session.exec(
            update(BranchVoting)
            .where(BranchVoting.id == voting_id, BranchVoting.sealed_at.is_(None))
            .values(sealed_at=now())
        ).rowcount
        if not claimed:
            return None
        if _row_ids(session, voting_id) != prepared.found:
            prepared = _prepare(session, voting_id)
        old_ids = select(Ballot.id).where(Ballot.voting_id == voting_id)
        session.exec(delete(BallotChoice).where(BallotChoice.ballot_id.in_(old_ids)))
        session.exec(delete(Ballot).where(Ballot.voting_id == voting_id))
        session.exec(delete(BallotReceipt).where(BallotReceipt.voting_id == voting_id))
        session.exec(delete(EncryptedBallot).where(EncryptedBallot.voting_id == voting_id))
        if prepared.ballots:
            session.execute(insert(Ballot), prepared.ballots)
        if prepared.choices:
            session.execute(insert(BallotChoice), prepared.choices)
        if prepared.receipts:
            session.execute(insert(BallotReceipt), [{"voting_id": voting_id, "receipt": r} for r in prepared.receipts])
        session.exec(
            update(BranchVoting)
            .where(BranchVoting.id == voting_id)
            .values(wrapped_key=None, checkpoint_owed=session.get_bind().dialect.name == "sqlite")
        )
        encryption.forget_data_keys()  # this process's copies of this (and any) branch's key
        return len(prepared.ballots)


def _row_ids(session: Session, voting_id: int) -> frozenset[str]:
    """Which rows hold the branch's ballots and receipts now (ids and receipt codes are random)."""
    return frozenset(
        [
            *session.exec(select(EncryptedBallot.id).where(EncryptedBallot.voting_id == voting_id)),
            *session.exec(select(Ballot.id).where(Ballot.voting_id == voting_id)),
            *session.exec(select(BallotReceipt.receipt).where(BallotReceipt.voting_id == voting_id)),
        ]
    )


def _prepare(session: Session, voting_id: int) -> _Rewrite:
    found = _row_ids(session, voting_id)
    copies = _sealed_ballots(session, voting_id) + _encrypted_ballots(session, voting_id)
    receipts = list(session.exec(select(BallotReceipt.receipt).where(BallotReceipt.voting_id == voting_id)))
    _shuffle(copies)
    _shuffle(receipts)
    ballots, choices = _rows(voting_id, copies)
    return _Rewrite(found, ballots, choices, receipts)


def _sealed_ballots(session: Session, voting_id: int) -> list[BallotContent]:
    """Ballots already in plaintext: sealed before the campaign was reopened (or cast before encryption)."""
    ballots = session.exec(select(Ballot).where(Ballot.voting_id == voting_id)).all()
    choices: dict[str, list[tuple[int, str]]] = {b.id: [] for b in ballots}
    for ballot_id, member_id, grade in session.exec(
        select(BallotChoice.ballot_id, BallotChoice.member_id, BallotChoice.grade).where(
            BallotChoice.ballot_id.in_(list(choices))
        )
    ):
        choices[ballot_id].append((member_id, grade))
    return [
        BallotContent(b.channel, tuple(choices[b.id]), b.branch_committee_rating, b.report_rating, b.opinion)
        for b in ballots
    ]


def _encrypted_ballots(session: Session, voting_id: int) -> list[BallotContent]:
    stored = session.exec(select(EncryptedBallot.content).where(EncryptedBallot.voting_id == voting_id)).all()
    wrapped = session.exec(select(BranchVoting.wrapped_key).where(BranchVoting.id == voting_id)).one()
    if not stored:
        return []
    try:
        if wrapped is None:
            raise WrongBallotKey
        data_key = encryption.unwrap(wrapped, voting_id)
        return [encryption.decrypt(data_key, voting_id, content) for content in stored]
    except (WrongBallotKey, InvalidTag):
        # Raised inside the transaction: the claim is rolled back and nothing is deleted.
        raise BallotsUnreadable(_branch_path(session, voting_id)) from None


def _rows(voting_id: int, copies: list[BallotContent]) -> tuple[list[dict], list[dict]]:
    """The ballots and their choices as rows, in the order given, each ballot with a new random id."""
    ballot_rows, choice_rows = [], []
    for content in copies:
        ballot_id = tokens.new_ballot_id()
        ballot_rows.append(
            {
                "id": ballot_id,
                "voting_id": voting_id,
                "channel": content.channel,
                "branch_committee_rating": content.branch_committee_rating,
                "report_rating": content.report_rating,
                "opinion": content.opinion,
            }
        )
        choice_rows += [{"ballot_id": ballot_id, "member_id": m, "grade": g} for m, g in content.choices]
    return ballot_rows, choice_rows


def _branch_path(session: Session, voting_id: int) -> str:
    return session.exec(
        select(OrgUnit.path)
        .join(BranchVoting, BranchVoting.branch_id == OrgUnit.id)
        .where(BranchVoting.id == voting_id)
    ).one()


def settle_log(*, vacuum: bool = True) -> bool:
    """Clear out the dead copies that seals left behind, as far as SQL reaches; True when done.

    SQLite: truncate the write-ahead log, whose old frames would otherwise keep the pages as they
    were before sealing (a later automatic checkpoint restarts the log without emptying it). Truncating
    needs every reader off the log; a checkpoint that waited for them would hold the write lock, and
    every ballot with it, for as long as it waited (a backup's or a long report's read). So each try
    returns at once, and the tries are spaced out over at most CHECKPOINT_TRY_SECONDS; if a reader still
    holds on, the seal stays owed and the minute's sweep tries again.
    """
    engine = get_engine()
    if engine.dialect.name == "postgresql":
        if vacuum:  # only after a seal: the minute's sweep usually finds nothing to seal
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.exec_driver_sql("VACUUM " + ", ".join(_REWRITTEN))
        return True
    with engine.connect() as connection:
        owed = connection.exec_driver_sql("SELECT count(*) FROM branch_voting WHERE checkpoint_owed").scalar()
        if not owed:
            return True
        connection.exec_driver_sql("PRAGMA busy_timeout=0")
        try:
            if _truncate(connection):
                connection.exec_driver_sql(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
                connection.exec_driver_sql("UPDATE branch_voting SET checkpoint_owed = 0 WHERE checkpoint_owed")
                connection.commit()
                connection.exec_driver_sql("PRAGMA busy_timeout=0")
                _truncate(connection)  # the log now held only that flag; empty it too if nobody reads
                return True
        finally:
            connection.exec_driver_sql(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
    log.warning("the write-ahead log could not be emptied after sealing (a reader holds on); retried later")
    return False


def _truncate(connection) -> bool:
    """Try to empty the log, without ever waiting inside SQLite (busy_timeout is 0 here): a try that meets a
    writer or a reader gives up at once and the next one follows a moment later."""
    deadline = time.monotonic() + CHECKPOINT_TRY_SECONDS
    while True:
        busy, _, _ = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
        if not busy:
            return True
        if time.monotonic() >= deadline:
            return False
        _pause(CHECKPOINT_TRY_GAP)


def seals_incomplete() -> int:
    """Branches whose voting has ended but whose ballots are not yet fully sealed, for monitoring."""
    with session_scope() as session:
        return seals_owed(session)


def seals_owed(session: Session) -> int:
    """Branches whose voting has ended but whose seal is not complete (for health checks)."""
    rows = session.exec(
        select(BranchVoting.checkpoint_owed, BranchVoting.closed_at, Campaign.deadline, Campaign.status)
        .join(Campaign, Campaign.id == BranchVoting.campaign_id)
        .where((BranchVoting.sealed_at.is_(None)) | BranchVoting.checkpoint_owed)
    ).all()
    return sum(1 for r in rows if r.checkpoint_owed or ended(r.closed_at, r.deadline, r.status))
