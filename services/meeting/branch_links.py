"""A branch's public addresses — where the masses leave opinions (/o/) and where the rectification
list and commitments are made public (/g/). Derived from the server secret and the campaign's salt
like voter links (the same address every time it is asked for) and kept only as a keyed hash. The
secretary can renew an address (a link sent to the wrong group): the previous one then opens nothing."""

from sqlmodel import Session, select

from models import BranchLink, Campaign
from models.audit import AuditAction
from services.ballot import tokens
from services.meeting.branch_records import branch_to_read, branch_to_write
from services.platform.db import lock_row, session_scope
from services.staff import audit
from services.staff.access import Actor

PATHS = {"opinions": "/o/", "publicity": "/g/"}


def public_link(*, actor: Actor, campaign_id: int, branch_path: str, purpose: str, base_url: str) -> str:
    with session_scope() as session:
        branch = branch_to_read(session, actor, campaign_id, branch_path)
        row = _row(session, campaign_id, branch.id, purpose)
        if row is None:
            lock_row(session, "org_unit", branch.id)  # two first views at once make one row
            row = _row(session, campaign_id, branch.id, purpose)
        if row is None:
            row = BranchLink(campaign_id=campaign_id, branch_id=branch.id, purpose=purpose, token_hash="")
        token = _token(session.get(Campaign, campaign_id), branch.id, purpose, row.generation)
        if row.token_hash != tokens.token_hash(token):  # new (or the server's key was replaced)
            row.token_hash = tokens.token_hash(token)
            session.add(row)
    return f"{base_url.rstrip('/')}{PATHS[purpose]}{token}"


def renew(*, actor: Actor, campaign_id: int, branch_path: str, purpose: str, base_url: str) -> str:
    """A new address for the branch's opinions or publicity; the one sent before opens nothing."""
    with session_scope() as session:
        branch = branch_to_write(session, actor, campaign_id, branch_path)
        lock_row(session, "org_unit", branch.id)
        row = _row(session, campaign_id, branch.id, purpose)
        if row is None:
            row = BranchLink(campaign_id=campaign_id, branch_id=branch.id, purpose=purpose, token_hash="")
        else:
            row.generation += 1
        token = _token(session.get(Campaign, campaign_id), branch.id, purpose, row.generation)
        row.token_hash = tokens.token_hash(token)
        session.add(row)
        audit.record(session, actor, AuditAction.public_link_renewed, campaign_id=campaign_id, target=branch_path,
                     detail={"purpose": purpose})  # fmt: skip
    return f"{base_url.rstrip('/')}{PATHS[purpose]}{token}"


def resolve(session: Session, token: str, purpose: str) -> tuple[int, int] | None:
    """(campaign id, branch id) of a public address, or None."""
    row = session.exec(
        select(BranchLink.campaign_id, BranchLink.branch_id).where(
            BranchLink.token_hash == tokens.token_hash(token), BranchLink.purpose == purpose
        )
    ).first()
    return tuple(row) if row else None


def _row(session: Session, campaign_id: int, branch_id: int, purpose: str) -> BranchLink | None:
    return session.exec(
        select(BranchLink).where(
            BranchLink.campaign_id == campaign_id, BranchLink.branch_id == branch_id, BranchLink.purpose == purpose
        )
    ).first()


def _token(campaign: Campaign, branch_id: int, purpose: str, generation: int) -> str:
    return tokens.derive(
        campaign.id, f"b{branch_id}", generation, tokens.LINK_LENGTH, salt=campaign.link_salt, purpose=f"{purpose}-link"
    )
