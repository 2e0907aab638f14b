"""未参加评议 marked on the 组织测评 page, before the vote and after it (AppTest)."""

from datetime import date, timedelta

import pytest

from services.ballot import campaign_status, casting, voting
from services.campaign import members, roster
from services.grading import taking_part
from tests.factories import BRANCH, ORG, all_qualified, csv_bytes, make_account, make_campaign, make_voting_branch
from tests.pages.helpers import page

pytestmark = pytest.mark.usefixtures("database")


def _submit(cid: int) -> str:
    return f"FormSubmitter:not_taking_part_{cid}_{BRANCH}-标记为未参加评议"


def _ids(cid: int) -> dict[str, int]:
    return {m.name: m.id for m in members.list_members(actor=ORG, campaign_id=cid, branch_path=BRANCH)}


def test_before_the_vote_the_secretary_marks_a_member_with_the_reason_and_takes_it_back():
    cid = make_campaign(year=date.today().year, deadline=date.today() + timedelta(days=10))
    rows = [["姓名", "党总支", "党支部", "党员类别"]] + [[n, "机关党总支", "第一党支部", "正式党员"] for n in "甲乙丙"]
    roster.import_roster_file(actor=ORG, campaign_id=cid, filename="r.csv", data=csv_bytes(rows))
    campaign_status.set_status(actor=ORG, campaign_id=cid, status="open")
    secretary = make_account("branch_secretary", BRANCH, username="zb")
    at = page("ballot.voting", secretary).run()
    assert "未参加评议的党员（0 人）" in [s.value for s in at.subheader]
    ids = _ids(cid)
    at.selectbox(key="absent_member").set_value(ids["丙"])
    at.selectbox(key="absent_reason").set_value("other")
    at.button(key=_submit(cid)).click().run()
    assert at.error[0].value == "原因为“其他”的，请写明具体原因"  # 其他 needs the note
    at.selectbox(key="absent_member").set_value(ids["丙"])
    at.selectbox(key="absent_reason").set_value("other")
    at.text_input(key="absent_note").set_value("长期外派")
    at.button(key=_submit(cid)).click().run()
    assert not at.exception and at.success[0].value == "已标记丙为未参加评议"
    assert "未参加评议的党员（1 人）" in [s.value for s in at.subheader]
    assert any(m.value == "- 丙：其他：长期外派" for m in at.markdown)
    assert {m.label: m.value for m in at.metric}["应投票人数"] == "2"
    at.selectbox(key="absent_back").set_value(ids["丙"]).run()
    at.button(key="absent_undo").click().run()
    assert at.success[0].value.startswith("丙改为参加评议")
    assert taking_part.branch_not_taking_part(actor=ORG, campaign_id=cid, branch_path=BRANCH) == []


def test_after_the_vote_a_marked_member_is_listed_on_the_results_page_and_only_the_branch_may_mark():
    cid, path, links = make_voting_branch(full=7)
    for link in links[:-1]:  # all but 赵刚, last in roster order
        casting.cast_ballot(link.token, all_qualified(link.token))
    voting.close_voting(actor=ORG, campaign_id=cid, branch_path=path)
    secretary = make_account("branch_secretary", path, username="zb")
    at = page("ballot.voting", secretary).run()
    at.selectbox(key="absent_member").set_value(_ids(cid)["赵刚"])
    at.selectbox(key="absent_reason").set_value("lost_contact")
    at.button(key=_submit(cid)).click().run()
    assert not at.exception and "已标记赵刚为未参加评议" in [s.value for s in at.success]
    shown = page("grading.results", secretary).run()
    assert {m.label: m.value for m in shown.metric}["参评率"] == "100%"  # 7 of the 7 taking part
    listed = "未参加评议（不计入应参加测评人数和“优秀”名额的基数，不评定格次）：赵刚（失联）"
    assert listed in [c.value for c in shown.caption], [c.value for c in shown.caption]
    assert "赵刚" not in list(shown.dataframe[0].value["姓名"])
    general = make_account("general_branch_secretary", "机关党总支", username="zzb")
    watching = page("ballot.voting", general).run()
    assert any(m.value == "- 赵刚：失联" for m in watching.markdown)
    assert not [f for f in watching.button if f.key == _submit(cid)]  # no form for the upper organization
