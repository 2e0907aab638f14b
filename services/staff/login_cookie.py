"""The dashboard's login cookie, read without Streamlit: who it names and whether that login still holds.
pages/staff/auth.py writes and reads it in a session; survey/upload_guard.py reads it on upload requests."""

import time

import jwt

from services.staff import login_sessions
from services.staff.access import Actor

COOKIE_NAME = "pingyi_login"
COOKIE_DAYS = 1.0


def decode_login(token: str | None, key: str) -> tuple[str, float] | None:
    """The user name and login time a login cookie carries, if we signed it and it has not expired;
    None for anything else (another algorithm, a forged or damaged token, missing claims)."""
    if not token:
        return None
    try:
        claims = jwt.decode(token, key, algorithms=["HS256"])
    except jwt.PyJWTError:
        return None
    username, expiry = claims.get("username"), claims.get("exp_date")
    if not isinstance(username, str) or not isinstance(expiry, int | float) or expiry <= time.time():
        return None
    # Only the user name and the expiry are signed; the login time follows from the expiry.
    return username, expiry - COOKIE_DAYS * 86400


def cookie_actor(token: str | None, key: str) -> Actor | None:
    """The account a login cookie keeps logged in, or None: not ours, expired, or that login has ended
    (logged out, password reset, account disabled)."""
    found = decode_login(token, key)
    return login_sessions.session_actor(*found) if found else None
