"""The key that signs the dashboard's login cookie, read without the cookie component. app.py hands it to
survey/upload_guard.py, which must not import pages.staff.auth: Streamlit registers a component only when
it is declared during a run of the dashboard, so importing auth.py anywhere else (on an upload request, say)
would leave the login cookie's component unregistered for the life of the process, and no browser would
get a login cookie."""

import streamlit as st

from services.platform.config import cookie_key


def _configured_key() -> str | None:
    try:
        return st.secrets.get("cookie_key")
    except Exception:  # no secrets.toml at all: Streamlit raises its own not-found error
        return None


def login_key() -> str:
    """As configured (`cookie_key` in Streamlit secrets, or COOKIE_KEY), or else the generated one."""
    return cookie_key(_configured_key())
