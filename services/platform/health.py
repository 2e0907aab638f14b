"""Liveness of the service and its database, for monitoring (the seals still owed: services/ballot/sealing.py)."""

from sqlalchemy import text

from services.platform.db import get_engine


def database_ok() -> bool:
    try:
        with get_engine().connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except Exception:  # any failure means "not healthy"; the route reports it, not raises
        return False
