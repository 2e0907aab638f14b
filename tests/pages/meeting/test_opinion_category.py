"""征求意见 on the talks page (issue 25): a new opinion's 类别 has no default, putting it on the problem list
without one says so, and the section names its link in its own words, not the ballot's."""

import re

import pytest

from services.meeting import opinions, problems
from services.meeting.branch_links import public_link
from tests.factories import BRANCH, ORG, make_account, make_voting_branch
from tests.pages.helpers import page

pytestmark = pytest.mark.usefixtures("database")


@pytest.fixture
def opinion(monkeypatch):
    monkeypatch.setenv("BASE_URL", "http://192.168.1.10:8501")
    cid, path, _ = make_voting_branch(full=7)
    url = public_link(actor=ORG, campaign_id=cid, branch_path=path, purpose="opinions", base_url="http://x")
    opinions.leave_opinion(url.rsplit("/", 1)[1], "窗口办事要跑好几趟", sent_from_this_browser=0)
    return cid, path, opinions.list_opinions(actor=ORG, campaign_id=cid, branch_path=path)[0]


def test_a_new_opinions_category_is_chosen_by_the_secretary_and_none_chosen_is_refused_plainly(opinion):
    cid, path, row = opinion
    at = page("meeting.talks", make_account("branch_secretary", BRANCH)).run()
    category = at.selectbox(key=f"opinion_category_{row.id}")
    assert category.value is None and category.placeholder == "请选择类别"
    at.button(key=f"opinion_copy_{row.id}").click().run()
    assert not at.exception
    assert at.error[0].value.startswith("请选择类别")
    assert problems.list_problems(actor=ORG, campaign_id=cid, branch_path=path) == []
    assert opinions.list_opinions(actor=ORG, campaign_id=cid, branch_path=path)[0].state != "adopted"
    at.selectbox(key=f"opinion_category_{row.id}").select("作风").run()
    at.button(key=f"opinion_copy_{row.id}").click().run()
    assert at.success[0].value == "已列入问题清单第 1 项，这条意见标为“已采纳”。"
    listed = problems.list_problems(actor=ORG, campaign_id=cid, branch_path=path)
    assert [(p.text, p.category) for p in listed] == [("窗口办事要跑好几趟", "作风")]


def test_the_opinion_section_names_its_own_link_not_the_ballots(opinion):
    at = page("meeting.talks", make_account("branch_secretary", BRANCH)).run()
    shown = " ".join(m.value for m in at.markdown)
    assert "征求意见链接地址：`http://192.168.1.10:8501`" in shown
    assert "测评链接" not in shown  # no ballot wording
    # and no address of the ballot pages (/v, /v/<token>); the opinions link's own token may begin with a "v"
    assert re.search(r"://[^/\s]+/v\b", shown) is None, shown
