"""Masses' representatives (群众评议): where a campaign asks for it, a branch hands unnamed codes to
non-member representatives, who rate the branch's full members on the same four grades.

Their voting is a second `branch_voting` row of the branch with the audience "masses", so it has the members'
secrecy unchanged: codes derived from the server secret and stored as keyed hashes, ballots encrypted under the
voting's own data key while it is open, sealed (shuffled, rewritten, key destroyed) whenever it ends — by its
close here, the campaign's close or its deadline (the sweeps seal every voting). No cap: the cap on 优秀 is the
members' own rule. Their results are read apart (representatives_count.py) and never enter the members' tally,
turnout, the cap, the grade suggestion or the 党内统计 figures, which all read the members' voting only
(voting_lookup.MEMBERS).
"""

from dataclasses import dataclass

from sqlalchemy import func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from models import BranchVoting, Campaign, CampaignStatus, Member, TokenStatus, VoterToken, VotingMode
from models.audit import AuditAction
from models.voting import Audience
from services.ballot import encryption, sealing, tokens
from services.ballot.voter_links import IssuedLink
from services.ballot.voting_lookup import campaign_branch, lock_voting, require_runner
from services.ballot.voting_window import end_of, is_closed, phase
from services.campaign.members import taking_part_now
from services.platform.clock import now
from services.platform.db import session_scope
from services.platform.errors import InvalidInput, InvalidTransition, NotFound
from services.staff import audit
from services.staff.access import Actor, require_organizer, require_unit

MAX_CODES = 200  # representatives' codes a branch may hold at once
_TARGET = "{path}（群众评议）"  # how the audit log names the branch's representatives' voting


@dataclass(frozen=True)
class MassesState:
    enabled: bool  # the campaign asks for 群众评议
    status: str  # not_open | open | closed
    rated: int  # the branch's full members taking part: the rows of the ballot
    codes_unused: int
    voted: int


def set_enabled(*, actor: Actor, campaign_id: int, enabled: bool) -> None:
    """Turn 群众评议 on or off for the campaign; off is refused once a branch has opened it."""
    require_organizer(actor, "设置群众评议")
    with session_scope() as session:
        campaign = session.get(Campaign, campaign_id)
        if campaign is None:
            raise NotFound(f"找不到编号为 {campaign_id} 的评议活动")
        if campaign.masses_rating == enabled:
            return
        if not enabled and session.exec(_votings(campaign_id)).first() is not None:
            raise InvalidTransition("已有党支部开启了群众评议，不能再关闭这项设置")
        campaign.masses_rating = enabled
        audit.record(
            session, actor, AuditAction.campaign_update, campaign_id=campaign_id, detail={"fields": ["masses_rating"]}
        )


def state(*, actor: Actor, campaign_id: int, branch_path: str) -> MassesState:
    require_unit(actor, branch_path)
    with session_scope() as session:
        campaign, branch = campaign_branch(session, campaign_id, branch_path)
        voting = masses_voting(session, campaign_id, branch.id)
        counts: dict[str, int] = {}
        if voting is not None:
            counts = dict(
                session.exec(
                    select(VoterToken.status, func.count())
                    .where(VoterToken.voting_id == voting.id)
                    .group_by(VoterToken.status)
                ).all()
            )
        return MassesState(
            enabled=campaign.masses_rating,
            status=phase(voting is not None, voting and voting.closed_at, campaign.deadline, campaign.status),
            rated=_rated(session, branch.id),
            codes_unused=counts.get(TokenStatus.unused, 0),
            voted=counts.get(TokenStatus.used, 0),
        )


def open_masses(*, actor: Actor, campaign_id: int, branch_path: str, codes: int, base_url: str) -> list[IssuedLink]:
    """Open the branch's 群众评议 with `codes` unnamed codes (slips 1..codes), all in one transaction."""
    require_runner(actor, branch_path)
    _check_count(codes)
    with session_scope() as session:
        campaign, branch = campaign_branch(session, campaign_id, branch_path)
        if not campaign.masses_rating:
            raise InvalidTransition("本次评议活动没有设置群众评议（由组织部在群众评议页面开启）")
        if campaign.status != CampaignStatus.open:
            raise InvalidTransition("评议活动尚未开始或已结束，不能开启群众评议")
        if now() > end_of(campaign.deadline):
            raise InvalidTransition(f"已过评议截止日期（{campaign.deadline.isoformat()}），不能开启群众评议")
        if masses_voting(session, campaign_id, branch.id) is not None:
            raise InvalidTransition("本支部的群众评议已经开启过")
        if _rated(session, branch.id) == 0:
            raise InvalidInput("本支部没有参加评议的正式党员，无需群众评议")
        voting = BranchVoting(
            campaign_id=campaign_id,
            branch_id=branch.id,
            audience=Audience.masses,
            mode=VotingMode.unnamed,
            opened_at=now(),
        )
        session.add(voting)
        try:
            session.flush()
        except IntegrityError:  # opened by someone else at this very moment
            raise InvalidTransition("本支部的群众评议已经开启过") from None
        voting.wrapped_key = encryption.new_wrapped_key(voting.id)
        target = _TARGET.format(path=branch_path)
        audit.record(session, actor, AuditAction.voting_open, campaign_id=campaign_id, target=target,
                     detail={"mode": VotingMode.unnamed})  # fmt: skip
        issued = _issue(session, voting, base_url, range(1, codes + 1))
        audit.record(session, actor, AuditAction.voting_links, campaign_id=campaign_id, target=target,
                     detail={"issued": len(issued)})  # fmt: skip
        return issued


def add_codes(*, actor: Actor, campaign_id: int, branch_path: str, codes: int, base_url: str) -> list[IssuedLink]:
    """More codes while the branch's 群众评议 is open (numbered on from the last slip); nothing is voided."""
    require_runner(actor, branch_path)
    _check_count(codes)
    with session_scope() as session:
        voting, campaign = _open_voting(session, campaign_id, branch_path)
        held = session.exec(
            select(func.count()).where(VoterToken.voting_id == voting.id, VoterToken.status == TokenStatus.unused)
        ).one()
        if held + codes > MAX_CODES:
            raise InvalidInput(f"未用的投票码最多 {MAX_CODES} 个，现有 {held} 个")
        last = session.exec(select(func.max(VoterToken.slip_no)).where(VoterToken.voting_id == voting.id)).one()
        issued = _issue(session, voting, base_url, range((last or 0) + 1, (last or 0) + codes + 1))
        audit.record(session, actor, AuditAction.voting_links, campaign_id=campaign.id,
                     target=_TARGET.format(path=branch_path), detail={"issued": len(issued)})  # fmt: skip
        return issued


def unused_codes(*, actor: Actor, campaign_id: int, branch_path: str, base_url: str) -> list[IssuedLink]:
    """Every code not yet used, made again from the server secret (the very codes handed out), by slip number."""
    require_runner(actor, branch_path)
    with session_scope() as session:
        campaign, branch = campaign_branch(session, campaign_id, branch_path)
        voting = masses_voting(session, campaign_id, branch.id)
        if voting is None or is_closed(voting, campaign):
            return []
        rows = session.exec(
            select(VoterToken)
            .where(VoterToken.voting_id == voting.id, VoterToken.status == TokenStatus.unused)
            .order_by(VoterToken.slip_no)
        ).all()
        found = [(row, _derive(voting, row.generation, row.slip_no)) for row in rows]
        return [_link(base_url, row.slip_no, t) for row, t in found if tokens.token_hash(t) == row.token_hash]


def close_masses(*, actor: Actor, campaign_id: int, branch_path: str) -> None:
    """End the branch's 群众评议; its ballots are sealed at once, as the members' are."""
    require_runner(actor, branch_path)
    with session_scope() as session:
        voting, campaign = _open_voting(session, campaign_id, branch_path)
        session.exec(update(BranchVoting).where(BranchVoting.id == voting.id).values(closed_at=now()))
        audit.record(session, actor, AuditAction.voting_close, campaign_id=campaign.id,
                     target=_TARGET.format(path=branch_path))  # fmt: skip
        voting_id = voting.id
    sealing.seal(voting_id)


def masses_voting(session: Session, campaign_id: int, branch_id: int) -> BranchVoting | None:
    return session.exec(_votings(campaign_id).where(BranchVoting.branch_id == branch_id)).first()


def _votings(campaign_id: int):
    return select(BranchVoting).where(BranchVoting.campaign_id == campaign_id, BranchVoting.audience == Audience.masses)


def _open_voting(session: Session, campaign_id: int, branch_path: str) -> tuple[BranchVoting, Campaign]:
    campaign, branch = campaign_branch(session, campaign_id, branch_path)
    voting = masses_voting(session, campaign_id, branch.id)
    if voting is None:
        raise InvalidTransition("本支部的群众评议尚未开启")
    lock_voting(session, voting.id)  # after a ballot being cast, before sealing (voting_lookup.lock_voting)
    session.refresh(voting)
    if is_closed(voting, campaign):
        raise InvalidTransition("本支部的群众评议已经结束")
    return voting, campaign


def _rated(session: Session, branch_id: int) -> int:
    return session.exec(
        select(func.count())
        .select_from(Member)
        .where(Member.branch_id == branch_id, Member.category == "full", taking_part_now())
    ).one()


def _check_count(codes: int) -> None:
    if not isinstance(codes, int) or not 1 <= codes <= MAX_CODES:
        raise InvalidInput(f"群众代表的投票码数量应为 1 到 {MAX_CODES} 个")


def _derive(voting: BranchVoting, generation: int, slip_no: int) -> str:
    return tokens.derive(voting.id, f"s{slip_no}", generation, tokens.CODE_LENGTH, salt=voting.link_salt)


def _issue(session: Session, voting: BranchVoting, base_url: str, slips: range) -> list[IssuedLink]:
    latest = session.exec(select(func.max(VoterToken.generation)).where(VoterToken.voting_id == voting.id)).one()
    generation = (latest or 0) + 1
    issued = []
    for slip_no in slips:
        token = _derive(voting, generation, slip_no)
        session.add(
            VoterToken(voting_id=voting.id, slip_no=slip_no, token_hash=tokens.token_hash(token), generation=generation)
        )
        issued.append(_link(base_url, slip_no, token))
    return issued


def _link(base_url: str, slip_no: int, token: str) -> IssuedLink:
    base = base_url.rstrip("/")
    label = f"群众代表 第 {slip_no} 号"
    return IssuedLink(label=label, member_id=None, slip_no=slip_no, token=token, url=f"{base}/v/{token}")
