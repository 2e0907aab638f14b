"""Settings read from the environment, and the server's secrets: the cookie key and the ballot key."""

import functools
import hashlib
import os
import secrets
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the checkout: services/platform/config.py
DATA_DIR = ROOT / "data"
DEFAULT_SQLITE_PATH = DATA_DIR / "pingyi.db"
_PLACEHOLDERS = {"changeme", "change-me", "secret", "some_key", "some_cookie_key", "random_signature_key"}


class ConfigError(RuntimeError):
    """A setting that must not be used as it is."""


@dataclass(frozen=True)
class Settings:
    database_url: str
    base_url: str | None  # where voter links point; None: the address the dashboard was reached at


def get_settings() -> Settings:
    return Settings(
        database_url=os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE_PATH}",
        base_url=os.environ.get("BASE_URL", "").rstrip("/") or None,
    )


def _checked(key: str, name: str) -> str:
    if len(key) < 32 or key.lower() in _PLACEHOLDERS:
        raise ConfigError(f"{name}太短或是示例值：请设为至少 32 位的随机字符串，或删去让系统自动生成")
    return key


def check_cookie_key(key: str) -> str:
    return _checked(key, "登录 Cookie 密钥（COOKIE_KEY）")


_generated_keys: dict[Path, str] = {}


def _generated(path: Path) -> str:
    """A key generated once and kept beside the data in a file only this user can read. Read once per
    process: every ballot needs it, and the file never changes once made."""
    if path in _generated_keys:
        return _generated_keys[path]
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it a moment ago
            pass
        else:
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_urlsafe(48))
    _generated_keys[path] = path.read_text().strip()
    return _generated_keys[path]


def cookie_key(configured: str | None = None) -> str:
    """The key that signs login cookies: as configured (Streamlit secrets or COOKIE_KEY), or else
    generated once into data/cookie_key.

    Several app instances behind one PostgreSQL should share one configured key.
    """
    key = configured or os.environ.get("COOKIE_KEY")
    if key:
        return check_cookie_key(key)
    return check_cookie_key(_generated(Path(os.environ.get("COOKIE_KEY_FILE", DATA_DIR / "cookie_key"))))


def ballot_key() -> str:
    """The secret that wraps each branch's ballot data key (services/ballot/encryption.py): BALLOT_KEY,
    or `ballot_key` in .streamlit/secrets.toml, or else generated once into data/ballot_key.

    It must never be stored with the database or its backups; several app instances share one.
    """
    key = os.environ.get("BALLOT_KEY") or _secrets_file().get("ballot_key")
    if not key:
        key = _generated(Path(os.environ.get("BALLOT_KEY_FILE", DATA_DIR / "ballot_key")))
    return _checked(str(key), "测评密钥（BALLOT_KEY）")


def _secrets_file() -> dict:
    path = ROOT / ".streamlit" / "secrets.toml"
    try:
        changed = path.stat().st_mtime_ns
    except FileNotFoundError:
        return {}
    return _parsed_secrets(path, changed)


@functools.lru_cache(maxsize=4)
def _parsed_secrets(path: Path, _changed: int) -> dict:
    """secrets.toml parsed once per version of the file (the ballot path asks for the key every time)."""
    with path.open("rb") as f:
        return tomllib.load(f)


def signing_key(purpose: str) -> str:
    """A key for signing `purpose` (e.g. survey forms), derived from the configured secret."""
    return hashlib.sha256(f"{purpose}|{cookie_key()}".encode()).hexdigest()
