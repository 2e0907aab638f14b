"""SQLModel tables of the product, imported here so metadata sees every table."""

from models.account import Account, AccountPublic, Role
from models.audit import AuditEntry
from models.campaign import Campaign, CampaignStatus
from models.grading import (
    BranchGrading,
    DispositionCase,
    FeedbackRecord,
    FinalGrade,
    GradingState,
    GradingStep,
    PersonalLink,
)
from models.meeting import (
    Attachment,
    BranchLink,
    Commitment,
    MeetingAbsence,
    MeetingRecord,
    Opinion,
    ProblemItem,
    Publicity,
    RectificationItem,
    StudyAbsence,
    StudySession,
    TalkCount,
)
from models.member import Category, Member
from models.org_unit import OrgKind, OrgUnit
from models.reporting import ReportState, UnitFiling, UnitReport
from models.self_review import SelfReview
from models.voting import (
    Ballot,
    BallotChoice,
    BallotReceipt,
    BallotTick,
    BranchVoting,
    EncryptedBallot,
    Grade,
    TokenStatus,
    VoterToken,
    VotingMode,
)
from models.wrong_code import WrongCode

__all__ = [
    "Account",
    "AccountPublic",
    "Attachment",
    "AuditEntry",
    "Ballot",
    "BallotChoice",
    "BallotReceipt",
    "BallotTick",
    "BranchGrading",
    "BranchLink",
    "BranchVoting",
    "Campaign",
    "CampaignStatus",
    "Category",
    "Commitment",
    "DispositionCase",
    "EncryptedBallot",
    "FeedbackRecord",
    "FinalGrade",
    "Grade",
    "GradingState",
    "GradingStep",
    "MeetingAbsence",
    "MeetingRecord",
    "Member",
    "Opinion",
    "OrgKind",
    "OrgUnit",
    "PersonalLink",
    "ProblemItem",
    "Publicity",
    "RectificationItem",
    "ReportState",
    "Role",
    "SelfReview",
    "StudyAbsence",
    "StudySession",
    "TalkCount",
    "TokenStatus",
    "UnitFiling",
    "UnitReport",
    "VoterToken",
    "VotingMode",
    "WrongCode",
]
