"""The cap on 优秀 (“评定为‘优秀’的比例一般不超过……的三分之一”): one rule, used by the ballot, the paper
ballot, the suggestion, the grades' checks, the results page, every sheet and the command line.

The base is the campaign's setting (Campaign.cap_base, chosen when it is set up): the full members taking
part (“full”, the default: only full members are graded) or every member taking part, probationary members
included (“all”: the notice's “党员总数”, where the unit decides so). Members marked 未参加评议 are never in
the base. The cap is the base times the campaign's fraction, rounded down.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from models import Campaign, Member
from models.campaign import CAP_BASES
from services.campaign.members import takes_part

DEFAULT_CAP_BASE = "full"
_FRACTION_WORDS = {(1, 2): "二分之一", (1, 3): "三分之一", (1, 4): "四分之一", (1, 5): "五分之一"}


@dataclass(frozen=True)
class ExcellentCap:
    limit: int  # how many may be 优秀
    base: int  # how many members the fraction is taken of
    base_kind: str  # a CAP_BASES key
    fraction: tuple[int, int]

    @property
    def base_label(self) -> str:
        return CAP_BASES[self.base_kind]

    @property
    def fraction_words(self) -> str:
        num, den = self.fraction
        return _FRACTION_WORDS.get(self.fraction, f"{num}/{den}")

    @property
    def basis(self) -> str:
        """参评正式党员 7 人的三分之一"""
        return f"{self.base_label} {self.base} 人的{self.fraction_words}"

    @property
    def rule(self) -> str:
        """The sentence printed wherever the cap is shown."""
        return f"“优秀”名额：{self.basis}，向下取整为 {self.limit} 人"


def base_words(base_kind: str) -> str:
    """How the setting reads where no count is known yet (the campaign form, a campaign's summary)."""
    return CAP_BASES.get(base_kind, CAP_BASES[DEFAULT_CAP_BASE])


def excellent_cap(campaign: Campaign, members: Iterable[Member], *, as_of: datetime | None = None) -> ExcellentCap:
    """The cap for a branch of these members (all of its roster: those not taking part are left out here).
    `as_of`: the branch's voting opened then — the ballot's cap, fixed as the ballot opened (members.takes_part)."""
    taking = [m for m in members if takes_part(m, as_of)]
    kind = campaign.cap_base if campaign.cap_base in CAP_BASES else DEFAULT_CAP_BASE
    base = len(taking) if kind == "all" else sum(1 for m in taking if m.category == "full")
    num, den = campaign.excellent_cap_num, campaign.excellent_cap_den
    return ExcellentCap(limit=base * num // den, base=base, base_kind=kind, fraction=(num, den))
