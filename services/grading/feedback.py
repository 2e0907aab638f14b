"""Feedback to each member (反馈给党员本人): their own final grade, once approved, on their personal page.

The personal page opens from the member's named ballot link where the branch voted by named links,
or from a personal link the secretary hands out by name at any time: before the meeting, for the
member to write their 党性分析, or after the vote, for the feedback (a ballot code must stay unlinked to
any person, so it never opens anything personal). It shows the member's own result and nothing about
anyone else, and no result before the upper organization approved.
"""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import func
from sqlmodel import Session, select

from models import BranchGrading, Campaign, FinalGrade, Member, OrgUnit, PersonalLink, VoterToken
from models.audit import AuditAction
from models.grading import GradingState
from models.voting import GRADE_LABELS, Grade, TokenStatus
from services.ballot import tokens
from services.ballot.voter_links import IssuedLink
from services.ballot.voting_lookup import require_runner
from services.campaign.members import reason_text
from services.campaign.org import branch_unit
from services.platform.db import session_scope
from services.platform.errors import InvalidTransition
from services.staff import audit
from services.staff.access import Actor

# What the notice asks the branch to tell each member, by grade; 不合格 adds its disposition.
_APPROVED = "经党支部评定、上级党组织审批，您的评议结果为"
WORDS = {
    Grade.excellent: _APPROVED + "“优秀”。党支部对您予以表扬，希望您继续发挥先锋模范作用。",
    Grade.qualified: _APPROVED + "“合格”。党支部肯定您的优点，也对您提出希望和要求，请继续努力。",
    Grade.basically_qualified: _APPROVED + "“基本合格”。党支部指出您的差距，并将帮助您改进提高。",
    Grade.unqualified: _APPROVED + "“不合格”。组织处置：{disposition}。",
}
_templates = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"), autoescape=select_autoescape(["html"])
)
NOT_GRADED = "您是预备党员。预备党员参加民主评议，但不评定等次。"
PENDING = "本支部的评议结果尚未经上级党组织审批。审批后，您可以用同一个链接查看本人的评议结果。"


@dataclass(frozen=True)
class PersonalView:
    name: str
    branch_name: str
    campaign_title: str
    approved: bool
    grade_label: str | None = None
    words: str = PENDING
    note: str | None = None  # the branch's personal note to this member


def personal_view(token: str) -> PersonalView | None:
    """The page behind a member's named ballot link or personal link; None for anything else (an
    unnamed ballot code, a replaced link, a typo)."""
    with session_scope() as session:
        member_id = personal_member(session, token)
        return None if member_id is None else _view(session, member_id)


def personal_member(session: Session, token: str) -> int | None:
    """Whose personal page the token opens: a named ballot link still in force, or a personal link."""
    hashes = tokens.stored_hashes(token)
    member_id = session.exec(
        select(VoterToken.member_id).where(
            VoterToken.token_hash.in_(hashes),
            VoterToken.member_id.is_not(None),
            VoterToken.status != TokenStatus.revoked,
        )
    ).first()
    if member_id is None:
        member_id = session.exec(
            select(PersonalLink.member_id).where(PersonalLink.token_hash == hashes[0], PersonalLink.revoked.is_(False))
        ).first()
    return member_id


def _view(session: Session, member_id: int) -> PersonalView:
    member = session.get(Member, member_id)
    branch = session.get(OrgUnit, member.branch_id)
    campaign = session.get(Campaign, member.campaign_id)
    base = {"name": member.name, "branch_name": branch.name, "campaign_title": campaign.title}
    state = session.exec(
        select(BranchGrading.state).where(
            BranchGrading.campaign_id == campaign.id, BranchGrading.branch_id == branch.id
        )
    ).first()
    if state != GradingState.approved:
        return PersonalView(**base, approved=False)
    if member.not_taking_part:  # services/grading/taking_part.py
        reason = reason_text(member.not_taking_part, member.not_taking_part_note)
        return PersonalView(**base, approved=True, words=f"您未参加本次民主评议（{reason}），不评定格次。")
    if member.category != "full":
        return PersonalView(**base, approved=True, words=NOT_GRADED)
    final = session.exec(select(FinalGrade).where(FinalGrade.member_id == member_id)).first()
    if final is None or final.grade is None:  # cannot be approved so; say nothing rather than guess
        return PersonalView(**base, approved=False)
    grade = Grade(final.grade)
    words = WORDS[grade].format(disposition="；".join(filter(None, (final.disposition, final.disposition_note))))
    return PersonalView(**base, approved=True, grade_label=GRADE_LABELS[grade], words=words, note=final.feedback_note)


def issue_personal_links(*, actor: Actor, campaign_id: int, branch_path: str, base_url: str) -> list[IssuedLink]:
    """A personal link for every member of the branch, replacing (revoking) any issued before. At any
    time once the branch has members — before voting opens (to write the 党性分析 before the meeting),
    while it is open, or after the vote (feedback), in either voting mode. Derived from the personal-link
    key, never from a ballot code, and handed out by name: they must never travel with the ballot codes."""
    require_runner(actor, branch_path)
    base = base_url.rstrip("/")
    with session_scope() as session:
        branch = branch_unit(session, campaign_id, branch_path)
        campaign = session.get(Campaign, campaign_id)
        members = session.exec(select(Member).where(Member.branch_id == branch.id).order_by(Member.roster_order)).all()
        if not members:
            raise InvalidTransition("本支部花名册中还没有党员，导入花名册后才能生成个人链接")
        ids = [m.id for m in members]
        generation = 1 + (
            session.exec(select(func.max(PersonalLink.generation)).where(PersonalLink.member_id.in_(ids))).one() or 0
        )
        for old in session.exec(
            select(PersonalLink).where(PersonalLink.member_id.in_(ids), PersonalLink.revoked.is_(False))
        ):
            old.revoked = True
            session.add(old)
        links = []
        for m in members:
            token = _personal_token(campaign, m.id, generation)
            session.add(
                PersonalLink(
                    campaign_id=campaign_id, member_id=m.id, token_hash=tokens.token_hash(token), generation=generation
                )
            )
            links.append(IssuedLink(label=m.name, member_id=m.id, slip_no=None, token=token, url=f"{base}/p/{token}"))
        audit.record(
            session, actor, AuditAction.personal_links, campaign_id=campaign_id, target=branch_path,
            detail={"count": len(links)},
        )  # fmt: skip
    return links


def _personal_token(campaign: Campaign, member_id: int, generation: int) -> str:
    subject = f"p{member_id}"
    return tokens.derive(
        campaign.id, subject, generation, tokens.LINK_LENGTH, salt=campaign.link_salt, purpose="personal-link"
    )


def branch_views(*, actor: Actor, campaign_id: int, branch_path: str) -> list[PersonalView]:
    """Every member's feedback, for the printed notices of members without a phone (approved only)."""
    require_runner(actor, branch_path)
    with session_scope() as session:
        branch = branch_unit(session, campaign_id, branch_path)
        members = session.exec(select(Member.id).where(Member.branch_id == branch.id).order_by(Member.roster_order))
        views = [_view(session, m) for m in members.all()]
    if views and not views[0].approved:
        raise InvalidTransition("评定格次经上级党组织审批后，才能打印反馈通知")
    return views


def notices_html(views: list[PersonalView], *, branch_name: str, today: date) -> bytes:
    """One print-ready A4 page per member, for those without a phone: their result and a line to sign."""
    page = _templates.get_template("notices.html")
    return page.render(views=views, branch_name=branch_name, today=f"{today:%Y年%m月%d日}").encode()
