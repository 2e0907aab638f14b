"""Each member's 党性分析 / 个人自评: written on their personal page (text, or a photo of a handwritten page, or
both) until the branch's 组织生活会 has been held, or entered by the branch for a member who cannot (代录,
audited). Saving again replaces what was saved; once the meeting is held everything is read-only."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, select

from models import Campaign, Member, OrgUnit, SelfReview
from models.audit import AuditAction
from models.self_review import SELF_REVIEW_MAX
from services.grading.feedback import personal_member
from services.meeting.branch_records import branch_to_write, meeting_record_of
from services.platform import images
from services.platform.clock import local, now
from services.platform.db import lock_row, session_scope
from services.platform.errors import InvalidInput, InvalidTransition, NotFound
from services.platform.text_input import checked
from services.staff import audit
from services.staff.access import Actor

LABEL = "党性分析"
LOCKED = "组织生活会已召开，不能再修改。"
EMPTY = "请填写党性分析，或上传一张手写稿的照片"
MAX_IMAGE_BYTES = 10 * 1024 * 1024  # one photo of a handwritten page, as a phone takes it
MAX_PIXELS = 50_000_000  # a 48-megapixel phone photo; an A4 page scanned at 600 dpi
THUMBNAIL = (320, 320)
_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
_CONTENT_TYPES = {**_FORMATS, "MPO": "image/jpeg"}  # MPO: a phone's JPEG with a depth or HDR map


@dataclass(frozen=True)
class Picture:
    """An uploaded image that passed the checks: the file as sent, its type and a small PNG of it."""

    data: bytes
    content_type: str
    thumbnail: bytes


@dataclass(frozen=True)
class OwnReview:
    name: str
    branch_name: str
    campaign_title: str
    text: str | None
    thumbnail: bytes | None
    by_secretary: bool
    updated_at: datetime | None
    locked: bool


def checked_picture(data: bytes | None, name: str | None) -> Picture | None:
    """None for no file; else the checked image or InvalidInput in plain words."""
    if not data:
        return None
    shown = checked(name, "文件名", limit=200) or "照片"
    if len(data) > MAX_IMAGE_BYTES:
        limit = MAX_IMAGE_BYTES // 1048576
        raise InvalidInput(f"“{shown}”有 {len(data) / 1048576:.1f} MB，照片不超过 {limit} MB，请缩小后再上传")
    small = images.thumbnail(
        data, name=shown, formats=tuple(_FORMATS), max_pixels=MAX_PIXELS, box=THUMBNAIL,
        unreadable=f"“{shown}”不是可以识别的照片（支持 JPG、PNG、WebP），请拍一张手写稿的照片再上传",
    )  # fmt: skip
    return Picture(data, _CONTENT_TYPES[small.format], small.png)


def meeting_held(session: Session, campaign_id: int, branch_id: int) -> bool:
    """Whether the branch's 组织生活会 is on record as held (a record dated later is a meeting still to come)."""
    record = meeting_record_of(session, campaign_id, branch_id)
    return record is not None and record.held_on <= today()


def today() -> date:
    return local(now()).date()


def own_review(token: str) -> OwnReview | None:
    """What a member's personal link shows on the self-review form; None for a link that opens no one's page."""
    with session_scope() as session:
        member_id = personal_member(session, token)
        return None if member_id is None else _own(session, member_id)


def write_own(
    token: str, text: str | None, *, image: bytes | None = None, image_name: str | None = None,
    drop_image: bool = False,
) -> OwnReview:  # fmt: skip
    """The member's own text (and photo) saved in place of what was there; refused once the meeting is held."""
    cleaned = checked(text, LABEL, limit=SELF_REVIEW_MAX, multiline=True)
    picture = checked_picture(image, image_name)
    with session_scope() as session:
        member_id = personal_member(session, token)
        if member_id is None:
            raise NotFound("这个链接不能填写党性分析")
        member = session.get(Member, member_id)
        if meeting_held(session, member.campaign_id, member.branch_id):
            raise InvalidTransition(LOCKED)
        _store(session, member_id, cleaned, picture, drop_image, by_secretary=False)
        return _own(session, member_id)


def enter_for(
    *, actor: Actor, campaign_id: int, branch_path: str, member_id: int, text: str | None,
    image: bytes | None = None, image_name: str | None = None, drop_image: bool = False,
) -> None:  # fmt: skip
    """The branch writes down the self-review of a member who cannot (elderly, no phone): marked 代录, audited."""
    cleaned = checked(text, LABEL, limit=SELF_REVIEW_MAX, multiline=True)
    picture = checked_picture(image, image_name)
    with session_scope() as session:
        branch = branch_to_write(session, actor, campaign_id, branch_path)
        member = session.get(Member, member_id)
        if member is None or member.branch_id != branch.id:
            raise InvalidInput(f"编号 {member_id} 的党员不在本支部")
        if meeting_held(session, campaign_id, branch.id):
            raise InvalidTransition(LOCKED)
        _store(session, member_id, cleaned, picture, drop_image, by_secretary=True)
        audit.record(
            session, actor, AuditAction.self_review_enter, campaign_id=campaign_id,
            target=f"{branch_path}：{member.name}",
        )  # fmt: skip


def _store(
    session: Session, member_id: int, text: str | None, picture: Picture | None, drop_image: bool, *,
    by_secretary: bool,
) -> None:  # fmt: skip
    lock_row(session, "member", member_id)  # two saves at once: the second replaces the first, no duplicate
    row = session.exec(select(SelfReview).where(SelfReview.member_id == member_id)).first()
    row = row or SelfReview(member_id=member_id, updated_at=now())
    if picture is not None:
        row.image, row.image_type, row.thumbnail = picture.data, picture.content_type, picture.thumbnail
    elif drop_image:
        row.image = row.image_type = row.thumbnail = None
    if text is None and row.image is None:
        raise InvalidInput(EMPTY)
    row.text, row.by_secretary, row.updated_at = text, by_secretary, now()
    session.add(row)


def _own(session: Session, member_id: int) -> OwnReview:
    member = session.get(Member, member_id)
    branch = session.get(OrgUnit, member.branch_id)
    campaign = session.get(Campaign, member.campaign_id)
    row = session.exec(select(SelfReview).where(SelfReview.member_id == member_id)).first()
    locked = meeting_held(session, campaign.id, branch.id)
    if row is None:
        return OwnReview(member.name, branch.name, campaign.title, None, None, False, None, locked)
    return OwnReview(
        member.name, branch.name, campaign.title, row.text, row.thumbnail, row.by_secretary, row.updated_at, locked
    )
