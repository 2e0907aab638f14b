"""The dashboard's login session: streamlit-authenticator's signed cookie, our accounts service."""

import streamlit as st
import streamlit_authenticator as stauth

from services import accounts
from services.access import Actor
from services.config import cookie_key

COOKIE_NAME = "pingyi_login"
COOKIE_DAYS = 1.0


def _configured_key() -> str | None:
    try:
        return st.secrets.get("cookie_key")
    except FileNotFoundError:
        return None
    except Exception:  # no secrets.toml at all: Streamlit raises its own not-found error
        return None


def authenticator() -> stauth.Authenticate:
    # Passwords are checked by services.accounts, not by the library: it only signs the cookie
    # that keeps a staff member logged in across page reloads.
    return stauth.Authenticate(
        {"usernames": {}}, COOKIE_NAME, cookie_key(_configured_key()), COOKIE_DAYS, auto_hash=False
    )


def current_actor(auth: stauth.Authenticate) -> Actor | None:
    """The logged-in account, re-read every run so a disabled account loses access at once."""
    username = st.session_state.get("username") if st.session_state.get("authentication_status") else None
    if username is None:
        token = auth.cookie_controller.get_cookie()
        username = token.get("username") if token else None
    if username is None:
        return None
    actor = accounts.session_actor(username)
    if actor is None:
        end_session(auth)
        return None
    _remember(actor)
    return actor


def start_session(auth: stauth.Authenticate, actor: Actor) -> None:
    _remember(actor)
    st.session_state["logout"] = None
    auth.cookie_controller.set_cookie()


def end_session(auth: stauth.Authenticate) -> None:
    if st.session_state.get("authentication_status"):
        auth.logout(location="unrendered")
    else:
        auth.cookie_controller.delete_cookie()
    for key in ("username", "name", "authentication_status"):
        st.session_state[key] = None


def _remember(actor: Actor) -> None:
    st.session_state["username"] = actor.username
    st.session_state["name"] = actor.display_name
    st.session_state["authentication_status"] = True
