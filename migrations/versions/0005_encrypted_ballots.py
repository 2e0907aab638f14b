"""ballots encrypted while voting is open; the WAL truncation owed after sealing

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "encrypted_ballot",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("voting_id", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["voting_id"], ["branch_voting.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("encrypted_ballot", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_encrypted_ballot_voting_id"), ["voting_id"], unique=False)
    with op.batch_alter_table("branch_voting", schema=None) as batch_op:
        batch_op.add_column(sa.Column("wrapped_key", sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column("checkpoint_owed", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("branch_voting", schema=None) as batch_op:
        batch_op.drop_column("checkpoint_owed")
        batch_op.drop_column("wrapped_key")
    with op.batch_alter_table("encrypted_ballot", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_encrypted_ballot_voting_id"))
    op.drop_table("encrypted_ballot")
