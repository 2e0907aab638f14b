"""Who votes on paper, and who closing a vote would shut out: names only for named links; for unnamed codes
the slip numbers and the count (the scope: tests/services/test_scope.py)."""

import pytest

from services.ballot import casting, closing_notice, paper_ballots, paper_list
from tests.factories import ORG, all_qualified, make_voting_branch

pytestmark = pytest.mark.usefixtures("database")


def test_named_paper_voters_in_roster_order_and_who_has_not_voted():
    cid, path, links = make_voting_branch(full=4)  # roster order: 王芳, 李明, 孙丽 (probationary), 张伟, 刘洋
    where = {"actor": ORG, "campaign_id": cid, "branch_path": path}
    assert paper_list.paper_voters(**where).count == 0
    by_name = {link.label: link for link in links}
    paper_ballots.mark_paper(**where, member_ids=[by_name["张伟"].member_id, by_name["王芳"].member_id])
    casting.cast_ballot(by_name["李明"].token, all_qualified(by_name["李明"].token))
    listed = paper_list.paper_voters(**where)
    assert (listed.named, listed.names, listed.slips) == (True, ["王芳", "张伟"], [])
    notice = closing_notice.closing_notice(**where)
    assert (notice.voters, notice.ballots, notice.waiting, notice.paper_waiting) == (5, 1, 4, 2)
    assert notice.names == ["孙丽", "刘洋"]  # on paper and voted online: not named as waiting
    paper_ballots.record_invalid_paper_ballot(**where)
    assert closing_notice.closing_notice(**where).paper_waiting == 1


def test_unnamed_codes_give_slip_numbers_and_a_count_but_no_names():
    cid, path, links = make_voting_branch(full=4, mode="unnamed")
    where = {"actor": ORG, "campaign_id": cid, "branch_path": path}
    paper_ballots.mark_paper(**where, count=2)
    casting.cast_ballot(links[0].token, all_qualified(links[0].token))
    listed = paper_list.paper_voters(**where)
    assert (listed.named, listed.names, listed.slips, listed.count) == (False, [], [4, 5], 2)
    notice = closing_notice.closing_notice(**where)
    assert (notice.names, notice.waiting, notice.paper_waiting) == (None, 4, 2)
