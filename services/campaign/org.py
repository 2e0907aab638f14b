"""Reading a campaign's organization tree with member counts per branch."""

from dataclasses import dataclass

from sqlalchemy import bindparam, case, func
from sqlmodel import Session, select

from models import Member, OrgKind, OrgUnit
from services.platform.db import READS, session_scope
from services.platform.errors import InvalidInput, NotFound
from services.staff.access import Actor, can_see

DIRECT = "（直属党支部）"


@dataclass(frozen=True)
class BranchRow:
    path: str
    parent: str  # the names above the branch, or DIRECT for a branch right under the committee
    name: str
    full: int
    probationary: int

    @property
    def members(self) -> int:
        return self.full + self.probationary


def branch_rows(*, actor: Actor, campaign_id: int) -> list[BranchRow]:
    """The branches of the campaign within the actor's scope, in roster order, with member counts."""
    with session_scope() as session:
        units = session.exec(
            select(OrgUnit.id, OrgUnit.kind, OrgUnit.path, OrgUnit.name).where(OrgUnit.campaign_id == campaign_id)
        ).all()
        counts = {
            branch_id: (int(full or 0), total - int(full or 0))
            for branch_id, total, full in session.exec(
                select(
                    Member.branch_id,
                    func.count(),
                    func.sum(case((Member.category == "full", 1), else_=0)),
                )
                .where(Member.campaign_id == campaign_id)
                .group_by(Member.branch_id)
            ).all()
        }
        order = tree_order(session, campaign_id)
    rows = []
    for unit in sorted(units, key=lambda u: order[u.id][0]):
        if unit.kind != OrgKind.branch or not can_see(actor, unit.path):
            continue
        full, probationary = counts.get(unit.id, (0, 0))
        rows.append(BranchRow(unit.path, order[unit.id][1], unit.name, full, probationary))
    return rows


def tree_order(session: Session, campaign_id: int) -> dict[int, tuple[tuple[int, ...], str]]:
    """For every unit: its position in roster order (ancestors first) and the label of its parent."""
    units = {
        u.id: u
        for u in session.exec(
            select(OrgUnit.id, OrgUnit.parent_id, OrgUnit.path, OrgUnit.sort_order).where(
                OrgUnit.campaign_id == campaign_id
            )
        ).all()
    }
    positions: dict[int, tuple[int, ...]] = {}

    def position(unit_id: int) -> tuple[int, ...]:
        if unit_id not in positions:
            unit = units[unit_id]
            # The root (the committee) sorts first; every other unit after its parent.
            positions[unit_id] = (*position(unit.parent_id), unit.sort_order) if unit.parent_id in units else ()
        return positions[unit_id]

    result = {}
    for unit in units.values():
        parent = units.get(unit.parent_id)
        label = parent.path.replace("/", " / ") if parent is not None and parent.path else DIRECT
        result[unit.id] = (position(unit.id), label)
    return result


def unit_paths(*, actor: Actor, campaign_id: int, kind: str) -> list[str]:
    """Paths of the campaign's units of one kind within the actor's scope, in roster order."""
    with session_scope() as session:
        paths = session.exec(
            select(OrgUnit.path)
            .where(OrgUnit.campaign_id == campaign_id, OrgUnit.kind == kind)
            .order_by(OrgUnit.sort_order)
        ).all()
    return [p for p in paths if can_see(actor, p)]


def find_branch(*, actor: Actor, campaign_id: int, name: str) -> str:
    """The path of the branch called `name` (or at path `name`) within the actor's scope."""
    name = name.strip()
    with session_scope() as session:
        branches = session.exec(
            select(OrgUnit.path, OrgUnit.name).where(OrgUnit.campaign_id == campaign_id, OrgUnit.kind == OrgKind.branch)
        ).all()
    matches = [p for p, n in branches if (p == name or n == name) and can_see(actor, p)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise NotFound(f"该活动中没有名为“{name}”的党支部")
    raise InvalidInput(f"有多个名为“{name}”的党支部，请写出完整路径：{'、'.join(matches)}")


def branch_ids(session: Session, campaign_id: int) -> dict[str, int]:
    """Path -> id of every branch of the campaign."""
    query = select(OrgUnit.path, OrgUnit.id).where(OrgUnit.campaign_id == campaign_id, OrgUnit.kind == OrgKind.branch)
    return dict(session.exec(query).all())


def read_branches(session: Session, campaign_id: int, branch_paths: list[str]) -> None:
    """Within db.one_session: the branches at `branch_paths` looked up in one statement, for the branch_unit
    calls to come (the filing package's batches)."""
    known = session.info.get(READS)
    if known is None:
        return
    for unit in session.exec(
        select(OrgUnit).where(
            OrgUnit.campaign_id == campaign_id, OrgUnit.kind == OrgKind.branch, OrgUnit.path.in_(branch_paths)
        )
    ):
        known[(campaign_id, unit.path)] = unit


# Built once: every service call on a branch starts here (a branch's filing workbook makes a dozen), and building
# the statement each time cost more than running it.
_BRANCH = select(OrgUnit).where(
    OrgUnit.campaign_id == bindparam("campaign_id"), OrgUnit.path == bindparam("path"), OrgUnit.kind == OrgKind.branch
)


def branch_unit(session: Session, campaign_id: int, branch_path: str) -> OrgUnit:
    """The campaign's branch at `branch_path`; NotFound names it when there is none."""
    known = session.info.get(READS)  # within db.one_session, asked again and again: looked up once
    branch = known.get((campaign_id, branch_path)) if known is not None else None
    if branch is None:
        branch = session.exec(_BRANCH, params={"campaign_id": campaign_id, "path": branch_path}).first()
        if known is not None:
            known[(campaign_id, branch_path)] = branch
    if branch is None:
        raise NotFound(f"该活动中没有党支部“{branch_path}”")
    return branch
