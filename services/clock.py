"""The current time, in one place so every record uses the same zone."""

from datetime import UTC, datetime


def now() -> datetime:
    return datetime.now(UTC)
