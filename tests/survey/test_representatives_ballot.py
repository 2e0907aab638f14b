"""A masses' representative's ballot (群众评议) through Starlette's TestClient: typed at /v like any code, the
same four grades for every full member, no cap, plain words for a non-member, and used once."""

import re

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from services.ballot import casting, representatives
from survey import routes
from tests.factories import BRANCH_MEMBERS, ORG, make_voting_branch

pytestmark = pytest.mark.usefixtures("database")


@pytest.fixture
def client():
    return TestClient(Starlette(routes=routes), base_url="http://testserver")


@pytest.fixture
def codes():
    cid, path, links = make_voting_branch(full=7)
    representatives.set_enabled(actor=ORG, campaign_id=cid, enabled=True)
    issued = representatives.open_masses(actor=ORG, campaign_id=cid, branch_path=path, codes=3, base_url="")
    return issued, links


def _csrf(page: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def _post(client, token, grade: str, action: str, csrf: str | None = None):
    csrf = csrf or _csrf(client.get(f"/v/{token}").text)
    data = {"csrf": csrf, "action": action}
    data.update({f"m{m}": grade for m, _ in casting.open_ballot(token).rated})
    return client.post(f"/v/{token}", data=data)


def test_the_code_typed_at_v_opens_the_representatives_ballot_without_the_cap(client, codes):
    issued, links = codes
    typed = client.post("/v", data={"code": issued[0].code.upper()}, follow_redirects=False)
    assert typed.status_code == 303 and typed.headers["location"] == f"/v/{issued[0].token}"
    page = client.get(typed.headers["location"]).text
    assert "第一党支部 · 群众评议表" in page and "<title>第一党支部 · 群众评议" in page
    assert '<header class="bar">群众评议</header>' in page and "党员民主测评" not in page  # no member's words
    assert "您作为群众代表参加评议" in page and "投票码只用来记录它是否已经用过" in page
    assert re.findall(r"<legend><b>\d+</b> (\S+)</legend>", page) == BRANCH_MEMBERS
    assert "名额" not in page and 'id="live"' not in page  # the cap is the members' own rule
    assert 'name="branch_committee"' not in page and 'name="opinion"' not in page
    members = client.get(f"/v/{links[0].token}").text  # the members' ballot is as it was
    assert "第一党支部 · 党员民主测评表" in members and "“优秀”名额" in members and 'id="live"' in members


def test_a_representative_rates_everyone_excellent_confirms_and_the_code_is_then_used(client, codes):
    issued, _ = codes
    token = issued[0].token
    review = _post(client, token, "excellent", "review")
    assert review.status_code == 200 and "优秀 7 人" in review.text and "核对 · 群众评议" in review.text
    done = _post(client, token, "excellent", "submit", _csrf(review.text))
    assert done.status_code == 200 and "提交成功 · 群众评议" in done.text
    assert "再打开您的投票码" in done.text
    assert all("党员民主测评" not in p.text for p in (review, done))
    again = client.get(f"/v/{token}")
    assert "已" in again.text and 'type="radio"' not in again.text
    assert representatives.state(actor=ORG, campaign_id=_cid(), branch_path="机关党总支/第一党支部").voted == 1


def _cid() -> int:
    from sqlmodel import select

    from models import Campaign
    from services.platform.db import session_scope

    with session_scope() as session:
        return session.exec(select(Campaign.id)).one()
