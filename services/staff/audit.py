"""Recording and reading the audit log."""

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlmodel import Session, select

from models import AuditEntry, Campaign
from models.audit import AuditAction
from services.platform.clock import LOCAL_ZONE, now
from services.platform.db import session_scope
from services.staff import audit_text
from services.staff.access import Actor, require_organizer


def record(
    session: Session,
    actor: Actor,
    action: str,
    *,
    campaign_id: int | None = None,
    target: str | None = None,
    detail: dict | None = None,
) -> None:
    """Add an entry inside the caller's transaction, so it stands or falls with the change."""
    session.add(
        AuditEntry(
            at=now(),
            actor=actor.username,
            actor_role=actor.role,
            action=action,
            campaign_id=campaign_id,
            target=target,
            detail=json.dumps(detail, ensure_ascii=False) if detail else None,
        )
    )


@dataclass(frozen=True)
class AuditRow:
    at: datetime
    actor: str
    action: str
    action_label: str
    campaign_id: int | None
    target: str | None
    detail: str | None
    campaign_title: str = ""  # the campaign's name as it is now; "" for entries outside any campaign


def list_entries(
    *,
    actor: Actor,
    username: str | None = None,
    action: str | None = None,
    campaign_id: int | None = None,
    since: date | None = None,
    until: date | None = None,
    limit: int = 500,
) -> list[AuditRow]:
    """Newest first, filtered; organizers only."""
    require_organizer(actor, "查看操作日志")
    query = select(AuditEntry)
    if username:
        query = query.where(AuditEntry.actor == username)
    if action:
        query = query.where(AuditEntry.action == action)
    if campaign_id is not None:
        query = query.where(AuditEntry.campaign_id == campaign_id)
    if since:
        query = query.where(AuditEntry.at >= datetime.combine(since, time.min, LOCAL_ZONE))
    if until:
        query = query.where(AuditEntry.at < datetime.combine(until + timedelta(days=1), time.min, LOCAL_ZONE))
    with session_scope() as session:
        entries = session.exec(query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)).all()
        ids = {e.campaign_id for e in entries if e.campaign_id is not None}
        titles = (
            dict(session.exec(select(Campaign.id, Campaign.title).where(Campaign.id.in_(ids))).all()) if ids else {}
        )
        return [
            AuditRow(
                at=e.at,
                actor=e.actor,
                action=e.action,
                action_label=audit_text.action_label(e.action),
                campaign_id=e.campaign_id,
                target=e.target,
                detail=audit_text.describe(e.action, e.detail),
                # a deleted campaign keeps its number: its entries stay, its name is gone
                campaign_title=titles.get(e.campaign_id, f"已删除的活动 #{e.campaign_id}") if e.campaign_id else "",
            )
            for e in entries
        ]


def record_download(*, actor: Actor, what: str, campaign_id: int | None = None) -> None:
    """An export left the system: who took which file."""
    with session_scope() as session:
        record(session, actor, AuditAction.export_download, campaign_id=campaign_id, target=what)


def actors(*, actor: Actor) -> list[str]:
    """Everyone who appears in the log (accounts, removed or not, and the command line)."""
    require_organizer(actor, "查看操作日志")
    with session_scope() as session:
        return sorted(session.exec(select(AuditEntry.actor).distinct()).all())
