"""Casting, checking and counting ballots: one token one ballot, paper limits, tally only after closing."""

import threading

import pytest
from sqlmodel import func, select

from models import Ballot, EncryptedBallot
from services.ballot import ballot_form, casting, counting, paper_ballots, voting
from services.ballot.ballot_form import BallotRefused
from services.platform.db import session_scope
from services.platform.errors import InvalidTransition
from tests.factories import BRANCH_MEMBERS, ORG, all_qualified, make_voting_branch

pytestmark = pytest.mark.usefixtures("database")


def _ballot_count() -> int:
    """Ballots stored: encrypted while voting is open, in plaintext once sealed."""
    with session_scope() as session:
        return sum(session.exec(select(func.count()).select_from(t)).one() for t in (Ballot, EncryptedBallot))


def test_check_reports_every_problem_with_its_row():
    _, _, links = make_voting_branch(full=7)
    form = casting.open_ballot(links[0].token)
    ids = [m for m, _ in form.rated]
    filled = ballot_form.FilledBallot(choices={ids[0]: "excellent", ids[1]: "excellent", ids[2]: "excellent"})
    problems = ballot_form.check(form, filled)
    assert problems[0] == ballot_form.BallotProblem(
        "", "评为优秀的不超过 2 人（参评正式党员 7 人的三分之一），您选了 3 人"
    )
    assert [p.where for p in problems[1:]] == [f"m{m}" for m in ids[3:]]


def test_cast_refuses_an_incomplete_ballot_and_keeps_the_token():
    _, _, links = make_voting_branch()
    with pytest.raises(BallotRefused, match="请为"):
        casting.cast_ballot(links[0].token, ballot_form.FilledBallot(choices={}))
    assert casting.open_ballot(links[0].token).state == "open"
    assert _ballot_count() == 0


def test_many_phones_submitting_one_link_at_once_store_exactly_one_ballot():
    _, _, links = make_voting_branch()
    token = links[0].token
    filled = all_qualified(token)
    threads = 24
    barrier = threading.Barrier(threads)
    outcomes: list[str] = []

    def submit():
        barrier.wait()
        try:
            casting.cast_ballot(token, filled)
            outcomes.append("stored")
        except BallotRefused as refused:
            outcomes.append(str(refused))

    workers = [threading.Thread(target=submit) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert outcomes.count("stored") == 1
    assert set(outcomes) - {"stored"} == {"这个链接的测评票已经提交，不能重复提交。感谢您的参与！"}
    assert _ballot_count() == 1


def test_paper_ballots_never_outnumber_the_members_marked():
    cid, path, links = make_voting_branch()
    paper_ballots.mark_paper(
        actor=ORG, campaign_id=cid, branch_path=path, member_ids=[links[0].member_id, links[1].member_id]
    )
    filled = all_qualified(links[2].token)
    paper_ballots.enter_paper_ballot(actor=ORG, campaign_id=cid, branch_path=path, filled=filled)
    paper_ballots.enter_paper_ballot(actor=ORG, campaign_id=cid, branch_path=path, filled=filled)
    with pytest.raises(InvalidTransition, match="纸质票数量已达到登记为纸质投票的人数"):
        paper_ballots.enter_paper_ballot(actor=ORG, campaign_id=cid, branch_path=path, filled=filled)
    with pytest.raises(InvalidTransition, match="请为"):
        paper_ballots.enter_paper_ballot(
            actor=ORG, campaign_id=cid, branch_path=path, filled=ballot_form.FilledBallot({})
        )
    state = voting.state(actor=ORG, campaign_id=cid, branch_path=path)
    assert (state.paper_marked, state.paper_entered, state.ballots) == (2, 2, 2)


def test_paper_entry_racing_against_itself_stops_at_the_limit():
    cid, path, links = make_voting_branch()
    paper_ballots.mark_paper(actor=ORG, campaign_id=cid, branch_path=path, member_ids=[links[0].member_id])
    filled = all_qualified(links[2].token)
    barrier = threading.Barrier(8)
    results: list[bool] = []

    def enter():
        barrier.wait()
        try:
            paper_ballots.enter_paper_ballot(actor=ORG, campaign_id=cid, branch_path=path, filled=filled)
            results.append(True)
        except InvalidTransition:
            results.append(False)

    workers = [threading.Thread(target=enter) for _ in range(8)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert results.count(True) == 1
    assert _ballot_count() == 1


def test_no_tally_while_voting_is_open_then_exact_counts_after():
    cid, path, links = make_voting_branch(full=7)
    casting.cast_ballot(links[0].token, all_qualified(links[0].token, 王芳="excellent", 李明="unqualified"))
    casting.cast_ballot(links[1].token, all_qualified(links[1].token, 王芳="excellent", 张伟="basically_qualified"))
    paper_ballots.mark_paper(actor=ORG, campaign_id=cid, branch_path=path, member_ids=[links[7].member_id])
    paper_ballots.enter_paper_ballot(
        actor=ORG, campaign_id=cid, branch_path=path, filled=all_qualified(links[2].token, 王芳="qualified")
    )
    with pytest.raises(InvalidTransition, match="测评进行中，结束后才能查看结果"):
        counting.tally(actor=ORG, campaign_id=cid, branch_path=path)
    voting.close_voting(actor=ORG, campaign_id=cid, branch_path=path)
    result = counting.tally(actor=ORG, campaign_id=cid, branch_path=path)
    assert (result.online, result.paper) == (2, 1)
    rows = {name: votes for _, name, votes in result.rows}
    assert list(rows) == BRANCH_MEMBERS
    assert rows["王芳"] == {"excellent": 2, "qualified": 1, "basically_qualified": 0, "unqualified": 0}
    assert rows["李明"] == {"excellent": 0, "qualified": 2, "basically_qualified": 0, "unqualified": 1}
    assert rows["张伟"] == {"excellent": 0, "qualified": 2, "basically_qualified": 1, "unqualified": 0}


def test_a_ballot_cast_after_closing_is_refused():
    cid, path, links = make_voting_branch()
    filled = all_qualified(links[0].token)
    voting.close_voting(actor=ORG, campaign_id=cid, branch_path=path)
    with pytest.raises(BallotRefused, match="已经结束"):
        casting.cast_ballot(links[0].token, filled)
    assert _ballot_count() == 0


def test_readers_racing_after_the_deadline_seal_once_and_lose_nothing():
    from datetime import date

    from models import Campaign

    cid, path, links = make_voting_branch()
    receipts = {casting.cast_ballot(link.token, all_qualified(link.token)) for link in links[:5]}
    with session_scope() as session:
        session.get(Campaign, cid).deadline = date(2020, 1, 1)
    barrier = threading.Barrier(8)
    seen: list[list[str]] = []

    def read():
        barrier.wait()
        seen.append(casting.open_ballot(links[0].token).receipts)

    workers = [threading.Thread(target=read) for _ in range(8)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert all(set(r) == receipts for r in seen) and len(seen) == 8
    assert _ballot_count() == 5
    assert counting.tally(actor=ORG, campaign_id=cid, branch_path=path).online == 5


def test_receipts_are_kept_apart_from_the_ballots():
    from sqlalchemy import inspect

    from services.platform import db

    _, _, links = make_voting_branch()
    casting.cast_ballot(links[0].token, all_qualified(links[0].token))
    columns = {c["name"] for c in inspect(db.get_engine()).get_columns("ballot")}
    assert "receipt" not in columns
    assert {c["name"] for c in inspect(db.get_engine()).get_columns("ballot_receipt")} == {"voting_id", "receipt"}


def test_only_those_running_the_vote_enter_paper_ballots_and_not_after_closing():
    from services.platform.errors import NotPermitted
    from tests.factories import make_account

    cid, path, links = make_voting_branch()
    paper_ballots.mark_paper(actor=ORG, campaign_id=cid, branch_path=path, member_ids=[links[0].member_id])
    general = make_account("general_branch_secretary", "机关党总支")
    with pytest.raises(NotPermitted):
        paper_ballots.enter_paper_ballot(
            actor=general, campaign_id=cid, branch_path=path, filled=all_qualified(links[1].token)
        )
    filled = all_qualified(links[1].token)
    voting.close_voting(actor=ORG, campaign_id=cid, branch_path=path)
    with pytest.raises(InvalidTransition, match="已经结束"):
        paper_ballots.enter_paper_ballot(actor=ORG, campaign_id=cid, branch_path=path, filled=filled)


def test_closing_the_campaign_ends_voting_in_every_branch():
    from services.ballot import campaign_status

    cid, _, links = make_voting_branch()
    campaign_status.set_status(actor=ORG, campaign_id=cid, status="closed")
    assert casting.open_ballot(links[0].token).state == "closed"
