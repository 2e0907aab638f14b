"""`manage.py results` shows the branch's 群众评议 apart: a table of its own, and `masses` in --json, never in the
members' counts or suggestions."""

import json

import pytest

from services.ballot import casting, representatives, voting
from tests.factories import BRANCH, ORG, all_qualified, make_voting_branch
from tests.test_cli import manage

pytestmark = pytest.mark.usefixtures("database")


def test_results_show_the_representatives_apart_from_the_members():
    cid, path, links = make_voting_branch(full=7)
    representatives.set_enabled(actor=ORG, campaign_id=cid, enabled=True)
    codes = representatives.open_masses(actor=ORG, campaign_id=cid, branch_path=path, codes=2, base_url="")
    first = casting.open_ballot(codes[0].token).rated[0][1]
    for code in codes:
        casting.cast_ballot(code.token, all_qualified(code.token, **{first: "unqualified"}))
    representatives.close_masses(actor=ORG, campaign_id=cid, branch_path=path)
    casting.cast_ballot(links[0].token, all_qualified(links[0].token))
    voting.close_voting(actor=ORG, campaign_id=cid, branch_path=BRANCH)

    shown = manage("results", "--campaign", str(cid), "--branch", "第一党支部")
    assert shown.returncode == 0, shown.stderr
    assert f"{first}\t0\t1\t0\t0\t" in shown.stdout  # the members: one ballot, 合格
    assert "群众评议（仅供参考，不计入格次建议）：收回 2 张" in shown.stdout
    assert f"\n{first}\t0\t0\t0\t2\n" in shown.stdout
    document = json.loads(manage("results", "--campaign", str(cid), "--branch", "第一党支部", "--json").stdout)
    assert document["members"][0]["counts"]["unqualified"] == 0
    masses = document["masses"]
    assert masses["ballots"] == 2 and masses["rows"][0]["counts"]["unqualified"] == 2
