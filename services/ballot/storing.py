"""Storing a filled ballot while voting is open: only the parts the ballot asks for, encrypted under the branch's
data key (made again after a reopening), and counted in its minute for the progress chart."""

import logging

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, select

from models import BallotTick, BranchVoting
from models.voting import OPINION_MAX
from services.ballot import encryption
from services.ballot.ballot_form import BallotForm, BallotRefused, FilledBallot
from services.platform.clock import now
from services.platform.db import session_scope

log = logging.getLogger(__name__)


def new_data_key(voting_id: int) -> None:
    with session_scope() as session:
        data_key(session, voting_id)


def data_key(session: Session, voting_id: int) -> bytes:
    """The branch's wrapped data key, made if it has none: a branch voting again after a reopening,
    whose earlier seal no longer covers what comes now. Conditional, so of two callers one makes it."""
    session.exec(
        update(BranchVoting)
        .where(BranchVoting.id == voting_id, BranchVoting.wrapped_key.is_(None))
        .values(wrapped_key=encryption.new_wrapped_key(voting_id), sealed_at=None)
    )
    return session.exec(select(BranchVoting.wrapped_key).where(BranchVoting.id == voting_id)).one()


def content(channel: str, filled: FilledBallot, form: BallotForm) -> encryption.BallotContent:
    """What is kept of a filled ballot: only the parts this campaign's ballot asks for."""
    return encryption.BallotContent(
        channel=channel,
        choices=tuple((m, filled.choices[m]) for m, _ in form.rated),
        branch_committee_rating=filled.branch_committee_rating if form.rate_branch_committee else None,
        report_rating=filled.report_rating if form.rate_branch_committee else None,
        opinion=((filled.opinion or "").strip()[:OPINION_MAX] or None) if form.collect_opinions else None,
    )


def encrypted(voting_id: int, wrapped: bytes, content: encryption.BallotContent, form: BallotForm) -> bytes:
    """The ballot encrypted under the branch's data key, padded to the branch's one size; sealing
    writes it out at the end."""
    try:
        data_key = encryption.unwrap(wrapped, voting_id)
    except encryption.WrongBallotKey:
        log.error("voting %s: its data key does not open with this server's ballot key", voting_id)
        raise BallotRefused(_KEY_PROBLEM) from None
    size = encryption.content_size(m for m, _ in form.rated)
    return encryption.encrypt(data_key, voting_id, content, size)


_KEY_PROBLEM = (
    "系统暂时无法保存测评票：服务器的测评密钥与开启测评时不一致。您的票没有提交，链接仍然有效；"
    "请告知支部书记，稍后再提交。"
)


def tick(session: Session, voting_id: int) -> None:
    """One more ballot in this minute, for the progress chart."""
    upsert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    minute = now().replace(second=0, microsecond=0)
    session.exec(
        upsert(BallotTick)
        .values(voting_id=voting_id, minute=minute, ballots=1)
        .on_conflict_do_update(index_elements=["voting_id", "minute"], set_={"ballots": BallotTick.ballots + 1})
    )
