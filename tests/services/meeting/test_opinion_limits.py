"""The masses' opinion link under abuse: the hourly cap holds however many are sent at once, a reported
(frozen) unit takes no more, and the secretary can replace a link that went to the wrong place."""

import threading
from datetime import timedelta

import pytest

from services.ballot import voter_links, voting
from services.filing import reporting
from services.meeting import branch_links, opinions
from services.platform.errors import NotPermitted
from services.progress import checklist
from services.staff import audit
from tests.factories import ORG, make_account, make_voting_branch
from tests.services.filing.test_filing import DIRECT, TODAY, _complete, committee  # noqa: F401

pytestmark = pytest.mark.usefixtures("database")


def _token(url: str) -> str:
    return url.rsplit("/", 1)[1]


def test_sixty_opinions_sent_at_once_store_exactly_the_hours_cap(monkeypatch):
    cid, path, _ = make_voting_branch()
    token = _token(branch_links.public_link(actor=ORG, campaign_id=cid, branch_path=path, purpose="opinions",
                                            base_url="http://x"))  # fmt: skip
    monkeypatch.setattr(opinions, "PER_BRANCH_HOUR", 30)
    start, outcomes = threading.Barrier(60), []

    def send(i: int) -> None:
        start.wait()
        try:
            opinions.leave_opinion(token, f"第{i}条意见", sent_from_this_browser=0)
            outcomes.append("stored")
        except opinions.OpinionRefused as refused:
            outcomes.append(str(refused))

    threads = [threading.Thread(target=send, args=(i,)) for i in range(60)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("stored") == 30
    assert all("这一小时内收到的意见已经很多了" in o for o in outcomes if o != "stored")
    assert len(opinions.list_opinions(actor=ORG, campaign_id=cid, branch_path=path)) == 30


def test_a_reported_unit_takes_no_opinions_and_its_checklist_stays_complete(committee):  # noqa: F811
    cid, _ = committee
    links = voter_links.issue_links(actor=ORG, campaign_id=cid, branch_path=DIRECT, base_url="http://t")
    voting.close_voting(actor=ORG, campaign_id=cid, branch_path=DIRECT)
    _complete(cid, DIRECT, links)
    url = branch_links.public_link(actor=ORG, campaign_id=cid, branch_path=DIRECT, purpose="opinions",
                                   base_url="http://t")  # fmt: skip
    reporting.report(actor=ORG, campaign_id=cid, unit_path=DIRECT, today=TODAY + timedelta(days=1))

    assert not opinions.target(_token(url)).accepting  # the page says the opinions have ended
    with pytest.raises(opinions.OpinionRefused, match="材料已经报送，征求意见已经结束"):
        opinions.leave_opinion(_token(url), "报送以后才来的意见", sent_from_this_browser=0)
    assert len(opinions.list_opinions(actor=ORG, campaign_id=cid, branch_path=DIRECT)) == 1
    steps = checklist.branch_checklist(actor=ORG, campaign_id=cid, branch_path=DIRECT)
    assert [step.missing for step in steps] == [[]] * len(steps)


def test_the_secretary_replaces_a_public_link_and_the_old_one_opens_nothing():
    cid, path, _ = make_voting_branch()
    secretary = make_account("branch_secretary", path)
    where = {"campaign_id": cid, "branch_path": path, "purpose": "opinions", "base_url": "http://x"}
    old = branch_links.public_link(actor=secretary, **where)
    opinions.leave_opinion(_token(old), "第一条", sent_from_this_browser=0)

    new = branch_links.renew(actor=secretary, **where)
    assert new != old and branch_links.public_link(actor=secretary, **where) == new
    assert opinions.target(_token(old)) is None
    with pytest.raises(Exception, match="链接无效"):
        opinions.leave_opinion(_token(old), "旧链接", sent_from_this_browser=0)
    opinions.leave_opinion(_token(new), "新链接", sent_from_this_browser=0)
    listed = opinions.list_opinions(actor=secretary, campaign_id=cid, branch_path=path)
    assert [o.text for o in listed] == ["第一条", "新链接"]
    publicity_link = branch_links.public_link(actor=secretary, **where | {"purpose": "publicity"})
    assert _token(publicity_link) not in (_token(old), _token(new))  # the other address is untouched
    [entry] = [e for e in audit.list_entries(actor=ORG, campaign_id=cid) if e.action == "public_link.renew"]
    assert "征求意见链接已更换" in entry.detail
    with pytest.raises(NotPermitted):
        branch_links.renew(actor=make_account("general_branch_secretary", "机关党总支"), **where)
