"""Liveness of the service and its database, for monitoring."""

from sqlalchemy import text

from services.db import get_engine


def database_ok() -> bool:
    try:
        with get_engine().connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except Exception:  # any failure means "not healthy"; the route reports it, not raises
        return False
