"""When a branch's voting is over: the one rule every part of the product asks."""

from datetime import date, datetime, time

from models import BranchVoting, Campaign, CampaignStatus
from services.platform.clock import LOCAL_ZONE, now


def end_of(deadline: date) -> datetime:
    """Voting ends at the end of the campaign's deadline day, in the unit's time zone."""
    return datetime.combine(deadline, time(23, 59, 59), LOCAL_ZONE)


def ended(closed_at: datetime | None, deadline: date, campaign_status: str) -> bool:
    """Whether voting is over: closed by the secretary, past the campaign's deadline day, or the
    campaign itself no longer open."""
    return closed_at is not None or campaign_status != CampaignStatus.open or now() > end_of(deadline)


def is_closed(voting: BranchVoting, campaign: Campaign) -> bool:
    return ended(voting.closed_at, campaign.deadline, campaign.status)


def phase(opened: bool, closed_at: datetime | None, deadline: date, campaign_status: str) -> str:
    """A branch's voting phase (a key of PHASE_LABELS): not opened, open, or ended by any path."""
    if not opened:
        return "not_open"
    return "closed" if ended(closed_at, deadline, campaign_status) else "open"


PHASE_LABELS = {"not_open": "未开启", "open": "进行中", "closed": "已结束"}
