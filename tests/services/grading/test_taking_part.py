"""未参加评议: a member marked as not taking part gets no link (or loses the unused one), is not counted in
应参评 or the cap's base, cannot be graded, and is listed with the reason in the results and the filing."""

import io
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from models import VoterToken
from services.ballot import ballot_form, campaign_status, casting, paper_ballots, reminders, voter_links, voting
from services.campaign import roster
from services.filing import branch_workbook
from services.grading import final_grades, results, taking_part
from services.grading.final_grades import GradeEntry, GradesRejected
from services.platform.db import session_scope
from services.platform.errors import InvalidInput, InvalidTransition, NotPermitted
from services.progress import overview
from services.staff import audit
from tests.factories import BRANCH, ORG, all_qualified, csv_bytes, make_account, make_campaign, make_voting_branch

pytestmark = pytest.mark.usefixtures("database")

NAMES = ["王芳", "李明", "张伟", "刘洋", "陈静", "杨帆", "赵刚"]  # full members, roster order; 孙丽 probationary


def _branch_not_yet_voting(**campaign_options) -> int:
    """An open campaign whose branch (7 full members, 1 probationary) has not opened voting."""
    cid = make_campaign(year=date.today().year, deadline=date.today() + timedelta(days=30), **campaign_options)
    rows = [["姓名", "党总支", "党支部", "党员类别"], ["孙丽", "机关党总支", "第一党支部", "预备党员"]]
    rows += [[name, "机关党总支", "第一党支部", "正式党员"] for name in NAMES]
    roster.import_roster_file(actor=ORG, campaign_id=cid, filename="r.csv", data=csv_bytes(rows))
    campaign_status.set_status(actor=ORG, campaign_id=cid, status="open")
    return cid


def _id(cid: int, name: str) -> int:
    from services.campaign import members

    return next(m.id for m in members.list_members(actor=ORG, campaign_id=cid, branch_path=BRANCH) if m.name == name)


def _mark(cid: int, name: str, reason: str = "abroad", note: str | None = None, actor=ORG):
    return taking_part.mark_not_taking_part(
        actor=actor, campaign_id=cid, branch_path=BRANCH, member_id=_id(cid, name), reason=reason, note=note
    )


def _status_of(member_id: int) -> set[str]:
    from sqlmodel import select

    with session_scope() as session:
        return set(session.exec(select(VoterToken.status).where(VoterToken.member_id == member_id)))


def test_marked_before_the_vote_no_link_no_row_no_count_and_the_cap_shrinks():
    cid = _branch_not_yet_voting()
    # 7 full members: a cap of 2; with two of them away, 5: a cap of 1
    assert ballot_form.branch_form(actor=ORG, campaign_id=cid, branch_path=BRANCH).cap == 2
    _mark(cid, "杨帆", "seriously_ill")
    _mark(cid, "赵刚", "other", "长期外派，无法联系")
    voting.open_voting(actor=ORG, campaign_id=cid, branch_path=BRANCH, mode="named")
    links = voter_links.issue_links(actor=ORG, campaign_id=cid, branch_path=BRANCH, base_url="http://test")
    assert [link.label for link in links] == ["孙丽", "王芳", "李明", "张伟", "刘洋", "陈静"]
    form = casting.open_ballot(links[0].token)
    assert [name for _, name in form.rated] == NAMES[:5]
    assert (form.cap, form.cap_rule) == (1, "“优秀”名额：参评正式党员 5 人的三分之一，向下取整为 1 人")
    state = voting.state(actor=ORG, campaign_id=cid, branch_path=BRANCH)
    assert (state.voters, state.rated) == (6, 5)
    [branch] = overview.campaign_progress(actor=ORG, campaign_id=cid).branches
    assert branch.eligible == 6  # 应投
    assert {p.name for p in reminders.not_voted(actor=ORG, campaign_id=cid, branch_path=BRANCH)} == {
        "孙丽", "王芳", "李明", "张伟", "刘洋", "陈静",
    }  # fmt: skip
    with pytest.raises(InvalidTransition, match="赵刚已标记为未参加评议，不发放链接"):
        voter_links.reissue_link(
            actor=ORG, campaign_id=cid, branch_path=BRANCH, member_id=_id(cid, "赵刚"), base_url="http://t"
        )
    with pytest.raises(InvalidTransition, match="杨帆在本支部测评开启前已标记为未参加评议，不在测评表上"):
        taking_part.mark_taking_part(actor=ORG, campaign_id=cid, branch_path=BRANCH, member_id=_id(cid, "杨帆"))


def test_unnamed_codes_are_made_for_those_taking_part_only():
    cid = _branch_not_yet_voting()
    _mark(cid, "赵刚", "lost_contact")
    voting.open_voting(actor=ORG, campaign_id=cid, branch_path=BRANCH, mode="unnamed")
    codes = voter_links.issue_links(actor=ORG, campaign_id=cid, branch_path=BRANCH, base_url="http://test")
    assert len(codes) == 7  # 8 on the roster


def test_marked_during_the_vote_the_unused_link_dies_and_the_ballot_stays_as_it_opened():
    cid, path, links = make_voting_branch(full=7)
    by_name = {link.label: link for link in links}
    _mark(cid, "赵刚", "abroad")
    assert casting.open_ballot(by_name["赵刚"].token).state == "invalid"  # voided at once
    assert _status_of(by_name["赵刚"].member_id) == {"revoked"}
    form = casting.open_ballot(by_name["王芳"].token)
    assert [name for _, name in form.rated] == NAMES  # still a row: the ballot never changes while used
    assert form.cap == 2
    casting.cast_ballot(by_name["王芳"].token, all_qualified(by_name["王芳"].token))
    state = voting.state(actor=ORG, campaign_id=cid, branch_path=path)
    assert (state.voters, state.rated, state.links_valid) == (7, 7, 6)
    with pytest.raises(InvalidTransition, match="赵刚已标记为未参加评议，不登记纸质投票"):
        paper_ballots.mark_paper(actor=ORG, campaign_id=cid, branch_path=path, member_ids=[by_name["赵刚"].member_id])
    # taking the mark back: the member votes again with a new link (补发)
    taking_part.mark_taking_part(actor=ORG, campaign_id=cid, branch_path=path, member_id=by_name["赵刚"].member_id)
    fresh = voter_links.reissue_link(
        actor=ORG, campaign_id=cid, branch_path=path, member_id=by_name["赵刚"].member_id, base_url="http://t"
    )
    assert casting.open_ballot(fresh.token).state == "open"


def test_a_member_who_voted_cannot_be_marked_and_a_reason_must_be_one_of_the_list():
    cid, _, links = make_voting_branch(full=7)
    wang = next(link for link in links if link.label == "王芳")
    casting.cast_ballot(wang.token, all_qualified(wang.token))
    with pytest.raises(InvalidTransition, match="王芳已经通过投票链接投票，参加了评议"):
        _mark(cid, "王芳")
    with pytest.raises(InvalidInput, match="原因为“其他”的，请写明具体原因"):
        _mark(cid, "李明", "other", "  ")
    with pytest.raises(InvalidInput, match="请选择未参加评议的原因：出国（境）、重病、失联、停止党籍、其他"):
        _mark(cid, "李明", "travelling")
    with pytest.raises(InvalidInput, match="过长"):
        _mark(cid, "李明", "other", "很" * 101)
    general = make_account("general_branch_secretary", "机关党总支")
    with pytest.raises(NotPermitted):
        _mark(cid, "李明", actor=general)
    assert taking_part.branch_not_taking_part(actor=ORG, campaign_id=cid, branch_path=BRANCH) == []


def _closed(full: int = 7, **campaign_options):
    """Voting closed with everyone but 杨帆 and 赵刚 voting online."""
    cid, path, links = make_voting_branch(full=full, **campaign_options)
    for link in links:
        if link.label not in ("杨帆", "赵刚"):
            casting.cast_ballot(link.token, all_qualified(link.token, 王芳="excellent"))
    voting.close_voting(actor=ORG, campaign_id=cid, branch_path=path)
    return cid, path, links


def test_marked_after_the_vote_out_of_the_results_counts_and_the_cap_and_listed_with_the_reason():
    cid, path, _ = _closed()
    before = results.branch_results(actor=ORG, campaign_id=cid, branch_path=path)
    assert (before.voters, before.cap, round(before.turnout, 2)) == (8, 2, 0.75)
    final_grades.save_grades(
        actor=ORG, campaign_id=cid, branch_path=path, entries=[GradeEntry(before.rows[6].member_id, "qualified")]
    )  # 赵刚, in the draft
    _mark(cid, "杨帆", "suspended")
    _mark(cid, "赵刚", "other", "出国访学")
    found = results.branch_results(actor=ORG, campaign_id=cid, branch_path=path)
    assert [r.name for r in found.rows] == NAMES[:5]
    assert [(a.name, a.reason_text) for a in found.not_taking_part] == [
        ("杨帆", "停止党籍"),
        ("赵刚", "其他：出国访学"),
    ]
    assert (found.voters, found.turnout) == (6, 1.0)
    assert (found.cap, found.excellent.basis) == (1, "参评正式党员 5 人的三分之一")
    # cannot be graded; the draft grade given before the mark is gone
    with pytest.raises(GradesRejected, match=r"赵刚已标记为未参加评议（其他：出国访学），不评定格次"):
        final_grades.save_grades(
            actor=ORG, campaign_id=cid, branch_path=path,
            entries=[GradeEntry(found.not_taking_part[1].member_id, "qualified")],
        )  # fmt: skip
    # everyone taking part graded: the submission does not wait for them
    entries = [GradeEntry(r.member_id, r.suggestion.grade) for r in found.rows]
    final_grades.save_grades(actor=ORG, campaign_id=cid, branch_path=path, entries=entries)
    secretary = make_account("branch_secretary", path)
    assert final_grades.submit_grades(actor=secretary, campaign_id=cid, branch_path=path).state == "submitted"
    # marks wait for a return once the grades are with the approver
    with pytest.raises(InvalidTransition, match="评定格次已报上级党组织审批，不能再改变谁参加评议"):
        taking_part.mark_taking_part(
            actor=ORG, campaign_id=cid, branch_path=path, member_id=found.not_taking_part[0].member_id
        )
    actions = [(e.action, e.target) for e in audit.list_entries(actor=ORG, campaign_id=cid)]
    assert ("member.not_taking_part", f"{path}：杨帆") in actions


def test_the_filing_and_the_results_sheet_list_them_with_their_reasons():
    from services.grading.results_sheet import results_workbook

    cid, path, _ = _closed()
    _mark(cid, "赵刚", "abroad")
    made = branch_workbook.branch_workbook(
        actor=ORG, campaign_id=cid, campaign_title="t", year=2026, branch_path=path, today=date(2027, 1, 5)
    )
    book = load_workbook(io.BytesIO(made.data))
    graded = [row for row in book["民主评议结果"].iter_rows(values_only=True)]
    assert any(row[1] == "赵刚" and row[2] == "未参加评议" and row[3] == "出国（境）" for row in graded)
    notes = [row[0] for row in book["民主测评统计表"].iter_rows(values_only=True) if row and row[0]]
    assert "未参加评议：赵刚（出国（境））" in notes
    assert any("“优秀”名额：参评正式党员 6 人的三分之一，向下取整为 2 人" in str(n) for n in notes)
    found = results.branch_results(actor=ORG, campaign_id=cid, branch_path=path)
    sheet = load_workbook(io.BytesIO(results_workbook(found, today=date(2027, 1, 5)))).active
    cells = [row for row in sheet.iter_rows(values_only=True)]
    assert any(row[1] == "赵刚" and row[10] == "未参加评议" and row[14] == "出国（境）" for row in cells)
    assert any("未参加评议 1 人，不计入应参加测评人数和名额基数" in str(row[0]) for row in cells)
