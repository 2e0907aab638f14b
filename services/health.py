"""Liveness of the service and its database, and seals not yet complete, for monitoring."""

from sqlalchemy import text

from services import sealing
from services.db import get_engine, session_scope


def database_ok() -> bool:
    try:
        with get_engine().connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except Exception:  # any failure means "not healthy"; the route reports it, not raises
        return False


def seals_incomplete() -> int:
    """Branches whose voting has ended but whose ballots are not yet fully sealed."""
    with session_scope() as session:
        return sealing.seals_owed(session)
