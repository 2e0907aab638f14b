"""Personal links before the vote: a branch's runner issues them once the roster is in, so members write their
党性分析 before the meeting; issuing again revokes the earlier ones; only the branch's runners may."""

import pytest
from sqlmodel import select

from models import AuditEntry
from models.audit import AuditAction
from services.ballot import campaign_status
from services.campaign import roster
from services.grading import feedback
from services.meeting import self_reviews
from services.platform.db import session_scope
from services.platform.errors import NotPermitted
from tests.factories import BRANCH, ORG, PROBATIONARY, csv_bytes, make_account, make_campaign

pytestmark = pytest.mark.usefixtures("database")


def roster_only_branch() -> tuple[int, str]:
    """An open campaign whose branch has its roster and no vote opened yet."""
    cid = make_campaign()
    rows = [["姓名", "党总支", "党支部", "党员类别"], ["王芳", "机关党总支", "第一党支部", "正式党员"]]
    rows += [["李明", "机关党总支", "第一党支部", "正式党员"], [PROBATIONARY, "机关党总支", "第一党支部", "预备党员"]]
    roster.import_roster_file(actor=ORG, campaign_id=cid, filename="r.csv", data=csv_bytes(rows))
    campaign_status.set_status(actor=ORG, campaign_id=cid, status="open")
    return cid, BRANCH


def test_links_issued_before_voting_opens_let_a_member_write_their_self_review():
    cid, _ = roster_only_branch()
    secretary = make_account("branch_secretary", BRANCH)
    links = feedback.issue_personal_links(actor=secretary, campaign_id=cid, branch_path=BRANCH, base_url="http://t/")
    assert [link.label for link in links] == ["王芳", "李明", PROBATIONARY]
    assert all(link.url == f"http://t/p/{link.token}" and link.slip_no is None for link in links)
    wang = links[0].token
    own = self_reviews.own_review(wang)
    assert (own.name, own.text, own.locked) == ("王芳", None, False)
    saved = self_reviews.write_own(wang, "对照合格党员标准，我在学习上还有差距。")
    assert saved.text == "对照合格党员标准，我在学习上还有差距。" and not saved.by_secretary
    view = feedback.personal_view(wang)
    assert view.name == "王芳" and not view.approved and view.grade_label is None
    with session_scope() as session:
        logged = session.exec(select(AuditEntry).where(AuditEntry.action == AuditAction.personal_links)).all()
    assert [(e.actor, e.target) for e in logged] == [(secretary.username, BRANCH)]


def test_issuing_again_revokes_the_earlier_links():
    cid, _ = roster_only_branch()
    first = feedback.issue_personal_links(actor=ORG, campaign_id=cid, branch_path=BRANCH, base_url="http://t")
    again = feedback.issue_personal_links(actor=ORG, campaign_id=cid, branch_path=BRANCH, base_url="http://t")
    assert {link.token for link in first}.isdisjoint(link.token for link in again)
    assert self_reviews.own_review(first[0].token) is None
    assert feedback.personal_view(first[0].token) is None
    assert self_reviews.own_review(again[0].token).name == "王芳"


def test_a_general_branch_secretary_is_refused():
    cid, _ = roster_only_branch()
    general = make_account("general_branch_secretary", "机关党总支")
    with pytest.raises(NotPermitted):
        feedback.issue_personal_links(actor=general, campaign_id=cid, branch_path=BRANCH, base_url="http://t")
