"""Opening and closing voting, handing out links and codes, paper voters."""

import pytest
from sqlmodel import select

from models import VoterToken
from services.ballot import campaign_status, casting, paper_ballots, voter_links, voting
from services.campaign import roster
from services.platform.db import session_scope
from services.platform.errors import InvalidInput, InvalidTransition, NotPermitted
from tests.factories import BRANCH, ORG, all_qualified, csv_bytes, make_account, make_voting_branch

pytestmark = pytest.mark.usefixtures("database")


def test_named_links_go_to_every_member_probationary_included():
    cid, path, links = make_voting_branch(full=7)
    assert len(links) == 8
    assert all(link.url == f"http://test/v/{link.token}" for link in links)
    state = voting.state(actor=ORG, campaign_id=cid, branch_path=path)
    assert (state.status, state.mode, state.voters, state.rated, state.links_valid) == ("open", "named", 8, 7, 8)


def test_tokens_are_long_random_and_stored_only_as_hashes():
    _, _, links = make_voting_branch()
    assert all(len(link.token) == 26 for link in links)
    assert len({link.token for link in links}) == len(links)
    with session_scope() as session:
        stored = [t.token_hash for t in session.exec(select(VoterToken))]
    for link in links:
        assert link.token not in stored
        assert all(link.token not in h for h in stored)


def test_issuing_again_replaces_every_unused_link_but_keeps_the_votes():
    cid, path, links = make_voting_branch()
    receipt = casting.cast_ballot(links[0].token, all_qualified(links[0].token))
    assert receipt
    fresh = voter_links.issue_links(actor=ORG, campaign_id=cid, branch_path=path, base_url="http://test")
    assert len(fresh) == len(links) - 1  # the member who voted gets none
    assert casting.open_ballot(links[1].token).state == "invalid"
    assert casting.open_ballot(fresh[0].token).state == "open"
    assert casting.open_ballot(links[0].token).state == "used"


def test_unnamed_codes_are_numbered_slips_and_cannot_be_reissued_one_by_one():
    cid, path, links = make_voting_branch(mode="unnamed", full=7)
    assert [link.label for link in links] == [f"第 {i} 号" for i in range(1, 9)]
    assert all(link.member_id is None for link in links)
    with pytest.raises(InvalidInput, match="无记名投票码不对应具体党员"):
        voter_links.reissue_link(actor=ORG, campaign_id=cid, branch_path=path, member_id=1, base_url="http://test")


def test_opening_needs_an_open_campaign_and_happens_once():
    cid, path, _ = make_voting_branch()
    with pytest.raises(InvalidTransition, match="已经开启过"):
        voting.open_voting(actor=ORG, campaign_id=cid, branch_path=path)
    voting.close_voting(actor=ORG, campaign_id=cid, branch_path=path)
    with pytest.raises(InvalidTransition, match="已经开启过，并已结束"):
        voting.open_voting(actor=ORG, campaign_id=cid, branch_path=path)
    campaign_status.set_status(actor=ORG, campaign_id=cid, status="closed")
    with pytest.raises(InvalidTransition, match="本支部的测评已经结束"):
        voter_links.issue_links(actor=ORG, campaign_id=cid, branch_path=path, base_url="http://test")


def test_who_may_run_the_vote():
    cid, path, _ = make_voting_branch()
    general = make_account("general_branch_secretary", "机关党总支")
    with pytest.raises(NotPermitted, match="测评由支部书记"):
        voting.close_voting(actor=general, campaign_id=cid, branch_path=path)
    other = make_account("branch_secretary", "机关党总支/第一党支部", username="zb")
    state = voting.close_voting(actor=other, campaign_id=cid, branch_path=path)
    assert state.status == "closed"


def test_the_roster_is_locked_once_a_branch_votes():
    cid, _, _ = make_voting_branch()
    rows = [["姓名", "党支部", "党员类别"], ["新人", "第二党支部", "正式党员"]]
    with pytest.raises(InvalidTransition, match="花名册已锁定"):
        roster.import_roster_file(actor=ORG, campaign_id=cid, filename="r.csv", data=csv_bytes(rows))


def test_a_paper_voter_keeps_no_working_link_and_adds_one_paper_ballot():
    cid, path, links = make_voting_branch()
    paper_ballots.mark_paper(actor=ORG, campaign_id=cid, branch_path=path, member_ids=[links[0].member_id])
    paper_ballots.mark_paper(
        actor=ORG, campaign_id=cid, branch_path=path, member_ids=[links[0].member_id]
    )  # twice: one
    state = voting.state(actor=ORG, campaign_id=cid, branch_path=path)
    assert (state.paper_marked, state.links_valid) == (1, len(links) - 1)
    assert casting.open_ballot(links[0].token).state == "paper"
    casting.cast_ballot(links[1].token, all_qualified(links[1].token))
    with pytest.raises(InvalidTransition, match="已经在线投票"):
        paper_ballots.mark_paper(actor=ORG, campaign_id=cid, branch_path=path, member_ids=[links[1].member_id])


def test_unnamed_paper_voters_void_the_highest_slips():
    cid, path, links = make_voting_branch(mode="unnamed", full=7)
    voided = paper_ballots.mark_paper(actor=ORG, campaign_id=cid, branch_path=path, count=2)
    assert voided == [7, 8]
    assert casting.open_ballot(links[7].token).state == "paper"
    with pytest.raises(InvalidInput, match="1 至 6 人"):
        paper_ballots.mark_paper(actor=ORG, campaign_id=cid, branch_path=path, count=7)
    _ = BRANCH


def test_two_people_regenerating_links_at_once_leave_one_valid_set():
    import threading

    from sqlmodel import func

    cid, path, links = make_voting_branch()
    barrier = threading.Barrier(2)
    results: list[list] = []

    def regenerate():
        barrier.wait()
        results.append(voter_links.issue_links(actor=ORG, campaign_id=cid, branch_path=path, base_url="http://test"))

    workers = [threading.Thread(target=regenerate) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    with session_scope() as session:
        unused = session.exec(select(func.count()).select_from(VoterToken).where(VoterToken.status == "unused")).one()
    assert unused == len(links)
    valid = [r for r in results if all(casting.open_ballot(link.token).state == "open" for link in r)]
    assert len(valid) == 1


def test_unused_links_can_be_made_again_identical_and_they_still_vote():
    cid, path, links = make_voting_branch()
    casting.cast_ballot(links[0].token, all_qualified(links[0].token))
    again = voter_links.current_links(actor=ORG, campaign_id=cid, branch_path=path, base_url="http://test/")
    assert again.lost == 0
    assert [(x.label, x.url) for x in again.links] == [(x.label, x.url) for x in links[1:]]  # roster order
    casting.cast_ballot(again.links[0].token, all_qualified(again.links[0].token))
    assert voting.state(actor=ORG, campaign_id=cid, branch_path=path).voted_online == 2
    reissued = voter_links.reissue_link(
        actor=ORG, campaign_id=cid, branch_path=path, member_id=links[2].member_id, base_url="http://test"
    )
    assert reissued.token != links[2].token
    assert reissued.url in [
        x.url
        for x in voter_links.current_links(actor=ORG, campaign_id=cid, branch_path=path, base_url="http://test").links
    ]


def test_a_copy_of_the_database_alone_cannot_make_a_valid_link(monkeypatch):
    import hashlib

    from services.ballot import tokens

    cid, path, links = make_voting_branch(mode="unnamed")
    with session_scope() as session:
        stored = {t.token_hash for t in session.exec(select(VoterToken))}
    # The hash is keyed: hashing a known code the plain way (as a thief trying every code would) finds nothing.
    assert hashlib.sha256(links[0].token.encode()).hexdigest() not in stored
    assert tokens.token_hash(links[0].token) in stored
    # Without the server's secret the derivation gives other codes, which open nothing.
    with monkeypatch.context() as patch:
        patch.setenv("COOKIE_KEY", "another-secret-of-the-same-length-000000000")
        other = voter_links.current_links(actor=ORG, campaign_id=cid, branch_path=path, base_url="http://test")
        guessed = tokens.derive(1, "s1", 1, tokens.CODE_LENGTH, salt="")
    assert other.links == [] and other.lost == len(links)
    assert casting.open_ballot(links[0].token).state == "open"
    assert casting.open_ballot(guessed).state == "invalid"


def test_opening_with_links_is_one_act_that_fails_whole(monkeypatch):
    from tests.factories import make_campaign

    cid = make_campaign(year=2026, deadline=__import__("datetime").date(2099, 3, 20))
    rows = [["姓名", "党总支", "党支部", "党员类别"], ["甲", "机关党总支", "第一党支部", "正式党员"]]
    roster.import_roster_file(actor=ORG, campaign_id=cid, filename="r.csv", data=csv_bytes(rows))
    campaign_status.set_status(actor=ORG, campaign_id=cid, status="open")

    def broken(*_args, **_kwargs):
        raise RuntimeError("the links could not be made")

    monkeypatch.setattr(voter_links, "_issue", broken)
    with pytest.raises(RuntimeError):
        voting.open_voting(actor=ORG, campaign_id=cid, branch_path=BRANCH, base_url="http://test")
    assert voting.state(actor=ORG, campaign_id=cid, branch_path=BRANCH).status == "not_open"  # nothing half-done
