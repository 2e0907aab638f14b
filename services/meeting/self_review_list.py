"""Who in a branch has handed in their 党性分析 and who has not — counts and names, never the texts — a
reminder naming those missing, and, for the branch's runners only, the texts themselves: to print for the
meeting (one HTML page, a member a page) or for the command line's --texts."""

import base64
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlmodel import Session, select

from models import Campaign, Member, OrgUnit, SelfReview
from services.meeting.branch_records import branch_to_read
from services.meeting.self_reviews import meeting_held
from services.platform.batch import per_branch
from services.platform.clock import local
from services.platform.db import session_scope
from services.platform.errors import NotPermitted
from services.staff import audit
from services.staff.access import Actor, may_run_voting

_templates = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"), autoescape=select_autoescape(["html"])
)
NOT_RUNNER = "没有权限：党员的党性分析只有支部书记（或其指定的支部委员）和组织部可以查看和打印"


@dataclass(frozen=True)
class Submitted:
    member_id: int
    name: str
    on: date  # the unit's day it was last saved
    by_secretary: bool  # 代录
    has_text: bool
    has_image: bool

    @property
    def how(self) -> str:
        return "代录" if self.by_secretary else "本人"


@dataclass(frozen=True)
class Missing:
    member_id: int
    name: str


@dataclass(frozen=True)
class SelfReviewList:
    branch_name: str
    submitted: list[Submitted]
    missing: list[Missing]
    closed: bool  # the meeting is held: nothing may change any more

    @property
    def total(self) -> int:
        return len(self.submitted) + len(self.missing)


@dataclass(frozen=True)
class ReviewText:
    name: str
    on: date
    by_secretary: bool
    text: str | None
    image: bytes | None
    image_type: str | None

    @property
    def image_uri(self) -> str | None:
        if self.image is None:
            return None
        return f"data:{self.image_type};base64,{base64.b64encode(self.image).decode()}"


def self_review_list(*, actor: Actor, campaign_id: int, branch_path: str) -> SelfReviewList:
    """Everyone of the branch in roster order, split into those who handed theirs in and those who have not."""
    with session_scope() as session:
        branch = branch_to_read(session, actor, campaign_id, branch_path)
        return branch_list(session, branch)


def branch_list(session: Session, branch: OrgUnit) -> SelfReviewList:
    """The list for a branch already checked for the caller (the filing workbook reads it so too)."""
    rows = per_branch(
        ("self_reviews",),
        branch.id,
        lambda ids: session.exec(
            select(
                Member.branch_id, Member.id, Member.name, SelfReview.updated_at, SelfReview.by_secretary,
                SelfReview.text.is_not(None), SelfReview.image_type.is_not(None),
            )
            .outerjoin(SelfReview, SelfReview.member_id == Member.id)
            .where(Member.branch_id.in_(ids))
            .order_by(Member.branch_id, Member.roster_order, Member.id)
        ),
    )  # fmt: skip
    submitted = [
        Submitted(m, name, local(at).date(), bool(by), bool(text), bool(image))
        for _, m, name, at, by, text, image in rows
        if at is not None
    ]
    missing = [Missing(m, name) for _, m, name, at, *_ in rows if at is None]
    return SelfReviewList(branch.name, submitted, missing, meeting_held(session, branch.campaign_id, branch.id))


def reminder_text(*, branch_name: str, missing: list[str]) -> str:
    """For the branch's WeChat group: who has not handed theirs in yet, by name."""
    names = "、".join(missing)
    return (
        f"各位党员同志：{branch_name}组织生活会前，请每位同志撰写党性分析材料（个人自评）。{names}同志尚未提交，"
        "请打开支部发给您的个人链接，点“填写党性分析”，写下本人的党性分析（3000 字以内），"
        "或拍一张手写稿的照片上传。组织生活会召开后就不能再提交了。已提交的同志请忽略本消息，谢谢！"
    )


def review_texts(*, actor: Actor, campaign_id: int, branch_path: str) -> list[ReviewText]:
    """The texts (and photos) handed in, in roster order; for the branch's runners, each reading audited."""
    if not may_run_voting(actor, branch_path):
        raise NotPermitted(NOT_RUNNER)
    with session_scope() as session:
        branch = branch_to_read(session, actor, campaign_id, branch_path)
        rows = session.exec(
            select(Member.name, SelfReview)
            .join(SelfReview, SelfReview.member_id == Member.id)
            .where(Member.branch_id == branch.id)
            .order_by(Member.roster_order, Member.id)
        ).all()
        texts = [
            ReviewText(name, local(r.updated_at).date(), r.by_secretary, r.text, r.image, r.image_type)
            for name, r in rows
        ]
    audit.record_download(actor=actor, what=f"{branch_path}：党性分析（{len(texts)} 份）", campaign_id=campaign_id)
    return texts


def printable_html(*, actor: Actor, campaign_id: int, branch_path: str) -> bytes:
    """Every self-review handed in, a member a page, ready to print for the meeting; those missing listed last."""
    texts = review_texts(actor=actor, campaign_id=campaign_id, branch_path=branch_path)
    with session_scope() as session:
        branch = branch_to_read(session, actor, campaign_id, branch_path)
        listed = branch_list(session, branch)
        title = session.get(Campaign, campaign_id).title
    page = _templates.get_template("self_reviews.html")
    return page.render(texts=texts, listed=listed, campaign_title=title).encode()
