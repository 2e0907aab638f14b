"""the year-end work around the meeting: study, talks, opinions, problems, the meeting record and
its attachments, rectification, commitments, publicity, branches' public links

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("filename", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("content_type", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("thumbnail", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["branch_id"], ["org_unit.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaign.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_attachment_branch_id"), "attachment", ["branch_id"], unique=False)
    op.create_index(op.f("ix_attachment_campaign_id"), "attachment", ["campaign_id"], unique=False)
    op.create_table(
        "branch_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.ForeignKeyConstraint(["branch_id"], ["org_unit.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaign.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index(op.f("ix_branch_link_campaign_id"), "branch_link", ["campaign_id"], unique=False)
    op.create_table(
        "meeting_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("place", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("presided_by", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("upper_attendees", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("report_given", sa.Boolean(), nullable=False),
        sa.Column("criticism_held", sa.Boolean(), nullable=False),
        sa.Column("evaluation_held", sa.Boolean(), nullable=False),
        sa.Column("notes", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.ForeignKeyConstraint(["branch_id"], ["org_unit.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaign.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("campaign_id", "branch_id"),
    )
    op.create_index(op.f("ix_meeting_record_campaign_id"), "meeting_record", ["campaign_id"], unique=False)
    op.create_table(
        "opinion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("received_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.ForeignKeyConstraint(["branch_id"], ["org_unit.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaign.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_opinion_branch_id"), "opinion", ["branch_id"], unique=False)
    op.create_index(op.f("ix_opinion_campaign_id"), "opinion", ["campaign_id"], unique=False)
    op.create_index(op.f("ix_opinion_received_at"), "opinion", ["received_at"], unique=False)
    op.create_table(
        "problem_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("category", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.ForeignKeyConstraint(["branch_id"], ["org_unit.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaign.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_problem_item_branch_id"), "problem_item", ["branch_id"], unique=False)
    op.create_index(op.f("ix_problem_item_campaign_id"), "problem_item", ["campaign_id"], unique=False)
    op.create_table(
        "publicity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("published_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["branch_id"], ["org_unit.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaign.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("campaign_id", "branch_id"),
    )
    op.create_index(op.f("ix_publicity_campaign_id"), "publicity", ["campaign_id"], unique=False)
    op.create_table(
        "rectification_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("problem", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("measures", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("responsible", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("evidence", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.ForeignKeyConstraint(["branch_id"], ["org_unit.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaign.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_rectification_item_branch_id"), "rectification_item", ["branch_id"], unique=False)
    op.create_index(op.f("ix_rectification_item_campaign_id"), "rectification_item", ["campaign_id"], unique=False)
    op.create_table(
        "study_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("topic", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("materials", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
        sa.ForeignKeyConstraint(["branch_id"], ["org_unit.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaign.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_study_session_branch_id"), "study_session", ["branch_id"], unique=False)
    op.create_index(op.f("ix_study_session_campaign_id"), "study_session", ["campaign_id"], unique=False)
    op.create_table(
        "talk_count",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.ForeignKeyConstraint(["branch_id"], ["org_unit.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaign.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("campaign_id", "branch_id", "kind"),
    )
    op.create_index(op.f("ix_talk_count_campaign_id"), "talk_count", ["campaign_id"], unique=False)
    op.create_table(
        "commitment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("by_secretary", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("member_id"),
    )
    op.create_table(
        "meeting_absence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting_record.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("meeting_id", "member_id"),
    )
    op.create_index(op.f("ix_meeting_absence_meeting_id"), "meeting_absence", ["meeting_id"], unique=False)
    op.create_table(
        "study_absence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("materials_sent", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["session_id"], ["study_session.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("session_id", "member_id"),
    )
    op.create_index(op.f("ix_study_absence_session_id"), "study_absence", ["session_id"], unique=False)
    with op.batch_alter_table("campaign", schema=None) as batch_op:
        batch_op.add_column(sa.Column("study_materials", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("campaign", schema=None) as batch_op:
        batch_op.drop_column("study_materials")
    op.drop_index(op.f("ix_study_absence_session_id"), table_name="study_absence")
    op.drop_table("study_absence")
    op.drop_index(op.f("ix_meeting_absence_meeting_id"), table_name="meeting_absence")
    op.drop_table("meeting_absence")
    op.drop_table("commitment")
    op.drop_index(op.f("ix_talk_count_campaign_id"), table_name="talk_count")
    op.drop_table("talk_count")
    op.drop_index(op.f("ix_study_session_campaign_id"), table_name="study_session")
    op.drop_index(op.f("ix_study_session_branch_id"), table_name="study_session")
    op.drop_table("study_session")
    op.drop_index(op.f("ix_rectification_item_campaign_id"), table_name="rectification_item")
    op.drop_index(op.f("ix_rectification_item_branch_id"), table_name="rectification_item")
    op.drop_table("rectification_item")
    op.drop_index(op.f("ix_publicity_campaign_id"), table_name="publicity")
    op.drop_table("publicity")
    op.drop_index(op.f("ix_problem_item_campaign_id"), table_name="problem_item")
    op.drop_index(op.f("ix_problem_item_branch_id"), table_name="problem_item")
    op.drop_table("problem_item")
    op.drop_index(op.f("ix_opinion_received_at"), table_name="opinion")
    op.drop_index(op.f("ix_opinion_campaign_id"), table_name="opinion")
    op.drop_index(op.f("ix_opinion_branch_id"), table_name="opinion")
    op.drop_table("opinion")
    op.drop_index(op.f("ix_meeting_record_campaign_id"), table_name="meeting_record")
    op.drop_table("meeting_record")
    op.drop_index(op.f("ix_branch_link_campaign_id"), table_name="branch_link")
    op.drop_table("branch_link")
    op.drop_index(op.f("ix_attachment_campaign_id"), table_name="attachment")
    op.drop_index(op.f("ix_attachment_branch_id"), table_name="attachment")
    op.drop_table("attachment")
