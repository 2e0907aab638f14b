"""What an import and its preview agree on: whether the campaign's roster may still be replaced, and which
member of the current roster each row of the file is (same branch and name, or moved branch)."""

from collections import Counter

from sqlmodel import Session, select

from models import BranchVoting, Campaign, CampaignStatus
from services.platform.errors import InvalidTransition, NotFound

Key = tuple[str, str]  # (branch path, name)

MEMBER_FIELDS = (
    "category",
    "gender",
    "phone",
    "party_group",
    "person_id",
    "is_leading_cadre",
    "is_away",
    "is_elderly_ill",
    "note",
)


def importable_campaign(session: Session, campaign_id: int) -> Campaign:
    """The campaign, when its roster may be replaced; otherwise why not."""
    campaign = session.get(Campaign, campaign_id)
    if campaign is None:
        raise NotFound(f"找不到编号为 {campaign_id} 的评议活动")
    if campaign.status not in (CampaignStatus.draft, CampaignStatus.open):
        raise InvalidTransition("该评议活动已结束或归档，不能再导入花名册")
    if session.exec(select(BranchVoting.id).where(BranchVoting.campaign_id == campaign_id)).first():
        # Ballots name members by their record; changing the roster now would change what was voted on.
        raise InvalidTransition("已有党支部开始测评，花名册已锁定，不能再导入")
    return campaign


def moves(current: set[Key], wanted: list[Key]) -> dict[Key, Key]:
    """Members who moved branch: a name found once among the removed and once among the new keeps its
    record (and, later, everything attached to it). New key -> current key."""
    wanted_set = set(wanted)
    gone = [key for key in current if key not in wanted_set]
    new = [key for key in wanted if key not in current]
    gone_names = Counter(name for _, name in gone)
    new_names = Counter(name for _, name in new)
    found = {}
    for key in gone:
        name = key[1]
        if gone_names[name] == 1 and new_names[name] == 1:
            found[next(k for k in new if k[1] == name)] = key
    return found
