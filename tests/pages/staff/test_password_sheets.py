"""账号管理's sheets of one-time passwords through AppTest: bulk creation refreshes the account list, the sheet
stays on offer after a download until the organizer closes it, and an organizer hands passwords out again by
resetting chosen accounts (asked to confirm), with names beside user names."""

import io

import pytest
from openpyxl import load_workbook

from services import demo
from services.staff import accounts, audit, login_sessions
from tests.factories import ORG, make_account
from tests.pages.helpers import page

pytestmark = pytest.mark.usefixtures("database")


@pytest.fixture
def organizer():
    demo.load_demo(actor=ORG)
    return make_account("organizer", username="zzb")


def _rows(at) -> list[tuple]:
    """The sheet on offer, as the download button hands it out."""
    sheet = at.session_state["bulk_sheet"][1]
    return list(load_workbook(io.BytesIO(sheet)).active.iter_rows(values_only=True))


def test_bulk_creation_refreshes_the_list_and_the_sheet_stays_until_closed(organizer):
    at = page("staff.accounts_admin", organizer).run()
    at.button(key="bulk_create").click().run()
    assert not at.exception
    assert len(at.dataframe[0].value) == 1 + 16  # the list above shows the new accounts at once
    at.download_button(key="bulk_download").click().run()
    at.download_button(key="bulk_download").click().run()  # a second download: the sheet is still there
    assert len(audit.list_entries(actor=ORG, action="export.download")) == 2
    at.selectbox(key="acct").set_value(at.selectbox(key="acct").options[0]).run()  # working elsewhere on the page
    assert at.download_button(key="bulk_download")
    at.button(key="bulk_dismiss").click().run()
    assert len(at.download_button) == 0
    assert not [b for b in at.button if b.key == "bulk_dismiss"]


def test_passwords_are_handed_out_again_by_resetting_them_after_a_confirmation(organizer):
    at = page("staff.accounts_admin", organizer).run()
    at.button(key="bulk_create").click().run()
    at.button(key="bulk_dismiss").click().run()  # the first sheet is lost
    waiting = at.multiselect(key="reissue_accounts")
    assert len(waiting.value) == 16  # by default: every account not yet logged in
    zb1 = next(a for a in accounts.list_accounts(actor=ORG) if a.username == "zb001")
    waiting.set_value([zb1.id]).run()
    assert at.button(key="reissue_passwords").disabled  # not before the confirmation is ticked
    assert at.checkbox(key="reissue_sure").label.startswith("确认：这会重置所选 1 个账号的密码")
    at.checkbox(key="reissue_sure").check().run()
    at.button(key="reissue_passwords").click().run()
    assert not at.exception
    assert at.success[0].value.startswith("已重置 1 个账号的密码。")
    rows = _rows(at)
    assert rows[0] == ("组织", "角色", "姓名", "用户名", "一次性密码", "说明")
    assert rows[1][:4] == ("机关党总支 / 党政办公室党支部", "支部书记", "党政办公室党支部书记", "zb001")
    assert login_sessions.authenticate(username="zb001", password=rows[1][4]).username == "zb001"
    assert at.checkbox(key="reissue_sure").value is False  # the next reset asks again
