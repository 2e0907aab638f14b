"""voter links derived from a server secret: the generation each token was issued in; 废票 counted

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("voter_token", schema=None) as batch_op:
        batch_op.add_column(sa.Column("generation", sa.Integer(), nullable=False, server_default="0"))
    with op.batch_alter_table("branch_voting", schema=None) as batch_op:
        batch_op.add_column(sa.Column("paper_invalid", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("branch_voting", schema=None) as batch_op:
        batch_op.drop_column("paper_invalid")
    with op.batch_alter_table("voter_token", schema=None) as batch_op:
        batch_op.drop_column("generation")
