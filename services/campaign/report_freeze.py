"""A reported filing package is frozen: the unit that reports for a branch, and the check every
writer of a branch's records makes before changing anything."""

from sqlmodel import Session, select

from models import OrgKind, OrgUnit, UnitReport
from models.reporting import FROZEN_STATES
from services.platform.errors import InvalidTransition

FROZEN = "本单位的备案材料已报送组织部，材料已冻结；如需修改，请组织部先退回。"


def unit_of(session: Session, branch: OrgUnit) -> OrgUnit:
    """The unit that reports for a branch: its general branch, or the branch itself when direct."""
    unit = branch
    while unit.parent_id is not None:
        parent = session.get(OrgUnit, unit.parent_id)
        if parent.kind == OrgKind.general_branch:
            return parent
        if parent.kind == OrgKind.party_committee:
            break
        unit = parent
    return branch


def is_frozen(session: Session, campaign_id: int, branch: OrgUnit) -> bool:
    """Whether the branch's records went to the Organization Department with its unit's report."""
    unit = unit_of(session, branch)
    state = session.exec(
        select(UnitReport.state).where(UnitReport.campaign_id == campaign_id, UnitReport.unit_id == unit.id)
    ).first()
    return state in FROZEN_STATES


def require_unreported(session: Session, campaign_id: int, branch: OrgUnit) -> None:
    if is_frozen(session, campaign_id, branch):
        raise InvalidTransition(FROZEN)
