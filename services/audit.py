"""Recording and reading the audit log."""

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlmodel import Session, select

from models import AuditEntry
from services.access import Actor, require_organizer
from services.clock import LOCAL_ZONE, now
from services.db import session_scope

ACTION_LABELS = {
    "login.success": "登录",
    "login.failure": "登录失败",
    "login.locked": "账号锁定",
    "logout": "退出登录",
    "account.first_organizer": "创建首个组织部账号",
    "account.create": "创建账号",
    "account.bulk_create": "批量创建书记账号",
    "account.reset_password": "重置密码",
    "account.change_password": "修改密码",
    "account.disable": "停用账号",
    "account.enable": "启用账号",
    "account.scope": "调整权限范围",
    "campaign.create": "创建评议活动",
    "campaign.status": "更改活动状态",
    "campaign.demo": "加载演示数据",
    "roster.import": "导入花名册",
    "export.download": "下载导出文件",
}


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
        return [
            AuditRow(
                at=e.at,
                actor=e.actor,
                action=e.action,
                action_label=ACTION_LABELS.get(e.action, e.action),
                campaign_id=e.campaign_id,
                target=e.target,
                detail=e.detail,
            )
            for e in entries
        ]


def record_download(*, actor: Actor, what: str, campaign_id: int | None = None) -> None:
    """An export left the system: who took which file."""
    with session_scope() as session:
        record(session, actor, "export.download", campaign_id=campaign_id, target=what)


def actors(*, actor: Actor) -> list[str]:
    """Everyone who appears in the log (accounts, removed or not, and the command line)."""
    require_organizer(actor, "查看操作日志")
    with session_scope() as session:
        return sorted(session.exec(select(AuditEntry.actor).distinct()).all())
