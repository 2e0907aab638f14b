"""Staff accounts (secretaries and organizers); members never have one."""

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel


class Role(StrEnum):
    organizer = "organizer"
    general_branch_secretary = "general_branch_secretary"
    branch_secretary = "branch_secretary"
    # A branch committee member the secretary names, with the secretary's rights in the branch.
    committee_member = "committee_member"


ROLE_LABELS = {
    Role.organizer: "组织部",
    Role.general_branch_secretary: "总支书记",
    Role.branch_secretary: "支部书记",
    Role.committee_member: "支部委员",
}


class Account(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=60, unique=True)
    display_name: str = Field(max_length=60)
    password_hash: str = Field(max_length=200)
    role: str = Field(max_length=30)
    # Path of the org unit the account may see (see OrgUnit.path); empty for organizers.
    scope_path: str | None = Field(default=None, max_length=400)
    is_active: bool = True
    # Set for one-time passwords handed out by an organizer: the first login asks for a new one.
    must_change_password: bool = False
    failed_logins: int = 0
    locked_until: datetime | None = None
    # Logins made before this moment no longer count (logout, password reset): a copied or
    # undeleted cookie cannot bring an ended session back.
    sessions_valid_after: datetime | None = None
    created_at: datetime


class AccountPublic(SQLModel):
    """An account as services hand it out: never the password hash."""

    id: int
    username: str
    display_name: str
    role: str
    scope_path: str | None
    is_active: bool
    must_change_password: bool
    locked_until: datetime | None
    created_at: datetime

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[Role(self.role)]
