"""The secret ballot: what a voter link shows, checking a filled form, casting it, the tally."""

import contextlib
import logging
import threading
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import func, insert, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, select

from models import (
    Ballot,
    BallotChoice,
    BallotReceipt,
    BallotTick,
    BranchVoting,
    Campaign,
    EncryptedBallot,
    Member,
    OrgUnit,
    TokenStatus,
    VoterToken,
)
from models.voting import OPINION_MAX, Grade, Satisfaction
from services import ballot_crypto, ballot_sql, db, sealing, storage_errors, tokens
from services.access import Actor, require_unit
from services.clock import now
from services.db import session_scope
from services.errors import InvalidTransition, NotFound, ServiceError
from services.text_input import has_control_characters
from services.voting import branch_voting, require_runner
from services.voting_window import ended, is_closed

log = logging.getLogger(__name__)
DEFAULT_INSTRUCTIONS = (
    "请对本支部每一名正式党员，在“优秀”“合格”“基本合格”“不合格”中选择一项。"
    "评为“优秀”的一般不超过参评党员总数的三分之一。本测评无记名，提交后不能修改。"
)


class BallotRefused(ServiceError):
    """The link cannot be used to vote now; the message says why and nothing about anyone else."""


@dataclass(frozen=True)
class BallotForm:
    """Everything the ballot page shows for one link."""

    state: str  # open | used | paper | not_open | closed | invalid
    campaign_title: str = ""
    branch_name: str = ""
    deadline: date | None = None
    instructions: str = DEFAULT_INSTRUCTIONS
    rated: list[tuple[int, str]] = field(default_factory=list)  # the full members rated, in roster order
    cap: int = 0
    rate_branch_committee: bool = False
    collect_opinions: bool = False
    receipts: list[str] = field(default_factory=list)  # after closing: every receipt code of the branch
    voting_id: int | None = None


@dataclass(frozen=True)
class FilledBallot:
    choices: dict[int, str]  # member id -> Grade value
    branch_committee_rating: str | None = None
    report_rating: str | None = None
    opinion: str | None = None


@dataclass(frozen=True)
class BallotProblem:
    where: str  # "m<member id>", "branch_committee", "report", "opinion" or "" for the whole ballot
    message: str


@dataclass(frozen=True)
class Tally:
    branch_name: str
    online: int
    paper: int  # valid paper ballots
    invalid: int  # 废票: paper ballots recorded as invalid, counted apart and never tallied
    rows: list[tuple[int, str, dict[str, int]]]  # member id, name, grade -> votes
    branch_committee: dict[str, int]
    report: dict[str, int]
    opinions: list[str]


def excellent_cap(full_members: int, num: int, den: int) -> int:
    return full_members * num // den


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
    voting_id = _voting_of.get(_database(), {}).get(tokens.token_hash(token))
    if voting_id is None:
        return open_ballot(token)
    with _reaching_database("a ballot submission"):
        return _cached_layout(voting_id)  # as an open link shows it


@contextlib.contextmanager
def _reaching_database(what: str):
    try:
        yield
    except (OperationalError, ballot_sql.Unreachable) as down:
        log.warning("%s could not reach the database: %s", what, down)
        raise SystemBusy from None


# Which branch's voting a link belongs to, for the links this process has shown: database -> the link's
# stored hash -> voting. A link is derived from its voting (services/tokens.py), so this never goes stale,
# in this process or any other; casting checks it all the same. About 190 bytes a link, 9.5 MB at most.
_voting_of: dict[str, dict[str, int]] = {}
_VOTINGS_KEPT = 50_000
db.forget_on_dispose.append(_voting_of.clear)


def _database() -> str:
    return str(db.get_engine().url)


def _open_ballot(token: str) -> BallotForm:
    for attempt in range(2):
        hashes = tokens.stored_hashes(token)
        row = ballot_sql.link_state(hashes)
        if row is None or row.status == TokenStatus.revoked:
            return BallotForm(state="invalid")
        shown = _voting_of.setdefault(_database(), {})
        if len(shown) >= _VOTINGS_KEPT:
            shown.clear()
        shown[hashes[0]] = row.voting_id
        closed = ended(row.closed_at, row.deadline, row.campaign_status)
        if not (closed and row.sealed_at is None and attempt == 0):
            state = "closed" if closed else _STATE_OF_TOKEN.get(row.status, "open")
            layout = _cached_layout(row.voting_id)
            if not (closed and row.sealed_at):
                return replace(layout, state=state)
            # Receipt codes only once sealed: before that they would still be in arrival order.
            with session_scope() as session:
                return replace(layout, state=state, receipts=_receipts(session, row.voting_id))
        # Ended a moment ago (the deadline) and not yet swept: seal now, then show the receipts. A
        # failure is logged by the sweep and shown to staff; the voter only learns that voting ended.
        with contextlib.suppress(ServiceError):
            sealing.seal(row.voting_id)
    raise AssertionError("unreachable")


_GRADES = frozenset(Grade)
_SATISFACTION = frozenset(Satisfaction)


def check(form: BallotForm, filled: FilledBallot) -> list[BallotProblem]:
    """Every problem at once, each tied to its row, so the page can mark them all."""
    chosen = [filled.choices.get(m) for m, _ in form.rated]
    problems = [
        BallotProblem(f"m{member_id}", f"请为{name}选择一项")
        for (member_id, name), grade in zip(form.rated, chosen, strict=True)
        if grade not in _GRADES
    ]
    excellent = chosen.count(Grade.excellent)
    if excellent > form.cap:
        problems.insert(
            0,
            BallotProblem(
                "",
                f"本支部参评党员 {len(form.rated)} 人，评为优秀的不超过 {form.cap} 人，您选了 {excellent} 人",
            ),
        )
    if form.rate_branch_committee:
        for name, label in (("branch_committee", "支部委员会"), ("report", "支部书记述职")):
            if getattr(filled, f"{name}_rating") not in _SATISFACTION:
                problems.append(BallotProblem(name, f"请对{label}作出评价"))
    if filled.opinion and len(filled.opinion) > OPINION_MAX:
        problems.append(BallotProblem("opinion", f"意见建议不超过 {OPINION_MAX} 字，现有 {len(filled.opinion)} 字"))
    elif filled.opinion and has_control_characters(filled.opinion, multiline=True):
        problems.append(BallotProblem("opinion", "意见建议中有无法显示的控制字符（如 NUL），请删去后再提交"))
    return problems


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
    content = _content("online", filled, form)
    try:
        return _cast(token, content, form)
    except _NoDataKey:  # the campaign was reopened after this branch was sealed: a new data key
        _new_data_key(form.voting_id)
        return _cast(token, content, form)
    except _NotTaken as refused:  # used, revoked, closed, or (never yet) not this branch's link
        fresh = open_ballot(token)
        if fresh.state != "open":
            raise LinkNotOpen(fresh) from None
        if fresh.voting_id != form.voting_id:
            return cast_ballot(token, filled, fresh)
        raise BallotRefused(_REFUSALS[refused.state]) from None


class LinkNotOpen(BallotRefused):
    """The link cannot be used to vote now; `form` is what it shows instead."""

    def __init__(self, form: BallotForm) -> None:
        super().__init__(_REFUSALS[form.state])
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


def _cast(token: str, content: ballot_crypto.BallotContent, form: BallotForm) -> str:
    try:
        return _cast_once(token, content, form)
    except ballot_sql.Unreachable as busy:  # SQLite: locked or full; PostgreSQL: lock_timeout, or restarting
        if storage_errors.is_full(busy):  # the voter is asked to retry; the administrator must act
            log.error("a ballot was not stored: the database's disk is full (%s)", busy)
        else:
            log.warning("a ballot met a busy database and was not stored: %s", busy)
        raise SystemBusy from None


def _cast_once(token: str, content: ballot_crypto.BallotContent, form: BallotForm) -> str:
    with ballot_sql.casting(form.voting_id, BALLOT_WAIT_MS) as cast:
        voting = cast.take_token(tokens.stored_hashes(token), form.voting_id)
        if voting is None:
            raise _NotTaken("used")
        # Read under the locks: a close that got in first is seen, so no ballot lands after sealing.
        if ended(voting.closed_at, voting.deadline, voting.campaign_status):
            raise _NotTaken("closed")
        if voting.wrapped_key is None:
            raise _NoDataKey
        sealed = _sealed(form.voting_id, voting.wrapped_key, content, form)
        receipt = tokens.new_receipt()
        cast.write(tokens.new_ballot_id(), form.voting_id, sealed, receipt, now().replace(second=0, microsecond=0))
        return receipt


def _new_data_key(voting_id: int) -> None:
    with session_scope() as session:
        _data_key(session, voting_id)


def _data_key(session: Session, voting_id: int) -> bytes:
    """The branch's wrapped data key, made if it has none: a branch voting again after a reopening,
    whose earlier seal no longer covers what comes now. Conditional, so of two callers one makes it."""
    session.exec(
        update(BranchVoting)
        .where(BranchVoting.id == voting_id, BranchVoting.wrapped_key.is_(None))
        .values(wrapped_key=ballot_crypto.new_wrapped_key(voting_id), sealed_at=None)
    )
    return session.exec(select(BranchVoting.wrapped_key).where(BranchVoting.id == voting_id)).one()


def enter_paper_ballot(*, actor: Actor, campaign_id: int, branch_path: str, filled: FilledBallot) -> None:
    """A paper ballot typed in by the secretary, through the same checks; never more than were marked."""
    require_runner(actor, branch_path)
    with session_scope() as session:
        voting = _paper_voting(session, campaign_id, branch_path)
        form = _cached_layout(voting.id)
        if problems := check(form, filled):
            raise InvalidTransition(problems[0].message)
        _count_paper(session, voting, invalid=False)
        content = _sealed(voting.id, _data_key(session, voting.id), _content("paper", filled, form), form)
        session.exec(insert(EncryptedBallot).values(id=tokens.new_ballot_id(), voting_id=voting.id, content=content))
        _tick(session, voting.id)


def record_invalid_paper_ballot(*, actor: Actor, campaign_id: int, branch_path: str) -> None:
    """A paper ballot that cannot count (废票: blank, over the cap, unreadable): counted apart, its
    content never stored, and never in the tally."""
    require_runner(actor, branch_path)
    with session_scope() as session:
        _count_paper(session, _paper_voting(session, campaign_id, branch_path), invalid=True)


def _paper_voting(session: Session, campaign_id: int, branch_path: str) -> BranchVoting:
    voting = _branch_voting(session, campaign_id, branch_path)
    if is_closed(voting, session.get(Campaign, campaign_id)):
        raise InvalidTransition("本支部的测评已经结束，不能再录入纸质票")
    return voting


def _count_paper(session: Session, voting: BranchVoting, *, invalid: bool) -> None:
    """One more paper ballot entered, never more than members marked as voting on paper."""
    allowed = (
        select(func.count())
        .select_from(VoterToken)
        .where(VoterToken.voting_id == voting.id, VoterToken.status == TokenStatus.paper)
        .scalar_subquery()
    )
    # Conditional like the token's: two secretaries typing at once cannot pass the limit.
    counted = session.exec(
        update(BranchVoting)
        .where(
            BranchVoting.id == voting.id,
            BranchVoting.closed_at.is_(None),
            BranchVoting.paper_entered < allowed,
        )
        .values(
            paper_entered=BranchVoting.paper_entered + 1,
            paper_invalid=BranchVoting.paper_invalid + int(invalid),
        )
    ).rowcount
    session.refresh(voting)
    if counted != 1:
        if voting.closed_at is not None:
            raise InvalidTransition("本支部的测评已经结束，不能再录入纸质票")
        raise InvalidTransition("纸质票数量已达到登记为纸质投票的人数，不能再录入")
    if invalid:
        _tick(session, voting.id)


def tally(*, actor: Actor, campaign_id: int, branch_path: str) -> Tally:
    """The branch's results, readable only once its voting has ended: a live tally would reveal each ballot."""
    require_unit(actor, branch_path)
    with session_scope() as session:
        voting = _branch_voting(session, campaign_id, branch_path)
        if not is_closed(voting, session.get(Campaign, campaign_id)):
            raise InvalidTransition("测评进行中，结束后才能查看结果")
        voting_id, sealed = voting.id, voting.sealed_at is not None
    if not sealed:  # ended by the deadline rather than by a secretary
        sealing.seal(voting_id)
    with session_scope() as session:
        voting = session.get(BranchVoting, voting_id)
        branch = session.get(OrgUnit, voting.branch_id)
        ballots = session.exec(select(Ballot).where(Ballot.voting_id == voting_id)).all()
        members = session.exec(
            select(Member.id, Member.name)
            .where(Member.branch_id == voting.branch_id, Member.category == "full")
            .order_by(Member.roster_order)
        ).all()
        counts = {
            (m, g): n
            for m, g, n in session.exec(
                select(BallotChoice.member_id, BallotChoice.grade, func.count())
                .join(Ballot, Ballot.id == BallotChoice.ballot_id)
                .where(Ballot.voting_id == voting_id)
                .group_by(BallotChoice.member_id, BallotChoice.grade)
            ).all()
        }
        channels = Counter(b.channel for b in ballots)
        return Tally(
            branch_name=branch.name,
            online=channels["online"],
            paper=channels["paper"],
            invalid=voting.paper_invalid,
            rows=[(m, name, {g.value: counts.get((m, g.value), 0) for g in Grade}) for m, name in members],
            branch_committee=dict(Counter(b.branch_committee_rating for b in ballots if b.branch_committee_rating)),
            report=dict(Counter(b.report_rating for b in ballots if b.report_rating)),
            opinions=sorted(b.opinion for b in ballots if b.opinion),
        )


_REFUSALS = {
    "invalid": "这个测评链接无法使用。可能是链接不完整，或者已经作废。请联系本支部书记领取新的链接。",
    "used": "这个链接的测评票已经提交，不能重复提交。感谢您的参与！",
    "paper": "您已登记为纸质投票，请在纸质测评表上填写。",
    "not_open": "本支部的测评尚未开始，请在支部书记通知后再打开链接。",
    "closed": "本支部的测评已经结束。",
}


def refusal(state: str) -> str:
    return _REFUSALS[state]


_STATE_OF_TOKEN = {TokenStatus.used: "used", TokenStatus.paper: "paper"}
_LAYOUT_SECONDS = 30
_layouts: dict[tuple[str, int], tuple[float, BallotForm]] = {}
_layouts_lock = threading.Lock()
db.forget_on_dispose.append(_layouts.clear)


def _cached_layout(voting_id: int) -> BallotForm:
    key = (_database(), voting_id)
    with _layouts_lock:
        hit = _layouts.get(key)
    if hit is not None and hit[0] > time.monotonic():
        return hit[1]
    with session_scope() as session:
        voting = session.get(BranchVoting, voting_id)
        campaign, branch = session.get(Campaign, voting.campaign_id), session.get(OrgUnit, voting.branch_id)
        layout = replace(_layout(session, campaign, branch, "open", []), voting_id=voting_id)
    with _layouts_lock:
        _layouts[key] = (time.monotonic() + _LAYOUT_SECONDS, layout)
    return layout


def _receipts(session: Session, voting_id: int) -> list[str]:
    return sorted(session.exec(select(BallotReceipt.receipt).where(BallotReceipt.voting_id == voting_id)))


def _layout(session: Session, campaign: Campaign, branch: OrgUnit, state: str, receipts: list[str]) -> BallotForm:
    members = session.exec(
        select(Member.id, Member.name)
        .where(Member.branch_id == branch.id, Member.category == "full")
        .order_by(Member.roster_order)
    ).all()
    return BallotForm(
        state=state,
        campaign_title=campaign.title,
        branch_name=branch.name,
        deadline=campaign.deadline,
        instructions=campaign.instructions or DEFAULT_INSTRUCTIONS,
        rated=[(m, n) for m, n in members],
        cap=excellent_cap(len(members), campaign.excellent_cap_num, campaign.excellent_cap_den),
        rate_branch_committee=campaign.rate_branch_committee,
        collect_opinions=campaign.collect_opinions,
        receipts=receipts,
    )


def branch_form(*, actor: Actor, campaign_id: int, branch_path: str) -> BallotForm:
    """The branch's ballot as every voter sees it (for the paper form and paper entry)."""
    require_unit(actor, branch_path)
    with session_scope() as session:
        campaign = session.get(Campaign, campaign_id)
        branch = session.exec(
            select(OrgUnit).where(OrgUnit.campaign_id == campaign_id, OrgUnit.path == branch_path)
        ).first()
        if campaign is None or branch is None:
            raise NotFound("找不到该党支部")
        return _layout(session, campaign, branch, "open", [])


def _content(channel: str, filled: FilledBallot, form: BallotForm) -> ballot_crypto.BallotContent:
    """What is kept of a filled ballot: only the parts this campaign's ballot asks for."""
    return ballot_crypto.BallotContent(
        channel=channel,
        choices=tuple((m, filled.choices[m]) for m, _ in form.rated),
        branch_committee_rating=filled.branch_committee_rating if form.rate_branch_committee else None,
        report_rating=filled.report_rating if form.rate_branch_committee else None,
        opinion=((filled.opinion or "").strip()[:OPINION_MAX] or None) if form.collect_opinions else None,
    )


def _sealed(voting_id: int, wrapped: bytes, content: ballot_crypto.BallotContent, form: BallotForm) -> bytes:
    """The ballot encrypted under the branch's data key, padded to the branch's one size; sealing
    writes it out at the end."""
    try:
        data_key = ballot_crypto.unwrap(wrapped, voting_id)
    except ballot_crypto.WrongBallotKey:
        log.error("voting %s: its data key does not open with this server's ballot key", voting_id)
        raise BallotRefused(_KEY_PROBLEM) from None
    size = ballot_crypto.content_size(m for m, _ in form.rated)
    return ballot_crypto.encrypt(data_key, voting_id, content, size)


_KEY_PROBLEM = (
    "系统暂时无法保存测评票：服务器的测评密钥与开启测评时不一致。您的票没有提交，链接仍然有效；"
    "请告知支部书记，稍后再提交。"
)


def _tick(session: Session, voting_id: int) -> None:
    """One more ballot in this minute, for the progress chart."""
    upsert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    minute = now().replace(second=0, microsecond=0)
    session.exec(
        upsert(BallotTick)
        .values(voting_id=voting_id, minute=minute, ballots=1)
        .on_conflict_do_update(index_elements=["voting_id", "minute"], set_={"ballots": BallotTick.ballots + 1})
    )


def _branch_voting(session: Session, campaign_id: int, branch_path: str) -> BranchVoting:
    voting = branch_voting(session, campaign_id, branch_path)
    if voting is None:
        raise NotFound("本支部的测评尚未开启")
    return voting
