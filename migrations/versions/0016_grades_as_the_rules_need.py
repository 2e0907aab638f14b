"""the cap's base per campaign, members not taking part, 组织处置 cases, feedback records

Revision ID: 0016
Revises: 0015

An existing 组织处置 outside the three lawful kinds (其他, or a unit's own option) becomes 待重新确定, its
former text kept at the head of its note, so the branch decides it again before submitting.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

_LAWFUL = "('限期改正', '劝其退党', '除名')"


def upgrade() -> None:
    with op.batch_alter_table("campaign") as batch:
        batch.add_column(sa.Column("cap_base", sa.String(length=8), nullable=False, server_default="full"))
        batch.drop_column("dispositions")  # a campaign's own 组织处置 options: only the three kinds remain
    with op.batch_alter_table("member") as batch:
        batch.add_column(sa.Column("not_taking_part", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("not_taking_part_note", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("not_taking_part_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
    op.create_table(
        "disposition_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("committee_on", sa.Date(), nullable=True),
        sa.Column("meeting_on", sa.Date(), nullable=True),
        sa.Column("meeting_result", sa.String(length=16), nullable=True),
        sa.Column("approved_on", sa.Date(), nullable=True),
        sa.Column("period_months", sa.Integer(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("outcome_on", sa.Date(), nullable=True),
        sa.Column("outcome_note", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaign.id"]),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("member_id"),
    )
    op.create_index("ix_disposition_case_campaign_id", "disposition_case", ["campaign_id"])
    op.create_table(
        "feedback_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("given_on", sa.Date(), nullable=False),
        sa.Column("way", sa.String(length=16), nullable=False),
        sa.Column("given_by", sa.String(length=40), nullable=False),
        sa.Column("recorded_by", sa.String(length=80), nullable=False),
        sa.Column("recorded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaign.id"]),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("member_id"),
    )
    op.create_index("ix_feedback_record_campaign_id", "feedback_record", ["campaign_id"])
    op.execute(
        "UPDATE final_grade SET disposition_note = SUBSTR(disposition || COALESCE('：' || disposition_note, ''), 1, 200),"
        f" disposition = '待重新确定' WHERE disposition IS NOT NULL AND disposition NOT IN {_LAWFUL}"
    )


def downgrade() -> None:
    op.drop_index("ix_feedback_record_campaign_id", table_name="feedback_record")
    op.drop_table("feedback_record")
    op.drop_index("ix_disposition_case_campaign_id", table_name="disposition_case")
    op.drop_table("disposition_case")
    with op.batch_alter_table("member") as batch:
        batch.drop_column("not_taking_part_at")
        batch.drop_column("not_taking_part_note")
        batch.drop_column("not_taking_part")
    with op.batch_alter_table("campaign") as batch:
        batch.drop_column("cap_base")
        batch.add_column(sa.Column("dispositions", sa.String(length=400), nullable=True))
