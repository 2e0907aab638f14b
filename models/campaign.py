"""The annual campaign (评议活动) and its lifecycle."""

import secrets
from datetime import date, datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel


class CampaignStatus(StrEnum):
    draft = "draft"
    open = "open"
    closed = "closed"
    archived = "archived"


STATUS_LABELS = {
    CampaignStatus.draft: "草稿",
    CampaignStatus.open: "进行中",
    CampaignStatus.closed: "已结束",
    CampaignStatus.archived: "已归档",
}


class Campaign(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    year: int = Field(index=True)
    deadline: date
    party_committee_name: str = Field(max_length=100)
    # The cap on 优秀 as an exact fraction (default one third) of the cap's base: the full members taking
    # part ("full", the default) or every member taking part ("all", where the unit decides so).
    excellent_cap_num: int = Field(default=1)
    excellent_cap_den: int = Field(default=3)
    cap_base: str = Field(default="full", max_length=8)
    status: str = Field(default=CampaignStatus.draft, max_length=16)
    # Optional parts of the ballot, and the instructions printed on it (None: the notice's wording).
    rate_branch_committee: bool = False
    collect_opinions: bool = False
    # 群众评议: branches may let non-member representatives rate their full members (tallied apart).
    masses_rating: bool = False
    instructions: str | None = Field(default=None, max_length=1000)
    # Study topics and materials suggested to every branch (集中学习), one per line.
    study_materials: str | None = Field(default=None, max_length=1000)
    # Mixed into the campaign's personal links and its branches' public links, as a voting's link_salt is.
    link_salt: str = Field(default_factory=lambda: secrets.token_hex(16), max_length=32)
    demo: bool = False  # the demo unit: marked as such everywhere, and deletable whatever its state
    created_at: datetime
    opened_at: datetime | None = None
    closed_at: datetime | None = None
    archived_at: datetime | None = None


CAP_BASES = {"full": "参评正式党员", "all": "参评党员总数（含预备党员）"}  # the cap's base, as printed
