"""Reading the members of a campaign's roster."""

from sqlmodel import select

from models import Member, OrgUnit
from models.member import MemberPublic
from services.platform.db import session_scope
from services.staff.access import Actor, require_unit, scope_condition


def list_members(*, actor: Actor, campaign_id: int, branch_path: str | None = None) -> list[MemberPublic]:
    """Members within the actor's scope in roster order, optionally of one branch (by its path)."""
    if branch_path is not None:
        require_unit(actor, branch_path)
    with session_scope() as session:
        query = (
            select(Member, OrgUnit.path, OrgUnit.name)
            .join(OrgUnit, OrgUnit.id == Member.branch_id)
            .where(Member.campaign_id == campaign_id, scope_condition(actor, OrgUnit.path))
            .order_by(Member.roster_order)
        )
        if branch_path is not None:
            query = query.where(OrgUnit.path == branch_path)
        return [
            MemberPublic.model_validate(member, update={"branch_path": path, "branch_name": name})
            for member, path, name in session.exec(query).all()
        ]
