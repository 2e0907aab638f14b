"""Each member's 党性分析 / 个人自评 (the notice's steps 3 and 4): written from their personal page before the
branch's 组织生活会, or entered by the branch for a member who cannot (代录); at most one a member."""

from datetime import datetime

from sqlalchemy import LargeBinary
from sqlmodel import Column, Field, SQLModel

SELF_REVIEW_MAX = 3000  # characters of the text


class SelfReview(SQLModel, table=True):
    __tablename__ = "self_review"

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", unique=True, ondelete="CASCADE")
    text: str | None = Field(default=None, max_length=SELF_REVIEW_MAX)
    image_type: str | None = Field(default=None, max_length=40)
    by_secretary: bool = False  # 代录: entered by the branch for the member
    updated_at: datetime
    # A photo of a handwritten page, checked by decoding it (services/platform/images.py), and its thumbnail:
    # last, the thumbnail first, as attachment's (migration 0021).
    thumbnail: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    image: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
