"""What a change of a campaign's status will do, as the confirmation says it, and a confirmation given for a
status that has changed since is refused."""

from datetime import date, timedelta

import pytest

from services.ballot import campaign_status, casting, paper_ballots, status_notice, voter_links, voting
from services.campaign import roster
from services.platform.errors import InvalidTransition, NotPermitted
from tests.factories import ORG, all_qualified, csv_bytes, make_account, make_campaign

pytestmark = pytest.mark.usefixtures("database")
FIRST, SECOND = "机关党总支/第一党支部", "机关党总支/第二党支部"


@pytest.fixture
def campaign() -> int:
    """A draft with two branches: 第一党支部 of three members, 第二党支部 of two."""
    cid = make_campaign(year=date.today().year, deadline=date.today() + timedelta(days=30))
    rows = [["姓名", "党总支", "党支部", "党员类别"]]
    rows += [[n, "机关党总支", "第一党支部", "正式党员"] for n in ("甲一", "甲二", "甲三")]
    rows += [[n, "机关党总支", "第二党支部", "正式党员"] for n in ("乙一", "乙二")]
    roster.import_roster_file(actor=ORG, campaign_id=cid, filename="r.csv", data=csv_bytes(rows))
    return cid


def _notice(cid: int, status: str) -> list[str]:
    return status_notice.status_notice(actor=ORG, campaign_id=cid, status=status).sentences


def test_opening_says_who_will_see_it(campaign):
    said = status_notice.status_notice(actor=ORG, campaign_id=campaign, status="open")
    assert said.question == "确定把本活动由“草稿”改为“进行中”吗？"
    assert (
        said.sentences[0] == "开始后，各党总支、党支部书记即可看到本活动（2 个党支部、5 名党员），党支部可以开启测评。"
    )


def test_closing_counts_who_has_not_voted_in_the_branches_still_voting(campaign):
    campaign_status.set_status(actor=ORG, campaign_id=campaign, status="open")
    links = {}
    for path in (FIRST, SECOND):
        voting.open_voting(actor=ORG, campaign_id=campaign, branch_path=path)
        links[path] = voter_links.issue_links(actor=ORG, campaign_id=campaign, branch_path=path, base_url="http://t")
    voting.close_voting(actor=ORG, campaign_id=campaign, branch_path=SECOND)  # its own end: not counted
    first = links[FIRST]
    casting.cast_ballot(first[0].token, all_qualified(first[0].token))
    where = {"actor": ORG, "campaign_id": campaign, "branch_path": FIRST}
    paper_ballots.mark_paper(**where, member_ids=[first[1].member_id])
    paper_ballots.enter_paper_ballot(**where, filled=all_qualified(first[0].token))
    said = _notice(campaign, "closed")
    assert said[0] == "结束后党员不能再投票，各党支部也不能再开启测评。"
    assert said[1] == "正在测评的 1 个党支部将同时结束测评，其中还有 1 人尚未投票。"


def test_reopening_and_archiving(campaign):
    campaign_status.set_status(actor=ORG, campaign_id=campaign, status="open")
    voting.open_voting(actor=ORG, campaign_id=campaign, branch_path=FIRST)
    campaign_status.set_status(actor=ORG, campaign_id=campaign, status="closed")
    assert _notice(campaign, "open")[0].startswith("重新开始后，随活动结束而停止测评的 1 个党支部将恢复测评")
    assert _notice(campaign, "archived") == [
        "归档后本活动不能再重新开始，活动设置也不能再修改；各项记录仍可查看和导出。",
        "此操作不能撤销。",
    ]


def test_a_change_not_allowed_and_a_secretary_are_refused(campaign):
    with pytest.raises(InvalidTransition):
        status_notice.status_notice(actor=ORG, campaign_id=campaign, status="closed")
    with pytest.raises(NotPermitted):
        status_notice.status_notice(actor=make_account("branch_secretary", FIRST), campaign_id=campaign, status="open")


def test_a_confirmation_for_another_status_than_the_campaign_has_now_changes_nothing(campaign):
    campaign_status.set_status(actor=ORG, campaign_id=campaign, status="open", expected="draft")
    campaign_status.set_status(actor=ORG, campaign_id=campaign, status="closed")
    with pytest.raises(InvalidTransition, match="该活动的状态已经变为“已结束”，没有再作更改"):
        campaign_status.set_status(actor=ORG, campaign_id=campaign, status="open", expected="draft")
    assert (
        campaign_status.set_status(actor=ORG, campaign_id=campaign, status="open", expected="closed").status == "open"
    )
