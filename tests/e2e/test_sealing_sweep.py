"""The running app seals a branch whose deadline has passed, without anyone reading anything."""

import json
from datetime import timedelta

import pytest

from models import Campaign
from services.ballot import casting
from services.platform.clock import now
from services.platform.db import session_scope
from tests.e2e.server import fetch, running_app
from tests.factories import all_qualified, make_voting_branch

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("database")]


def test_the_app_seals_branches_past_their_deadline_when_it_starts(database):
    cid, _, links = make_voting_branch(full=4)
    for link in links[:3]:
        casting.cast_ballot(link.token, all_qualified(link.token))
    with session_scope() as session:
        session.get(Campaign, cid).deadline = now().date() - timedelta(days=1)
    with running_app(database) as base:
        status, body = fetch(f"{base}/healthz")
    assert status == 200
    assert json.loads(body)["seals_incomplete"] == 0
    with session_scope() as session:
        assert session.exec(__import__("sqlalchemy").text("SELECT count(*) FROM encrypted_ballot")).one()[0] == 0
