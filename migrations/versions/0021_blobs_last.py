"""a photo's bytes stored after every other column of its row

Revision ID: 0021
Revises: 0020

SQLite keeps a row's columns in the order the table was made, and a large value runs on over a chain of
pages. Reading a column stored after it (attachment.uploaded_at, self_review.updated_at) made SQLite walk
that whole chain: listing a branch's thirty 10 MB photos read 300 MB. attachment and self_review are made
again with the thumbnail and then the file as their last columns. PostgreSQL keeps large values apart
(TOAST) whatever the order: nothing changes there.
"""

from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

_ORDER = {
    "attachment": ("id", "campaign_id", "branch_id", "kind", "filename", "content_type", "size", "uploaded_at",
                   "thumbnail", "data"),
    "self_review": ("id", "member_id", "text", "image_type", "by_secretary", "updated_at", "thumbnail", "image"),
}  # fmt: skip
_BEFORE = {
    "attachment": ("id", "campaign_id", "branch_id", "kind", "filename", "content_type", "size", "data",
                   "thumbnail", "uploaded_at"),
    "self_review": ("id", "member_id", "text", "image", "image_type", "thumbnail", "by_secretary", "updated_at"),
}  # fmt: skip


def _reorder(order: dict[str, tuple[str, ...]]) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table, columns in order.items():
        with op.batch_alter_table(table, recreate="always", partial_reordering=[columns]):
            pass


def upgrade() -> None:
    _reorder(_ORDER)


def downgrade() -> None:
    _reorder(_BEFORE)
