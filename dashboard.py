"""The Streamlit frame for staff: page config, login, the role's pages, shared sidebar."""

from functools import partial

import streamlit as st

from models.account import Role
from pages import (
    accounts_admin,
    audit_log,
    auth,
    campaign_setup,
    home,
    login,
    meeting_screen,
    paper_ballots,
    password,
    progress,
    reminders,
    roster_view,
    voting,
)
from pages.plain_text import plain
from services import accounts, db
from services.access import Actor

st.set_page_config(page_title="民主评议党员", page_icon=":material/how_to_vote:", layout="wide")
db.ensure_schema()


def pages_for(actor: Actor) -> list[st.Page]:
    """A role sees only its own pages; each page and every service check access again."""
    pages = [
        st.Page(partial(home.render, actor), title="首页", icon=":material/home:", url_path="start", default=True),
        # The home page lives at "/"; an address ending in /home (a bookmark, a typed guess) lands there too.
        st.Page(partial(home.render, actor), title="首页", url_path="home", visibility="hidden"),
        st.Page(partial(roster_view.render, actor), title="党员花名册", icon=":material/groups:", url_path="roster"),
    ]
    pages += [
        st.Page(partial(progress.render, actor), title="测评进度", icon=":material/monitoring:", url_path="progress"),
        st.Page(partial(voting.render, actor), title="组织测评", icon=":material/how_to_vote:", url_path="voting"),
        st.Page(
            partial(reminders.render, actor), title="未投票提醒", icon=":material/notifications:", url_path="remind"
        ),
        st.Page(partial(meeting_screen.render, actor), title="会场大屏", icon=":material/tv:", url_path="screen"),
    ]
    if actor.role in (Role.organizer, Role.branch_secretary, Role.branch_committee):
        pages.append(
            st.Page(partial(paper_ballots.render, actor), title="纸质票", icon=":material/edit_note:", url_path="paper")
        )
    if actor.is_organizer:
        pages.append(
            st.Page(
                partial(campaign_setup.render, actor),
                title="评议活动与花名册",
                icon=":material/event_note:",
                url_path="campaigns",
            )
        )
    if actor.role in (Role.organizer, Role.branch_secretary):
        pages.append(
            st.Page(
                partial(accounts_admin.render, actor), title="账号管理", icon=":material/badge:", url_path="accounts"
            )
        )
    if actor.is_organizer:
        pages.append(
            st.Page(partial(audit_log.render, actor), title="操作日志", icon=":material/history:", url_path="audit")
        )
    pages.append(st.Page(partial(password.render, actor), title="修改密码", icon=":material/key:", url_path="password"))
    return pages


def _log_out(actor: Actor) -> None:
    accounts.log_out(actor=actor)
    auth.end_session()


authenticator = auth.authenticator()
actor = auth.current_actor(authenticator)
if actor is None:
    screen = login.render if accounts.any_account() else login.first_run
    pages = [
        st.Page(screen, title="登录", url_path="login", default=True),
        st.Page(screen, title="登录", url_path="home", visibility="hidden"),
    ]
    navigation = st.navigation(pages, position="hidden")
elif accounts.needs_new_password(actor):
    first = partial(password.render, actor, first_login=True)
    navigation = st.navigation([st.Page(first, title="设置新密码", url_path="password", default=True)])
else:
    pages = pages_for(actor)
    navigation = st.navigation(pages)
    if st.session_state.pop("go_home", False):  # just set a first password: start at 首页
        st.switch_page(pages[0])
if actor is not None:
    st.sidebar.markdown(f"**{plain(actor.display_name)}**　{actor.role_label}")
    st.sidebar.caption(f"管理范围：{plain(actor.scope_label)}")
    st.sidebar.button("退出登录", key="logout_button", on_click=_log_out, args=(actor,))
navigation.run()
