"""Links never come back: a campaign deleted and made again (SQLite reuses its ids; a re-initialised
database or another install with the same key starts from 1 again) hands out links of its own, and
every link of the deleted one opens nothing."""

import hmac

import pytest
from sqlalchemy import inspect, text

from services.ballot import casting, tokens, voter_links, voting
from services.campaign import campaigns
from services.grading import feedback
from services.meeting import branch_links, opinions, publicity
from services.platform.config import signing_key
from services.platform.db import get_engine, session_scope
from tests.factories import ORG, make_voting_branch

pytestmark = pytest.mark.usefixtures("database")


def _every_link(cid: int, path: str) -> tuple[list[str], list[str]]:
    """(voter links, personal and public links) of the branch, as a secretary prints them."""
    ballot = [link.token for link in voter_links.current_links(actor=ORG, campaign_id=cid, branch_path=path,
                                                               base_url="http://test").links]  # fmt: skip
    public = [
        branch_links.public_link(actor=ORG, campaign_id=cid, branch_path=path, purpose=p, base_url="http://test")
        for p in ("opinions", "publicity")
    ]
    voting.close_voting(actor=ORG, campaign_id=cid, branch_path=path)
    personal = feedback.issue_personal_links(actor=ORG, campaign_id=cid, branch_path=path, base_url="http://test")
    return ballot, [link.token for link in personal] + [url.rsplit("/", 1)[1] for url in public]


def _ids_start_again() -> None:
    """What SQLite does by itself after the deletion; PostgreSQL's sequences are set back as a re-initialised
    database (or another install) would have them."""
    engine = get_engine()
    if engine.dialect.name != "postgresql":
        return
    with engine.begin() as conn:
        inspector = inspect(conn)
        for table in inspector.get_table_names():
            has_id = any(column["name"] == "id" for column in inspector.get_columns(table))
            if has_id and conn.execute(text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table}).scalar():
                conn.execute(
                    text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                         f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)")
                )  # fmt: skip


def test_a_deleted_demo_campaigns_links_never_open_the_next_campaign():
    demo_id, path, demo_links = make_voting_branch(title="2026年度演示（演示）", demo=True)
    demo_ballot = [link.token for link in demo_links]
    _, demo_other = _every_link(demo_id, path)
    campaigns.delete_campaign(actor=ORG, campaign_id=demo_id)
    _ids_start_again()

    real_id, _, real_links = make_voting_branch()
    assert real_id == demo_id  # the same ids: only the salt tells the two apart
    real_ballot = [link.token for link in real_links]
    assert set(real_ballot).isdisjoint(demo_ballot)
    assert all(casting.open_ballot(token).state == "invalid" for token in demo_ballot)
    assert casting.open_ballot(real_ballot[0]).state == "open"

    _, real_other = _every_link(real_id, path)
    assert set(real_other).isdisjoint(demo_other)
    with session_scope() as session:
        assert all(feedback.personal_member(session, token) is None for token in demo_other)
    assert all(opinions.target(token) is None and publicity.public_page(token) is None for token in demo_other)
    assert opinions.target(real_other[-2]) is not None


def _before_salts(voting_id: int, member_id: int, generation: int) -> str:
    """A named link as revision 0014 derived it: HMAC-SHA256 of "voter-link|voting|m<member>|generation" under
    the server's key, read little digit first in Crockford's alphabet."""
    message = f"voter-link|{voting_id}|m{member_id}|{generation}".encode()
    number = int.from_bytes(hmac.digest(bytes.fromhex(signing_key("voter-link")), message, "sha256"), "big")
    chars = []
    for _ in range(26):
        number, digit = divmod(number, 32)
        chars.append("0123456789abcdefghjkmnpqrstvwxyz"[digit])
    return "".join(chars)


def test_links_handed_out_before_salts_keep_working():
    """Rows made before revision 0015 have an empty salt: the links printed then still open the ballot and
    are the ones the secretary downloads again."""
    cid, path, links = make_voting_branch()
    with session_scope() as session:
        session.execute(text("UPDATE branch_voting SET link_salt = ''"))
        rows = session.execute(text("SELECT id, voting_id, member_id, generation FROM voter_token")).all()
        old = {}
        for token_id, voting_id, member_id, generation in rows:
            old[member_id] = _before_salts(voting_id, member_id, generation)
            session.execute(text("UPDATE voter_token SET token_hash = :h WHERE id = :id"),
                            {"h": tokens.token_hash(old[member_id]), "id": token_id})  # fmt: skip
    assert all(casting.open_ballot(token).state == "open" for token in old.values())
    again = voter_links.current_links(actor=ORG, campaign_id=cid, branch_path=path, base_url="http://test")
    assert again.lost == 0 and {link.member_id: link.token for link in again.links} == old
    assert all(casting.open_ballot(link.token).state == "invalid" for link in links)
