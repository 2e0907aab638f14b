"""The final grades as submitted, read-only, and the waiting items of 首页: who reads them, when, and what
they say (issue 23, item 1)."""

import pytest
from sqlmodel import select

from models import Member
from services.campaign import roster
from services.grading import final_grades, grade_review, results
from services.grading.final_grades import GradeEntry
from services.platform.db import session_scope
from services.platform.errors import InvalidTransition, NotPermitted
from tests.factories import BRANCH_MEMBERS, ORG, csv_bytes, make_account, make_campaign, make_voted_branch

pytestmark = pytest.mark.usefixtures("database")

LIU = {"grade": "qualified", "reason": "支部研究认为整体表现合格", "feedback_note": "继续努力"}
YANG = {"grade": "unqualified", "disposition": "限期改正", "disposition_note": "六个月内改正"}


@pytest.fixture
def branch():
    """The voted branch, graded (刘洋 合格 against the suggested 基本合格, 杨帆 不合格) and submitted by its
    secretary; a sibling branch and another general branch exist (in last year's campaign: a roster is locked
    once voting opens), so accounts can be scoped to them."""
    cid, path, _ = make_voted_branch()
    rows = [["姓名", "党总支", "党支部", "党员类别"], ["甲", "机关党总支", "第二党支部", "正式党员"]]
    rows += [["乙", "教学党总支", "第一党支部", "正式党员"]]
    roster.import_roster_file(actor=ORG, campaign_id=make_campaign(year=2019), filename="r.csv", data=csv_bytes(rows))
    secretary = make_account("branch_secretary", path, username="zb")
    _grade(cid, path, secretary)
    final_grades.submit_grades(actor=secretary, campaign_id=cid, branch_path=path)
    return cid, path, secretary


def _grade(cid, path, actor, **changes) -> None:
    found = results.branch_results(actor=ORG, campaign_id=cid, branch_path=path)
    changes = {"刘洋": LIU, "杨帆": YANG, **changes}
    entries = [GradeEntry(r.member_id, **{"grade": r.suggestion.grade, **changes.get(r.name, {})}) for r in found.rows]
    final_grades.save_grades(actor=actor, campaign_id=cid, branch_path=path, entries=entries)


def _read(actor, cid, path):
    return grade_review.final_grade_review(actor=actor, campaign_id=cid, branch_path=path)


def test_the_review_holds_votes_suggested_final_reason_disposition_and_notes(branch):
    cid, path, secretary = branch
    review = _read(secretary, cid, path)
    rows = {r.name: r for r in review.rows}
    assert list(rows) == BRANCH_MEMBERS and review.state == "submitted"
    assert rows["王芳"].counts == {"excellent": 5, "qualified": 2, "basically_qualified": 0, "unqualified": 0}
    assert (rows["王芳"].suggested, rows["王芳"].final, rows["王芳"].differs) == ("excellent", "excellent", False)
    liu = rows["刘洋"]
    assert (liu.suggested, liu.final, liu.differs) == ("basically_qualified", "qualified", True)
    assert (liu.reason, liu.feedback_note) == ("支部研究认为整体表现合格", "继续努力")
    yang = rows["杨帆"]
    assert (yang.final, yang.disposition, yang.disposition_note) == ("unqualified", "限期改正", "六个月内改正")
    assert [r.name for r in review.graded("excellent")] == ["王芳", "李明"]
    assert [r.name for r in review.differing] == ["刘洋"]
    assert review.submitted_by == secretary.display_name and review.submitted_at is not None
    assert review.approved is None and not review.may_decide  # the secretary does not approve


def test_before_approval_only_the_branch_and_its_approver_read_it(branch):
    cid, path, _ = branch
    general = make_account("general_branch_secretary", "机关党总支", username="zzb")
    assert _read(general, cid, path).may_decide
    assert _read(ORG, cid, path).may_decide  # the organizer may act on any branch
    member = make_account("committee_member", path, username="zw")
    assert not _read(member, cid, path).may_decide
    for outsider in (
        make_account("branch_secretary", "机关党总支/第二党支部", username="sibling"),  # a sibling branch
        make_account("committee_member", "机关党总支/第二党支部", username="sibling-zw"),
        make_account("general_branch_secretary", "教学党总支", username="other-zzb"),
    ):
        with pytest.raises(NotPermitted):
            _read(outsider, cid, path)


def test_after_approval_everyone_in_scope_reads_it_and_a_sibling_still_cannot(branch):
    cid, path, _ = branch
    general = make_account("general_branch_secretary", "机关党总支", username="zzb")
    final_grades.approve_grades(actor=general, campaign_id=cid, branch_path=path, comment="同意")
    for reader in (general, make_account("committee_member", path, username="zw"), ORG):
        review = _read(reader, cid, path)
        assert review.state == "approved" and not review.may_decide
        assert (review.approved.by, review.approved.comment) == (general.display_name, "同意")
    with pytest.raises(NotPermitted):
        _read(make_account("branch_secretary", "机关党总支/第二党支部", username="sibling"), cid, path)


def test_a_draft_or_returned_grades_are_not_shown_as_submitted(branch):
    cid, path, secretary = branch
    final_grades.return_grades(actor=ORG, campaign_id=cid, branch_path=path, comment="请核实刘洋")
    for reader in (secretary, ORG):
        with pytest.raises(InvalidTransition, match="现在是“已退回”，报送后才能查看"):
            _read(reader, cid, path)
    found = results.branch_results(actor=secretary, campaign_id=cid, branch_path=path)
    assert grade_review.returned_comment(found)[::2] == (ORG.display_name, "请核实刘洋")


def test_a_member_not_taking_part_is_listed_with_the_reasons_label(branch):
    cid, path, secretary = branch
    with session_scope() as session:
        member = session.exec(select(Member).where(Member.campaign_id == cid, Member.name == "赵刚")).one()
        member.not_taking_part, member.not_taking_part_note = "abroad", "公派访学"
        session.add(member)
    rows = {r.name: r for r in _read(secretary, cid, path).rows}
    assert rows["赵刚"].not_taking_part == "出国（境）：公派访学"
    assert rows["王芳"].not_taking_part is None


def _items(actor) -> list[tuple]:
    return [(i.kind, i.branch_path, i.comment) for i in grade_review.waiting_items(actor=actor)]


def test_waiting_items_follow_a_return_and_a_resubmission(branch):
    cid, path, secretary = branch
    general = make_account("general_branch_secretary", "机关党总支", username="zzb")
    member = make_account("committee_member", path, username="zw")
    sibling = make_account("branch_secretary", "机关党总支/第二党支部", username="sibling")
    other_general = make_account("general_branch_secretary", "教学党总支", username="other-zzb")
    assert _items(general) == [("approve", path, None)]
    [waiting] = grade_review.waiting_items(actor=general)
    assert (waiting.campaign_id, waiting.by) == (cid, secretary.display_name)
    for nobody in (secretary, member, sibling, other_general, ORG):  # the organizer: not a direct branch
        assert _items(nobody) == []

    final_grades.return_grades(actor=general, campaign_id=cid, branch_path=path, comment="请核实刘洋的理由")
    for grader in (secretary, member):
        assert _items(grader) == [("returned", path, "请核实刘洋的理由")]
    [back] = grade_review.waiting_items(actor=secretary)
    assert back.by == general.display_name
    for nobody in (general, sibling, other_general, ORG):
        assert _items(nobody) == []

    _grade(cid, path, secretary, 刘洋={**LIU, "reason": "支部大会表决为合格"})
    assert _items(secretary) == [("returned", path, "请核实刘洋的理由")]  # until resubmitted
    final_grades.submit_grades(actor=secretary, campaign_id=cid, branch_path=path)
    assert _items(secretary) == [] and _items(general) == [("approve", path, None)]
    final_grades.approve_grades(actor=general, campaign_id=cid, branch_path=path)
    assert _items(secretary) == [] and _items(general) == []


def test_a_direct_branch_waits_for_the_organizer_and_never_for_its_own_submitter(database):
    from services.ballot import campaign_status, voting

    cid = make_campaign(year=2026, deadline=__import__("datetime").date(2027, 3, 20))
    rows = [["姓名", "党支部", "党员类别"]] + [[n, "图书馆直属党支部", "正式党员"] for n in BRANCH_MEMBERS]
    roster.import_roster_file(actor=ORG, campaign_id=cid, filename="r.csv", data=csv_bytes(rows))
    campaign_status.set_status(actor=ORG, campaign_id=cid, status="open")
    path = "图书馆直属党支部"
    voting.open_voting(actor=ORG, campaign_id=cid, branch_path=path, mode="named")
    voting.close_voting(actor=ORG, campaign_id=cid, branch_path=path)
    found = results.branch_results(actor=ORG, campaign_id=cid, branch_path=path)
    entries = [GradeEntry(r.member_id, "qualified") for r in found.rows]
    final_grades.save_grades(actor=ORG, campaign_id=cid, branch_path=path, entries=entries)
    final_grades.submit_grades(actor=ORG, campaign_id=cid, branch_path=path)
    assert _items(ORG) == []  # nobody approves their own submission
    other = make_account("organizer", username="org2")
    assert _items(other) == [("approve", path, None)]
    final_grades.return_grades(actor=other, campaign_id=cid, branch_path=path, comment="请补充")
    assert _items(ORG) == [("returned", path, "请补充")]  # the organizer who submitted it
    assert _items(other) == []
    campaign_status.set_status(actor=ORG, campaign_id=cid, status="closed")
    assert _items(ORG) == [("returned", path, "请补充")]  # a closed campaign's grades still move
    campaign_status.set_status(actor=ORG, campaign_id=cid, status="archived")
    assert _items(ORG) == []  # an archived campaign waits for nobody
