"""links bound to a random salt per voting and per campaign; a branch's public links can be renewed

Revision ID: 0015
Revises: 0014

Rows made before this revision keep an empty salt: the links they handed out are derived exactly as
before and keep working. Every voting and campaign made from now on gets its own random salt, so a
deleted and recreated campaign (whose ids SQLite reuses), a re-initialised database or another install
with the same key never reproduces a link.
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("branch_voting", "campaign"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("link_salt", sa.String(length=32), nullable=False, server_default=""))
    # A server key replaced at some point left a second row for the same branch and purpose (the address was
    # derived anew); only the newest one opens anything, so only it is kept before the constraint.
    op.execute(
        "DELETE FROM branch_link WHERE id NOT IN"
        " (SELECT MAX(id) FROM branch_link GROUP BY campaign_id, branch_id, purpose)"
    )
    with op.batch_alter_table("branch_link") as batch:
        batch.add_column(sa.Column("generation", sa.Integer(), nullable=False, server_default="0"))
        batch.create_unique_constraint("uq_branch_link_branch_purpose", ["campaign_id", "branch_id", "purpose"])


def downgrade() -> None:
    with op.batch_alter_table("branch_link") as batch:
        batch.drop_constraint("uq_branch_link_branch_purpose", type_="unique")
        batch.drop_column("generation")
    for table in ("campaign", "branch_voting"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("link_salt")
