"""Logging in and staying logged in: the password check with lockout, the session behind a login cookie,
one's own password, and logging out (which ends every earlier login of the account)."""

from datetime import UTC, datetime, timedelta
from typing import NoReturn

from sqlalchemy import update
from sqlmodel import Session, select

from models import Account, Role
from models.audit import AuditAction
from services.platform.clock import local, now
from services.platform.db import session_scope
from services.platform.errors import InvalidInput, ServiceError
from services.platform.text_input import has_control_characters
from services.staff import audit, passwords
from services.staff.access import Actor
from services.staff.accounts import account_by_id, actor_of

MAX_FAILURES = 5
LOCK_MINUTES = 15


class LoginRefused(ServiceError):
    """Wrong user name or password, a locked or a disabled account."""


# The one answer to every failed login — wrong password, unknown name, disabled or locked account —
# so that nothing tells whether an account exists; it says how locking works instead.
WRONG = f"用户名或密码不正确（连续输错 {MAX_FAILURES} 次，账号会锁定 {LOCK_MINUTES} 分钟；如需帮助请联系组织部）"


_VISITOR = Actor(username="（未登录）", display_name="未登录访客", role=Role.committee_member)


def authenticate(*, username: str, password: str) -> Actor:
    """The account's Actor, or LoginRefused. Every failure says the same, so nothing tells whether
    an account exists, is disabled, or was given the right password; failures are counted and lock."""
    username = username.strip()
    with session_scope() as session:
        # No account's name has control characters (PostgreSQL could not even compare one with NUL).
        plain = not has_control_characters(username)
        account = session.exec(select(Account).where(Account.username == username)).first() if plain else None
        if account is None:
            passwords.verify_unknown(password)
            # The typed name is not kept: it may be a password typed into the wrong box.
            audit.record(session, _VISITOR, AuditAction.login_failure, detail={"reason": "unknown"})
            _refuse(session)
        if account.locked_until is not None and local(account.locked_until) > local(now()):
            passwords.verify_unknown(password)  # as long as any other answer
            audit.record(
                session, actor_of(account), AuditAction.login_failure, target=username, detail={"reason": "locked"}
            )
            _refuse(session)
        if passwords.verify(password, account.password_hash) and account.is_active:
            account.failed_logins = 0
            account.locked_until = None
            actor = actor_of(account)
            audit.record(session, actor, AuditAction.login_success, target=username)
            return actor
        # Counted in the database, not in Python: parallel guesses cannot overwrite each other's count.
        failures = session.exec(
            update(Account)
            .where(Account.id == account.id)
            .values(failed_logins=Account.failed_logins + 1)
            .returning(Account.failed_logins)
        ).one()[0]
        actor = actor_of(account)
        if failures >= MAX_FAILURES:
            session.exec(
                update(Account)
                .where(Account.id == account.id)
                .values(locked_until=now() + timedelta(minutes=LOCK_MINUTES), failed_logins=0)
            )
            audit.record(session, actor, AuditAction.login_locked, target=username)
        else:
            audit.record(session, actor, AuditAction.login_failure, target=username)
        _refuse(session)


def _refuse(session: Session) -> NoReturn:
    """Commit what the failure recorded (its count, its audit entry), then refuse."""
    session.commit()
    raise LoginRefused(WRONG)


def session_actor(username: str, logged_in_at: float) -> Actor | None:
    """The Actor behind a login made at `logged_in_at` (a Unix time), or None once that login has
    ended: the account was disabled or removed, logged out, or had its password reset since."""
    with session_scope() as session:
        account = session.exec(select(Account).where(Account.username == username)).first()
        if account is None or not account.is_active:
            return None
        ended = account.sessions_valid_after
        if ended is not None and local(ended) >= datetime.fromtimestamp(logged_in_at, UTC):
            return None
        return actor_of(account)


def needs_new_password(actor: Actor) -> bool:
    with session_scope() as session:
        account = session.get(Account, actor.account_id)
        return bool(account and account.must_change_password)


def change_own_password(*, actor: Actor, old_password: str, new_password: str) -> None:
    passwords.check_rule(new_password)
    if old_password == new_password:
        raise InvalidInput("新密码不能与原密码相同")
    with session_scope() as session:
        account = account_by_id(session, actor.account_id)
        if not passwords.verify(old_password, account.password_hash):
            raise InvalidInput("原密码不正确")
        account.password_hash = passwords.hash_password(new_password)
        account.must_change_password = False
        account.sessions_valid_after = now()  # other logins end; the caller starts a new one
        audit.record(session, actor, AuditAction.account_change_password, target=account.username)


def log_out(*, actor: Actor) -> None:
    """End every login of the account made until now, whatever cookies survive in browsers."""
    with session_scope() as session:
        account = account_by_id(session, actor.account_id)
        account.sessions_valid_after = now()
        audit.record(session, actor, AuditAction.logout, target=actor.username)
