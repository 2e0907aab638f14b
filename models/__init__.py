"""SQLModel tables of the product, imported here so metadata sees every table."""

from models.account import Account, AccountPublic, Role
from models.audit import AuditEntry
from models.campaign import Campaign, CampaignStatus
from models.grading import BranchGrading, FinalGrade, GradingState, GradingStep, PersonalLink
from models.member import Category, Member
from models.org_unit import OrgKind, OrgUnit
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

__all__ = [
    "Account",
    "AccountPublic",
    "AuditEntry",
    "Ballot",
    "BallotChoice",
    "BallotReceipt",
    "BallotTick",
    "BranchGrading",
    "BranchVoting",
    "Campaign",
    "CampaignStatus",
    "Category",
    "EncryptedBallot",
    "FinalGrade",
    "Grade",
    "GradingState",
    "GradingStep",
    "Member",
    "OrgKind",
    "OrgUnit",
    "PersonalLink",
    "Role",
    "TokenStatus",
    "VoterToken",
    "VotingMode",
]
