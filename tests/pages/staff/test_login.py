"""Login, first run, logout and the role's pages through the dashboard frame under AppTest."""

import pytest

from services.staff import accounts, audit, login_sessions
from tests.factories import ORG, make_account
from tests.pages.helpers import dashboard, logged_in, nav_titles, rerun_frame

pytestmark = pytest.mark.usefixtures("database")

LIVE = ["测评进度", "组织测评", "未投票提醒", "会场大屏", "群众评议"]
MEETING = [
    "本支部工作进度",
    "集中学习",
    "谈心谈话、征求意见",
    "问题清单",
    "党性分析",
    "组织生活会记录",
    "整改落实",
    "报送与备案",
]
RECORDS = ["党内统计", "历年对比"]  # a branch under a general branch: its own branch over the years only
ORGANIZER_PAGES = [
    "首页",
    "党员花名册",
    *LIVE,
    "纸质票",
    "评议结果",
    "组织处置",
    *MEETING,
    *RECORDS,
    "评议活动与花名册",
    "账号管理",
    "操作日志",
    "修改密码",
    "帮助",
]


def _log_in(at, username: str, password: str):
    at.text_input(key="login_username").set_value(username)
    at.text_input(key="login_password").set_value(password)
    at.button[0].click()
    return rerun_frame(at)


def test_first_run_offers_only_the_first_organizer_account():
    at = dashboard().run()
    assert not at.exception
    assert nav_titles(at) == ["登录"]
    assert at.title[0].value == "欢迎使用民主评议党员系统"
    at.text_input(key="first_username").set_value("zzb")
    at.text_input(key="first_name").set_value("张虹")
    at.text_input(key="first_password").set_value("abc1234567")
    at.text_input(key="first_again").set_value("abc1234567")
    at.button[0].click()
    rerun_frame(at)
    assert not at.exception
    assert nav_titles(at) == ORGANIZER_PAGES
    assert login_sessions.authenticate(username="zzb", password="abc1234567").role == "organizer"


def test_first_run_refuses_mismatched_passwords():
    at = dashboard().run()
    at.text_input(key="first_username").set_value("zzb")
    at.text_input(key="first_name").set_value("张虹")
    at.text_input(key="first_password").set_value("abc1234567")
    at.text_input(key="first_again").set_value("abc12346")
    at.button[0].click()
    rerun_frame(at)
    assert at.error[0].value == "两次输入的密码不一致"
    assert not accounts.any_account()


def test_login_with_the_right_password_opens_the_dashboard():
    make_account("organizer", username="zzb")
    at = dashboard().run()
    assert nav_titles(at) == ["登录"]
    _log_in(at, "zzb", "secret12345")
    assert not at.exception
    assert nav_titles(at) == ORGANIZER_PAGES
    assert at.title[0].value == "民主评议党员"


def test_a_wrong_password_gets_a_plain_message_and_nothing_else():
    make_account("organizer", username="zzb")
    at = _log_in(dashboard().run(), "zzb", "wrong-pass1")
    assert [e.value for e in at.error] == [login_sessions.WRONG]
    assert nav_titles(at) == ["登录"]
    assert len(at.dataframe) == 0


def test_a_disabled_account_cannot_log_in():
    actor = make_account("organizer", username="zb")
    accounts.set_active(actor=ORG, account_id=actor.account_id, active=False)
    at = _log_in(dashboard().run(), "zb", "secret12345")
    assert [e.value for e in at.error] == [login_sessions.WRONG]
    assert nav_titles(at) == ["登录"]


def test_disabling_an_account_ends_its_open_session():
    actor = make_account("organizer", username="zb")
    at = logged_in(actor).run()
    assert nav_titles(at) == ORGANIZER_PAGES
    accounts.set_active(actor=ORG, account_id=actor.account_id, active=False)
    rerun_frame(at)
    assert nav_titles(at) == ["登录"]


def test_logout_returns_to_the_login_form_and_is_logged():
    actor = make_account("organizer", username="zzb")
    at = logged_in(actor).run()
    at.sidebar.button(key="logout_button").click()
    rerun_frame(at)
    assert not at.exception
    assert nav_titles(at) == ["登录"]
    assert at.text_input(key="login_username")
    assert audit.list_entries(actor=ORG, username="zzb")[0].action == "logout"


def test_a_one_time_password_leads_only_to_setting_a_new_one():
    actor = make_account("organizer", username="zb")
    one_time = accounts.reset_password(actor=ORG, account_id=actor.account_id)
    at = _log_in(dashboard().run(), "zb", one_time)
    assert nav_titles(at) == ["设置新密码"]
    at.text_input(key="old_password").set_value(one_time)
    at.text_input(key="new_password").set_value("newpass2021")
    at.text_input(key="new_again").set_value("newpass2021")
    at.button[0].click()
    rerun_frame(at)
    assert nav_titles(at) == ORGANIZER_PAGES
    assert at.title[0].value == "民主评议党员"  # 首页
    assert at.success[0].value == "密码已设置，以后请用新密码登录"


def test_a_new_password_too_short_or_too_common_is_refused_saying_so():
    actor = make_account("organizer", username="zb")
    one_time = accounts.reset_password(actor=ORG, account_id=actor.account_id)
    at = _log_in(dashboard().run(), "zb", one_time)
    for new, message in (("abc12345", "密码至少 10 位，您输入了 8 位"), ("qwerty1234", "这个密码太常见")):
        at.text_input(key="old_password").set_value(one_time)
        at.text_input(key="new_password").set_value(new)
        at.text_input(key="new_again").set_value(new)
        at.button[0].click()
        rerun_frame(at)
        assert message in at.error[0].value
        assert nav_titles(at) == ["设置新密码"]


@pytest.mark.parametrize(
    ("role", "scope", "pages"),
    [
        ("organizer", None, ORGANIZER_PAGES),
        (
            "general_branch_secretary",
            "机关党总支",
            ["首页", "党员花名册", *LIVE, "评议结果", "组织处置", *MEETING, *RECORDS, "修改密码", "帮助"],
        ),
        (
            "branch_secretary",
            "机关党总支/党政办公室党支部",
            [
                "首页",
                "党员花名册",
                *LIVE,
                "纸质票",
                "评议结果",
                "组织处置",
                *MEETING,
                "历年对比",
                "账号管理",
                "修改密码",
                "帮助",
            ],
        ),
        (
            "committee_member",
            "机关党总支/党政办公室党支部",
            ["首页", "党员花名册", *LIVE, "纸质票", "评议结果", "组织处置", *MEETING, "历年对比", "修改密码", "帮助"],
        ),
    ],
)
def test_each_role_sees_only_its_pages(role, scope, pages):
    from services import demo

    demo.load_demo(actor=ORG)
    at = logged_in(make_account(role, scope)).run()
    assert not at.exception
    assert nav_titles(at) == pages


def test_an_anonymous_session_reaches_only_the_login_page():
    make_account("organizer", username="zzb")
    at = dashboard().run()
    assert nav_titles(at) == ["登录"]
    assert [t.value for t in at.title] == ["民主评议党员 · 管理后台"]
    assert len(at.dataframe) == 0
    assert len(at.sidebar.children) == 0


def test_the_addresses_sent_home_spare_every_page_the_dashboard_has():
    from survey.page_addresses import DASHBOARD_PAGES, _unknown

    make_account("organizer", username="zb")
    at = _log_in(dashboard().run(), "zb", "secret12345")
    registered = {info["url_pathname"] for info in at._registered_pages.values()} - {""}
    assert registered <= DASHBOARD_PAGES
    assert not any(_unknown(f"/{name}") for name in registered | {"v", "healthz", "_stcore", "favicon.png"})
    assert _unknown("/no-such-page") and _unknown("/index")
