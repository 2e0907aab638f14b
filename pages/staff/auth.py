"""The dashboard's login session: streamlit-authenticator's signed cookie, our accounts service.

Cookies are written by a front-end component, which acts only once its frame has loaded; a rerun
in between (the cookie component itself triggers one) would remove it unexecuted. So the session
that logged in (or out) asks for the same cookie write on every run, with the same arguments:
the browser performs it once.
"""

import contextlib
import time
from datetime import datetime

import jwt
import streamlit as st
import streamlit_authenticator as stauth

from pages.staff.login_key import login_key
from services.staff import login_sessions
from services.staff.access import Actor
from services.staff.login_cookie import COOKIE_DAYS, COOKIE_NAME, decode_login

_COOKIE = "_login_cookie"  # ("set", expiry) after logging in here, ("delete", None) after logging out


def authenticator() -> stauth.Authenticate:
    # Passwords are checked by services.staff.accounts, not by the library: it only signs the cookie
    # that keeps a staff member logged in across page reloads.
    return stauth.Authenticate({"usernames": {}}, COOKIE_NAME, login_key(), COOKIE_DAYS, auto_hash=False)


def current_actor(auth: stauth.Authenticate) -> Actor | None:
    """The logged-in account, re-read every run so a disabled or logged-out login ends at once."""
    _write_cookie(auth)
    username, logged_in_at = None, None
    if st.session_state.get("authentication_status"):
        username, logged_in_at = st.session_state.get("username"), st.session_state.get("logged_in_at")
    if (username is None or logged_in_at is None) and not st.session_state.get("logout"):
        found = decode_login(st.context.cookies.get(COOKIE_NAME), auth.cookie_controller.cookie_model.cookie_key)
        if found:
            username, logged_in_at = found
    if username is None or logged_in_at is None:
        return None
    actor = login_sessions.session_actor(username, logged_in_at)
    if actor is None:
        end_session()
        _write_cookie(auth)
        return None
    _remember(actor, logged_in_at)
    return actor


def keep_live(actor: Actor) -> None:
    """At the start of every run of a live fragment, which reruns on its own without the frame: once the
    login has ended (logged out elsewhere, disabled, password reset) the whole app reruns, and its frame
    shows the login form instead of refreshing figures for nobody."""
    logged_in_at = st.session_state.get("logged_in_at")
    if logged_in_at is not None and login_sessions.session_actor(actor.username, logged_in_at) is None:
        end_session()
        st.rerun(scope="app")


def begin_session(actor: Actor) -> None:
    """Called from a login callback; the following run writes the cookie."""
    _remember(actor, time.time())
    st.session_state["logout"] = None
    st.session_state[_COOKIE] = ("set", time.time() + COOKIE_DAYS * 86400)


def end_session() -> None:
    for key in ("username", "name", "authentication_status", "logged_in_at"):
        st.session_state[key] = None
    st.session_state["logout"] = True  # the library then ignores the cookie in this session
    st.session_state[_COOKIE] = ("delete", None)


def _write_cookie(auth: stauth.Authenticate) -> None:
    action, expiry = st.session_state.get(_COOKIE, (None, None))
    model = auth.cookie_controller.cookie_model
    if action == "set":
        # The same claims the library signs (user name, expiry), with an expiry fixed at login.
        token = jwt.encode({"username": st.session_state["username"], "exp_date": expiry}, model.cookie_key, "HS256")
        model.cookie_manager.set(COOKIE_NAME, token, expires_at=datetime.fromtimestamp(expiry), key="set")
    elif action == "delete":
        # KeyError: the component has not reported this cookie, so there is nothing to delete.
        with contextlib.suppress(KeyError):
            model.cookie_manager.delete(COOKIE_NAME, key="delete")


def _remember(actor: Actor, logged_in_at: float) -> None:
    st.session_state["logged_in_at"] = logged_in_at
    st.session_state["username"] = actor.username
    st.session_state["name"] = actor.display_name
    st.session_state["authentication_status"] = True
