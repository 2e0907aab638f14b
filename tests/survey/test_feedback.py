"""Feedback to each member on their personal page: their own grade, only after approval."""

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from services.ballot import ballot_form, casting, voter_links, voting
from services.grading import feedback, final_grades, results
from services.grading.final_grades import GradeEntry
from survey import routes
from tests.factories import BRANCH_MEMBERS, ORG, PROBATIONARY, make_account, make_voted_branch, make_voting_branch
from tests.services.grading.test_personal_links import roster_only_branch

pytestmark = pytest.mark.usefixtures("database")
UNQUALIFIED = {"disposition": "限期改正", "disposition_note": "三个月内改正"}


@pytest.fixture
def client():
    return TestClient(Starlette(routes=routes), base_url="http://testserver")


def _grade_and_approve(cid, path, notes=None):
    found = results.branch_results(actor=ORG, campaign_id=cid, branch_path=path)
    entries = []
    for row in found.rows:
        extra = UNQUALIFIED if row.suggestion.grade == "unqualified" else {}
        entries.append(
            GradeEntry(row.member_id, row.suggestion.grade, feedback_note=(notes or {}).get(row.name), **extra)
        )
    secretary = make_account("branch_secretary", path)
    final_grades.save_grades(actor=secretary, campaign_id=cid, branch_path=path, entries=entries)
    final_grades.submit_grades(actor=secretary, campaign_id=cid, branch_path=path)
    final_grades.approve_grades(actor=ORG, campaign_id=cid, branch_path=path)


def test_a_named_link_shows_nothing_before_approval_then_only_the_members_own_result(client):
    cid, path, links = make_voted_branch()
    wang = links[0]  # 王芳: voted online with this link
    before = client.get(f"/v/{wang.token}").text
    assert "尚未经上级党组织审批" in before and "优秀" not in before
    _grade_and_approve(cid, path, notes={"王芳": "希望继续带好党小组"})
    after = client.get(f"/v/{wang.token}")
    assert after.status_code == 200
    assert "评议结果：<strong>优秀</strong>" in after.text and "予以表扬" in after.text
    assert "党支部的话：希望继续带好党小组" in after.text
    others = [n for n in [*BRANCH_MEMBERS, PROBATIONARY] if n != "王芳"]
    assert not any(name in after.text for name in others)  # never anything about anyone else


def test_every_grade_gets_the_notices_words_and_probationary_members_no_grade(client):
    cid, path, links = make_voted_branch()
    _grade_and_approve(cid, path)
    pages = {link.label: client.get(f"/v/{link.token}").text for link in links}
    assert "肯定您的优点" in pages["张伟"]
    assert "指出您的差距" in pages["刘洋"]
    assert "组织处置：限期改正；三个月内改正" in pages["杨帆"]
    assert "预备党员参加民主评议，但不评定等次" in pages[PROBATIONARY] and "评议结果：" not in pages[PROBATIONARY]
    assert "组织处置" in pages["杨帆"] and "组织处置" not in pages["张伟"]


def test_an_unnamed_code_never_opens_anything_personal_and_personal_links_do(client):
    cid, path, codes = make_voting_branch(full=7, mode="unnamed")
    for code in codes[:5]:
        ids = [m for m, _ in casting.open_ballot(code.token).rated]
        casting.cast_ballot(code.token, ballot_form.FilledBallot(choices=dict.fromkeys(ids, "qualified")))
    during = feedback.issue_personal_links(actor=ORG, campaign_id=cid, branch_path=path, base_url="http://testserver")
    assert {link.token for link in during}.isdisjoint(code.token for code in codes)  # issued while voting: allowed
    voting.close_voting(actor=ORG, campaign_id=cid, branch_path=path)
    _grade_and_approve(cid, path)
    for code in codes:
        assert feedback.personal_view(code.token) is None
        assert "本人评议结果" not in client.get(f"/v/{code.token}").text
    first = feedback.issue_personal_links(actor=ORG, campaign_id=cid, branch_path=path, base_url="http://testserver")
    assert [link.label for link in first][:3] == ["王芳", "李明", PROBATIONARY]
    page = client.get(f"/p/{first[0].token}")
    assert page.status_code == 200 and "王芳" in page.text and "评议结果：<strong>合格</strong>" in page.text
    again = feedback.issue_personal_links(actor=ORG, campaign_id=cid, branch_path=path, base_url="http://testserver")
    assert client.get(f"/p/{first[0].token}").status_code == 404  # replaced
    assert client.get(f"/p/{again[0].token}").status_code == 200
    assert client.get(f"/p/{codes[0].token}").status_code == 404  # a ballot code is no personal link


def test_a_reissued_named_link_replaces_the_old_one_for_feedback_too(client):
    cid, path, links = make_voting_branch(full=7)
    chen = next(link for link in links if link.label == "陈静")
    new = voter_links.reissue_link(
        actor=ORG, campaign_id=cid, branch_path=path, member_id=chen.member_id, base_url="http://testserver"
    )
    voting.close_voting(actor=ORG, campaign_id=cid, branch_path=path)
    assert feedback.personal_view(chen.token) is None
    assert feedback.personal_view(new.token).name == "陈静"


def test_a_link_of_another_branch_shows_nothing_of_this_branchs_approved_grades(client):
    from datetime import date, timedelta

    from services.ballot import campaign_status
    from services.campaign import roster
    from tests.factories import csv_bytes, make_campaign

    cid = make_campaign(year=date.today().year, deadline=date.today() + timedelta(days=30))
    rows = [["姓名", "党总支", "党支部", "党员类别"]]
    rows += [[n, "机关党总支", "第一党支部", "正式党员"] for n in BRANCH_MEMBERS]
    rows += [[n, "机关党总支", "第二党支部", "正式党员"] for n in ("钱多", "孙少", "周全")]
    roster.import_roster_file(actor=ORG, campaign_id=cid, filename="r.csv", data=csv_bytes(rows))
    campaign_status.set_status(actor=ORG, campaign_id=cid, status="open")
    links = {}
    for path in ("机关党总支/第一党支部", "机关党总支/第二党支部"):
        voting.open_voting(actor=ORG, campaign_id=cid, branch_path=path, mode="named")
        links[path] = voter_links.issue_links(
            actor=ORG, campaign_id=cid, branch_path=path, base_url="http://testserver"
        )
        voting.close_voting(actor=ORG, campaign_id=cid, branch_path=path)
    first, second = links.values()
    found = results.branch_results(actor=ORG, campaign_id=cid, branch_path="机关党总支/第一党支部")
    entries = [GradeEntry(r.member_id, "qualified") for r in found.rows]
    final_grades.save_grades(actor=ORG, campaign_id=cid, branch_path="机关党总支/第一党支部", entries=entries)
    secretary = make_account("branch_secretary", "机关党总支/第一党支部")
    final_grades.submit_grades(actor=secretary, campaign_id=cid, branch_path="机关党总支/第一党支部")
    final_grades.approve_grades(actor=ORG, campaign_id=cid, branch_path="机关党总支/第一党支部")
    assert "评议结果：<strong>合格</strong>" in client.get(f"/v/{first[0].token}").text
    other = client.get(f"/v/{second[0].token}").text  # 第二党支部: not yet graded, let alone approved
    assert "尚未经上级党组织审批" in other and "评议结果：" not in other
    assert not any(name in other for name in BRANCH_MEMBERS)


def test_a_paper_voters_page_says_his_paper_ballot_has_no_receipt_code_and_an_online_voters_lists_them(client):
    cid, path, links = make_voted_branch()  # links[6] and links[7] were marked for paper
    _grade_and_approve(cid, path)
    paper = client.get(f"/v/{links[6].token}").text
    assert "评议结果：" in paper  # his own page, after approval
    assert "您登记为纸质投票" in paper and "纸质票没有回执码" in paper
    assert "请核对您的回执码" not in paper and "全部在线测评票的回执码" not in paper
    online = client.get(f"/v/{links[0].token}").text
    assert "请核对您的回执码在其中" in online and "纸质投票" not in online


def test_a_personal_link_before_the_vote_leads_with_the_self_review_and_shows_no_grade(client):
    cid, path = roster_only_branch()
    links = feedback.issue_personal_links(actor=ORG, campaign_id=cid, branch_path=path, base_url="http://testserver")
    page = client.get(f"/p/{links[0].token}")
    assert page.status_code == 200
    html = page.text
    assert "<title>本人页面 · 党员民主测评</title>" in html and "<h2>本人页面</h2>" in html
    first_link = html.index("<a ", html.index("<main>"))
    assert html[first_link:].startswith(f'<a class="action" href="/s/{links[0].token}">填写党性分析（个人自评）</a>')
    assert html.index("填写党性分析") < html.index("评议结果") < html.index("尚未经上级党组织审批")
    assert "本人评议结果" not in html and "评议结果：" not in html
    assert not any(label in html for label in ("优秀", "基本合格", "不合格"))
