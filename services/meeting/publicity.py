"""Publicity (公示): the branch's rectification list and its members' commitments, on a public,
read-only page for the period the secretary sets — and nothing else: no grades, votes or phones.
Publishing also closes the commitments to further editing."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlmodel import Session, select

from models import Campaign, Commitment, Member, OrgUnit, Publicity, RectificationItem
from models.audit import AuditAction
from services.meeting import branch_links
from services.meeting.branch_records import branch_to_read, branch_to_write
from services.platform.batch import table_rows
from services.platform.clock import local, now
from services.platform.db import session_scope
from services.platform.errors import InvalidInput
from services.staff import audit
from services.staff.access import Actor

MIN_DAYS = 5  # the period, first and last day included


@dataclass(frozen=True)
class Period:
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class PublicPage:
    branch_name: str
    campaign_title: str
    state: str  # none | before | during | after
    period: Period | None = None
    rectifications: list[tuple[str, str, str, date, str]] = field(default_factory=list)
    commitments: list[tuple[str, str]] = field(default_factory=list)  # (name, text)


def period(session: Session, campaign_id: int, branch_id: int) -> Period | None:
    rows = table_rows(session, Publicity, campaign_id, branch_id)
    return Period(rows[0].starts_on, rows[0].ends_on) if rows else None


def current_period(*, actor: Actor, campaign_id: int, branch_path: str) -> Period | None:
    with session_scope() as session:
        branch = branch_to_read(session, actor, campaign_id, branch_path)
        return period(session, campaign_id, branch.id)


def publish(*, actor: Actor, campaign_id: int, branch_path: str, starts_on: date, ends_on: date) -> Period:
    if not isinstance(starts_on, date) or not isinstance(ends_on, date):
        raise InvalidInput("请填写公示的起止日期")
    if ends_on < starts_on:
        raise InvalidInput(f"公示结束日期 {ends_on} 早于开始日期 {starts_on}")
    days = (ends_on - starts_on).days + 1
    if days < MIN_DAYS:
        raise InvalidInput(f"公示期为 {days} 天，应不少于 {MIN_DAYS} 天")
    with session_scope() as session:
        branch = branch_to_write(session, actor, campaign_id, branch_path)
        today = local(now()).date()
        running = period(session, campaign_id, branch.id)
        if starts_on < today and not (running and running.starts_on == starts_on):
            # Days before it is published were not public: counting them would count a publicity that never was.
            raise InvalidInput(
                f"公示开始日期 {starts_on} 早于今天（{today}）：公示从发布之日起计算，请从今天或以后开始"
            )
        if ends_on < today:
            raise InvalidInput(f"公示结束日期 {ends_on} 早于今天（{today}），这段公示期已经过去")
        if not session.exec(
            select(RectificationItem.id).where(
                RectificationItem.campaign_id == campaign_id, RectificationItem.branch_id == branch.id
            )
        ).first():
            raise InvalidInput("整改清单还是空的：请先填写整改清单，再发布公示")
        row = session.exec(
            select(Publicity).where(Publicity.campaign_id == campaign_id, Publicity.branch_id == branch.id)
        ).first() or Publicity(campaign_id=campaign_id, branch_id=branch.id, starts_on=starts_on, ends_on=ends_on,
                               published_at=now())  # fmt: skip
        row.starts_on, row.ends_on, row.published_at = starts_on, ends_on, now()
        session.add(row)
        audit.record(
            session, actor, AuditAction.publicity_publish, campaign_id=campaign_id, target=branch_path,
            detail={"from": starts_on.isoformat(), "to": ends_on.isoformat()},
        )  # fmt: skip
    return Period(starts_on, ends_on)


def default_period() -> Period:
    start = local(now()).date() + timedelta(days=1)
    return Period(start, start + timedelta(days=MIN_DAYS - 1))


def public_page(token: str) -> PublicPage | None:
    with session_scope() as session:
        found = branch_links.resolve(session, token, "publicity")
        if found is None:
            return None
        campaign_id, branch_id = found
        campaign, branch = session.get(Campaign, campaign_id), session.get(OrgUnit, branch_id)
        base = {"branch_name": branch.name, "campaign_title": campaign.title}
        shown = period(session, campaign_id, branch_id)
        today = local(now()).date()
        if shown is None:
            return PublicPage(**base, state="none")
        if today < shown.starts_on or today > shown.ends_on:
            return PublicPage(**base, state="before" if today < shown.starts_on else "after", period=shown)
        items = session.exec(
            select(RectificationItem)
            .where(RectificationItem.campaign_id == campaign_id, RectificationItem.branch_id == branch_id)
            .order_by(RectificationItem.position)
        )
        commitments = session.exec(
            select(Member.name, Commitment.text)
            .join(Commitment, Commitment.member_id == Member.id)
            .where(Member.branch_id == branch_id)
            .order_by(Member.roster_order)
        ).all()
        return PublicPage(
            **base, state="during", period=shown,
            rectifications=[(i.problem, i.measures, i.responsible, i.deadline, i.state) for i in items],
            commitments=[tuple(c) for c in commitments],
        )  # fmt: skip
