"""Reporting a unit's filing package to the Organization Department (报送): a general branch, or a
branch directly under the party committee, reports once its package is complete; the organizer may
return it with a comment. A report keeps a frozen copy of the package as it was sent."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import LargeBinary, UniqueConstraint
from sqlmodel import Column, Field, SQLModel


class ReportState(StrEnum):
    not_reported = "not_reported"  # no row
    reported = "reported"
    returned = "returned"
    received = "received"  # accepted by the Organization Department: stays frozen, as reported


REPORT_LABELS = {
    ReportState.not_reported: "未报送",
    ReportState.reported: "已报送",
    ReportState.returned: "已退回",
    ReportState.received: "已接收",
}
# States in which the unit's records are with the Organization Department and stay as they were sent.
FROZEN_STATES = frozenset({ReportState.reported, ReportState.received})


class UnitReport(SQLModel, table=True):
    __tablename__ = "unit_report"
    __table_args__ = (UniqueConstraint("campaign_id", "unit_id"),)

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True)
    unit_id: int = Field(foreign_key="org_unit.id", ondelete="CASCADE")
    state: str = Field(max_length=16)
    reported_at: datetime | None = None
    reported_by: str | None = Field(default=None, max_length=80)
    returned_at: datetime | None = None
    received_at: datetime | None = None
    comment: str | None = Field(default=None, max_length=200)  # the organizer's, when returned
    package: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))  # the ZIP sent


class UnitFiling(SQLModel, table=True):
    """What a reporting unit (a general branch, a direct branch, or the party committee) enters once for its
    filing: the 党统 cover lines (负责人, 填表人, the office's 联系电话 — never a member's) and its own paragraphs
    of the written report (情况报告), kept as JSON {section: text} until 报送."""

    __tablename__ = "unit_filing"
    __table_args__ = (UniqueConstraint("campaign_id", "unit_id"),)

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True)
    unit_id: int = Field(foreign_key="org_unit.id", ondelete="CASCADE")
    leader: str | None = Field(default=None, max_length=40)  # 负责人
    preparer: str | None = Field(default=None, max_length=40)  # 填表人
    office_phone: str | None = Field(default=None, max_length=30)  # 联系电话
    report_sections: str | None = Field(default=None, max_length=20000)  # JSON
    updated_at: datetime | None = None
    updated_by: str | None = Field(default=None, max_length=80)
