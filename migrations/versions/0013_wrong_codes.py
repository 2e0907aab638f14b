"""wrong codes typed at /v, counted in the database: one count for every app process

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "wrong_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_wrong_code_at"), "wrong_code", ["at"], unique=False)
    op.create_index(op.f("ix_wrong_code_client"), "wrong_code", ["client"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_wrong_code_client"), table_name="wrong_code")
    op.drop_index(op.f("ix_wrong_code_at"), table_name="wrong_code")
    op.drop_table("wrong_code")
