"""Masses' representatives (群众评议): optional per campaign, unnamed codes, the members' four grades without
the cap, sealed like the members' ballots and counted apart from everything the members' voting feeds."""

import pytest
from sqlmodel import select

from models import BranchVoting
from services.ballot import campaign_status, casting, code_entry, counting, representatives, voting
from services.ballot import representatives_count as masses_count
from services.ballot.ballot_form import FilledBallot
from services.platform.db import session_scope
from services.platform.errors import InvalidInput, InvalidTransition, NotPermitted
from services.progress import overview
from tests.factories import BRANCH, ORG, all_qualified, make_account, make_voting_branch

pytestmark = pytest.mark.usefixtures("database")


def _masses_branch(codes: int = 5, **options):
    cid, path, links = make_voting_branch(full=7, **options)
    representatives.set_enabled(actor=ORG, campaign_id=cid, enabled=True)
    slips = representatives.open_masses(actor=ORG, campaign_id=cid, branch_path=path, codes=codes, base_url="http://t")
    return cid, path, links, slips


def test_off_by_default_and_only_the_organizer_turns_it_on():
    cid, path, _ = make_voting_branch(full=3)
    assert representatives.state(actor=ORG, campaign_id=cid, branch_path=path).enabled is False
    with pytest.raises(InvalidTransition, match="没有设置群众评议"):
        representatives.open_masses(actor=ORG, campaign_id=cid, branch_path=path, codes=3, base_url="http://t")
    secretary = make_account("branch_secretary", BRANCH)
    with pytest.raises(NotPermitted):
        representatives.set_enabled(actor=secretary, campaign_id=cid, enabled=True)
    representatives.set_enabled(actor=ORG, campaign_id=cid, enabled=True)
    slips = representatives.open_masses(
        actor=secretary, campaign_id=cid, branch_path=path, codes=3, base_url="http://t"
    )
    assert [s.label for s in slips] == ["群众代表 第 1 号", "群众代表 第 2 号", "群众代表 第 3 号"]
    assert all(len(s.token) == 10 for s in slips)
    with pytest.raises(InvalidTransition, match="不能再关闭"):
        representatives.set_enabled(actor=ORG, campaign_id=cid, enabled=False)
    with pytest.raises(InvalidTransition, match="已经开启过"):
        representatives.open_masses(actor=ORG, campaign_id=cid, branch_path=path, codes=3, base_url="http://t")


@pytest.mark.parametrize("codes", [0, 201, "5"])
def test_a_count_of_codes_outside_one_to_two_hundred_is_refused(codes):
    cid, path, _ = make_voting_branch(full=3)
    representatives.set_enabled(actor=ORG, campaign_id=cid, enabled=True)
    with pytest.raises(InvalidInput, match="1 到 200"):
        representatives.open_masses(actor=ORG, campaign_id=cid, branch_path=path, codes=codes, base_url="http://t")


def test_a_representative_rates_the_full_members_without_the_cap_and_typing_the_code_opens_it():
    _, _, links, slips = _masses_branch()
    form = casting.open_ballot(slips[0].token)
    assert form.audience == "masses" and form.state == "open" and form.mode == "unnamed"
    assert [name for _, name in form.rated] == [name for _, name in casting.open_ballot(links[0].token).rated]
    assert not form.rate_branch_committee and not form.collect_opinions and "群众代表" in form.instructions
    everyone_excellent = {m: "excellent" for m, _ in form.rated}  # 7 of 7: over the members' cap of 2
    assert casting.cast_ballot(slips[0].token, FilledBallot(everyone_excellent))
    assert casting.open_ballot(slips[0].token).state == "used"
    assert code_entry.open_code(slips[1].code.upper(), client="198.51.100.7") == slips[1].token


def test_results_are_apart_from_the_members_and_never_in_their_counts():
    cid, path, links, slips = _masses_branch(codes=4)
    names = [name for _, name in casting.open_ballot(links[0].token).rated]
    for slip in slips[:3]:
        casting.cast_ballot(slip.token, all_qualified(slip.token, **{names[0]: "unqualified"}))
    casting.cast_ballot(links[0].token, all_qualified(links[0].token))
    members = voting.state(actor=ORG, campaign_id=cid, branch_path=path)
    assert (members.voted_online, members.rated, members.mode) == (1, 7, "named")
    assert masses_count.tally(actor=ORG, campaign_id=cid, branch_path=path) is None  # still open: nothing shown
    progress = overview.campaign_progress(actor=ORG, campaign_id=cid)
    assert [(b.online, b.mode) for b in progress.branches] == [(1, "named")]
    assert sum(n for _, n in overview.ballots_over_time(actor=ORG, campaign_id=cid)) == 1

    representatives.close_masses(actor=ORG, campaign_id=cid, branch_path=path)
    state = representatives.state(actor=ORG, campaign_id=cid, branch_path=path)
    assert (state.status, state.voted, state.codes_unused) == ("closed", 3, 1)
    assert voting.state(actor=ORG, campaign_id=cid, branch_path=path).status == "open"  # the members still vote
    result = masses_count.tally(actor=ORG, campaign_id=cid, branch_path=path)
    assert result.ballots == 3
    assert result.rows[0][1:] == (
        names[0],
        {"excellent": 0, "qualified": 0, "basically_qualified": 0, "unqualified": 3},
    )
    assert [t.ballots for t in masses_count.campaign_tallies(actor=ORG, campaign_id=cid)] == [3]

    voting.close_voting(actor=ORG, campaign_id=cid, branch_path=path)
    mine = counting.tally(actor=ORG, campaign_id=cid, branch_path=path)
    assert mine.online == 1 and mine.rows[0][2]["unqualified"] == 0


def test_the_branch_can_open_it_before_its_members_vote_and_the_codes_can_be_printed_again():
    cid, path, _ = make_voting_branch(full=3)
    representatives.set_enabled(actor=ORG, campaign_id=cid, enabled=True)
    slips = representatives.open_masses(actor=ORG, campaign_id=cid, branch_path=path, codes=2, base_url="http://t/")
    assert slips[0].url == f"http://t/v/{slips[0].token}"
    casting.cast_ballot(slips[0].token, all_qualified(slips[0].token))
    again = representatives.unused_codes(actor=ORG, campaign_id=cid, branch_path=path, base_url="http://t")
    assert [s.token for s in again] == [slips[1].token]
    more = representatives.add_codes(actor=ORG, campaign_id=cid, branch_path=path, codes=2, base_url="http://t")
    assert [s.slip_no for s in more] == [3, 4]
    assert len(representatives.unused_codes(actor=ORG, campaign_id=cid, branch_path=path, base_url="http://t")) == 3
    with session_scope() as session:
        audiences = sorted(v.audience for v in session.exec(select(BranchVoting)))
    assert audiences == ["masses", "members"]


def test_closing_the_campaign_ends_and_seals_it_with_the_members_voting():
    cid, path, _, slips = _masses_branch(codes=2)
    casting.cast_ballot(slips[0].token, all_qualified(slips[0].token))
    campaign_status.set_status(actor=ORG, campaign_id=cid, status="closed")
    with session_scope() as session:
        masses = session.exec(select(BranchVoting).where(BranchVoting.audience == "masses")).one()
        assert masses.sealed_at is not None and masses.wrapped_key is None
    assert casting.open_ballot(slips[1].token).state == "closed"
    assert masses_count.tally(actor=ORG, campaign_id=cid, branch_path=path).ballots == 1
    with pytest.raises(InvalidTransition, match="已经结束"):
        representatives.close_masses(actor=ORG, campaign_id=cid, branch_path=path)
