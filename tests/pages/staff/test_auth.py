"""The login cookie: only a token we signed logs in; anything else gives the login form, never a crash.
And the parts of streamlit-authenticator we rely on still behave as this code expects."""

import time

import jwt
import pytest

from pages.staff.auth import COOKIE_DAYS, COOKIE_NAME, authenticator, decode_login

KEY = "k" * 48


def _token(claims: dict, key: str = KEY, algorithm: str = "HS256") -> str:
    return jwt.encode(claims, key, algorithm)


def test_a_cookie_we_signed_gives_the_user_and_login_time():
    expiry = time.time() + 3600
    assert decode_login(_token({"username": "zzb", "exp_date": expiry}), KEY) == ("zzb", expiry - COOKIE_DAYS * 86400)


@pytest.mark.parametrize(
    "token",
    [
        jwt.encode({"username": "zzb", "exp_date": time.time() + 3600}, None, algorithm="none"),
        _token({"username": "zzb", "exp_date": time.time() + 3600}, algorithm="HS512"),
        _token({"username": "zzb", "exp_date": time.time() + 3600}, key="another-key-of-thirty-two-characters"),
        _token({"username": "zzb"}),
        _token({"username": "zzb", "exp_date": "tomorrow"}),
        _token({"username": ["zzb"], "exp_date": time.time() + 3600}),
        _token({"username": "zzb", "exp_date": time.time() - 1}),
        "not.a.jwt",
        "",
        None,
    ],
    ids=[
        "alg-none",
        "hs512",
        "other-key",
        "no-expiry",
        "text-expiry",
        "list-name",
        "expired",
        "garbage",
        "empty",
        "none",
    ],
)
def test_any_other_cookie_is_no_login_and_no_crash(token):
    assert decode_login(token, KEY) is None


def test_the_library_parts_we_use_are_still_there(monkeypatch):
    """pages/staff/auth.py writes the cookie through the library's cookie manager and signs with its key:
    if an upgrade of streamlit-authenticator moves either, this fails before any login does."""
    import inspect

    monkeypatch.setenv("COOKIE_KEY", KEY)
    model = authenticator().cookie_controller.cookie_model
    assert model.cookie_key == KEY and model.cookie_name == COOKIE_NAME
    assert {"cookie", "val", "expires_at", "key"} <= set(inspect.signature(model.cookie_manager.set).parameters)
    assert {"cookie", "key"} <= set(inspect.signature(model.cookie_manager.delete).parameters)
