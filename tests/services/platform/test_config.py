"""The cookie-signing key: configured, or generated once and kept private; never a placeholder."""

import stat

import pytest

from services.platform.config import ConfigError, cookie_key


def test_key_is_generated_once_and_readable_only_by_its_owner(tmp_path, monkeypatch):
    path = tmp_path / "keys" / "cookie_key"
    monkeypatch.delenv("COOKIE_KEY", raising=False)
    monkeypatch.setenv("COOKIE_KEY_FILE", str(path))
    first = cookie_key()
    assert len(first) >= 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert cookie_key() == first


def test_two_installations_get_different_keys(tmp_path, monkeypatch):
    monkeypatch.delenv("COOKIE_KEY", raising=False)
    monkeypatch.setenv("COOKIE_KEY_FILE", str(tmp_path / "a"))
    a = cookie_key()
    monkeypatch.setenv("COOKIE_KEY_FILE", str(tmp_path / "b"))
    assert cookie_key() != a


def test_configured_key_wins(monkeypatch):
    monkeypatch.setenv("COOKIE_KEY", "k" * 40)
    assert cookie_key() == "k" * 40
    assert cookie_key("s" * 40) == "s" * 40  # from Streamlit secrets


@pytest.mark.parametrize("placeholder", ["changeme", "some_key", "short-key"])
def test_placeholder_keys_are_refused(monkeypatch, placeholder):
    monkeypatch.setenv("COOKIE_KEY", placeholder)
    with pytest.raises(ConfigError, match="COOKIE_KEY"):
        cookie_key()


def test_the_database_files_are_readable_by_their_owner_only(tmp_path):
    import stat

    from services.platform import db

    path = tmp_path / "new-data" / "pingyi.db"
    url = f"sqlite:///{path}"
    db.upgrade(url=url)
    with db.get_engine(url).begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO audit_entry (at, actor, actor_role, action) VALUES ('2021-01-01', 'x', 'organizer', 'logout')"
        )
    mode = lambda p: stat.S_IMODE(p.stat().st_mode)  # noqa: E731
    assert mode(path.parent) == 0o700
    assert mode(path) == 0o600
    assert mode(path.with_name("pingyi.db-wal")) == 0o600
    db.dispose_all()
