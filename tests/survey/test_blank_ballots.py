"""The blank ballot is rendered once per branch: each voter still gets a page of their own link and form
secret, the same as a page rendered for them alone, and another branch never gets this branch's page."""

import re

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from services.platform import db
from survey import routes
from tests.factories import make_voting_branch

pytestmark = pytest.mark.usefixtures("database")


def _secret(page: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def test_each_voter_gets_their_own_link_and_secret_in_the_branch_page_rendered_once():
    client = TestClient(Starlette(routes=routes), base_url="http://testserver")
    _, _, links = make_voting_branch(full=5)
    first, second = (client.get(f"/v/{link.token}") for link in links[:2])
    assert first.status_code == second.status_code == 200
    assert first.headers["cache-control"] == "no-store"
    for link, page in ((links[0], first.text), (links[1], second.text)):
        assert f'action="/v/{link.token}"' in page
    other_token, other_secret = links[1].token, _secret(second.text)
    assert _secret(first.text) != other_secret
    assert other_token not in first.text and other_secret not in first.text
    # The same page but for the link and the secret: one rendering, two voters.
    as_second = first.text.replace(links[0].token, other_token).replace(_secret(first.text), other_secret)
    assert as_second == second.text
    # And the same as a page rendered for this voter alone (nothing kept from before).
    # (Its secret is dated to the second, so it is compared apart: still this voter's own, and valid.)
    db.dispose_all()
    again = client.get(f"/v/{links[1].token}").text
    assert again.replace(_secret(again), other_secret) == second.text
    assert _secret(again) != _secret(first.text)
    # Each secret is good for its own link: the second voter's page, sent, is accepted for review.
    sent = client.post(f"/v/{other_token}", data={"csrf": other_secret, "action": "review"})
    assert sent.status_code == 422 and "请修改以下" in sent.text  # every row still to choose, not "expired"


def test_another_branch_gets_its_own_page():
    client = TestClient(Starlette(routes=routes), base_url="http://testserver")
    _, _, ours = make_voting_branch(full=5)
    _, _, theirs = make_voting_branch(full=6, title="第二个活动")
    mine, other = client.get(f"/v/{ours[0].token}").text, client.get(f"/v/{theirs[0].token}").text
    assert mine.count('<fieldset class="row') == 5 and other.count('<fieldset class="row') == 6
