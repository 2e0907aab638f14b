"""A campaign's status: draft → open → closed → archived. Closing ends voting in every branch and seals it."""

from sqlalchemy import event
from sqlmodel import Session

from models import Campaign, CampaignStatus
from models.audit import AuditAction
from models.campaign import STATUS_LABELS
from services.ballot import sealing
from services.campaign.campaigns import CampaignSummary, get_campaign
from services.platform.clock import now
from services.platform.db import session_scope
from services.platform.errors import InvalidInput, InvalidTransition, NotFound
from services.staff import audit
from services.staff.access import Actor, require_organizer

# Which status may follow which. A closed campaign may reopen (an extended deadline);
# an archived one is history and never changes again.
TRANSITIONS: dict[CampaignStatus, set[CampaignStatus]] = {
    CampaignStatus.draft: {CampaignStatus.open},
    CampaignStatus.open: {CampaignStatus.closed},
    CampaignStatus.closed: {CampaignStatus.open, CampaignStatus.archived},
    CampaignStatus.archived: set(),
}
_STAMPS = {
    CampaignStatus.open: "opened_at",
    CampaignStatus.closed: "closed_at",
    CampaignStatus.archived: "archived_at",
}


def set_status(
    *, actor: Actor, campaign_id: int, status: str, expected: str | None = None, session: Session | None = None
) -> CampaignSummary:
    """Move the campaign to `status`. `expected`: the status the person confirmed the change from (the page's
    confirmation, services/ballot/status_notice.py); if it has changed since, nothing is done."""
    require_organizer(actor, "更改评议活动状态")
    try:
        target = CampaignStatus(status)
    except ValueError:
        raise InvalidInput(f"未知的状态“{status}”，可选：open、closed、archived") from None
    with session_scope(session) as session:
        campaign = session.get(Campaign, campaign_id)
        if campaign is None:
            raise NotFound(f"找不到编号为 {campaign_id} 的评议活动")
        current = CampaignStatus(campaign.status)
        if expected is not None and current != expected:
            raise InvalidTransition(f"该活动的状态已经变为“{STATUS_LABELS[current]}”，没有再作更改：请查看后重新操作")
        if target == current:
            raise InvalidTransition(f"该活动已经是“{STATUS_LABELS[current]}”状态")
        if target not in TRANSITIONS[current]:
            raise InvalidTransition(
                f"不能从“{STATUS_LABELS[current]}”变为“{STATUS_LABELS[target]}”"
                + ("：已归档的活动不能再更改" if current == CampaignStatus.archived else "")
            )
        campaign.status = target
        setattr(campaign, _STAMPS[target], now())
        audit.record(
            session,
            actor,
            AuditAction.campaign_status,
            campaign_id=campaign_id,
            target=campaign.title,
            detail={"from": current.value, "to": target.value},
        )
        if target == CampaignStatus.closed:
            # Voting ends in every branch with the campaign: seal them once the closing is committed,
            # not when someone reads results. A branch that cannot be sealed (its ballot key is
            # missing) is shown on the progress page.
            event.listen(session, "after_commit", lambda _: sealing.seal_campaign(campaign_id), once=True)
        return get_campaign(actor=actor, campaign_id=campaign_id, session=session)
