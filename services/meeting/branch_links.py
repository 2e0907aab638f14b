"""A branch's public addresses — where the masses leave opinions (/o/) and where the rectification
list and commitments are made public (/g/). Derived from the server secret like voter links (the
same address every time it is asked for) and kept only as a keyed hash."""

from sqlmodel import Session, select

from models import BranchLink
from services.ballot import tokens
from services.meeting.branch_records import branch_to_read
from services.platform.db import session_scope
from services.staff.access import Actor

PATHS = {"opinions": "/o/", "publicity": "/g/"}


def public_link(*, actor: Actor, campaign_id: int, branch_path: str, purpose: str, base_url: str) -> str:
    with session_scope() as session:
        branch = branch_to_read(session, actor, campaign_id, branch_path)
        token = _token(campaign_id, branch.id, purpose)
        hashed = tokens.token_hash(token)
        if session.exec(select(BranchLink.id).where(BranchLink.token_hash == hashed)).first() is None:
            session.add(BranchLink(campaign_id=campaign_id, branch_id=branch.id, purpose=purpose, token_hash=hashed))
    return f"{base_url.rstrip('/')}{PATHS[purpose]}{token}"


def resolve(session: Session, token: str, purpose: str) -> tuple[int, int] | None:
    """(campaign id, branch id) of a public address, or None."""
    row = session.exec(
        select(BranchLink.campaign_id, BranchLink.branch_id).where(
            BranchLink.token_hash == tokens.token_hash(token), BranchLink.purpose == purpose
        )
    ).first()
    return tuple(row) if row else None


def _token(campaign_id: int, branch_id: int, purpose: str) -> str:
    return tokens.derive(campaign_id, f"b{branch_id}", 0, tokens.LINK_LENGTH, purpose=f"{purpose}-link")
