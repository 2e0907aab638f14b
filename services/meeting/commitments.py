"""Members' commitments (整改承诺): each writes their own on their personal page until the branch
publishes them; the secretary enters one for a member who cannot, and sees who has not written."""

from dataclasses import dataclass

from sqlmodel import select

from models import Campaign, Commitment, Member, OrgUnit
from models.audit import AuditAction
from models.meeting import TEXT_MAX
from services.grading.feedback import personal_member
from services.meeting import publicity
from services.meeting.branch_records import branch_to_read, branch_to_write
from services.platform.batch import per_branch
from services.platform.clock import now
from services.platform.db import session_scope
from services.platform.errors import InvalidInput, InvalidTransition, NotFound
from services.platform.text_input import checked
from services.staff import audit
from services.staff.access import Actor

LOCKED = "本支部已公示整改承诺，承诺不能再修改。如需更正，请联系支部书记。"


@dataclass(frozen=True)
class CommitmentPage:
    name: str
    branch_name: str
    campaign_title: str
    text: str | None
    locked: bool


@dataclass(frozen=True)
class CommitmentRow:
    member_id: int
    name: str
    text: str | None
    by_secretary: bool


def own_commitment(token: str) -> CommitmentPage | None:
    """What a personal link (or a named ballot link) shows on the commitment page; None otherwise."""
    with session_scope() as session:
        member_id = personal_member(session, token)
        if member_id is None:
            return None
        member = session.get(Member, member_id)
        branch = session.get(OrgUnit, member.branch_id)
        campaign = session.get(Campaign, member.campaign_id)
        text = session.exec(select(Commitment.text).where(Commitment.member_id == member_id)).first()
        locked = publicity.period(session, campaign.id, branch.id) is not None
        return CommitmentPage(member.name, branch.name, campaign.title, text, locked)


def write_own(token: str, text: str | None) -> CommitmentPage:
    cleaned = checked(text, "整改承诺", limit=TEXT_MAX, required=True, multiline=True)
    with session_scope() as session:
        member_id = personal_member(session, token)
        if member_id is None:
            raise NotFound("这个链接不能填写整改承诺")
        member = session.get(Member, member_id)
        if publicity.period(session, member.campaign_id, member.branch_id) is not None:
            raise InvalidTransition(LOCKED)
        _store(session, member_id, cleaned, by_secretary=False)
    return own_commitment(token)


def enter_for(*, actor: Actor, campaign_id: int, branch_path: str, member_id: int, text: str | None) -> None:
    """The secretary writes down the commitment of a member who cannot (elderly, no phone)."""
    cleaned = checked(text, "整改承诺", limit=TEXT_MAX, required=True, multiline=True)
    with session_scope() as session:
        branch = branch_to_write(session, actor, campaign_id, branch_path)
        member = session.get(Member, member_id)
        if member is None or member.branch_id != branch.id:
            raise InvalidInput(f"编号 {member_id} 的党员不在本支部")
        if publicity.period(session, campaign_id, branch.id) is not None:
            raise InvalidTransition(LOCKED)
        _store(session, member_id, cleaned, by_secretary=True)
        audit.record(
            session,
            actor,
            AuditAction.commitment_enter,
            campaign_id=campaign_id,
            target=f"{branch_path}：{member.name}",
        )


def delete_entered(*, actor: Actor, campaign_id: int, branch_path: str, member_id: int) -> None:
    """A commitment the branch entered for a member (代录), removed; one the member wrote stays theirs."""
    with session_scope() as session:
        branch = branch_to_write(session, actor, campaign_id, branch_path)
        member = session.get(Member, member_id)
        if member is None or member.branch_id != branch.id:
            raise InvalidInput(f"编号 {member_id} 的党员不在本支部")
        if publicity.period(session, campaign_id, branch.id) is not None:
            raise InvalidTransition(LOCKED)
        row = session.exec(select(Commitment).where(Commitment.member_id == member_id)).first()
        if row is None:
            raise NotFound(f"{member.name}还没有整改承诺")
        if not row.by_secretary:
            raise InvalidTransition(f"{member.name}的整改承诺是本人填写的，不能删除；如需更正，请点“修改”代为改正")
        session.delete(row)
        audit.record(
            session, actor, AuditAction.commitment_delete, campaign_id=campaign_id,
            target=f"{branch_path}：{member.name}",
        )  # fmt: skip


def branch_commitments(*, actor: Actor, campaign_id: int, branch_path: str) -> list[CommitmentRow]:
    with session_scope() as session:
        branch = branch_to_read(session, actor, campaign_id, branch_path)
        rows = per_branch(
            ("commitments",),
            branch.id,
            lambda ids: session.exec(
                select(Member.branch_id, Member.id, Member.name, Commitment.text, Commitment.by_secretary)
                .outerjoin(Commitment, Commitment.member_id == Member.id)
                .where(Member.branch_id.in_(ids))
                .order_by(Member.branch_id, Member.roster_order)
            ),
        )
        return [CommitmentRow(m, name, text, bool(by)) for _, m, name, text, by in rows]


def reminder_text(*, branch_name: str, missing: int) -> str:
    """For the branch's WeChat group: how many have not written, and no names."""
    return (
        f"各位党员同志：{branch_name}还有 {missing} 位同志尚未填写整改承诺。请打开支部发给您的个人链接，"
        "点“填写整改承诺”，写下本人的整改承诺（500 字以内）。已填写的同志请忽略本消息，谢谢！"
    )


def _store(session, member_id: int, text: str, *, by_secretary: bool) -> None:
    row = session.exec(select(Commitment).where(Commitment.member_id == member_id)).first()
    row = row or Commitment(member_id=member_id, text=text, updated_at=now())
    row.text, row.by_secretary, row.updated_at = text, by_secretary, now()
    session.add(row)
