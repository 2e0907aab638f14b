"""Accounts: first run, login with lockout, one-time passwords, bulk creation, the audit log."""

import contextlib
import io
import time
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from models import Account, AuditEntry
from services import demo
from services.platform.clock import now
from services.platform.db import session_scope
from services.platform.errors import InvalidInput, NotPermitted
from services.staff import accounts, audit, login_sessions
from services.staff.login_sessions import LoginRefused
from tests.factories import ORG, make_account

pytestmark = pytest.mark.usefixtures("database")


def _account(username: str) -> Account:
    with session_scope() as session:
        return session.exec(select(Account).where(Account.username == username)).one()


def test_first_organizer_only_while_no_account_exists():
    assert not accounts.any_account()
    actor = accounts.create_first_organizer(username="zzb", display_name="张虹", password="abc1234567")
    assert (actor.username, actor.role, actor.scope_path) == ("zzb", "organizer", None)
    assert accounts.any_account()
    with pytest.raises(NotPermitted, match="已经有账号了"):
        accounts.create_first_organizer(username="other", display_name="李四", password="abc1234567")


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("abc123", "密码至少 10 位，您输入了 6 位"),
        ("1234567890", "密码需同时包含字母和数字"),
        ("abcdefghij", "密码需同时包含字母和数字"),
        ("A123456789", "这个密码太常见"),
        ("党员民主评议" * 4 + "2021", "密码太长：最多 72 个字节"),  # 76 bytes in 28 characters: no crash
    ],
)
def test_weak_passwords_are_refused(password, message):
    with pytest.raises(InvalidInput, match=message):
        accounts.create_first_organizer(username="zzb", display_name="张虹", password=password)
    assert not accounts.any_account()


def test_password_is_stored_only_as_a_bcrypt_hash():
    accounts.create_first_organizer(username="zzb", display_name="张虹", password="abc1234567")
    stored = _account("zzb").password_hash
    assert stored.startswith("$2b$")
    assert "abc1234567" not in stored


def test_login_with_right_password_returns_the_actor():
    accounts.create_first_organizer(username="zzb", display_name="张虹", password="abc1234567")
    actor = login_sessions.authenticate(username=" zzb ", password="abc1234567")
    assert (actor.username, actor.display_name) == ("zzb", "张虹")


def test_wrong_password_and_unknown_user_get_the_same_plain_message():
    accounts.create_first_organizer(username="zzb", display_name="张虹", password="abc1234567")
    with pytest.raises(LoginRefused) as wrong:
        login_sessions.authenticate(username="zzb", password="nope12345")
    with pytest.raises(LoginRefused) as unknown:
        login_sessions.authenticate(username="nobody", password="nope12345")
    assert str(wrong.value) == str(unknown.value) == login_sessions.WRONG
    assert str(wrong.value).startswith("用户名或密码不正确")
    # Both are in the audit log; the unknown name itself is not kept (it may be a mistyped password).
    failures = audit.list_entries(actor=ORG, action="login.failure")
    assert [(f.actor, f.target, f.detail) for f in failures] == [
        ("（未登录）", None, "用户名不存在"),
        ("zzb", "zzb", ""),
    ]


def test_five_failures_lock_the_account_even_against_the_right_password():
    accounts.create_first_organizer(username="zzb", display_name="张虹", password="abc1234567")
    for _ in range(login_sessions.MAX_FAILURES):
        with pytest.raises(LoginRefused):
            login_sessions.authenticate(username="zzb", password="wrong1234")
    with pytest.raises(LoginRefused) as locked:
        login_sessions.authenticate(username="zzb", password="abc1234567")
    assert str(locked.value) == login_sessions.WRONG  # the same answer as any failure: nothing tells the lock apart
    assert _account("zzb").locked_until is not None
    reasons = [r.detail for r in audit.list_entries(actor=ORG, action="login.failure")]
    assert reasons[0] == "账号锁定期间尝试登录"


def test_the_lock_ends_by_itself():
    accounts.create_first_organizer(username="zzb", display_name="张虹", password="abc1234567")
    with session_scope() as session:
        account = session.exec(select(Account).where(Account.username == "zzb")).one()
        account.locked_until = now() - timedelta(minutes=1)
    assert login_sessions.authenticate(username="zzb", password="abc1234567").username == "zzb"
    assert _account("zzb").locked_until is None


def test_a_reset_lifts_the_lock_and_forces_a_new_password():
    accounts.create_first_organizer(username="zzb", display_name="张虹", password="abc1234567")
    secretary = make_account("organizer", username="zb")
    for _ in range(login_sessions.MAX_FAILURES):
        with pytest.raises(LoginRefused):
            login_sessions.authenticate(username="zb", password="wrong1234")
    one_time = accounts.reset_password(actor=ORG, account_id=secretary.account_id)
    actor = login_sessions.authenticate(username="zb", password=one_time)
    assert login_sessions.needs_new_password(actor)
    login_sessions.change_own_password(actor=actor, old_password=one_time, new_password="mine2021xyz")
    assert not login_sessions.needs_new_password(actor)
    assert login_sessions.authenticate(username="zb", password="mine2021xyz").username == "zb"


def test_disabled_account_cannot_log_in_and_its_session_ends():
    actor = make_account("organizer", username="zb")
    accounts.set_active(actor=ORG, account_id=actor.account_id, active=False)
    with pytest.raises(LoginRefused, match=r"^用户名或密码不正确（"):
        login_sessions.authenticate(username="zb", password="secret12345")
    assert login_sessions.session_actor("zb", time.time()) is None


def test_an_organizer_cannot_disable_or_demote_themself():
    me = make_account("organizer", username="me")
    with pytest.raises(InvalidInput, match="不能停用自己的账号"):
        accounts.set_active(actor=me, account_id=me.account_id, active=False)
    with pytest.raises(InvalidInput, match="不能取消自己的组织部权限"):
        accounts.assign_scope(actor=me, account_id=me.account_id, role="branch_secretary", scope_path="x")


def test_secretary_scope_must_exist_in_a_roster():
    demo.load_demo(actor=ORG)
    with pytest.raises(InvalidInput, match="花名册中没有名为“机关党总支/不存在党支部”的党支部"):
        accounts.create_account(
            actor=ORG, username="x", display_name="x", role="branch_secretary", scope_path="机关党总支/不存在党支部"
        )
    with pytest.raises(InvalidInput, match="必须指定所在组织"):
        accounts.create_account(actor=ORG, username="x", display_name="x", role="branch_secretary")


def test_bulk_creation_makes_one_account_per_unit_and_a_sheet_to_hand_out():
    cid = demo.load_demo(actor=ORG).campaign_id
    count, sheet = accounts.bulk_create_secretaries(actor=ORG, campaign_id=cid)
    assert count == 4 + 12
    rows = list(load_workbook(io.BytesIO(sheet)).active.iter_rows(values_only=True))
    assert rows[0] == ("组织", "角色", "姓名", "用户名", "一次性密码", "说明")  # the name beside the user name
    assert rows[1][:4] == ("机关党总支", "总支书记", "机关党总支书记", "zzb001")
    assert rows[5][:4] == ("机关党总支 / 党政办公室党支部", "支部书记", "党政办公室党支部书记", "zb001")
    username, secret = rows[5][3], rows[5][4]
    actor = login_sessions.authenticate(username=username, password=secret)
    assert (actor.role, actor.scope_path) == ("branch_secretary", "机关党总支/党政办公室党支部")
    assert login_sessions.needs_new_password(actor)
    again, _ = accounts.bulk_create_secretaries(actor=ORG, campaign_id=cid)
    assert again == 0  # units that have an account are skipped


def test_every_change_is_in_the_audit_log_with_who_and_what():
    accounts.create_first_organizer(username="zzb", display_name="张虹", password="abc1234567")
    me = login_sessions.authenticate(username="zzb", password="abc1234567")
    cid = demo.load_demo(actor=me).campaign_id
    accounts.bulk_create_secretaries(actor=me, campaign_id=cid)
    audit.record_download(actor=me, what="书记账号与一次性密码表", campaign_id=cid)
    actions = [r.action for r in audit.list_entries(actor=me, username="zzb")]
    assert actions == [
        "export.download",
        "account.bulk_create",
        "campaign.demo",
        "campaign.status",
        "roster.import",
        "campaign.create",
        "login.success",
        "account.first_organizer",
    ]
    [status] = audit.list_entries(actor=me, action="campaign.status")
    assert status.detail == "由“草稿”改为“进行中”"
    assert audit.list_entries(actor=me, campaign_id=cid + 1) == []


def test_no_password_or_hash_reaches_the_audit_log():
    accounts.create_first_organizer(username="zzb", display_name="张虹", password="abc1234567")
    cid = demo.load_demo(actor=ORG).campaign_id
    _, sheet = accounts.bulk_create_secretaries(actor=ORG, campaign_id=cid)
    secrets = [row[4] for row in load_workbook(io.BytesIO(sheet)).active.iter_rows(min_row=2, values_only=True)]
    one_time = accounts.reset_password(actor=ORG, account_id=_account("zzb").id)
    with pytest.raises(LoginRefused):
        login_sessions.authenticate(username="zzb", password="typo-abc1234567")
    with session_scope() as session:
        hashes = [a.password_hash for a in session.exec(select(Account))]
        logged = " ".join(f"{e.target} {e.detail}" for e in session.exec(select(AuditEntry)))
    for secret in [*secrets, one_time, "abc1234567", "typo-abc1234567", *hashes]:
        assert secret not in logged
    assert "$2b$" not in logged
    # The one export with passwords is the sheet of one-time passwords it was asked for: no hash,
    # and no one else's password.
    cells = " ".join(str(c) for row in load_workbook(io.BytesIO(sheet)).active.iter_rows(values_only=True) for c in row)
    assert "$2b$" not in cells
    assert "abc1234567" not in cells


def test_accounts_as_listed_never_carry_the_hash():
    make_account("organizer", username="zb")
    [listed] = accounts.list_accounts(actor=ORG)
    assert "password_hash" not in listed.model_dump()


def test_logout_and_reset_end_logins_made_before_them():
    actor = make_account("organizer", username="zb")
    before = time.time() - 1
    assert login_sessions.session_actor("zb", before) is not None
    login_sessions.log_out(actor=actor)
    assert login_sessions.session_actor("zb", before) is None  # a surviving cookie no longer logs in
    assert login_sessions.session_actor("zb", time.time() + 1) is not None  # a new login does
    later = time.time() + 1
    with session_scope() as session:
        session.exec(select(Account).where(Account.username == "zb")).one().sessions_valid_after = None
    accounts.reset_password(actor=ORG, account_id=actor.account_id)
    assert login_sessions.session_actor("zb", later - 2) is None


def test_parallel_wrong_guesses_still_lock_the_account():
    import threading

    make_account("organizer", username="zb")
    barrier = threading.Barrier(12)

    def guess():
        barrier.wait()
        with contextlib.suppress(LoginRefused):
            login_sessions.authenticate(username="zb", password="wrong1234")

    workers = [threading.Thread(target=guess) for _ in range(12)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert _account("zb").locked_until is not None
    with pytest.raises(LoginRefused, match="锁定"):
        login_sessions.authenticate(username="zb", password="secret12345")


def test_changing_the_password_or_disabling_ends_earlier_logins():
    actor = make_account("organizer", username="zb")
    before = time.time() - 1
    login_sessions.change_own_password(actor=actor, old_password="secret12345", new_password="newer2021x")
    assert login_sessions.session_actor("zb", before) is None
    later = time.time() + 1
    accounts.set_active(actor=ORG, account_id=actor.account_id, active=False)
    accounts.set_active(actor=ORG, account_id=actor.account_id, active=True)
    assert login_sessions.session_actor("zb", later - 2) is None  # re-enabling does not revive the old login


def test_the_accounts_sheet_says_where_to_log_in():
    import io

    from openpyxl import load_workbook

    from services import demo

    cid = demo.load_demo(actor=ORG).campaign_id
    _, sheet = accounts.bulk_create_secretaries(actor=ORG, campaign_id=cid, login_url="http://192.168.1.10:8501")
    rows = list(load_workbook(io.BytesIO(sheet)).active.iter_rows(values_only=True))
    assert rows[1][5] == "在 http://192.168.1.10:8501 登录，首次登录后须修改密码"
    assert rows[-1][0] == "登录地址：http://192.168.1.10:8501（用电脑或手机浏览器打开）"
