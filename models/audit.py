"""The audit log: who changed what, and when. Never a ballot's content or a voter link."""

from datetime import datetime

from sqlmodel import Field, SQLModel


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_entry"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(index=True)
    actor: str = Field(max_length=80, index=True)
    actor_role: str = Field(max_length=30)
    action: str = Field(max_length=40, index=True)
    campaign_id: int | None = Field(default=None, index=True)
    target: str | None = Field(default=None, max_length=400)
    detail: str | None = Field(default=None, max_length=2000)
