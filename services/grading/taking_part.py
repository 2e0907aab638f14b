"""未参加评议: the branch marks a member who cannot take part (abroad, seriously ill, lost contact,
停止党籍, or another reason written out), before or after the vote, and can take the mark back.

A marked member gets no link, and an unused one is voided at once (also after the vote: a deadline
moved later would otherwise let it vote again); is not counted in 应参评 (voters, progress, reminders)
nor in the cap's base; cannot be graded (a draft grade is dropped); and is listed with the reason in the
results, the results sheet and the filing. A member whose named link was already used took part — their
ballot is in the count and cannot be told apart — so marking them is refused. With unnamed codes nobody's
code is known: none is voided, and a code the member may hold still counts if used.

The ballot never changes while it is used: a member marked after the branch's voting opened stays one of
its rows (services/campaign/members.py takes_part), and a member marked before cannot be unmarked once it
has opened (they are not on the ballot). Grades already submitted or approved are not changed under the
approver: marking waits for a return (or the organizer's reopening).
"""

from sqlmodel import Session, delete, select

from models import BranchGrading, Campaign, FinalGrade, Member, OrgUnit, TokenStatus
from models.audit import AuditAction
from models.grading import GradingState
from services.ballot.voter_links import member_tokens, retire_unused_link
from services.ballot.voting_lookup import campaign_branch, lock_voting, require_runner, voting_of
from services.campaign.members import NotTakingPart, checked_reason, not_taking_part, reason_text, takes_part
from services.campaign.report_freeze import require_unreported
from services.platform.clock import now
from services.platform.db import session_scope
from services.platform.errors import ImportRejected, InvalidTransition, NotFound, RowError, ServiceError
from services.staff import audit
from services.staff.access import Actor, require_unit

_LOCKED = (GradingState.submitted, GradingState.approved)


def mark_not_taking_part(
    *, actor: Actor, campaign_id: int, branch_path: str, member_id: int, reason: str, note: str | None = None
) -> NotTakingPart:
    """Mark the member as not taking part with a reason (NOT_TAKING_PART; 其他 needs the note)."""
    require_runner(actor, branch_path)
    reason, note = checked_reason(reason, note)
    with session_scope() as session:
        campaign, branch = campaign_branch(session, campaign_id, branch_path)
        member = _member(session, branch, member_id)
        mark(session, actor, campaign, branch, member, reason, note)
        return NotTakingPart(member.id, member.name, member.category, reason, note)


def mark_taking_part(*, actor: Actor, campaign_id: int, branch_path: str, member_id: int) -> None:
    """Take the mark back: the member takes part again (a new link, if voting is open: 补发)."""
    require_runner(actor, branch_path)
    with session_scope() as session:
        campaign, branch = campaign_branch(session, campaign_id, branch_path)
        member = _member(session, branch, member_id)
        if member.not_taking_part is None:
            return
        _require_changeable(session, campaign, branch)
        voting = voting_of(session, campaign.id, branch.id)
        if voting is not None and not takes_part(member, voting.opened_at):
            raise InvalidTransition(
                f"{member.name}在本支部测评开启前已标记为未参加评议，不在测评表上；测评开启后不能再改为参加评议"
            )
        was = reason_text(member.not_taking_part, member.not_taking_part_note)
        member.not_taking_part = member.not_taking_part_note = member.not_taking_part_at = None
        session.add(member)
        audit.record(
            session, actor, AuditAction.member_taking_part, campaign_id=campaign.id,
            target=f"{branch.path}：{member.name}", detail={"was": was},
        )  # fmt: skip


def mark(
    session: Session, actor: Actor, campaign: Campaign, branch: OrgUnit, member: Member, reason: str, note: str | None
) -> None:
    """Mark within the caller's transaction (the results sheet marks and grades in one). `reason` and `note`
    as checked_reason returns them. The same mark again changes nothing."""
    if (member.not_taking_part, member.not_taking_part_note) == (reason, note):
        return
    _require_changeable(session, campaign, branch)
    voided = 0
    voting = voting_of(session, campaign.id, branch.id)
    if voting is not None:
        lock_voting(session, voting.id)  # after any ballot being cast with the member's link
        if TokenStatus.used in member_tokens(session, voting, branch, member.id)[1]:
            raise InvalidTransition(
                f"{member.name}已经通过投票链接投票，参加了评议（选票无记名，无法从结果中剔除），不能标记为未参加评议"
            )
        voided = retire_unused_link(session, voting, member.id, TokenStatus.revoked)
    if member.not_taking_part is None:
        member.not_taking_part_at = now()  # a change of reason keeps when it was first marked
    member.not_taking_part, member.not_taking_part_note = reason, note
    session.add(member)
    session.exec(delete(FinalGrade).where(FinalGrade.member_id == member.id))  # a draft grade goes
    audit.record(
        session, actor, AuditAction.member_not_taking_part, campaign_id=campaign.id,
        target=f"{branch.path}：{member.name}", detail={"reason": reason_text(reason, note), "voided": bool(voided)},
    )  # fmt: skip


def mark_rows(
    session: Session, actor: Actor, campaign_id: int, branch_path: str, marks: list[tuple], *, column: str
) -> None:
    """A sheet's marks, (row, member id, reason, note) each, within the caller's transaction; ImportRejected
    with every row refused (a member who voted, grades already submitted…)."""
    if not marks:
        return
    campaign, branch = campaign_branch(session, campaign_id, branch_path)
    errors = []
    for row, member_id, reason, note in marks:
        try:
            mark(session, actor, campaign, branch, _member(session, branch, member_id), reason, note)
        except ServiceError as refused:
            errors.append(RowError(row, column, str(refused)))
    if errors:
        raise ImportRejected(errors)


def branch_not_taking_part(*, actor: Actor, campaign_id: int, branch_path: str) -> list[NotTakingPart]:
    """The branch's members marked as not taking part, with their reasons, in roster order (for the results,
    the filing and the pages)."""
    require_unit(actor, branch_path)
    with session_scope() as session:
        _, branch = campaign_branch(session, campaign_id, branch_path)
        return not_taking_part(session, branch.id)


def _member(session: Session, branch: OrgUnit, member_id: int) -> Member:
    member = session.get(Member, member_id)
    if member is None or member.branch_id != branch.id:
        raise NotFound("本支部没有这名党员")
    return member


def _require_changeable(session: Session, campaign: Campaign, branch: OrgUnit) -> None:
    require_unreported(session, campaign.id, branch)
    state = session.exec(
        select(BranchGrading.state).where(
            BranchGrading.campaign_id == campaign.id, BranchGrading.branch_id == branch.id
        )
    ).first()
    if state in _LOCKED:
        what = "已报上级党组织审批" if state == GradingState.submitted else "已经审批"
        raise InvalidTransition(
            f"本支部的评定格次{what}，不能再改变谁参加评议；如需改变，请先退回（或由组织部重新打开）"
        )
