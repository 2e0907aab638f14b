"""masses' representatives (群众评议): a campaign setting and a second voting per branch

Revision ID: 0019
Revises: 0018

branch_voting gains `audience` ('members' for every existing row, 'masses' for the representatives' voting),
and a branch may now hold one voting per audience. campaign gains `masses_rating` (off).
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

# SQLite names no unique constraint; named here so that batch mode can drop the old one.
_NAMES = {"uq": "uq_%(table_name)s_%(column_0_name)s"}


def _old_name() -> str:
    if op.get_bind().dialect.name == "sqlite":
        return "uq_branch_voting_campaign_id"
    return "branch_voting_campaign_id_branch_id_key"


def upgrade() -> None:
    with op.batch_alter_table("campaign") as batch:
        batch.add_column(sa.Column("masses_rating", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("branch_voting", naming_convention=_NAMES) as batch:
        batch.add_column(sa.Column("audience", sa.String(length=8), nullable=False, server_default="members"))
        batch.drop_constraint(_old_name(), type_="unique")
        batch.create_unique_constraint("uq_branch_voting_audience", ["campaign_id", "branch_id", "audience"])


def downgrade() -> None:
    op.execute("DELETE FROM branch_voting WHERE audience = 'masses'")
    with op.batch_alter_table("branch_voting", naming_convention=_NAMES) as batch:
        batch.drop_constraint("uq_branch_voting_audience", type_="unique")
        batch.create_unique_constraint(_old_name(), ["campaign_id", "branch_id"])
        batch.drop_column("audience")
    with op.batch_alter_table("campaign") as batch:
        batch.drop_column("masses_rating")
