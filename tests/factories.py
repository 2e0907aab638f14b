"""Plain factory functions for tests: real service calls with sensible defaults."""

from datetime import date
from pathlib import Path

from services import campaigns, roster

FIXTURES = Path(__file__).parent / "fixtures"


def make_campaign(**overrides) -> int:
    values = {
        "title": "2020年度基层党组织组织生活会和民主评议党员",
        "year": 2020,
        "deadline": date(2021, 3, 20),
        "committee_name": "江海学院党委",
    }
    values.update(overrides)
    return campaigns.create_campaign(**values)


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def import_fixture(campaign_id: int, name: str) -> roster.ImportReport:
    return roster.import_roster_file(campaign_id=campaign_id, filename=name, data=fixture_bytes(name))


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    return ("\r\n".join(",".join(r) for r in rows) + "\r\n").encode(encoding)
