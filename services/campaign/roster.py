"""Importing a roster into a campaign: all or nothing, updating in place on re-import."""

from collections import Counter
from dataclasses import dataclass, field

from sqlmodel import Session, select

from models import Campaign, Member, OrgKind, OrgUnit
from models.audit import AuditAction
from services.campaign.roster_match import MEMBER_FIELDS as _MEMBER_FIELDS
from services.campaign.roster_match import importable_campaign, moves
from services.campaign.roster_reader import Roster, RosterRow, read_roster
from services.platform import planner_stats
from services.platform.db import get_engine, session_scope
from services.platform.errors import ImportRejected, RowError
from services.staff import audit
from services.staff.access import Actor, require_organizer


@dataclass(frozen=True)
class ImportReport:
    added: int
    changed: int
    removed: int
    unchanged: int
    members: int
    full: int
    probationary: int
    branches: int
    ignored_columns: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"新增 {self.added} 人，更新 {self.changed} 人，移除 {self.removed} 人，"
            f"未变 {self.unchanged} 人；现有 {self.branches} 个党支部、{self.members} 名党员"
            f"（正式 {self.full}，预备 {self.probationary}）"
        )


def import_roster_file(*, actor: Actor, campaign_id: int, filename: str, data: bytes) -> ImportReport:
    """Read the file and replace the campaign's roster with it; raises ImportRejected."""
    require_organizer(actor, "导入花名册")
    return import_roster(actor=actor, campaign_id=campaign_id, roster=read_roster(filename, data), source=filename)


def import_roster(
    *, actor: Actor, campaign_id: int, roster: Roster, source: str, session: Session | None = None
) -> ImportReport:
    require_organizer(actor, "导入花名册")
    report = _import(actor, campaign_id, roster, source, session)
    if session is None:  # committed here: SQLite's planner learns the new roster's shape
        planner_stats.gather(get_engine())
    return report


def _import(actor: Actor, campaign_id: int, roster: Roster, source: str, within: Session | None) -> ImportReport:
    with session_scope(within) as session:
        campaign = importable_campaign(session, campaign_id)
        units = _sync_units(session, campaign, roster.rows)
        counts = _sync_members(session, campaign_id, roster.rows, units)
        _drop_empty_units(session, campaign_id)
        categories = Counter(r.category for r in roster.rows)
        report = ImportReport(
            **counts,
            members=len(roster.rows),
            full=categories["full"],
            probationary=categories["probationary"],
            branches=len({r.branch_path for r in roster.rows}),
            ignored_columns=roster.ignored_columns,
        )
        audit.record(
            session,
            actor,
            AuditAction.roster_import,
            campaign_id=campaign_id,
            target=source,
            detail={k: counts[k] for k in ("added", "changed", "removed")},
        )
        return report


def _sync_units(session: Session, campaign: Campaign, rows: list[RosterRow]) -> dict[str, OrgUnit]:
    existing = {u.path: u for u in session.exec(select(OrgUnit).where(OrgUnit.campaign_id == campaign.id))}
    root = existing.get("")
    if root is None:
        name = campaign.party_committee_name
        root = OrgUnit(campaign_id=campaign.id, kind=OrgKind.party_committee, name=name, path="")
        session.add(root)
        session.flush()
        existing[""] = root
    for row in rows:
        parent = root
        for depth, (kind, name) in enumerate(row.units, start=1):
            path = "/".join(n for _, n in row.units[:depth])
            unit = existing.get(path)
            if unit is not None and unit.kind != kind:
                message = f"“{name}”已是本活动中的另一类组织（{unit.kind}），请改用不同的名称"
                raise ImportRejected([RowError(row.row, "党支部", message)])
            if unit is None:
                unit = OrgUnit(campaign_id=campaign.id, parent_id=parent.id, kind=kind, name=name, path=path)
                session.add(unit)
                session.flush()
                existing[path] = unit
            parent = unit
    _renumber(rows, existing)
    return existing


def _renumber(rows: list[RosterRow], units: dict[str, OrgUnit]) -> None:
    """Units are listed in the order they first appear in the file."""
    seen: list[str] = []
    for row in rows:
        for depth in range(1, len(row.units) + 1):
            path = "/".join(n for _, n in row.units[:depth])
            if path not in seen:
                seen.append(path)
    for position, path in enumerate(seen, start=1):
        units[path].sort_order = position


def _sync_members(
    session: Session, campaign_id: int, rows: list[RosterRow], units: dict[str, OrgUnit]
) -> dict[str, int]:
    by_id = {u.id: u for u in units.values()}
    current = {
        (by_id[m.branch_id].path, m.name): m
        for m in session.exec(select(Member).where(Member.campaign_id == campaign_id))
    }
    wanted = {(r.branch_path, r.name): r for r in rows}
    moved = {new: current[old] for new, old in moves(set(current), list(wanted)).items()}
    kept = {id(m) for m in moved.values()}
    gone = {key: m for key, m in current.items() if key not in wanted and id(m) not in kept}
    added = changed = unchanged = 0
    for order, row in enumerate(rows, start=1):
        key = (row.branch_path, row.name)
        member = current.get(key) or moved.get(key)
        branch_id = units[row.branch_path].id
        if member is None:
            session.add(
                Member(
                    campaign_id=campaign_id,
                    branch_id=branch_id,
                    roster_order=order,
                    name=row.name,
                    **{f: getattr(row, f) for f in _MEMBER_FIELDS},
                )
            )
            added += 1
            continue
        differs = member.branch_id != branch_id or any(getattr(member, f) != getattr(row, f) for f in _MEMBER_FIELDS)
        member.branch_id = branch_id
        member.roster_order = order
        for f in _MEMBER_FIELDS:
            setattr(member, f, getattr(row, f))
        changed += differs
        unchanged += not differs
    for member in gone.values():
        session.delete(member)
    session.flush()
    return {"added": added, "changed": changed, "removed": len(gone), "unchanged": unchanged}


def _drop_empty_units(session: Session, campaign_id: int) -> None:
    """Units left with no members and no sub-units go, deepest first; the root stays."""
    while True:
        units = session.exec(select(OrgUnit).where(OrgUnit.campaign_id == campaign_id)).all()
        parents = {u.parent_id for u in units}
        used = set(session.exec(select(Member.branch_id).where(Member.campaign_id == campaign_id)))
        empty = [u for u in units if u.path and u.id not in parents and u.id not in used]
        if not empty:
            return
        for unit in empty:
            session.delete(unit)
        session.flush()
