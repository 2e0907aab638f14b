"""SQLModel tables of the product, imported here so metadata sees every table."""

from models.account import Account, AccountPublic, Role
from models.audit import AuditEntry
from models.campaign import Campaign, CampaignStatus
from models.member import Category, Member
from models.org_unit import OrgKind, OrgUnit

__all__ = [
    "Account",
    "AccountPublic",
    "AuditEntry",
    "Campaign",
    "CampaignStatus",
    "Category",
    "Member",
    "OrgKind",
    "OrgUnit",
    "Role",
]
