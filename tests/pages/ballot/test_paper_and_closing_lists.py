"""组织测评 and 纸质票 through AppTest: before closing, who has not voted (names for named links, only the count for
codes); after each paper registration, a confirmation and the whole list so far."""

import pytest

from services.ballot import casting, paper_ballots
from tests.factories import BRANCH, ORG, all_qualified, make_account, make_voting_branch
from tests.pages.helpers import page

pytestmark = pytest.mark.usefixtures("database")


def test_closing_a_named_vote_names_who_has_not_voted_and_counts_paper_not_entered():
    cid, path, links = make_voting_branch(full=4)  # 5 voters: 4 full members and 1 probationary
    for link in links[:2]:
        casting.cast_ballot(link.token, all_qualified(link.token))
    paper_ballots.mark_paper(actor=ORG, campaign_id=cid, branch_path=path, member_ids=[links[2].member_id])
    at = page("ballot.voting", make_account("branch_secretary", BRANCH)).run()
    assert not at.exception
    waiting = [w.value for w in at.warning if w.value.startswith("还有")]
    names = "、".join(link.label for link in links[3:])
    assert waiting == [
        f"还有 3 人尚未投票（已收回 2 / 应投 5）。尚未投票的党员：{names}；另有 1 张已登记的纸质票尚未录入。"
        "结束后他们不能再投票，此操作不能撤销。"
    ]


def test_closing_an_unnamed_vote_gives_only_the_count():
    _, path, links = make_voting_branch(full=4, mode="unnamed")
    casting.cast_ballot(links[0].token, all_qualified(links[0].token))
    at = page("ballot.voting", make_account("branch_secretary", path)).run()
    assert not at.exception
    [waiting] = [w.value for w in at.warning if w.value.startswith("还有")]
    assert waiting == (
        "还有 4 人尚未投票（已收回 1 / 应投 5）（无记名投票码，只统计人数，不显示姓名）。"
        "结束后他们不能再投票，此操作不能撤销。"
    )


def test_each_paper_registration_is_confirmed_and_the_list_so_far_is_shown():
    _, _, links = make_voting_branch(full=4)
    at = page("ballot.paper_ballots", make_account("branch_secretary", BRANCH)).run()
    assert "还没有登记使用纸质票的党员。" in [c.value for c in at.caption]
    for done, link in enumerate(links[:2], start=1):
        at.multiselect(key="paper_members").select(link.member_id).run()
        at.button(key="mark_paper").click().run()
        assert not at.exception
        assert at.success[0].value == f"已登记 1 人使用纸质票：{link.label}。他们的测评链接已失效。"
        so_far = "、".join(link.label for link in links[:done])
        assert f"**已登记使用纸质票（{done} 人）**：{so_far}" in [m.value for m in at.markdown]


def test_an_unnamed_registration_is_confirmed_with_the_slip_numbers_and_listed():
    _, path, _ = make_voting_branch(full=4, mode="unnamed")
    at = page("ballot.paper_ballots", make_account("branch_secretary", path)).run()
    at.number_input(key="paper_count").set_value(2).run()
    at.button(key="mark_paper").click().run()
    assert not at.exception
    assert at.success[0].value == "已登记 2 人使用纸质票：第 4、5 号投票码已作废，请收回这些票。"
    assert "**已登记使用纸质票（2 人）**：已作废第 4、5 号投票码" in [m.value for m in at.markdown]
    assert at.metric[0].value == "0 / 2"  # the counter is brought up to date with it
