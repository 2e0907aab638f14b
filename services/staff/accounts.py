"""Staff accounts: the first organizer, and accounts managed within scope (logging in: login_sessions.py)."""

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, select

from models import Account, AccountPublic, OrgKind, OrgUnit, Role
from models.audit import AuditAction
from services.platform.clock import now
from services.platform.db import session_scope
from services.platform.errors import InvalidInput, NotFound, NotPermitted
from services.platform.text_input import require_plain
from services.staff import audit, password_sheet, passwords
from services.staff.access import Actor, may_manage_account, require_organizer

_SCOPE_KIND = {
    Role.general_branch_secretary: OrgKind.general_branch,
    Role.branch_secretary: OrgKind.branch,
    Role.committee_member: OrgKind.branch,
}


@dataclass(frozen=True)
class NewAccount:
    account: AccountPublic
    password: str  # shown once to whoever created it; only the hash is kept


def any_account() -> bool:
    with session_scope() as session:
        return session.exec(select(func.count()).select_from(Account)).one() > 0


def create_first_organizer(*, username: str, display_name: str, password: str) -> Actor:
    """Only while no account exists at all: the person installing becomes the first organizer."""
    username, display_name = _check_names(username, display_name)
    passwords.check_rule(password)
    with session_scope() as session:
        if session.exec(select(func.count()).select_from(Account)).one():
            raise NotPermitted("已经有账号了，请登录；新账号由组织部在“账号管理”中创建")
        account = _new(session, username, display_name, Role.organizer, None, password, must_change=False)
        actor = actor_of(account)
        audit.record(session, actor, AuditAction.account_first_organizer, target=username)
        return actor


def list_accounts(*, actor: Actor) -> list[AccountPublic]:
    with session_scope() as session:
        accounts = session.exec(select(Account).order_by(Account.id)).all()
        return [
            _public(a) for a in accounts if may_manage_account(actor, a.role, a.scope_path) or a.id == actor.account_id
        ]


def create_account(
    *,
    actor: Actor,
    username: str,
    display_name: str,
    role: str,
    scope_path: str | None = None,
    password: str | None = None,
) -> NewAccount:
    """A new account with the given password, or a one-time password to change at first login."""
    username, display_name = _check_names(username, display_name)
    role, scope_path = _check_role(role, scope_path)
    _require_manage(actor, role, scope_path)
    if password is not None:
        passwords.check_rule(password)
    secret = password or passwords.one_time_password()
    with session_scope() as session:
        _check_scope_exists(session, role, scope_path)
        account = _new(session, username, display_name, role, scope_path, secret, must_change=password is None)
        audit.record(
            session, actor, AuditAction.account_create, target=username, detail={"role": role, "scope": scope_path}
        )
        return NewAccount(_public(account), secret)


def reset_password(*, actor: Actor, account_id: int) -> str:
    """A new one-time password for the account; it also lifts a lock."""
    with session_scope() as session:
        account = account_by_id(session, account_id)
        _require_manage(actor, account.role, account.scope_path)
        secret = new_one_time_password(account)
        audit.record(session, actor, AuditAction.account_reset_password, target=account.username)
        return secret


def new_one_time_password(account: Account) -> str:
    """Give the account a new one-time password (to change at first login); it lifts a lock and ends the
    account's logins."""
    secret = passwords.one_time_password()
    account.password_hash = passwords.hash_password(secret)
    account.must_change_password = True
    account.failed_logins = 0
    account.locked_until = None
    account.sessions_valid_after = now()
    return secret


def set_active(*, actor: Actor, account_id: int, active: bool) -> None:
    with session_scope() as session:
        account = account_by_id(session, account_id)
        _require_manage(actor, account.role, account.scope_path)
        if account.id == actor.account_id and not active:
            raise InvalidInput("不能停用自己的账号")
        account.is_active = active
        account.sessions_valid_after = now()  # re-enabling must not revive old logins
        audit.record(
            session,
            actor,
            AuditAction.account_enable if active else AuditAction.account_disable,
            target=account.username,
        )


def assign_scope(*, actor: Actor, account_id: int, role: str, scope_path: str | None) -> None:
    require_organizer(actor, "调整账号的角色和范围")
    role, scope_path = _check_role(role, scope_path)
    with session_scope() as session:
        account = account_by_id(session, account_id)
        if account.id == actor.account_id and role != Role.organizer:
            raise InvalidInput("不能取消自己的组织部权限")
        _check_scope_exists(session, role, scope_path)
        before = {"role": account.role, "scope": account.scope_path}
        account.role, account.scope_path = role, scope_path
        audit.record(
            session,
            actor,
            AuditAction.account_scope,
            target=account.username,
            detail={"before": before, "after": {"role": role, "scope": scope_path}},
        )


def bulk_create_secretaries(*, actor: Actor, campaign_id: int, login_url: str | None = None) -> tuple[int, bytes]:
    """Accounts for every general branch and branch of the campaign that has none yet.

    Returns how many were made and an .xlsx of user names and one-time passwords to hand out.
    """
    require_organizer(actor, "批量创建书记账号")
    with session_scope() as session:
        units = session.exec(
            select(OrgUnit)
            .where(OrgUnit.campaign_id == campaign_id, OrgUnit.kind != OrgKind.party_committee)
            .order_by(OrgUnit.sort_order)
        ).all()
        if not units:
            raise InvalidInput("该活动还没有导入花名册，无法按组织创建账号")
        taken = {(a.role, a.scope_path) for a in session.exec(select(Account))}
        names = set(session.exec(select(Account.username)))
        made: list[password_sheet.SheetRow] = []
        for unit in sorted(units, key=lambda u: (u.kind != OrgKind.general_branch, u.sort_order)):
            role = Role.general_branch_secretary if unit.kind == OrgKind.general_branch else Role.branch_secretary
            if (role, unit.path) in taken:
                continue
            prefix = "zzb" if role == Role.general_branch_secretary else "zb"
            number = 1 + sum(1 for n in names if n.startswith(prefix) and n[len(prefix) :].isdigit())
            username = f"{prefix}{number:03d}"
            while username in names:
                number += 1
                username = f"{prefix}{number:03d}"
            names.add(username)
            secret = passwords.one_time_password()
            _new(session, username, f"{unit.name}书记", role, unit.path, secret, must_change=True)
            made.append(password_sheet.SheetRow(unit.path, role, f"{unit.name}书记", username, secret))
        audit.record(
            session, actor, AuditAction.account_bulk_create, campaign_id=campaign_id, detail={"created": len(made)}
        )
        return len(made), password_sheet.sheet(made, login_url)


def _check_names(username: str, display_name: str) -> tuple[str, str]:
    username, display_name = username.strip(), display_name.strip()
    require_plain(username, "用户名")
    require_plain(display_name, "姓名")
    if not username:
        raise InvalidInput("用户名不能为空")
    if len(username) > 60 or any(c.isspace() for c in username):
        raise InvalidInput("用户名不能含空格，且不超过 60 个字符")
    if not display_name:
        raise InvalidInput("姓名不能为空")
    return username, display_name


def _check_role(role: str, scope_path: str | None) -> tuple[Role, str | None]:
    try:
        role = Role(role)
    except ValueError:
        raise InvalidInput(f"未知的角色“{role}”") from None
    scope_path = require_plain((scope_path or "").strip() or None, "所在组织")
    if role == Role.organizer:
        return role, None
    if not scope_path:
        raise InvalidInput("总支书记、支部书记和支部委员必须指定所在组织")
    return role, scope_path


def _check_scope_exists(session: Session, role: Role, scope_path: str | None) -> None:
    if scope_path is None:
        return
    kinds = set(session.exec(select(OrgUnit.kind).where(OrgUnit.path == scope_path)))
    if _SCOPE_KIND[role] not in kinds:
        label = "党总支" if _SCOPE_KIND[role] == OrgKind.general_branch else "党支部"
        raise InvalidInput(f"花名册中没有名为“{scope_path}”的{label}")


def _require_manage(actor: Actor, role: str, scope_path: str | None) -> None:
    if not may_manage_account(actor, role, scope_path):
        raise NotPermitted("没有权限：组织部管理所有账号，支部书记只能管理本支部的支部委员账号")


def _new(
    session: Session, username: str, display_name: str, role: str, scope: str | None, secret: str, *, must_change: bool
) -> Account:
    if session.exec(select(Account).where(Account.username == username)).first():
        raise InvalidInput(f"用户名“{username}”已被使用")
    account = Account(
        username=username,
        display_name=display_name,
        password_hash=passwords.hash_password(secret),
        role=role,
        scope_path=scope,
        must_change_password=must_change,
        created_at=now(),
    )
    session.add(account)
    session.flush()
    return account


def account_by_id(session: Session, account_id: int | None) -> Account:
    account = session.get(Account, account_id) if account_id is not None else None
    if account is None:
        raise NotFound("找不到该账号")
    return account


def actor_of(account: Account) -> Actor:
    return Actor(
        username=account.username,
        display_name=account.display_name,
        role=account.role,
        scope_path=account.scope_path,
        account_id=account.id,
    )


def _public(account: Account) -> AccountPublic:
    return AccountPublic.model_validate(account)


def set_password(*, actor: Actor, username: str, password: str) -> None:
    """Set a password directly (the command line's way back in when an organizer is locked out)."""
    require_organizer(actor, "设置他人密码")
    passwords.check_rule(password)
    with session_scope() as session:
        account = session.exec(select(Account).where(Account.username == username)).first()
        if account is None:
            raise NotFound(f"找不到用户名为“{username}”的账号")
        account.password_hash = passwords.hash_password(password)
        account.must_change_password = False
        account.failed_logins = 0
        account.locked_until = None
        account.sessions_valid_after = now()
        audit.record(session, actor, AuditAction.account_reset_password, target=username)
