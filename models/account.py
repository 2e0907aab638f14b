"""Staff accounts (secretaries and organizers); members never have one."""

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel


class Role(StrEnum):
    organizer = "organizer"
    general_branch_secretary = "general_branch_secretary"
    branch_secretary = "branch_secretary"


class Account(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=60, unique=True)
    display_name: str = Field(max_length=60)
    password_hash: str = Field(max_length=200)
    role: str = Field(max_length=30)
    # Path of the org unit the account may see (see OrgUnit.path); empty for organizers.
    scope_path: str | None = Field(default=None, max_length=400)
    is_active: bool = True
    failed_logins: int = 0
    locked_until: datetime | None = None
    created_at: datetime
