"""Settings read once from the environment."""

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = ROOT / "data" / "pingyi.db"


@dataclass(frozen=True)
class Settings:
    database_url: str
    base_url: str


def get_settings() -> Settings:
    return Settings(
        database_url=os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE_PATH}",
        base_url=os.environ.get("BASE_URL", "http://localhost:8501").rstrip("/"),
    )
