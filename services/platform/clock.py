"""The current time, and the unit's local zone for showing and filtering times."""

import os
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

LOCAL_ZONE = ZoneInfo(os.environ.get("LOCAL_TIMEZONE", "Asia/Shanghai"))


def now() -> datetime:
    return datetime.now(UTC)


def local(moment: datetime) -> datetime:
    """A stored time in the unit's zone (SQLite hands back naive UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(LOCAL_ZONE)
