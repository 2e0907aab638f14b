"""A campaign's snapshot of the organization tree: party committee, general branches, branches."""

from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class OrgKind(StrEnum):
    party_committee = "party_committee"
    general_branch = "general_branch"
    branch = "branch"


KIND_LABELS = {
    OrgKind.party_committee: "党委",
    OrgKind.general_branch: "党总支",
    OrgKind.branch: "党支部",
}


class OrgUnit(SQLModel, table=True):
    __tablename__ = "org_unit"
    __table_args__ = (UniqueConstraint("campaign_id", "path"),)

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True, ondelete="CASCADE")
    parent_id: int | None = Field(default=None, foreign_key="org_unit.id", index=True)
    kind: str = Field(max_length=20)
    name: str = Field(max_length=100)
    # Names from the root down, joined by "/": stable across campaigns, so an account's
    # scope (a path) finds the same unit in next year's roster.
    path: str = Field(max_length=400)
    sort_order: int = 0
