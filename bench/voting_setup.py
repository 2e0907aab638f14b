"""Shared set-up for the ballot benchmarks (not a benchmark itself).

An open campaign whose branches have only full members, voting open and one link issued per member.
"""

import math
import os
import secrets
import tempfile
from datetime import date

from services.ballot import voter_links
from services.ballot.voter_links import IssuedLink
from services.staff.access import Actor

ORG = Actor(username="bench", display_name="bench", role="organizer")


def use_database() -> str:
    """DATABASE_URL as given, or a fresh temporary SQLite file; also a signing key for the forms."""
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    # Without them the keys would be generated into data/ of the checkout.
    os.environ.setdefault("COOKIE_KEY", secrets.token_urlsafe(48))
    os.environ.setdefault("BALLOT_KEY", secrets.token_urlsafe(48))
    return os.environ["DATABASE_URL"]


def open_branches(sizes: list[int]) -> tuple[int, dict[str, list[IssuedLink]]]:
    """One branch per entry of `sizes` (its number of full members); returns campaign id and links per branch."""
    from services.ballot import campaign_status, voting
    from services.campaign import campaigns, roster
    from services.campaign.roster_reader import Roster, RosterRow
    from services.platform.clock import now

    year = now().year
    campaign_id = campaigns.create_campaign(
        actor=ORG, title=f"基准测试 {secrets.token_hex(3)}", year=year, deadline=date(year + 1, 3, 20)
    )
    rows: list[RosterRow] = []
    for b, size in enumerate(sizes):
        units = (("general_branch", f"第{b // 10 + 1}党总支"), ("branch", f"第{b + 1}党支部"))
        for i in range(size):
            rows.append(RosterRow(row=len(rows) + 1, units=units, name=f"党员{b:03d}{i:03d}", category="full"))
    roster.import_roster(actor=ORG, campaign_id=campaign_id, roster=Roster(rows, []), source="bench")
    campaign_status.set_status(actor=ORG, campaign_id=campaign_id, status="open")
    links: dict[str, list[IssuedLink]] = {}
    for path in dict.fromkeys(r.branch_path for r in rows):
        voting.open_voting(actor=ORG, campaign_id=campaign_id, branch_path=path)
        links[path] = voter_links.issue_links(
            actor=ORG, campaign_id=campaign_id, branch_path=path, base_url="http://bench"
        )
    return campaign_id, links


def branch_sizes(phones: int, branch_size: int) -> list[int]:
    """`phones` voters spread evenly over as few branches as keep each within `branch_size`."""
    n = math.ceil(phones / branch_size)
    return [phones // n + (i < phones % n) for i in range(n)]


def tokens_of(links: dict[str, list[IssuedLink]]) -> list[str]:
    return [link.token for branch in links.values() for link in branch]


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100)."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(p / 100 * len(ordered)) - 1))]
