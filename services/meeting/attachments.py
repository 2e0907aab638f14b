"""Photos of the meeting and scanned sign-in sheets, kept in the database (every app process and
every backup has them): images only, checked by decoding them, at most 10 MB each and 30 a branch,
and never the same file twice in a branch."""

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, null
from sqlmodel import select

from models import Attachment
from models.audit import AuditAction
from models.meeting import ATTACHMENT_LABELS, AttachmentKind
from services.meeting.branch_records import branch_to_read, branch_to_write, record_of
from services.platform import images
from services.platform.batch import per_branch
from services.platform.clock import now
from services.platform.db import lock_row, session_scope
from services.platform.errors import InvalidInput
from services.platform.text_input import checked
from services.staff import audit
from services.staff.access import Actor

MAX_BYTES = 10 * 1024 * 1024
MAX_PER_BRANCH = 30
# A phone's 48-megapixel photo, an A4 sheet scanned at 600 dpi (35 megapixels); more is no photo of a meeting.
MAX_PIXELS = 50_000_000
THUMBNAIL = (320, 320)
_MISSING = "找不到这个附件"
_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif", "BMP": "image/bmp"}
_CONTENT_TYPES = {**_FORMATS, "MPO": "image/jpeg"}  # MPO: a phone's JPEG carrying a depth or HDR map too


@dataclass(frozen=True)
class AttachmentInfo:
    id: int
    kind: str
    filename: str
    content_type: str
    size: int
    thumbnail: bytes | None  # None when listed without (thumbnails=False)
    uploaded_at: datetime

    @property
    def kind_label(self) -> str:
        return ATTACHMENT_LABELS[AttachmentKind(self.kind)]


def add_attachment(
    *, actor: Actor, campaign_id: int, branch_path: str, kind: str, filename: str, data: bytes
) -> AttachmentInfo:
    if kind not in {k.value for k in AttachmentKind}:
        raise InvalidInput("附件类型应为会议照片或签到表扫描件")
    name = checked(filename, "文件名", limit=200, required=True)
    if len(data) > MAX_BYTES:
        raise InvalidInput(f"“{name}”有 {len(data) / 1048576:.1f} MB，每个附件不超过 {MAX_BYTES // 1048576} MB")
    picture = images.thumbnail(
        data, name=name, formats=tuple(_FORMATS), max_pixels=MAX_PIXELS, box=THUMBNAIL,
        unreadable=f"“{name}”不是可以识别的图片（支持 JPG、PNG、WebP、GIF、BMP），请上传照片或扫描件",
    )  # fmt: skip
    with session_scope() as session:
        branch = branch_to_write(session, actor, campaign_id, branch_path)
        lock_row(session, "org_unit", branch.id)  # the count below stays true until this attachment is in
        count = session.exec(
            select(func.count())
            .select_from(Attachment)
            .where(Attachment.campaign_id == campaign_id, Attachment.branch_id == branch.id)
        ).one()
        if count >= MAX_PER_BRANCH:
            raise InvalidInput(f"本支部已有 {count} 个附件，最多 {MAX_PER_BRANCH} 个：请先删去不需要的")
        _refuse_duplicate(session, campaign_id, branch.id, name, data)
        row = Attachment(
            campaign_id=campaign_id, branch_id=branch.id, kind=kind, filename=name,
            content_type=_CONTENT_TYPES[picture.format], size=len(data), data=data, thumbnail=picture.png,
            uploaded_at=now(),
        )  # fmt: skip
        session.add(row)
        session.flush()
        audit.record(
            session, actor, AuditAction.attachment_add, campaign_id=campaign_id, target=f"{branch_path}：{name}"
        )
        return _info(row)


def _refuse_duplicate(session, campaign_id: int, branch_id: int, name: str, data: bytes) -> None:
    """A file already attached to the branch (the same content, whatever its name) is refused: a second click
    on 上传 must not add it twice. Only attachments of the same size are read to compare."""
    digest = hashlib.sha256(data).digest()
    same_size = session.exec(
        select(Attachment.filename, Attachment.kind, Attachment.data).where(
            Attachment.campaign_id == campaign_id, Attachment.branch_id == branch_id, Attachment.size == len(data)
        )
    )
    for filename, kind, stored in same_size:
        if hashlib.sha256(stored).digest() == digest:
            label = ATTACHMENT_LABELS[AttachmentKind(kind)]
            raise InvalidInput(f"“{name}”已经上传过（{label}“{filename}”与它内容相同），无需重复上传")


def list_attachments(
    *, actor: Actor, campaign_id: int, branch_path: str, thumbnails: bool = True
) -> list[AttachmentInfo]:
    """In upload order; `thumbnails=False` leaves the small pictures unread (the filing lists only names)."""
    with session_scope() as session:
        branch = branch_to_read(session, actor, campaign_id, branch_path)
        rows = per_branch(
            ("attachments", campaign_id, thumbnails),
            branch.id,
            lambda ids: session.exec(
                select(Attachment.branch_id, *_listed(thumbnails))
                .where(Attachment.campaign_id == campaign_id, Attachment.branch_id.in_(ids))
                .order_by(Attachment.branch_id, Attachment.id)
            ),
        )  # fmt: skip
        return [AttachmentInfo(*row[1:]) for row in rows]


def attachment_files(*, actor: Actor, campaign_id: int, branch_path: str) -> Iterator[tuple[AttachmentInfo, bytes]]:
    """Each of the branch's files beside its listing (without the thumbnail), in upload order: one query whose
    rows are fetched one at a time, so a branch's thirty photos of 10 MB are never in memory together."""
    with session_scope() as session:
        branch_id = branch_to_read(session, actor, campaign_id, branch_path).id  # refused now, not when read
    return _files(campaign_id, branch_id)


def _files(campaign_id: int, branch_id: int) -> Iterator[tuple[AttachmentInfo, bytes]]:
    with session_scope() as session:
        rows = session.exec(
            select(*_listed(thumbnails=False), Attachment.data)
            .where(Attachment.campaign_id == campaign_id, Attachment.branch_id == branch_id)
            .order_by(Attachment.id)
            .execution_options(yield_per=1)
        )
        for *info, data in rows:
            yield AttachmentInfo(*info), data


def _listed(thumbnails: bool) -> tuple:
    """AttachmentInfo's columns, in its order; without thumbnails, None in their place."""
    return (
        Attachment.id, Attachment.kind, Attachment.filename, Attachment.content_type, Attachment.size,
        Attachment.thumbnail if thumbnails else null(), Attachment.uploaded_at,
    )  # fmt: skip


def delete_attachment(*, actor: Actor, campaign_id: int, branch_path: str, attachment_id: int) -> None:
    with session_scope() as session:
        branch = branch_to_write(session, actor, campaign_id, branch_path)
        row = record_of(session, Attachment, attachment_id, campaign_id, branch, _MISSING)
        session.delete(row)
        audit.record(
            session,
            actor,
            AuditAction.attachment_delete,
            campaign_id=campaign_id,
            target=f"{branch_path}：{row.filename}",
        )


def _info(row: Attachment) -> AttachmentInfo:
    return AttachmentInfo(row.id, row.kind, row.filename, row.content_type, row.size, row.thumbnail, row.uploaded_at)
