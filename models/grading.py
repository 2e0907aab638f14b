"""Final grades (评定格次) of a branch's full members, their approval by the upper organization, and
the personal links through which each member reads their own result (反馈)."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

REASON_MAX = 200  # characters of a reason or a disposition's note
FEEDBACK_NOTE_MAX = 300  # characters of the branch's personal note to a member
DEFAULT_DISPOSITIONS = ("限期改正", "劝其退党", "除名", "其他")
DISPOSITION_MAX = 20  # characters of one 组织处置 option


def dispositions_from(stored: str | None) -> list[str]:
    """A campaign's 组织处置 options, kept one per line (None: the defaults)."""
    return [d for d in (stored or "").splitlines() if d.strip()] or list(DEFAULT_DISPOSITIONS)


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
