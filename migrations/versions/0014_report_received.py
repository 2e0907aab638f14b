"""a report the Organization Department accepted (已接收), with when

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("unit_report") as batch:
        batch.add_column(sa.Column("received_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("unit_report") as batch:
        batch.drop_column("received_at")
