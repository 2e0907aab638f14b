"""Changing one's own password; forced after logging in with a one-time password."""

import streamlit as st

from pages.shared.widgets import show_error
from pages.staff import auth
from services.platform.errors import ServiceError
from services.staff import login_sessions
from services.staff.access import Actor


def render(actor: Actor, *, first_login: bool = False) -> None:
    st.title("设置新密码" if first_login else "修改密码")
    if first_login:
        st.info("您使用的是组织部发放的一次性密码，请先设置自己的新密码。")
    with st.form("change_password", clear_on_submit=True):
        old = st.text_input("当前密码", type="password", key="old_password")
        new = st.text_input("新密码（至少 10 位，含字母和数字）", type="password", key="new_password")
        again = st.text_input("再输一次新密码", type="password", key="new_again")
        submitted = st.form_submit_button("保存", type="primary")
    if not submitted:
        return
    if new != again:
        st.error("两次输入的新密码不一致")
        return
    try:
        login_sessions.change_own_password(actor=actor, old_password=old, new_password=new)
    except ServiceError as exc:
        show_error(exc)
        return
    auth.begin_session(actor)  # the change ended every login of the account, this one included
    if first_login:  # on to the home page (the frame sends us there), which says it worked
        st.session_state["home_notice"] = "密码已设置，以后请用新密码登录"
        st.session_state["go_home"] = True
        st.rerun()
    st.success("新密码已保存")
