"""Final grades (评定格次) of a branch's full members, their approval by the upper organization, and
the personal links through which each member reads their own result (反馈)."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

REASON_MAX = 200  # characters of a reason or a disposition's note
FEEDBACK_NOTE_MAX = 300  # characters of the branch's personal note to a member
DISPOSITION_MAX = 20  # characters of a stored 组织处置 (DISPOSITION_KINDS, or DISPOSITION_TO_REDECIDE)


class GradingState(StrEnum):
    not_started = "not_started"  # nothing saved yet (no row)
    draft = "draft"
    submitted = "submitted"
    returned = "returned"
    approved = "approved"


GRADING_LABELS = {
    GradingState.not_started: "未评定",
    GradingState.draft: "评定中",
    GradingState.submitted: "待审批",
    GradingState.returned: "已退回",
    GradingState.approved: "已审批",
}


class GradingAction(StrEnum):
    save = "save"
    submit = "submit"
    approve = "approve"
    send_back = "return"
    reopen = "reopen"


GRADING_ACTION_LABELS = {
    GradingAction.save: "保存草稿",
    GradingAction.submit: "报上级党组织审批",
    GradingAction.approve: "审批通过",
    GradingAction.send_back: "退回修改",
    GradingAction.reopen: "重新打开",
}


class BranchGrading(SQLModel, table=True):
    __tablename__ = "branch_grading"
    __table_args__ = (UniqueConstraint("campaign_id", "branch_id"),)

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True)
    branch_id: int = Field(foreign_key="org_unit.id", ondelete="CASCADE")
    state: str = Field(default=GradingState.draft, max_length=16)
    submitted_by: str | None = Field(default=None, max_length=80)  # username of the latest submission
    updated_at: datetime


class FinalGrade(SQLModel, table=True):
    __tablename__ = "final_grade"

    id: int | None = Field(default=None, primary_key=True)
    grading_id: int = Field(foreign_key="branch_grading.id", index=True, ondelete="CASCADE")
    member_id: int = Field(foreign_key="member.id", unique=True, ondelete="CASCADE")
    grade: str | None = Field(default=None, max_length=24)  # a Grade value; None: not yet graded
    reason: str | None = Field(default=None, max_length=REASON_MAX)  # where it differs from the suggestion
    disposition: str | None = Field(default=None, max_length=DISPOSITION_MAX)  # 组织处置, for 不合格
    disposition_note: str | None = Field(default=None, max_length=REASON_MAX)
    feedback_note: str | None = Field(default=None, max_length=FEEDBACK_NOTE_MAX)  # to the member alone


class GradingStep(SQLModel, table=True):
    """The branch's history: every save, submission and decision, with who, when and the comment."""

    __tablename__ = "grading_step"

    id: int | None = Field(default=None, primary_key=True)
    grading_id: int = Field(foreign_key="branch_grading.id", index=True, ondelete="CASCADE")
    at: datetime
    actor: str = Field(max_length=80)
    actor_name: str = Field(max_length=80)
    action: str = Field(max_length=16)
    comment: str | None = Field(default=None, max_length=REASON_MAX)


class PersonalLink(SQLModel, table=True):
    """A member's own page (feedback, later the commitment) where the branch voted by unnamed codes:
    issued by name, after voting, and never related to any ballot code."""

    __tablename__ = "personal_link"

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True)
    member_id: int = Field(foreign_key="member.id", index=True, ondelete="CASCADE")
    token_hash: str = Field(max_length=64, unique=True)
    generation: int = 0
    revoked: bool = False


# The three kinds of 组织处置 the Party's rules allow for a member rated 不合格; "待重新确定" marks an older entry
# (其他, or a unit's own option) that must be decided again before the grades can be submitted.
DISPOSITION_KINDS = ("限期改正", "劝其退党", "除名")
DISPOSITION_TO_REDECIDE = "待重新确定"
MEETING_RESULTS = {"passed": "通过", "rejected": "未通过"}
CASE_OUTCOMES = {"corrected": "已改正", "persuaded": "劝其退党", "expelled": "除名", "withdrawn": "撤销处置"}
FEEDBACK_WAYS = {"talk": "个别谈话", "written": "书面通知", "collective": "集体反馈"}


class DispositionCase(SQLModel, table=True):
    """A 组织处置 case of a member rated 不合格: the kind (FinalGrade.disposition), the decision's steps
    (支委会研究, 支部大会表决, 上级审批), for 限期改正 its period, and the outcome when the period ends.
    A case still open carries into the next campaign's view of the same person (Member.person_id)."""

    __tablename__ = "disposition_case"

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True)
    member_id: int = Field(foreign_key="member.id", unique=True, ondelete="CASCADE")
    committee_on: date | None = None  # 支委会研究
    meeting_on: date | None = None  # 支部大会表决
    meeting_result: str | None = Field(default=None, max_length=16)  # MEETING_RESULTS
    approved_on: date | None = None  # 上级党组织审批
    period_months: int | None = None  # 限期改正: 6 to 12
    ends_on: date | None = None
    outcome: str | None = Field(default=None, max_length=16)  # CASE_OUTCOMES; None: still open
    outcome_on: date | None = None
    outcome_note: str | None = Field(default=None, max_length=REASON_MAX)


class FeedbackRecord(SQLModel, table=True):
    """How a member's result reached them (反馈): when, the way, and who gave it; 基本合格 and 不合格 need
    个别谈话."""

    __tablename__ = "feedback_record"

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True)
    member_id: int = Field(foreign_key="member.id", unique=True, ondelete="CASCADE")
    given_on: date
    way: str = Field(max_length=16)  # FEEDBACK_WAYS
    given_by: str = Field(max_length=40)
    recorded_by: str = Field(max_length=80)
    recorded_at: datetime
