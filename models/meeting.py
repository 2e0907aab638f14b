"""The branch's year-end work around its 组织生活会 (the notice's steps 1–4 and 6): study sessions,
talks, opinions from the masses, the problem list, the meeting record with its attachments, the
rectification list, members' commitments and their publicity."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import LargeBinary, UniqueConstraint
from sqlmodel import Column, Field, SQLModel

TEXT_MAX = 500  # one item, opinion or commitment
NOTE_MAX = 2000  # free notes of a record
REPORT_MAX = 6000  # the secretary's report (书记述职) as typed


class TalkKind(StrEnum):
    committee = "committee"  # 委员之间
    committee_member = "committee_member"  # 委员与党员
    members = "members"  # 党员之间
    home_visit = "home_visit"  # 上门谈心


TALK_LABELS = {
    TalkKind.committee: "支委委员之间",
    TalkKind.committee_member: "支委委员与党员之间",
    TalkKind.members: "党员与党员之间",
    TalkKind.home_visit: "上门谈心（年老体弱、外出党员）",
}


class OpinionState(StrEnum):
    new = "new"
    adopted = "adopted"
    answered = "answered"
    noted = "noted"


OPINION_LABELS = {
    OpinionState.new: "未处理",
    OpinionState.adopted: "已采纳",
    OpinionState.answered: "已答复",
    OpinionState.noted: "已知悉",
}
PROBLEM_CATEGORIES = ("政治", "思想", "学习", "工作", "能力", "作风", "其他")
PROBLEM_SOURCES = ("自我查摆", "征求意见", "上级督导检查")


class RectificationState(StrEnum):
    not_started = "not_started"
    in_progress = "in_progress"
    done = "done"


RECTIFICATION_LABELS = {
    RectificationState.not_started: "未开始",
    RectificationState.in_progress: "进行中",
    RectificationState.done: "已完成",
}


class AttachmentKind(StrEnum):
    photo = "photo"
    sign_in = "sign_in"


ATTACHMENT_LABELS = {AttachmentKind.photo: "会议照片", AttachmentKind.sign_in: "签到表扫描件"}


class StudySession(SQLModel, table=True):
    __tablename__ = "study_session"

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True)
    branch_id: int = Field(foreign_key="org_unit.id", index=True, ondelete="CASCADE")
    held_on: date
    topic: str = Field(max_length=200)
    materials: str | None = Field(default=None, max_length=1000)


class StudyAbsence(SQLModel, table=True):
    """A member who missed a study session, and whether the materials were taken to them."""

    __tablename__ = "study_absence"
    __table_args__ = (UniqueConstraint("session_id", "member_id"),)

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="study_session.id", index=True, ondelete="CASCADE")
    member_id: int = Field(foreign_key="member.id", ondelete="CASCADE")
    materials_sent: bool = False


class TalkCount(SQLModel, table=True):
    __tablename__ = "talk_count"
    __table_args__ = (UniqueConstraint("campaign_id", "branch_id", "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True)
    branch_id: int = Field(foreign_key="org_unit.id", ondelete="CASCADE")
    kind: str = Field(max_length=24)
    count: int = 0
    note: str | None = Field(default=None, max_length=TEXT_MAX)


class Opinion(SQLModel, table=True):
    """An anonymous opinion left through the branch's public link: no account, address or browser."""

    __tablename__ = "opinion"

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True)
    branch_id: int = Field(foreign_key="org_unit.id", index=True, ondelete="CASCADE")
    text: str = Field(max_length=TEXT_MAX)
    received_at: datetime = Field(index=True)  # to the minute: for the hourly cap and the reading order
    state: str = Field(default=OpinionState.new, max_length=16)


class ProblemItem(SQLModel, table=True):
    __tablename__ = "problem_item"

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True)
    branch_id: int = Field(foreign_key="org_unit.id", index=True, ondelete="CASCADE")
    position: int
    text: str = Field(max_length=TEXT_MAX)
    category: str = Field(max_length=8)
    source: str = Field(max_length=16)


class MeetingRecord(SQLModel, table=True):
    __tablename__ = "meeting_record"
    __table_args__ = (UniqueConstraint("campaign_id", "branch_id"),)

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True)
    branch_id: int = Field(foreign_key="org_unit.id", ondelete="CASCADE")
    held_on: date
    place: str = Field(max_length=100)
    presided_by: str = Field(max_length=60)
    upper_attendees: str | None = Field(default=None, max_length=200)
    report_given: bool = False  # 书记述职
    criticism_held: bool = False  # 批评与自我批评
    evaluation_held: bool = False  # 民主评议党员
    notes: str | None = Field(default=None, max_length=NOTE_MAX)
    # 书记述职 as given at the meeting, and its part on how last year's rectification list was carried out.
    secretary_report: str | None = Field(default=None, max_length=REPORT_MAX)
    last_year_rectification: str | None = Field(default=None, max_length=NOTE_MAX)
    # Who counted the ballots (计票人) and who watched the count (监票人): named on the filed 民主测评统计表.
    counted_by: str | None = Field(default=None, max_length=60)
    scrutinized_by: str | None = Field(default=None, max_length=60)


class MeetingAbsence(SQLModel, table=True):
    __tablename__ = "meeting_absence"
    __table_args__ = (UniqueConstraint("meeting_id", "member_id"),)

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting_record.id", index=True, ondelete="CASCADE")
    member_id: int = Field(foreign_key="member.id", ondelete="CASCADE")
    reason: str = Field(max_length=100)


class Attachment(SQLModel, table=True):
    """A photo of the meeting or a scanned sign-in sheet, kept in the database so that every app
    process and every backup has it."""

    __tablename__ = "attachment"

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True)
    branch_id: int = Field(foreign_key="org_unit.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=16)
    filename: str = Field(max_length=200)
    content_type: str = Field(max_length=40)
    size: int
    uploaded_at: datetime
    # Last, the thumbnail before the file: on SQLite a column stored after a large value is read by walking
    # through it (migration 0021).
    thumbnail: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class RectificationItem(SQLModel, table=True):
    __tablename__ = "rectification_item"

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True)
    branch_id: int = Field(foreign_key="org_unit.id", index=True, ondelete="CASCADE")
    position: int
    problem: str = Field(max_length=TEXT_MAX)
    measures: str = Field(max_length=TEXT_MAX)
    responsible: str = Field(max_length=60)
    deadline: date
    state: str = Field(default=RectificationState.not_started, max_length=16)
    evidence: str | None = Field(default=None, max_length=TEXT_MAX)
    # The day it was done (已完成), for 按期完成 (done by the deadline); None while not done, and for items
    # marked done before this was kept (migration 0020), which count as done on time.
    done_on: date | None = None


class Commitment(SQLModel, table=True):
    __tablename__ = "commitment"

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", unique=True, ondelete="CASCADE")
    text: str = Field(max_length=TEXT_MAX)
    by_secretary: bool = False  # entered for a member who could not
    updated_at: datetime


class Publicity(SQLModel, table=True):
    """The branch's rectification list and commitments, shown to the public from starts_on to ends_on."""

    __tablename__ = "publicity"
    __table_args__ = (UniqueConstraint("campaign_id", "branch_id"),)

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True)
    branch_id: int = Field(foreign_key="org_unit.id", ondelete="CASCADE")
    starts_on: date
    ends_on: date
    published_at: datetime


class BranchLink(SQLModel, table=True):
    """A branch's public address (opinions, publicity): derived like voter links, kept as a hash."""

    __tablename__ = "branch_link"
    __table_args__ = (UniqueConstraint("campaign_id", "branch_id", "purpose", name="uq_branch_link_branch_purpose"),)

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True)
    branch_id: int = Field(foreign_key="org_unit.id", ondelete="CASCADE")
    purpose: str = Field(max_length=16)  # opinions | publicity
    token_hash: str = Field(max_length=64, unique=True)
    generation: int = 0  # raised when the secretary renews the address: the previous one stops working
