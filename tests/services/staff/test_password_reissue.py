"""Handing one-time passwords out again: the chosen accounts get new ones (the old ones stop working), all or
none, each reset in the audit log, the sheet with names beside user names; only an organizer, never for his own."""

import io

import pytest
from openpyxl import load_workbook

from services.platform.errors import InvalidInput, NotFound, NotPermitted
from services.staff import audit, login_sessions, password_reissue
from services.staff.login_sessions import LoginRefused
from tests.factories import ORG, make_account, make_voting_branch

pytestmark = pytest.mark.usefixtures("database")
BRANCH = "机关党总支/第一党支部"


def _rows(sheet: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(sheet)).active.iter_rows(values_only=True))


@pytest.fixture
def secretaries():
    make_voting_branch(full=3)
    return make_account("branch_secretary", BRANCH, username="zb1"), make_account(
        "general_branch_secretary", "机关党总支", username="zzb1"
    )


def test_reset_accounts_get_new_passwords_on_a_sheet_with_names(secretaries):
    branch, general = secretaries
    count, sheet = password_reissue.reset_to_sheet(
        actor=ORG, account_ids=[branch.account_id, general.account_id], login_url="http://10.0.0.1:8501"
    )
    rows = _rows(sheet)
    assert count == 2
    assert rows[0] == ("组织", "角色", "姓名", "用户名", "一次性密码", "说明")
    assert [r[:4] for r in rows[1:3]] == [
        ("机关党总支", "总支书记", "zzb1", "zzb1"),  # the general branch first
        ("机关党总支 / 第一党支部", "支部书记", "zb1", "zb1"),
    ]
    with pytest.raises(LoginRefused):
        login_sessions.authenticate(username="zb1", password="secret12345")  # the password before is void
    actor = login_sessions.authenticate(username="zb1", password=rows[2][4])
    assert login_sessions.needs_new_password(actor)
    logged = [e.target for e in audit.list_entries(actor=ORG, action="account.reset_password")]
    assert sorted(logged) == ["zb1", "zzb1"]
    assert [a.username for a in password_reissue.awaiting_first_login(actor=ORG)] == ["zb1", "zzb1"]


def test_nothing_is_reset_unless_every_account_can_be(secretaries):
    branch, _ = secretaries
    with pytest.raises(NotFound):
        password_reissue.reset_to_sheet(actor=ORG, account_ids=[branch.account_id, 9999])
    assert login_sessions.authenticate(username="zb1", password="secret12345").username == "zb1"


def test_refused_for_a_secretary_for_nobody_and_for_ones_own_account(secretaries):
    branch, _ = secretaries
    with pytest.raises(NotPermitted):
        password_reissue.reset_to_sheet(actor=branch, account_ids=[branch.account_id])
    with pytest.raises(InvalidInput, match="请先选择要重新发放密码的账号"):
        password_reissue.reset_to_sheet(actor=ORG, account_ids=[])
    me = make_account("organizer", username="zzb")
    with pytest.raises(InvalidInput, match="不能在这里重置自己的密码"):
        password_reissue.reset_to_sheet(actor=me, account_ids=[me.account_id, branch.account_id])
    assert login_sessions.authenticate(username="zb1", password="secret12345").username == "zb1"
