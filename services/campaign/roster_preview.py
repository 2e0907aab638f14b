"""What importing a roster file would do, shown before it is done: members per branch, who is new, who
changes and how, who goes, and the rows with problems. Reads only: nothing is written."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlmodel import Session, select

from models import Member, OrgUnit
from models.member import Category
from services.campaign.roster_match import MEMBER_FIELDS, Key, importable_campaign, moves
from services.campaign.roster_reader import COLUMNS, Roster, RosterRow, check_roster
from services.platform.db import session_scope
from services.platform.errors import ImportRejected, RowError, ServiceError
from services.sheets.reading import read_table
from services.staff.access import Actor, require_organizer

_COUNTS = ("members", "full", "probationary", "added", "changed", "removed")
_KIND_NAMES = {"party_committee": "党委", "general_branch": "党总支", "branch": "党支部"}


@dataclass(frozen=True)
class BranchCount:
    path: str
    members: int  # in the file
    full: int
    probationary: int
    added: int
    changed: int
    removed: int

    @property
    def label(self) -> str:
        return self.path.replace("/", " / ")


@dataclass(frozen=True)
class MemberChange:
    branch: str  # the branch as shown (" / " between levels)
    name: str
    what: str = ""  # for a change: which fields, or where from


@dataclass(frozen=True)
class RosterPreview:
    branches: list[BranchCount] = field(default_factory=list)
    added: list[MemberChange] = field(default_factory=list)
    changed: list[MemberChange] = field(default_factory=list)
    removed: list[MemberChange] = field(default_factory=list)
    unchanged: int = 0
    problems: list[RowError] = field(default_factory=list)
    blocked: str | None = None  # why this campaign's roster cannot be replaced now
    ignored_columns: list[str] = field(default_factory=list)
    examples_skipped: int = 0

    @property
    def can_import(self) -> bool:
        return not self.problems and not self.blocked

    @property
    def members(self) -> int:
        return sum(b.members for b in self.branches)

    def summary(self) -> str:
        full = sum(b.full for b in self.branches)
        branches = sum(1 for b in self.branches if b.members)
        return (
            f"表中有 {branches} 个党支部、{self.members} 名党员（正式 {full}，预备 {self.members - full}）。"
            f"导入后：新增 {len(self.added)} 人，更新 {len(self.changed)} 人，移除 {len(self.removed)} 人，"
            f"未变 {self.unchanged} 人。"
        )


def preview_roster_file(*, actor: Actor, campaign_id: int, filename: str, data: bytes) -> RosterPreview:
    """What import_roster_file would do with this file, against the campaign's current roster."""
    require_organizer(actor, "导入花名册")
    try:
        roster, problems = check_roster(read_table(filename, data))
    except ImportRejected as exc:
        roster, problems = None, exc.errors
    with session_scope() as session:
        try:
            importable_campaign(session, campaign_id)
            blocked = None
        except ServiceError as exc:
            blocked = str(exc)
        if roster is None:  # not a roster at all (no header, not a table): only its problems
            return RosterPreview(problems=problems, blocked=blocked)
        units = {u.path: u for u in session.exec(select(OrgUnit).where(OrgUnit.campaign_id == campaign_id))}
        problems = [*problems, *_kind_conflicts(roster.rows, units)]
        current = _current(session, campaign_id, units)
    return _compare(roster, current, problems, blocked)


def _kind_conflicts(rows: list[RosterRow], units: dict[str, OrgUnit]) -> list[RowError]:
    """A name the campaign already uses for another kind of unit (the import refuses it)."""
    found = []
    for row in rows:
        for depth, (kind, name) in enumerate(row.units, start=1):
            unit = units.get("/".join(n for _, n in row.units[:depth]))
            if unit is not None and unit.kind != kind:
                message = f"“{name}”已是本活动中的{_KIND_NAMES.get(unit.kind, unit.kind)}，请改用不同的名称"
                found.append(RowError(row.row, "党支部", message))
                break
    return found


def _current(session: Session, campaign_id: int, units: dict[str, OrgUnit]) -> dict[Key, Member]:
    paths = {u.id: u.path for u in units.values()}
    members = session.exec(select(Member).where(Member.campaign_id == campaign_id)).all()
    return {(paths[m.branch_id], m.name): m for m in members}


def _compare(
    roster: Roster, current: dict[Key, Member], problems: list[RowError], blocked: str | None
) -> RosterPreview:
    wanted = {(r.branch_path, r.name): r for r in roster.rows}
    moved = moves(set(current), list(wanted))
    kept = set(current) & set(wanted) | set(moved.values())
    added, changed, per_branch = [], [], defaultdict(Counter)
    unchanged = 0
    for key, row in wanted.items():
        tally = per_branch[row.branch_path]
        tally["members"] += 1
        tally["full" if row.category == Category.full else "probationary"] += 1
        old_key = key if key in current else moved.get(key)
        if old_key is None:
            added.append(MemberChange(_shown(row.branch_path), row.name))
            tally["added"] += 1
            continue
        what = _differences(current[old_key], row, old_key[0])
        if what:
            changed.append(MemberChange(_shown(row.branch_path), row.name, what))
            tally["changed"] += 1
        else:
            unchanged += 1
    removed = []
    for key in current:
        if key not in kept:
            removed.append(MemberChange(_shown(key[0]), key[1]))
            per_branch[key[0]]["removed"] += 1
    order = list(dict.fromkeys([r.branch_path for r in roster.rows] + sorted(per_branch)))
    branches = [BranchCount(path, *(per_branch[path][k] for k in _COUNTS)) for path in order]
    return RosterPreview(
        branches=branches,
        added=added,
        changed=changed,
        removed=removed,
        unchanged=unchanged,
        problems=sorted(problems, key=lambda e: e.row or 0),
        blocked=blocked,
        ignored_columns=roster.ignored_columns,
        examples_skipped=roster.examples_skipped,
    )


def _differences(member: Member, row: RosterRow, old_path: str) -> str:
    what = []
    if old_path != row.branch_path:
        what.append(f"从“{_shown(old_path)}”转入")
    what += [COLUMNS[f][0] for f in MEMBER_FIELDS if getattr(member, f) != getattr(row, f)]
    return "、".join(what)


def _shown(path: str) -> str:
    return path.replace("/", " / ")
