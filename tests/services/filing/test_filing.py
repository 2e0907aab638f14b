"""The filing package: every figure checked against the services, safe cells, the ZIP, scopes, reporting."""

import io
import zipfile
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from services.ballot import campaign_status, voter_links, voting
from services.campaign import roster
from services.filing import bundle, reporting
from services.grading import final_grades, results
from services.meeting import (
    branch_links,
    commitments,
    meeting_record,
    opinions,
    problems,
    publicity,
    rectification,
    study,
    talks,
)
from services.meeting.meeting_record import MeetingFields
from services.meeting.problems import Problem
from services.meeting.rectification import Rectification
from services.platform.clock import local, now
from services.platform.errors import InvalidInput, InvalidTransition, NotPermitted
from services.sheets.figures import PERCENT_FORMAT, fraction
from services.staff import audit
from tests.factories import ORG, _designed_ballot, csv_bytes, make_account, make_campaign

pytestmark = pytest.mark.usefixtures("database")
TODAY = local(now()).date()  # the unit's day, as the services count it
FORMULA = '=HYPERLINK("http://evil.example","点我")'
FIRST, SECOND, DIRECT = "机关党总支/第一党支部", "机关党总支/第二党支部", "图书馆直属党支部"
NAMES = ["王芳", "李明", "张伟", "刘洋", "陈静", "杨帆", "赵刚"]


@pytest.fixture
def committee():
    """Three branches: 第一党支部 complete in all six steps, 第二党支部 untouched, a direct branch voting."""
    from services.ballot import casting

    cid = make_campaign(year=TODAY.year, deadline=TODAY + timedelta(days=20))
    rows = [["姓名", "党总支", "党支部", "党员类别", "联系电话"]]
    rows += [[n, "机关党总支", "第一党支部", "正式党员", "13800000000"] for n in NAMES] + [
        ["孙丽", "机关党总支", "第一党支部", "预备党员", ""]
    ]
    rows += [[f"乙{i}", "机关党总支", "第二党支部", "正式党员", ""] for i in range(3)]
    rows += [[f"丙{i}", "", "图书馆直属党支部", "正式党员", ""] for i in range(4)]
    roster.import_roster_file(actor=ORG, campaign_id=cid, filename="r.csv", data=csv_bytes(rows))
    campaign_status.set_status(actor=ORG, campaign_id=cid, status="open")
    voting.open_voting(actor=ORG, campaign_id=cid, branch_path=FIRST, mode="named")
    links = voter_links.issue_links(actor=ORG, campaign_id=cid, branch_path=FIRST, base_url="http://t")
    voters = [link for link in links if link.label != "孙丽"]
    for i, link in enumerate(voters[:6]):
        casting.cast_ballot(link.token, _designed_ballot(link.token, i))
    voting.close_voting(actor=ORG, campaign_id=cid, branch_path=FIRST)
    voting.open_voting(actor=ORG, campaign_id=cid, branch_path=DIRECT, mode="named")
    _complete(cid, FIRST, links)
    return cid, links


def _complete(cid, path, links):
    where = {"actor": ORG, "campaign_id": cid, "branch_path": path}
    study.record_study(**where, held_on=TODAY - timedelta(days=9), topic="党章", materials=None, absent=[])
    talks.save_talks(**where, counts={"committee": (3, None)})
    problems.save_problems(**where, items=[Problem(FORMULA, "学习", "自我查摆")])
    held = MeetingFields(TODAY - timedelta(days=5), "=会议室", "王芳", "+李华", True, True, True, FORMULA)
    meeting_record.save_meeting(**where, absences={}, fields=held)
    token = branch_links.public_link(**where, purpose="opinions", base_url="http://t").rsplit("/", 1)[1]
    opinions.leave_opinion(token, "@所有人 " + FORMULA, sent_from_this_browser=0)
    opinions.mark_opinion(**where, opinion_id=opinions.list_opinions(**where)[0].id, state="noted")
    found = results.branch_results(**where)
    entries = [final_grades.GradeEntry(r.member_id, r.suggestion.grade or "qualified", reason=None,
                                  **({"disposition": "限期改正", "disposition_note": "+三个月"}
                                     if r.suggestion.grade == "unqualified" else {}))
               for r in found.rows]  # fmt: skip
    secretary = make_account("branch_secretary", path)
    final_grades.save_grades(actor=secretary, campaign_id=cid, branch_path=path, entries=entries)
    final_grades.submit_grades(actor=secretary, campaign_id=cid, branch_path=path)
    final_grades.approve_grades(**where, comment="同意")
    from services.grading import feedback_records  # every graded member told, in a talk (基本合格, 不合格 need one)

    told = feedback_records.branch_feedback(**where).rows
    feedback_records.record_feedback(
        **where, entries=[feedback_records.FeedbackEntry(r.member_id, TODAY, "talk", "王芳") for r in told]
    )
    rectification.save_rectifications(
        **where, items=[Rectification(FORMULA, "-每月学习", "@王芳", TODAY + timedelta(days=30))]
    )
    for link in links:
        commitments.write_own(link.token, FORMULA if link.label == "王芳" else "加强学习")
    publicity.publish(**where, starts_on=TODAY, ends_on=TODAY + timedelta(days=4))


def _zip(actor, cid, **kw) -> zipfile.ZipFile:
    made = bundle.bundle(actor=actor, campaign_id=cid, today=TODAY, **kw)
    return zipfile.ZipFile(io.BytesIO(made.data))


def _book(archive: zipfile.ZipFile, name: str):
    return load_workbook(io.BytesIO(archive.read(name)))


def test_the_zip_has_utf8_chinese_names_in_a_folder_per_general_branch(committee):
    cid, _ = committee
    archive = _zip(ORG, cid)
    year = TODAY.year
    assert sorted(archive.namelist()) == sorted([
        "00_封面与目录.xlsx", "民主评议党员情况统计表.xlsx", "党内统计_民主评议党员.xlsx",
        f"机关党总支/{year}年度民主评议党员_第一党支部.xlsx", f"机关党总支/{year}年度民主评议党员_第二党支部.xlsx",
        f"直属党支部/{year}年度民主评议党员_图书馆直属党支部.xlsx",
        f"{year}年度组织生活会和民主评议党员情况报告_江海学院党委.docx",  # the committee's written report
    ])  # fmt: skip
    assert all(info.flag_bits & 0x800 for info in archive.infolist() if not info.filename.isascii())


def test_making_the_zip_reports_each_branch_done_for_a_progress_bar(committee):
    cid, _ = committee
    seen: list[tuple[int, int]] = []
    bundle.bundle(actor=ORG, campaign_id=cid, today=TODAY, on_progress=lambda done, total: seen.append((done, total)))
    assert seen == [(0, 3), (1, 3), (2, 3), (3, 3)]  # three branches: before the first, after each
    seen.clear()
    bundle.bundle(actor=ORG, campaign_id=cid, today=TODAY, within="机关党总支", on_progress=lambda *a: seen.append(a))
    assert seen == [(0, 2), (1, 2), (2, 2)]


def test_every_figure_matches_the_services(committee):
    cid, _ = committee
    archive = _zip(ORG, cid)
    found = results.branch_results(actor=ORG, campaign_id=cid, branch_path=FIRST)
    stats = _book(archive, f"机关党总支/{TODAY.year}年度民主评议党员_第一党支部.xlsx")["民主测评统计表"]
    table = {row[1]: row for row in stats.iter_rows(values_only=True) if row[1] in NAMES}
    for r in found.rows:
        assert [table[r.name][2], table[r.name][4], table[r.name][6], table[r.name][8], table[r.name][10]] == [
            *(r.counts[g] for g in ("excellent", "qualified", "basically_qualified", "unqualified")), r.valid
        ]  # fmt: skip
    assert any(row[1] == "孙丽" and row[2] == "不评定等次" for row in stats.iter_rows(values_only=True))
    first = next(row for row in stats.iter_rows() if row[1].value == found.rows[0].name)
    assert [(c.data_type, c.number_format) for c in first[2:6]] == [("n", "General"), ("n", PERCENT_FORMAT)] * 2
    r = found.rows[0]
    assert first[3].value == fraction(r.counts["excellent"], r.valid)  # a share stored as a number, shown as a %
    # each member's row prints on one line: a share such as 0.16699999999999998 makes no row taller
    member_rows = [row[0].row for row in stats.iter_rows() if row[1].value in NAMES]
    assert [stats.row_dimensions[n].height for n in member_rows] == [None] * len(found.rows)
    grades = _book(archive, f"机关党总支/{TODAY.year}年度民主评议党员_第一党支部.xlsx")["民主评议结果"]
    shown = {row[1]: row[2] for row in grades.iter_rows(values_only=True) if row[1] in NAMES}
    labels = {"excellent": "优秀", "qualified": "合格", "basically_qualified": "基本合格", "unqualified": "不合格"}
    assert shown == {r.name: labels[r.final.grade] for r in found.rows}
    summary = _book(archive, "民主评议党员情况统计表.xlsx").active
    rows = {row[0]: row for row in summary.iter_rows(values_only=True) if row[0]}
    first = rows["第一党支部"]
    counts = {g: sum(1 for r in found.rows if r.final.grade == g) for g in labels}
    # members, full, probationary, 未参加评议, 应参评, 实参评, turnout (a number, shown as a percentage), 未开始测评
    assert first[1:9] == (8, 7, 1, 0, 8, 6, 0.75, None)
    assert first[9:14] == (*(counts[g] for g in labels), 1)  # the four grades and 不评定等次
    assert first[14] == round(counts["excellent"] / 7, 3) and first[15] == counts["unqualified"]
    assert first[16] == f"{TODAY.year}年{(TODAY - timedelta(days=5)).month}月{(TODAY - timedelta(days=5)).day}日"
    assert first[17:] == ("6/6", "已审批", 1, 0, "未报送")
    subtotal, total = rows["机关党总支 小计"], rows["江海学院党委合计"]
    # turnout over the branches that opened voting (第二党支部 has not: counted beside it)
    assert subtotal[1:9] == (11, 10, 1, 0, 11, 6, 0.75, 1) and total[1:9] == (15, 14, 1, 0, 15, 6, 0.5, 1)
    assert total[14] == first[14]  # 优秀占比 over the graded branch only
    assert rows["第二党支部"][7:9] == (None, "未开始") and rows["第二党支部"][14] is None
    assert rows["第二党支部"][16] == "未召开" and rows["第二党支部"][17] == "0/6"


def test_typed_text_is_never_a_formula_and_no_phone_or_link_is_filed(committee):
    cid, _ = committee
    archive = _zip(ORG, cid)
    for name in [n for n in archive.namelist() if n.endswith(".xlsx")]:  # the reports (.docx): test_unit_report.py
        book = _book(archive, name)
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (name, sheet.title, cell.coordinate)
                    if isinstance(cell.value, str):
                        assert "13800000000" not in cell.value and "http://t/v/" not in cell.value
                        if cell.value.startswith(("=", "+", "-", "@")):  # text, kept as typed: Excel's quote prefix
                            assert cell.data_type == "s" and cell.quotePrefix, (name, cell.value)
    problems_sheet = _book(archive, f"机关党总支/{TODAY.year}年度民主评议党员_第一党支部.xlsx")["问题清单"]
    [typed] = [row[1] for row in problems_sheet.iter_rows() if row[1].value == FORMULA]  # no apostrophe shown
    assert typed.data_type == "s" and typed.quotePrefix


def test_an_unfinished_branch_says_so_in_its_workbook_the_summary_and_the_cover(committee):
    cid, _ = committee
    archive = _zip(ORG, cid)
    second = _book(archive, f"机关党总支/{TODAY.year}年度民主评议党员_第二党支部.xlsx")
    assert second.sheetnames == [
        "组织生活会召开情况",
        "集中学习",
        "谈心谈话",
        "党性分析",
        "书记述职",
        "会议照片",
        "民主测评统计表",
        "民主评议结果",
        "反馈情况",
        "组织处置",
        "问题清单",
        "整改清单",
        "整改承诺",
        "意见建议",
    ]
    assert second["组织生活会召开情况"]["A3"].value == "未完成：尚未记录组织生活会"
    assert second["民主测评统计表"]["A3"].value.startswith("未完成：民主测评尚未结束")
    cover = [row for row in _book(archive, "00_封面与目录.xlsx").active.iter_rows(values_only=True)]
    lines = [row[2] for row in cover if row[1] == "机关党总支 / 第二党支部"]
    assert "未完成：三、查摆问题（问题清单）：问题清单还是空的" in lines
    assert not any(row[1] == "机关党总支 / 第一党支部" for row in cover)  # complete: nothing listed


def test_each_role_downloads_its_own_scope(committee):
    cid, _ = committee
    secretary = make_account("branch_secretary", SECOND, username="zb2")
    general = make_account("general_branch_secretary", "机关党总支", username="zzb")
    mine = [n for n in _zip(secretary, cid).namelist() if n.endswith(".xlsx") and "/" in n]
    assert mine == [f"机关党总支/{TODAY.year}年度民主评议党员_第二党支部.xlsx"]
    theirs = sorted(n for n in _zip(general, cid).namelist() if "/" in n)
    assert [n.split("/")[0] for n in theirs] == ["机关党总支", "机关党总支"]


def test_reporting_refuses_until_complete_freezes_and_only_the_organizer_returns(committee):
    cid, _ = committee
    general = make_account("general_branch_secretary", "机关党总支", username="zzb")
    with pytest.raises(InvalidInput, match="材料尚未完成，不能报送。还差") as refused:
        reporting.report(actor=general, campaign_id=cid, unit_path="机关党总支", today=TODAY)
    assert "机关党总支 / 第二党支部：一、集中学习：尚未记录集中学习" in str(refused.value)
    assert "第一党支部" not in str(refused.value)
    with pytest.raises(NotPermitted):
        reporting.report(actor=make_account("branch_secretary", FIRST, username="zb1"), campaign_id=cid,
                         unit_path="机关党总支", today=TODAY)  # fmt: skip
    direct = make_account("branch_secretary", DIRECT, username="zs")
    with pytest.raises(InvalidInput, match="材料尚未完成"):
        reporting.report(actor=direct, campaign_id=cid, unit_path=DIRECT, today=TODAY)
    states = {u.path: u.state for u in reporting.units(actor=ORG, campaign_id=cid)}
    assert states == {"机关党总支": "not_reported", DIRECT: "not_reported"}


def test_a_reported_unit_is_frozen_until_returned_and_stays_frozen_once_received(committee):
    cid, _ = committee
    voting.open_voting(actor=ORG, campaign_id=cid, branch_path=SECOND, mode="named")
    links = voter_links.issue_links(actor=ORG, campaign_id=cid, branch_path=SECOND, base_url="http://t")
    voting.close_voting(actor=ORG, campaign_id=cid, branch_path=SECOND)
    _complete(cid, SECOND, links)
    assert reporting.missing(actor=ORG, campaign_id=cid, unit_path="机关党总支") == []
    general = make_account("general_branch_secretary", "机关党总支", username="zzb")
    sent = reporting.report(actor=general, campaign_id=cid, unit_path="机关党总支", today=TODAY)
    assert sent.state == "reported" and sent.days_left == 20
    logged = [
        r.action for r in audit.list_entries(actor=ORG, campaign_id=cid) if r.action.startswith(("report", "filing"))
    ]
    assert logged == ["report.send"]  # the package inside the report is not logged as one made for download
    package = zipfile.ZipFile(io.BytesIO(reporting.frozen_package(actor=ORG, campaign_id=cid, unit_path="机关党总支")))
    assert "民主评议党员情况统计表.xlsx" in package.namelist()
    with pytest.raises(InvalidTransition, match="已报送组织部，材料已冻结"):
        problems.save_problems(actor=ORG, campaign_id=cid, branch_path=FIRST, items=[])
    with pytest.raises(InvalidTransition, match="已报送组织部"):
        final_grades.reopen_grades(actor=ORG, campaign_id=cid, branch_path=FIRST, reason="复核")
    with pytest.raises(NotPermitted):
        reporting.return_report(actor=general, campaign_id=cid, unit_path="机关党总支", comment="x")
    with pytest.raises(InvalidInput, match="请填写“退回意见”"):
        reporting.return_report(actor=ORG, campaign_id=cid, unit_path="机关党总支", comment=" ")
    back = reporting.return_report(actor=ORG, campaign_id=cid, unit_path="机关党总支", comment="请补充照片")
    assert (back.state, back.comment) == ("returned", "请补充照片")
    problems.save_problems(actor=ORG, campaign_id=cid, branch_path=FIRST, items=[Problem("补充", "其他", "自我查摆")])
    assert reporting.report(actor=general, campaign_id=cid, unit_path="机关党总支", today=TODAY).state == "reported"
    with pytest.raises(NotPermitted):
        reporting.receive_report(actor=general, campaign_id=cid, unit_path="机关党总支")
    taken = reporting.receive_report(actor=ORG, campaign_id=cid, unit_path="机关党总支")
    assert (taken.state, taken.state_label, taken.received_at is not None) == ("received", "已接收", True)
    with pytest.raises(InvalidTransition, match="已报送组织部，材料已冻结"):  # accepted: still as it was sent
        problems.save_problems(actor=ORG, campaign_id=cid, branch_path=FIRST, items=[])
    with pytest.raises(InvalidTransition, match="已经报送"):
        reporting.report(actor=general, campaign_id=cid, unit_path="机关党总支", today=TODAY)
    with pytest.raises(InvalidTransition, match="只有已报送、尚未接收"):
        reporting.receive_report(actor=ORG, campaign_id=cid, unit_path="机关党总支")


def test_feedback_notices_are_added_on_request_for_approved_branches_only(committee):
    cid, _ = committee
    plain = _zip(ORG, cid).namelist()
    with_notices = _zip(ORG, cid, include_notices=True).namelist()
    assert [n for n in with_notices if n not in plain] == ["机关党总支/反馈通知_第一党支部.html"]
    cover = _book(_zip(ORG, cid, include_notices=True), "00_封面与目录.xlsx").active
    assert any(row[1] == "机关党总支/反馈通知_第一党支部.html" for row in cover.iter_rows(values_only=True))


def test_the_self_review_texts_go_in_on_request_for_those_who_may_read_them_and_each_reading_is_logged(committee):
    from services.grading import feedback
    from services.meeting import self_reviews

    cid, _ = committee
    second = feedback.issue_personal_links(actor=ORG, campaign_id=cid, branch_path=SECOND, base_url="http://t")
    self_reviews.write_own(second[0].token, "对照党员标准，学习还不够深入。")
    plain = _zip(ORG, cid).namelist()
    archive = _zip(ORG, cid, include_self_reviews=True)
    added = [n for n in archive.namelist() if n not in plain]
    assert sorted(added) == sorted([
        "机关党总支/党性分析材料_第一党支部.html", "机关党总支/党性分析材料_第二党支部.html",
        "直属党支部/党性分析材料_图书馆直属党支部.html",
    ])  # fmt: skip
    page = archive.read("机关党总支/党性分析材料_第二党支部.html").decode()
    assert "对照党员标准，学习还不够深入。" in page and second[0].label in page
    assert "对照党员标准" not in archive.read("直属党支部/党性分析材料_图书馆直属党支部.html").decode()
    cover = _book(archive, "00_封面与目录.xlsx").active
    assert any(row[1] == added[0] for row in cover.iter_rows(values_only=True))
    read = [e for e in audit.list_entries(actor=ORG) if "党性分析" in (e.target or "")]
    assert len(read) == 3  # each branch's texts read once, on the record
    general = make_account("general_branch_secretary", "机关党总支")  # sees the list, never the texts
    with pytest.raises(NotPermitted, match="党总支书记看得到名单，看不到全文"):
        bundle.bundle(actor=general, campaign_id=cid, today=TODAY, within="机关党总支", include_self_reviews=True)
    assert bundle.bundle(actor=general, campaign_id=cid, today=TODAY, within="机关党总支").size > 0


def test_a_branch_whose_deadline_passed_unsealed_is_sealed_for_good_by_the_package(committee, monkeypatch):
    """Each branch's workbook is read in one shared session (db.one_session); a seal it sets off on the way
    commits on its own, so the ballots stay sealed after the package and the workbook has the counts."""
    from sqlmodel import select

    from models import BranchVoting, EncryptedBallot
    from services.ballot import casting, voting_window
    from services.platform.db import session_scope

    cid, _ = committee
    link = voter_links.issue_links(actor=ORG, campaign_id=cid, branch_path=DIRECT, base_url="http://t")[0]
    casting.cast_ballot(link.token, _designed_ballot(link.token, 0))
    later = now() + timedelta(days=40)  # past the deadline; no sweep has run
    monkeypatch.setattr(voting_window, "now", lambda: later)
    stats = _book(_zip(ORG, cid), f"直属党支部/{TODAY.year}年度民主评议党员_图书馆直属党支部.xlsx")["民主测评统计表"]
    printed = [str(v) for row in stats.iter_rows(values_only=True) for v in row if v is not None]
    assert not any("尚未结束" in v for v in printed) and any("收回 1 张" in v for v in printed)
    with session_scope() as session:  # a session of its own, after the package: the seal was committed
        assert session.exec(select(EncryptedBallot)).all() == []
        sealed = session.exec(select(BranchVoting.sealed_at).where(BranchVoting.campaign_id == cid)).all()
        assert all(at is not None for at in sealed)


def test_a_seal_inside_shared_reads_commits_at_once_before_its_dead_copies_are_cleared(committee, monkeypatch):
    from sqlalchemy import text

    from services.ballot import casting, counting, voting_window
    from services.platform import db

    cid, _ = committee
    link = voter_links.issue_links(actor=ORG, campaign_id=cid, branch_path=DIRECT, base_url="http://t")[0]
    casting.cast_ballot(link.token, _designed_ballot(link.token, 0))
    later = now() + timedelta(days=40)
    monkeypatch.setattr(voting_window, "now", lambda: later)
    with db.one_session():
        assert counting.tally(actor=ORG, campaign_id=cid, branch_path=DIRECT).online == 1  # sets off the seal
        with db.get_engine().connect() as other:  # another connection sees it now, not when the reads end
            assert other.execute(text("SELECT count(*) FROM encrypted_ballot")).scalar() == 0


def test_branches_read_together_file_what_each_reads_alone(committee, monkeypatch):
    """The package reads its branches' rows a batch at a time (services/platform/batch.py): every workbook in it
    holds the same cells as that branch's workbook made alone, and a branch table is read once a batch."""
    from sqlalchemy import event

    from services.campaign import campaigns
    from services.filing import branch_workbook
    from services.platform import db

    cid, _ = committee
    title = campaigns.get_campaign(actor=ORG, campaign_id=cid).title
    second = {"actor": ORG, "campaign_id": cid, "branch_path": SECOND}
    problems.save_problems(**second, items=[Problem("第二党支部的问题", "学习", "自我查摆")])
    study.record_study(**second, held_on=TODAY - timedelta(days=3), topic="党史", materials=None, absent=[])
    monkeypatch.setattr(bundle, "BATCH", 2)  # 第一、第二党支部 together, then the direct branch
    said = []
    listen = lambda *args: said.append(args[2])  # noqa: E731 (before_cursor_execute's statement)
    event.listen(db.get_engine(), "before_cursor_execute", listen)
    try:
        archive = _zip(ORG, cid)
    finally:
        event.remove(db.get_engine(), "before_cursor_execute", listen)
    assert sum(s.startswith("SELECT problem_item.id") for s in said) == 2  # a batch of two, then one
    for path, folder in ((FIRST, "机关党总支/"), (SECOND, "机关党总支/"), (DIRECT, "直属党支部/")):
        name = path.rsplit("/", 1)[-1]
        alone = branch_workbook.branch_workbook(actor=ORG, campaign_id=cid, campaign_title=title, year=TODAY.year,
                                                branch_path=path, today=TODAY)  # fmt: skip
        filed = _book(archive, f"{folder}{TODAY.year}年度民主评议党员_{name}.xlsx")
        made = load_workbook(io.BytesIO(alone.data))
        assert filed.sheetnames == made.sheetnames
        for sheet in made.sheetnames:
            cells = [list(r) for r in made[sheet].iter_rows(values_only=True)]
            assert [list(r) for r in filed[sheet].iter_rows(values_only=True)] == cells, (path, sheet)
    assert "第二党支部的问题" in str(
        [
            list(r)
            for r in _book(archive, f"机关党总支/{TODAY.year}年度民主评议党员_第二党支部.xlsx")["问题清单"].iter_rows(
                values_only=True
            )
        ]
    )
