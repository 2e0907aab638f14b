"""Login screen, and on a database with no account the creation of the first organizer."""

import streamlit as st
import streamlit_authenticator as stauth

from pages import auth
from pages.widgets import show_error
from services import accounts
from services.errors import ServiceError


def render(authenticator: stauth.Authenticate) -> None:
    st.title("民主评议党员 · 管理后台")
    st.caption("供支部书记、总支书记和组织部使用。党员测评请直接打开支部发给您的链接，无需登录。")
    with st.form("login"):
        username = st.text_input("用户名", key="login_username")
        password = st.text_input("密码", type="password", key="login_password")
        submitted = st.form_submit_button("登录", type="primary")
    if not submitted:
        return
    try:
        actor = accounts.authenticate(username=username, password=password)
    except ServiceError as exc:
        show_error(exc)
        return
    auth.start_session(authenticator, actor)
    st.rerun()


def first_run(authenticator: stauth.Authenticate) -> None:
    st.title("欢迎使用民主评议党员系统")
    st.info("系统里还没有任何账号。请先创建第一个组织部（管理员）账号，之后由它为各级书记开设账号。")
    with st.form("first_organizer"):
        username = st.text_input("用户名（登录用，如 zzb）", key="first_username")
        name = st.text_input("姓名", key="first_name")
        password = st.text_input("密码（至少 8 位，含字母和数字）", type="password", key="first_password")
        again = st.text_input("再输一次密码", type="password", key="first_again")
        submitted = st.form_submit_button("创建并登录", type="primary")
    if not submitted:
        return
    if password != again:
        st.error("两次输入的密码不一致")
        return
    try:
        actor = accounts.create_first_organizer(username=username, display_name=name, password=password)
    except ServiceError as exc:
        show_error(exc)
        return
    auth.start_session(authenticator, actor)
    st.rerun()
