"""A ballot sent from a page this process showed earlier: nothing about the link is read again before
casting (services.ballot.casting.submission_form), so casting itself must find out, under its locks, everything
that changed since the page was shown, and the member must see the same page as if it had been read."""

import re

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from services.ballot import ballot_form, casting, voter_links, voting
from services.ballot.ballot_form import FilledBallot
from services.platform import db
from survey import routes
from tests.factories import ORG, make_voting_branch

pytestmark = pytest.mark.usefixtures("database")


@pytest.fixture
def client():
    return TestClient(Starlette(routes=routes), base_url="http://testserver")


def _shown(client, token: str) -> dict:
    """The ballot page opened on the phone: what the member sends back, every row 合格."""
    page = client.get(f"/v/{token}").text
    secret = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    rows = re.findall(r'name="(m\d+)" value="qualified"', page)
    return {"csrf": secret, "action": "submit"} | dict.fromkeys(rows, "qualified")


def _online(cid: int, path: str) -> int:
    return voting.state(actor=ORG, campaign_id=cid, branch_path=path).voted_online


def test_a_link_reissued_after_its_page_was_shown_is_refused_as_invalid(client):
    cid, path, links = make_voting_branch()
    sent = _shown(client, links[0].token)
    voter_links.reissue_link(actor=ORG, campaign_id=cid, branch_path=path, member_id=links[0].member_id, base_url="x")
    response = client.post(f"/v/{links[0].token}", data=sent)
    assert response.status_code == 404
    assert "无法使用" in response.text and "重复提交" not in response.text
    assert _online(cid, path) == 0


def test_a_ballot_sent_after_the_secretary_closed_voting_says_it_has_ended(client):
    cid, path, links = make_voting_branch()
    sent = _shown(client, links[0].token)
    voting.close_voting(actor=ORG, campaign_id=cid, branch_path=path)
    response = client.post(f"/v/{links[0].token}", data=sent)
    assert response.status_code == 200
    assert "本支部的测评已经结束" in response.text and 'id="receipt"' not in response.text
    assert _online(cid, path) == 0


def test_the_same_page_sent_twice_is_stored_once_and_then_refused_kindly(client):
    cid, path, links = make_voting_branch()
    sent = _shown(client, links[0].token)
    assert 'id="receipt"' in client.post(f"/v/{links[0].token}", data=sent).text
    again = client.post(f"/v/{links[0].token}", data=sent)
    assert again.status_code == 409 and "已经提交，不能重复提交" in again.text
    assert _online(cid, path) == 1


def test_a_ballot_sent_to_a_process_that_never_showed_the_page_is_stored(client):
    cid, path, links = make_voting_branch()
    sent = _shown(client, links[0].token)
    db.dispose_all()  # as after a restart, or the other process behind nginx
    assert 'id="receipt"' in client.post(f"/v/{links[0].token}", data=sent).text
    assert _online(cid, path) == 1


def test_a_ballot_checked_against_another_branchs_form_lands_nowhere():
    ours_cid, ours_path, ours = make_voting_branch()
    theirs_cid, theirs_path, theirs = make_voting_branch(title="第二个活动")
    their_form = casting.open_ballot(theirs[0].token)
    filled = FilledBallot(choices={m: "qualified" for m, _ in their_form.rated})
    with pytest.raises(ballot_form.BallotRefused, match=r"请为.+选择一项"):  # cast with our own form: rows missing
        casting.cast_ballot(ours[0].token, filled, their_form)
    assert _online(ours_cid, ours_path) == _online(theirs_cid, theirs_path) == 0
    assert casting.open_ballot(ours[0].token).state == "open"
