"""A Party member as listed in one campaign's roster."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class Category(StrEnum):
    full = "full"
    probationary = "probationary"


CATEGORY_LABELS = {Category.full: "正式党员", Category.probationary: "预备党员"}


class MemberFields(SQLModel):
    name: str = Field(max_length=60)
    category: str = Field(max_length=16)
    gender: str | None = Field(default=None, max_length=4)
    phone: str | None = Field(default=None, max_length=30)
    party_group: str | None = Field(default=None, max_length=60)
    is_leading_cadre: bool = False
    is_away: bool = False
    is_elderly_ill: bool = False
    note: str | None = Field(default=None, max_length=500)


class Member(MemberFields, table=True):
    __table_args__ = (UniqueConstraint("branch_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True, ondelete="CASCADE")
    branch_id: int = Field(foreign_key="org_unit.id", index=True)
    roster_order: int
    # 身份证号 / 工号 when the roster has one: matches a person across years; never handed out
    # (MemberPublic has no such field), never shown on any page or in any export.
    person_id: str | None = Field(default=None, max_length=40, index=True)
    # 未参加评议: a reason code (NOT_TAKING_PART) when the branch marked the member as not taking part (abroad,
    # seriously ill, lost contact…): no link, outside 应参评 and the cap's base, not graded; the note says more.
    not_taking_part: str | None = Field(default=None, max_length=16)
    not_taking_part_note: str | None = Field(default=None, max_length=100)
    # When it was marked: a member marked after the branch's voting opened stays on its ballot (the ballot
    # never changes while it is used, services/campaign/members.py takes_part), yet is left out of everything else.
    not_taking_part_at: datetime | None = None


class MemberPublic(MemberFields):
    """A member as services hand it out: plain values, with the branch named."""

    id: int
    branch_path: str
    branch_name: str
    roster_order: int
    not_taking_part: str | None = None  # NOT_TAKING_PART code: 未参加评议
    not_taking_part_note: str | None = None


NOT_TAKING_PART = {
    "abroad": "出国（境）",
    "seriously_ill": "重病",
    "lost_contact": "失联",
    "suspended": "停止党籍",
    "other": "其他",  # the note says what
}
