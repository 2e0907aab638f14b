"""Progress figures for a known data set: exact per branch, rolled up, within scope, never a tally."""

import json

import pytest

from services import demo
from services.ballot import casting, paper_ballots, reminders, voter_links, voting
from services.campaign.org import DIRECT
from services.platform.errors import NotPermitted
from services.progress import overview
from tests.factories import ORG, all_qualified, make_account

pytestmark = pytest.mark.usefixtures("database")

OFFICE = "机关党总支/党政办公室党支部"  # 24 members, all full
STAFF = "机关党总支/组织人事党支部"  # 20 members
LIBRARY = "图书馆直属党支部"  # 22 members


@pytest.fixture
def campaign():
    """The demo unit: office votes by named links (5 online, 2 on paper, 1 entered), staff by unnamed
    codes (3 online, closed), library not opened."""
    cid = demo.load_demo(actor=ORG).campaign_id
    voting.open_voting(actor=ORG, campaign_id=cid, branch_path=OFFICE)
    office = voter_links.issue_links(actor=ORG, campaign_id=cid, branch_path=OFFICE, base_url="http://t")
    for link in office[:5]:
        casting.cast_ballot(link.token, all_qualified(link.token))
    paper_ballots.mark_paper(
        actor=ORG, campaign_id=cid, branch_path=OFFICE, member_ids=[office[5].member_id, office[6].member_id]
    )
    paper_ballots.enter_paper_ballot(
        actor=ORG, campaign_id=cid, branch_path=OFFICE, filled=all_qualified(office[7].token)
    )
    voting.open_voting(actor=ORG, campaign_id=cid, branch_path=STAFF, mode="unnamed")
    staff = voter_links.issue_links(actor=ORG, campaign_id=cid, branch_path=STAFF, base_url="http://t")
    for link in staff[:3]:
        casting.cast_ballot(link.token, all_qualified(link.token))
    voting.close_voting(actor=ORG, campaign_id=cid, branch_path=STAFF)
    return cid, office


def _branch(now, path):
    return next(b for b in now.branches if b.path == path)


def test_per_branch_figures_are_exact(campaign):
    cid, _ = campaign
    now = overview.campaign_progress(actor=ORG, campaign_id=cid)
    office, staff, library = _branch(now, OFFICE), _branch(now, STAFF), _branch(now, LIBRARY)
    assert (office.state, office.mode, office.eligible, office.online, office.paper, office.received) == (
        "open",
        "named",
        24,
        5,
        1,
        6,
    )
    assert office.percent == 25.0
    assert office.latest is not None
    assert (staff.state, staff.mode, staff.eligible, staff.received, staff.percent) == (
        "closed",
        "unnamed",
        20,
        3,
        15.0,
    )
    assert (library.state, library.parent, library.received, library.latest) == ("not_open", DIRECT, 0, None)


def test_rollups_per_general_branch_and_for_the_committee(campaign):
    cid, _ = campaign
    now = overview.campaign_progress(actor=ORG, campaign_id=cid)
    office_group = next(g for g in now.by_parent if g.label == "机关党总支")
    assert (office_group.branches, office_group.eligible, office_group.received) == (3, 70, 9)
    assert (office_group.not_open, office_group.open, office_group.closed) == (1, 1, 1)
    assert office_group.percent == 12.9
    assert [g.label for g in now.by_parent] == [
        "机关党总支",
        "机电工程学院党总支",
        "经济管理学院党总支",
        "离退休党总支",
        DIRECT,
    ]
    assert (now.total.branches, now.total.eligible, now.total.received) == (12, 300, 9)
    assert (now.total.not_open, now.total.open, now.total.closed) == (10, 1, 1)


def test_a_branch_secretary_sees_only_their_branch(campaign):
    cid, _ = campaign
    secretary = make_account("branch_secretary", OFFICE)
    now = overview.campaign_progress(actor=secretary, campaign_id=cid)
    assert [b.path for b in now.branches] == [OFFICE]
    assert (now.total.eligible, now.total.received) == (24, 6)
    general = make_account("general_branch_secretary", "机关党总支")
    assert len(overview.campaign_progress(actor=general, campaign_id=cid).branches) == 3
    assert overview.ballots_over_time(actor=secretary, campaign_id=cid)[-1][1] == 6


def test_not_voted_is_exactly_the_unused_links_with_paper_voters_marked(campaign):
    cid, office = campaign
    pending = reminders.not_voted(actor=ORG, campaign_id=cid, branch_path=OFFICE)
    voted = {link.label for link in office[:5]}
    assert {p.name for p in pending} == {link.label for link in office} - voted
    assert {p.name for p in pending if p.on_paper} == {office[5].label, office[6].label}
    assert all(p.phone for p in pending)
    assert reminders.not_voted(actor=ORG, campaign_id=cid, branch_path=STAFF) == []  # unnamed: nobody named
    with pytest.raises(NotPermitted):
        reminders.not_voted(actor=make_account("branch_secretary", STAFF), campaign_id=cid, branch_path=OFFICE)


def test_progress_carries_no_tally(campaign):
    cid, _ = campaign
    document = json.dumps(overview.campaign_progress(actor=ORG, campaign_id=cid).as_dict(), ensure_ascii=False)
    for grade in ("excellent", "qualified", "优秀", "合格"):
        assert grade not in document


def test_ballots_over_time_is_cumulative(campaign):
    cid, _ = campaign
    series = overview.ballots_over_time(actor=ORG, campaign_id=cid)
    counts = [n for _, n in series]
    assert counts == sorted(counts)
    assert counts[-1] == 9


def test_branches_lagging_near_the_deadline_call_for_attention(campaign):
    cid, _ = campaign
    now = overview.campaign_progress(actor=ORG, campaign_id=cid)
    assert now.attention() == []  # the deadline is months away
    near = type(now)(**{**now.__dict__, "days_left": 3})
    late = near.attention(below=80)
    assert OFFICE in [b.path for b in late] and LIBRARY in [b.path for b in late]
    assert STAFF not in [b.path for b in late]  # closed
