"""The dashboard's login session: streamlit-authenticator's signed cookie, our accounts service.

Cookies are written by a front-end component, so a cookie change is only made in a run that is
left to finish: login and logout happen in widget callbacks, and the next run writes the cookie.
"""

import time

import streamlit as st
import streamlit_authenticator as stauth

from services import accounts
from services.access import Actor
from services.config import cookie_key

COOKIE_NAME = "pingyi_login"
COOKIE_DAYS = 1.0
_PENDING = "_login_cookie_pending"


def _configured_key() -> str | None:
    try:
        return st.secrets.get("cookie_key")
    except Exception:  # no secrets.toml at all: Streamlit raises its own not-found error
        return None


def authenticator() -> stauth.Authenticate:
    # Passwords are checked by services.accounts, not by the library: it only signs the cookie
    # that keeps a staff member logged in across page reloads.
    return stauth.Authenticate(
        {"usernames": {}}, COOKIE_NAME, cookie_key(_configured_key()), COOKIE_DAYS, auto_hash=False
    )


def current_actor(auth: stauth.Authenticate) -> Actor | None:
    """The logged-in account, re-read every run so a disabled or logged-out login ends at once."""
    pending = st.session_state.pop(_PENDING, None)
    if pending == "set":
        auth.cookie_controller.set_cookie()
    elif pending == "delete":
        auth.cookie_controller.delete_cookie()
    username, logged_in_at = None, None
    if st.session_state.get("authentication_status"):
        username, logged_in_at = st.session_state.get("username"), st.session_state.get("logged_in_at")
    if username is None or logged_in_at is None:
        token = auth.cookie_controller.get_cookie()
        if token:
            # The library signs only the user name and the expiry; the login time follows from it.
            username, logged_in_at = token.get("username"), token["exp_date"] - COOKIE_DAYS * 86400
    if username is None or logged_in_at is None:
        return None
    actor = accounts.session_actor(username, logged_in_at)
    if actor is None:
        end_session()
        auth.cookie_controller.delete_cookie()
        st.session_state.pop(_PENDING, None)
        return None
    _remember(actor, logged_in_at)
    return actor


def begin_session(actor: Actor) -> None:
    """Called from a login callback; the following run writes the cookie."""
    _remember(actor, time.time())
    st.session_state["logout"] = None
    st.session_state[_PENDING] = "set"


def end_session() -> None:
    for key in ("username", "name", "authentication_status", "logged_in_at"):
        st.session_state[key] = None
    st.session_state["logout"] = True  # the library then ignores the cookie in this session
    st.session_state[_PENDING] = "delete"


def _remember(actor: Actor, logged_in_at: float) -> None:
    st.session_state["logged_in_at"] = logged_in_at
    st.session_state["username"] = actor.username
    st.session_state["name"] = actor.display_name
    st.session_state["authentication_status"] = True
