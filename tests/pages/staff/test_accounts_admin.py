"""Account management and the audit log through AppTest."""

import re
import time

import pytest

from services import demo
from services.staff import accounts, audit, login_sessions
from tests.factories import ORG, make_account
from tests.pages.helpers import page

pytestmark = pytest.mark.usefixtures("database")

BRANCH = "机关党总支/党政办公室党支部"


@pytest.fixture
def organizer():
    demo.load_demo(actor=ORG)
    return make_account("organizer", username="zzb")


def test_organizer_creates_a_branch_secretary_with_a_one_time_password(organizer):
    at = page("staff.accounts_admin", organizer).run()
    at.selectbox(key="new_role").set_value("branch_secretary").run()
    at.selectbox(key="new_scope").set_value(BRANCH).run()
    at.text_input(key="new_username").set_value("zb001")
    at.text_input(key="new_display_name").set_value("王书记")
    at.button(key="FormSubmitter:create_account-创建").click().run()
    assert not at.exception
    message = at.success[0].value
    assert message.startswith("已创建 zb001，一次性密码：")
    one_time = message.split("一次性密码：")[1].split("（")[0]
    actor = login_sessions.authenticate(username="zb001", password=one_time)
    assert (actor.role, actor.scope_path) == ("branch_secretary", BRANCH)
    assert list(at.dataframe[0].value["用户名"]) == ["zzb", "zb001"]  # the list shows the new account


def test_organizer_resets_and_disables_an_account(organizer):
    secretary = make_account("branch_secretary", BRANCH, username="zb9")
    at = page("staff.accounts_admin", organizer).run()
    at.selectbox(key="acct").set_value(secretary.account_id).run()
    at.button(key="reset_password").click().run()
    one_time = at.success[0].value.split("一次性密码：")[1].split("（")[0]
    assert login_sessions.authenticate(username="zb9", password=one_time).username == "zb9"
    at.button(key="toggle_active").click().run()
    assert login_sessions.session_actor("zb9", time.time()) is None


def test_bulk_creation_offers_the_sheet_and_records_its_download(organizer):
    at = page("staff.accounts_admin", organizer).run()
    at.button(key="bulk_create").click().run()
    assert not at.exception
    assert at.success[0].value.startswith("已创建 16 个账号")
    assert len(accounts.list_accounts(actor=ORG)) == 1 + 16
    download = at.download_button(key="bulk_download")
    assert download.label == "下载账号与一次性密码表（.xlsx）"
    download.click().run()
    [entry] = audit.list_entries(actor=ORG, action="export.download")
    assert (entry.actor, entry.target) == ("zzb", "书记账号与一次性密码表")
    assert len(at.download_button) == 1  # still there after a download (tests/pages/staff/test_password_sheets.py)


def test_branch_secretary_may_only_name_committee_members_of_their_branch(organizer):
    secretary = make_account("branch_secretary", BRANCH, username="zb1")
    make_account("branch_secretary", "机电工程学院党总支/教工第一党支部", username="zb2")
    at = page("staff.accounts_admin", secretary).run()
    assert not at.exception
    assert at.selectbox(key="new_role").options == ["支部委员"]
    assert list(at.dataframe[0].value["用户名"]) == ["zb1"]  # sees no one else's account
    at.text_input(key="new_username").set_value("wy1")
    at.text_input(key="new_display_name").set_value("李委员")
    at.button(key="FormSubmitter:create_account-创建").click().run()
    created = [a for a in accounts.list_accounts(actor=ORG) if a.username == "wy1"]
    assert [(a.role, a.scope_path) for a in created] == [("committee_member", BRANCH)]


def test_audit_log_page_lists_and_filters(organizer):
    accounts.reset_password(actor=organizer, account_id=make_account("organizer", username="x1").account_id)
    at = page("staff.audit_log", organizer).run()
    assert not at.exception
    frame = at.dataframe[0].value
    assert "重置密码" in list(frame["操作"])
    at.selectbox(key="audit_action").set_value("account.reset_password").run()
    frame = at.dataframe[0].value
    assert list(frame["操作"]) == ["重置密码"]
    assert list(frame["账号"]) == ["zzb"]
    assert list(frame["对象"]) == ["x1"]


def test_audit_log_page_refuses_a_secretary(organizer):
    at = page("staff.audit_log", make_account("branch_secretary", BRANCH)).run()
    assert at.error[0].value == "只有组织部可以查看操作日志"
    assert len(at.dataframe) == 0
    assert audit.list_entries(actor=ORG)  # the log itself is there


def test_organizer_moves_a_secretary_to_another_branch(organizer):
    secretary = make_account("branch_secretary", BRANCH, username="zb7")
    at = page("staff.accounts_admin", organizer).run()
    at.selectbox(key="acct").set_value(secretary.account_id).run()
    at.selectbox(key="assign_scope").set_value("机电工程学院党总支/教工第一党支部").run()
    at.button(key="assign_save").click().run()
    assert not at.exception
    assert at.success[0].value == "zb7 现为支部书记，管理范围：机电工程学院党总支 / 教工第一党支部"
    moved = next(a for a in accounts.list_accounts(actor=ORG) if a.username == "zb7")
    assert moved.scope_path == "机电工程学院党总支/教工第一党支部"


def test_audit_log_names_the_campaign_and_says_details_in_words(organizer):  # the demo is loaded
    at = page("staff.audit_log", organizer).run()
    frame = at.dataframe[0].value
    imported = frame[frame["操作"] == "导入花名册"].iloc[0]
    assert imported["活动"] == "2026年度基层党组织组织生活会和民主评议党员（演示）"  # not its number
    assert imported["详情"].startswith("新增 300 人")
    assert not any(re.search(r"[a-z_]+：", d) for d in frame["详情"])  # no raw keys anywhere
