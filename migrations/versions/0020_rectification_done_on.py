"""rectification items keep the day they were done

Revision ID: 0020
Revises: 0019

rectification_item gains `done_on` (a date, empty): set when an item is marked 已完成, so that 按期完成 compares it
with the deadline. Items marked done before have none and count as done on time.
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("rectification_item") as batch:
        batch.add_column(sa.Column("done_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("rectification_item") as batch:
        batch.drop_column("done_on")
