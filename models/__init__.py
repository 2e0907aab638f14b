"""SQLModel tables of the product, imported here so metadata sees every table."""

from models.account import Account, AccountPublic, Role
from models.audit import AuditEntry
from models.campaign import Campaign, CampaignStatus
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
    "BranchVoting",
    "Campaign",
    "CampaignStatus",
    "Category",
    "EncryptedBallot",
    "Grade",
    "Member",
    "OrgKind",
    "OrgUnit",
    "Role",
    "TokenStatus",
    "VoterToken",
    "VotingMode",
]
