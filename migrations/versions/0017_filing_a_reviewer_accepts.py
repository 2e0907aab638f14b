"""the secretary's report and who counted the ballots on the meeting record; a unit's filing details

Revision ID: 0017
Revises: 0016
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("meeting_record") as batch:
        batch.add_column(sa.Column("secretary_report", sa.String(length=6000), nullable=True))
        batch.add_column(sa.Column("last_year_rectification", sa.String(length=2000), nullable=True))
        batch.add_column(sa.Column("counted_by", sa.String(length=60), nullable=True))
        batch.add_column(sa.Column("scrutinized_by", sa.String(length=60), nullable=True))
    op.create_table(
        "unit_filing",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("leader", sa.String(length=40), nullable=True),
        sa.Column("preparer", sa.String(length=40), nullable=True),
        sa.Column("office_phone", sa.String(length=30), nullable=True),
        sa.Column("report_sections", sa.String(length=20000), nullable=True),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("updated_by", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaign.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["org_unit.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("campaign_id", "unit_id"),
    )
    op.create_index("ix_unit_filing_campaign_id", "unit_filing", ["campaign_id"])


def downgrade() -> None:
    op.drop_index("ix_unit_filing_campaign_id", table_name="unit_filing")
    op.drop_table("unit_filing")
    with op.batch_alter_table("meeting_record") as batch:
        for column in ("scrutinized_by", "counted_by", "last_year_rectification", "secretary_report"):
            batch.drop_column(column)
