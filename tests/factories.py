"""Plain factory functions for tests: real service calls with sensible defaults."""

from datetime import date
from pathlib import Path

from services import accounts, campaigns, roster
from services.access import Actor

FIXTURES = Path(__file__).parent / "fixtures"
ORG = Actor(username="organizer-in-tests", display_name="组织部（测试）", role="organizer")


def make_campaign(**overrides) -> int:
    values = {
        "title": "2020年度基层党组织组织生活会和民主评议党员",
        "year": 2020,
        "deadline": date(2021, 3, 20),
        "committee_name": "江海学院党委",
    }
    values.update(overrides)
    return campaigns.create_campaign(actor=ORG, **values)


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def import_fixture(campaign_id: int, name: str) -> roster.ImportReport:
    return roster.import_roster_file(actor=ORG, campaign_id=campaign_id, filename=name, data=fixture_bytes(name))


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    return ("\r\n".join(",".join(r) for r in rows) + "\r\n").encode(encoding)


def make_account(role: str, scope_path: str | None = None, *, username: str | None = None) -> Actor:
    """An account with a known password ("secret123"), returned as the Actor it logs in as."""
    name = username or f"{role}-{scope_path or 'all'}".replace("/", "-")
    accounts.create_account(
        actor=ORG, username=name, display_name=name, role=role, scope_path=scope_path, password="secret123"
    )
    return accounts.authenticate(username=name, password="secret123")
