"""Who is acting, and the scope rules every service applies: one place for all of them."""

import getpass
from dataclasses import dataclass

from sqlalchemy import ColumnElement, false, or_, true

from models.account import ROLE_LABELS, Role
from services.platform.errors import NotPermitted

_BRANCH_ROLES = (Role.branch_secretary, Role.committee_member)
_RUNS_VOTING = (Role.organizer, *_BRANCH_ROLES)


@dataclass(frozen=True)
class Actor:
    """The account making a call (or the command line, which acts with an organizer's rights)."""

    username: str
    display_name: str
    role: str
    scope_path: str | None = None
    account_id: int | None = None

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[Role(self.role)]

    @property
    def is_organizer(self) -> bool:
        return self.role == Role.organizer

    @property
    def scope_label(self) -> str:
        return "全部组织" if self.is_organizer else (self.scope_path or "").replace("/", " / ")


def command_line_actor() -> Actor:
    """Whoever runs manage.py on the server already holds the database; they act as organizer."""
    return Actor(username=f"命令行:{getpass.getuser()}", display_name="命令行", role=Role.organizer)


def can_see(actor: Actor, unit_path: str) -> bool:
    """Whether the unit at `unit_path` lies within the actor's scope."""
    if actor.is_organizer:
        return True
    scope = actor.scope_path
    if not scope:
        return False
    if actor.role in _BRANCH_ROLES:
        return unit_path == scope
    return unit_path == scope or unit_path.startswith(scope + "/")


def may_run_voting(actor: Actor, branch_path: str) -> bool:
    """Whether the actor runs the vote in this branch: links, paper ballots, closing."""
    return can_see(actor, branch_path) and actor.role in _RUNS_VOTING


def runs_votes(actor: Actor) -> bool:
    """Whether the actor's role runs votes at all (in some branch): paper ballots, links, closing."""
    return actor.role in _RUNS_VOTING


def manages_accounts(actor: Actor) -> bool:
    """Organizers manage every account; a branch secretary names the committee members of the branch."""
    return actor.role in (Role.organizer, Role.branch_secretary)


def may_manage_account(actor: Actor, role: str, scope_path: str | None) -> bool:
    """Whether the actor may create or change an account of this role and scope."""
    if actor.is_organizer:
        return True
    return (
        actor.role == Role.branch_secretary
        and role == Role.committee_member
        and scope_path is not None
        and can_see(actor, scope_path)
    )


def require_organizer(actor: Actor, what: str) -> None:
    if not actor.is_organizer:
        raise NotPermitted(f"没有权限：只有组织部可以{what}")


def require_unit(actor: Actor, unit_path: str) -> None:
    if not can_see(actor, unit_path):
        raise NotPermitted(f"没有权限：“{unit_path.replace('/', ' / ')}”不在您的管理范围（{actor.scope_label}）内")


def scope_condition(actor: Actor, path_column) -> ColumnElement[bool]:
    """A SQL condition keeping only org units within the actor's scope."""
    if actor.is_organizer:
        return true()
    scope = actor.scope_path
    if not scope:
        return false()
    if actor.role in _BRANCH_ROLES:
        return path_column == scope
    escaped = scope.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return or_(path_column == scope, path_column.like(escaped + "/%", escape="\\"))


def may_grade(actor: Actor, branch_path: str) -> bool:
    """Whether the actor sets the branch's final grades and submits them: those who ran its vote."""
    return may_run_voting(actor, branch_path)


def grades_anything(actor: Actor) -> bool:
    """Whether the actor's role grades in some branch (the grading page is theirs)."""
    return actor.role in _RUNS_VOTING


def may_approve_grades(actor: Actor, branch_path: str, *, under_general_branch: bool) -> bool:
    """The upper organization approves: the general branch's secretary for a branch under it, the
    organizer for a directly affiliated branch — and the organizer for any."""
    if actor.is_organizer:
        return True
    return under_general_branch and actor.role == Role.general_branch_secretary and can_see(actor, branch_path)


def approves_anything(actor: Actor) -> bool:
    return actor.role in (Role.organizer, Role.general_branch_secretary)
