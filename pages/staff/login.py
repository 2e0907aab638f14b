"""Login screen, and on a database with no account the creation of the first organizer."""

import streamlit as st

from pages.shared.plain_text import plain
from pages.staff import auth
from services.platform.errors import ServiceError
from services.staff import accounts, login_sessions

_ERROR = "_login_error"


def render() -> None:
    st.title("民主评议党员 · 管理后台")
    st.caption("供支部书记、总支书记和组织部使用。党员测评请直接打开支部发给您的链接，无需登录。")
    with st.form("login"):
        st.text_input("用户名", key="login_username")
        st.text_input("密码", type="password", key="login_password")
        st.form_submit_button("登录", type="primary", on_click=_log_in)
    if error := st.session_state.pop(_ERROR, None):
        st.error(plain(error))  # the service's words may quote what was typed


def _log_in() -> None:
    try:
        actor = login_sessions.authenticate(
            username=st.session_state["login_username"], password=st.session_state["login_password"]
        )
    except ServiceError as exc:
        st.session_state[_ERROR] = str(exc)
        return
    auth.begin_session(actor)


def first_run() -> None:
    st.title("欢迎使用民主评议党员系统")
    st.info("系统里还没有任何账号。请先创建第一个组织部（管理员）账号，之后由它为各级书记开设账号。")
    with st.form("first_organizer"):
        st.text_input("用户名（登录用，如 zzb）", key="first_username")
        st.text_input("姓名", key="first_name")
        st.text_input("密码（至少 10 位，含字母和数字）", type="password", key="first_password")
        st.text_input("再输一次密码", type="password", key="first_again")
        st.form_submit_button("创建并登录", type="primary", on_click=_create_first)
    if error := st.session_state.pop(_ERROR, None):
        st.error(plain(error))  # the service's words may quote what was typed


def _create_first() -> None:
    state = st.session_state
    if state["first_password"] != state["first_again"]:
        state[_ERROR] = "两次输入的密码不一致"
        return
    try:
        actor = accounts.create_first_organizer(
            username=state["first_username"], display_name=state["first_name"], password=state["first_password"]
        )
    except ServiceError as exc:
        state[_ERROR] = str(exc)
        return
    auth.begin_session(actor)
