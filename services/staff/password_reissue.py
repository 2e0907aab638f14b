"""Handing one-time passwords out again: an organizer resets chosen accounts (asked to confirm: their passwords
before, a lost sheet's included, stop working) and gets the sheet with names beside user names once more."""

from sqlmodel import select

from models import Account, AccountPublic, Role
from models.audit import AuditAction
from services.platform.db import session_scope
from services.platform.errors import InvalidInput
from services.staff import audit
from services.staff.access import Actor, require_organizer
from services.staff.accounts import account_by_id, new_one_time_password
from services.staff.password_sheet import SheetRow, sheet

MAX_RESET = 500  # accounts reset at once: every unit of a large institution


def awaiting_first_login(*, actor: Actor) -> list[AccountPublic]:
    """Secretaries' and committee members' accounts still on a one-time password (never logged in since it
    was given), active: the ones whose sheet may have been lost."""
    require_organizer(actor, "重新发放一次性密码")
    with session_scope() as session:
        found = session.exec(
            select(Account)
            .where(Account.role != Role.organizer, Account.must_change_password, Account.is_active)
            .order_by(Account.id)
        ).all()
        return [AccountPublic.model_validate(a) for a in found]


def reset_to_sheet(*, actor: Actor, account_ids: list[int], login_url: str | None = None) -> tuple[int, bytes]:
    """New one-time passwords for the chosen accounts, all or none, and the sheet listing them with names.
    The passwords before (a lost sheet's included) stop working and their logins end."""
    require_organizer(actor, "重新发放一次性密码")
    chosen = list(dict.fromkeys(account_ids))
    if not chosen:
        raise InvalidInput("请先选择要重新发放密码的账号")
    if len(chosen) > MAX_RESET:
        raise InvalidInput(f"一次最多重置 {MAX_RESET} 个账号的密码")
    if actor.account_id in chosen:
        raise InvalidInput("不能在这里重置自己的密码：请用“修改密码”")
    rows = []
    with session_scope() as session:
        for account_id in chosen:
            account = account_by_id(session, account_id)
            secret = new_one_time_password(account)
            audit.record(session, actor, AuditAction.account_reset_password, target=account.username)
            rows.append(SheetRow(account.scope_path, account.role, account.display_name, account.username, secret))
    rows.sort(key=lambda r: (r.role != Role.general_branch_secretary, r.scope_path or "", r.username))
    return len(rows), sheet(rows, login_url)
