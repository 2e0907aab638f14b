"""Who keeps a branch's year-end records (study, talks, problems, the meeting, rectification,
publicity): those who run its vote — the branch secretary, a committee member they named, the
organizer. Everyone whose scope holds the branch may read them."""

from sqlmodel import Session

from models import MeetingRecord, OrgUnit
from services.campaign.org import branch_unit
from services.campaign.report_freeze import FROZEN, is_frozen, require_unreported
from services.platform.batch import table_rows
from services.platform.db import session_scope
from services.platform.errors import NotFound, NotPermitted
from services.staff.access import Actor, may_run_voting, require_unit


def branch_to_read(session: Session, actor: Actor, campaign_id: int, branch_path: str) -> OrgUnit:
    require_unit(actor, branch_path)
    return branch_unit(session, campaign_id, branch_path)


def branch_to_write(session: Session, actor: Actor, campaign_id: int, branch_path: str) -> OrgUnit:
    require_unit(actor, branch_path)
    if not may_run_voting(actor, branch_path):
        raise NotPermitted("没有权限：本支部的组织生活会材料由支部书记（或其指定的支部委员）和组织部填写")
    branch = branch_unit(session, campaign_id, branch_path)
    require_unreported(session, campaign_id, branch)  # a reported package stays as it was sent
    return branch


def may_write(*, actor: Actor, campaign_id: int, branch_path: str) -> tuple[bool, str]:
    """Whether `actor` may change the branch's records now, and if not, why — so a page can say so before
    anyone types, rather than refuse after the click. "" as the reason for a reader who never writes."""
    if not may_run_voting(actor, branch_path):
        return False, ""
    with session_scope() as session:
        branch = branch_to_read(session, actor, campaign_id, branch_path)
        if is_frozen(session, campaign_id, branch):
            return False, FROZEN
    return True, ""


def record_of(session: Session, table, record_id: int, campaign_id: int, branch: OrgUnit, missing: str):
    """A row of a branch's records by its id — only if it belongs to this campaign and branch."""
    row = session.get(table, record_id)
    if row is None or row.campaign_id != campaign_id or row.branch_id != branch.id:
        raise NotFound(missing)
    return row


def meeting_record_of(session: Session, campaign_id: int, branch_id: int) -> MeetingRecord | None:
    """The branch's 组织生活会 record, if any (read with the other branches' inside batch.many_branches)."""
    found = table_rows(session, MeetingRecord, campaign_id, branch_id)
    return found[0] if found else None
