"""The Streamlit frame for staff: page config, login, the role's pages, shared sidebar."""

from functools import partial

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from pages.ballot import meeting_screen, paper_ballots, reminders, representatives, voting
from pages.campaign import campaign_setup, home, roster_view
from pages.filing import reporting
from pages.grading import dispositions, results
from pages.meeting import meeting_record, problems, rectification, self_reviews, study, talks
from pages.progress import checklist, overview
from pages.records import statistics as party_statistics
from pages.records import trends
from pages.shared import chinese_ui, help_page
from pages.shared.phone_menu import fold_after_choice
from pages.shared.plain_text import plain
from pages.shared.storage_guard import storage_guard
from pages.staff import accounts_admin, audit_log, auth, login, password
from services.platform import db
from services.staff import accounts, login_sessions
from services.staff.access import Actor, manages_accounts, runs_votes

st.set_page_config(page_title="民主评议党员", page_icon=":material/how_to_vote:", layout="wide")
chinese_ui.apply()  # Streamlit's own words in Chinese (pages/shared/chinese_ui.py)


# Every page, in sections in the order a secretary works through the year: (module, title, icon, address,
# who sees it). A role sees only the pages whose predicate (from services/staff/access.py) admits it; each
# page and every service check access again.
_EVERYONE = lambda _actor: True  # noqa: E731
SECTIONS = {
    "": [
        (home, "首页", "home", "start", _EVERYONE),
        (roster_view, "党员花名册", "groups", "roster", _EVERYONE),
    ],
    "民主测评": [
        (overview, "测评进度", "monitoring", "progress", _EVERYONE),
        (voting, "组织测评", "how_to_vote", "voting", _EVERYONE),
        (reminders, "未投票提醒", "notifications", "remind", _EVERYONE),
        (meeting_screen, "会场大屏", "tv", "screen", _EVERYONE),
        (representatives, "群众评议", "diversity_3", "masses", _EVERYONE),
        (paper_ballots, "纸质票", "edit_note", "paper", runs_votes),
    ],
    "评定与审批": [
        (results, "评议结果", "fact_check", "results", _EVERYONE),
        (dispositions, "组织处置", "gavel", "dispositions", _EVERYONE),
    ],
    "组织生活会": [
        (checklist, "本支部工作进度", "checklist", "steps", _EVERYONE),
        (study, "集中学习", "menu_book", "study", _EVERYONE),
        (talks, "谈心谈话、征求意见", "forum", "talks", _EVERYONE),
        (problems, "问题清单", "report", "problems", _EVERYONE),
        (self_reviews, "党性分析", "rate_review", "self-reviews", _EVERYONE),
        (meeting_record, "组织生活会记录", "groups_3", "meeting", _EVERYONE),
        (rectification, "整改落实", "task_alt", "rectification", _EVERYONE),
    ],
    "报送": [
        (reporting, "报送与备案", "inventory_2", "filing", _EVERYONE),
    ],
    "统计与历年": [
        (party_statistics, "党内统计", "table_chart", "statistics", party_statistics.admits),
        (trends, "历年对比", "trending_up", "trends", _EVERYONE),  # a branch's secretary: his branch over the years
    ],
    "设置": [
        (campaign_setup, "评议活动与花名册", "event_note", "campaigns", lambda a: a.is_organizer),
        (accounts_admin, "账号管理", "badge", "accounts", manages_accounts),
        (audit_log, "操作日志", "history", "audit", lambda a: a.is_organizer),
        (password, "修改密码", "key", "password", _EVERYONE),
        (help_page, "帮助", "help", "help", _EVERYONE),
    ],
}


def pages_for(actor: Actor) -> dict[str, list[st.Page]]:
    """The role's pages by section; a section none of whose pages admit the role is left out."""
    sections = {
        section: [
            st.Page(
                partial(module.render, actor),
                title=title,
                icon=f":material/{icon}:",
                url_path=path,
                default=module is home,
            )
            for module, title, icon, path, admits in entries
            if admits(actor)
        ]
        for section, entries in SECTIONS.items()
    }
    # The home page lives at "/"; an address ending in /home (a bookmark, a typed guess) lands there too.
    sections[""].append(st.Page(partial(home.render, actor), title="首页", url_path="home", visibility="hidden"))
    return {section: pages for section, pages in sections.items() if pages}


def _requested_address() -> str | None:
    """The page named by the address the browser opened with (a bookmark, a typed guess), if any: one no page
    has (survey/page_addresses.py sends it home as ?missing=), or a page's name as Streamlit received it. Kept
    until the account is known: the first run after a reload may come before the login cookie is read."""
    ctx = get_script_run_ctx()
    name = ctx.pages_manager.intended_page_name if ctx is not None else None
    if (missing := st.query_params.get("missing")) is not None:
        name = missing[:60]
        del st.query_params["missing"]
    if name:
        st.session_state["_requested_address"] = name
    return st.session_state.get("_requested_address")


def _unknown_address(known: set[str]) -> str | None:
    """The requested address when it names no page of this account: Streamlit then runs 首页, and 首页 says so
    instead of landing there silently."""
    name = _requested_address()
    st.session_state.pop("_requested_address", None)
    return name if name and name not in known else None


def _log_out(actor: Actor) -> None:
    login_sessions.log_out(actor=actor)
    auth.end_session()


# A database that is full or out of reach: a plain message instead of a stack trace.
with storage_guard():
    db.ensure_schema()
    authenticator = auth.authenticator()
    actor = auth.current_actor(authenticator)
    if actor is None:
        _requested_address()
        screen = login.render if accounts.any_account() else login.first_run
        pages = [
            st.Page(screen, title="登录", url_path="login", default=True),
            st.Page(screen, title="登录", url_path="home", visibility="hidden"),
        ]
        navigation = st.navigation(pages, position="hidden")
    elif login_sessions.needs_new_password(actor):
        first = partial(password.render, actor, first_login=True)
        navigation = st.navigation([st.Page(first, title="设置新密码", url_path="password", default=True)])
    else:
        sections = pages_for(actor)
        pages = [page for section in sections.values() for page in section]
        st.session_state["_pages"] = {page.url_path: page for page in pages}  # for links between pages
        if (unknown := _unknown_address({page.url_path for page in pages} | {"start", "home", "login"})) is not None:
            st.session_state[home.UNKNOWN_ADDRESS] = unknown
        navigation = st.navigation(sections, expanded=True)  # every page listed: no "View 7 more"
        if navigation.url_path not in ("", "start", "home"):  # 首页 says "no such page" until another page is opened
            st.session_state.pop(home.UNKNOWN_ADDRESS, None)
        fold_after_choice(navigation.url_path)
        if st.session_state.pop("go_home", False):  # just set a first password: start at 首页
            st.switch_page(pages[0])
    if actor is not None:
        st.sidebar.markdown(f"**{plain(actor.display_name)}**　{actor.role_label}")
        st.sidebar.caption(f"管理范围：{plain(actor.scope_label)}")
        st.sidebar.button("退出登录", key="logout_button", on_click=_log_out, args=(actor,))
    navigation.run()
