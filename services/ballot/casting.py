"""Casting a ballot from a voter link (the hot path every phone takes): what the link shows now, and the
ballot and its token's use in one transaction."""

import contextlib
import logging
from dataclasses import replace

from sqlalchemy.exc import OperationalError

from models import TokenStatus
from services.ballot import casting_sql, encryption, sealing, storing, tokens, wording
from services.ballot.ballot_form import (
    BallotForm,
    BallotRefused,
    FilledBallot,
    cached_layout,
    check,
    database,
    receipts,
)
from services.ballot.voting_window import ended
from services.platform import db, storage_errors
from services.platform.clock import now
from services.platform.db import session_scope
from services.platform.errors import ServiceError

log = logging.getLogger(__name__)


def open_ballot(token: str) -> BallotForm:
    """What the link shows now. One query for the link's state; the branch's list comes from a
    short-lived cache, since it cannot change while voting is open (the roster is locked).
    SystemBusy when the database cannot be reached (a restart): the page says to try again."""
    with _reaching_database("a ballot page"):
        return _open_ballot(token)


def submission_form(token: str) -> BallotForm:
    """The ballot a submission is checked against and cast with. For a link this process has shown
    already, nothing is read: its branch never changes, and cast_ballot checks the rest (unused, still
    open) under the locks, and says why if not. Any other link is read as open_ballot reads it."""
    voting_id = _voting_of.get(database(), {}).get(tokens.token_hash(token))
    if voting_id is None:
        return open_ballot(token)
    with _reaching_database("a ballot submission"):
        return cached_layout(voting_id)  # as an open link shows it


@contextlib.contextmanager
def _reaching_database(what: str):
    try:
        yield
    except (OperationalError, casting_sql.Unreachable) as down:
        log.warning("%s could not reach the database: %s", what, down)
        raise SystemBusy from None


# Which branch's voting a link belongs to, for the links this process has shown: database -> the link's
# stored hash -> voting. A link is derived from its voting (services/ballot/tokens.py), so this never goes stale,
# in this process or any other; casting checks it all the same. About 190 bytes a link, 9.5 MB at most.
_voting_of: dict[str, dict[str, int]] = {}
_VOTINGS_KEPT = 50_000
db.forget_on_dispose.append(_voting_of.clear)


def _open_ballot(token: str) -> BallotForm:
    for attempt in range(2):
        hashes = tokens.stored_hashes(token)
        row = casting_sql.link_state(hashes)
        if row is None or row.status == TokenStatus.revoked:
            return BallotForm(state="invalid")
        shown = _voting_of.setdefault(database(), {})
        if len(shown) >= _VOTINGS_KEPT:
            shown.clear()
        shown[hashes[0]] = row.voting_id
        closed = ended(row.closed_at, row.deadline, row.campaign_status)
        if not (closed and row.sealed_at is None and attempt == 0):
            # A used link says so after the close too, so that a member whose receipt never reached them can
            # tell their ballot counted; one marked for paper that the paper ballot has no receipt code to
            # check; an unused one only that voting has ended.
            if row.status == TokenStatus.used:
                state = "used"
            elif closed:
                state = "paper_closed" if row.status == TokenStatus.paper else "closed"
            else:
                state = _STATE_OF_TOKEN.get(row.status, "open")
            layout = cached_layout(row.voting_id)
            if not (closed and row.sealed_at and state == "used"):
                return replace(layout, state=state)
            # Receipt codes, to check one's own among them: only for a link that voted, and only once sealed
            # (before that they would still be in arrival order).
            with session_scope() as session:
                return replace(layout, state=state, receipts=receipts(session, row.voting_id))
        # Ended a moment ago (the deadline) and not yet swept: seal now, then show the receipts. A
        # failure is logged by the sweep and shown to staff; the voter only learns that voting ended.
        with contextlib.suppress(ServiceError):
            sealing.seal(row.voting_id)
    raise AssertionError("unreachable")


def cast_ballot(token: str, filled: FilledBallot, form: BallotForm | None = None) -> str:
    """Record the ballot and use up the token in one transaction; returns the receipt code.

    The conditional UPDATE comes first: of two submissions of one link racing each other,
    exactly one finds the token unused. `form` is what open_ballot or submission_form just returned,
    if at hand. LinkNotOpen, with the link's state read afresh, when it cannot be used (any more).
    """
    form = form or open_ballot(token)
    if form.state != "open":
        raise LinkNotOpen(form)
    if problems := check(form, filled):
        raise BallotRefused(problems[0].message)
    content = storing.content("online", filled, form)
    try:
        return _cast(token, content, form)
    except _NoDataKey:  # the campaign was reopened after this branch was sealed: a new data key
        storing.new_data_key(form.voting_id)
        return _cast(token, content, form)
    except _NotTaken as refused:  # used, revoked, closed, or (never yet) not this branch's link
        fresh = open_ballot(token)
        if fresh.state != "open":
            raise LinkNotOpen(fresh) from None
        if fresh.voting_id != form.voting_id:
            return cast_ballot(token, filled, fresh)
        raise BallotRefused(wording.refusal(refused.state, form.mode)) from None


class LinkNotOpen(BallotRefused):
    """The link cannot be used to vote now; `form` is what it shows instead."""

    def __init__(self, form: BallotForm) -> None:
        super().__init__(wording.refusal(form.state, form.mode))
        self.form = form


class _NotTaken(Exception):
    def __init__(self, state: str) -> None:
        self.state = state


class _NoDataKey(Exception):
    pass


class SystemBusy(ServiceError):
    """The database stayed busy (a bulk job holds it) longer than a voter should wait; nothing was stored."""

    def __init__(self) -> None:
        super().__init__("系统繁忙，您的票还没有提交。您的选择都还在，请稍等片刻再点“确认提交”。")


# How long a ballot waits for a database another job holds, before the voter is told to retry.
BALLOT_WAIT_MS = 8000


def _cast(token: str, content: encryption.BallotContent, form: BallotForm) -> str:
    try:
        return _cast_once(token, content, form)
    except casting_sql.Unreachable as busy:  # SQLite: locked or full; PostgreSQL: lock_timeout, or restarting
        if storage_errors.is_full(busy):  # the voter is asked to retry; the administrator must act
            log.error("a ballot was not stored: the database's disk is full (%s)", busy)
        else:
            log.warning("a ballot met a busy database and was not stored: %s", busy)
        raise SystemBusy from None


def _cast_once(token: str, content: encryption.BallotContent, form: BallotForm) -> str:
    with casting_sql.casting(form.voting_id, BALLOT_WAIT_MS) as cast:
        voting = cast.take_token(tokens.stored_hashes(token), form.voting_id)
        if voting is None:
            raise _NotTaken("used")
        # Read under the locks: a close that got in first is seen, so no ballot lands after sealing.
        if ended(voting.closed_at, voting.deadline, voting.campaign_status):
            raise _NotTaken("closed")
        if voting.wrapped_key is None:
            raise _NoDataKey
        sealed = storing.encrypted(form.voting_id, voting.wrapped_key, content, form)
        receipt = tokens.new_receipt()
        cast.write(tokens.new_ballot_id(), form.voting_id, sealed, receipt, now().replace(second=0, microsecond=0))
        return receipt


_STATE_OF_TOKEN = {TokenStatus.paper: "paper"}  # while voting is open; a used link is said apart
