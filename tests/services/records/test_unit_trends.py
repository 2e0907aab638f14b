"""A unit across years: each campaign's turnout, 优秀 share, 基本合格 / 不合格 counts and rectification done on
time per reporting unit, from grouped queries — only the units the actor may see."""

from datetime import date, timedelta

import pytest

from services.ballot import campaign_status, casting, voting
from services.campaign import roster
from services.grading import final_grades, results
from services.grading.final_grades import GradeEntry
from services.meeting import rectification
from services.meeting.rectification import Rectification
from services.records import unit_trends
from tests.factories import ORG, all_qualified, csv_bytes, make_account, make_campaign, make_voting_branch

pytestmark = pytest.mark.usefixtures("database")
TODAY = date.today()
UNIT = "机关党总支"


def _year(year: int, *, voters: int, grades: dict[str, str], fixes: list[tuple[int, bool]]) -> int:
    """A campaign whose 第一党支部 (7 full members and 1 probationary) received `voters` ballots, graded 合格
    but for `grades` (name -> grade) and approved; `fixes`: rectification items (days from today to the
    deadline, done). Returns the campaign's id."""
    cid, path, links = make_voting_branch(year=year)
    for link in links[:voters]:
        casting.cast_ballot(link.token, all_qualified(link.token))
    voting.close_voting(actor=ORG, campaign_id=cid, branch_path=path)
    items = [Rectification("问题", "措施", "王芳", TODAY + timedelta(days=days), "done" if done else "in_progress",
                           "已整改" if done else None, min(TODAY, TODAY + timedelta(days=days)) if done else None)
             for days, done in fixes]  # done by the deadline  # fmt: skip
    rectification.save_rectifications(actor=ORG, campaign_id=cid, branch_path=path, items=items)
    entries = []
    for r in results.branch_results(actor=ORG, campaign_id=cid, branch_path=path).rows:
        grade = grades.get(r.name, "qualified")
        extra = {"disposition": "限期改正", "disposition_note": "支部研究"} if grade == "unqualified" else {}
        entries.append(GradeEntry(r.member_id, grade, reason="支部研究决定", **extra))
    final_grades.save_grades(actor=ORG, campaign_id=cid, branch_path=path, entries=entries)
    secretary = make_account("branch_secretary", path, username=f"zb{year}")
    final_grades.submit_grades(actor=secretary, campaign_id=cid, branch_path=path)
    final_grades.approve_grades(actor=ORG, campaign_id=cid, branch_path=path)
    return cid


def test_three_years_of_one_unit_are_compared_side_by_side():
    _year(2023, voters=4, grades={"王芳": "excellent"}, fixes=[(-30, True), (-20, False)])
    _year(2024, voters=6, grades={"王芳": "excellent", "李明": "basically_qualified", "杨帆": "unqualified"},
          fixes=[(-10, True), (-5, True), (-3, False), (20, False)])  # fmt: skip
    _year(2025, voters=8, grades={"王芳": "excellent", "李明": "excellent", "刘洋": "basically_qualified"},
          fixes=[(-1, True), (0, True), (40, True)])  # fmt: skip
    rows = unit_trends.unit_trends(actor=ORG)
    assert [(r.unit, r.campaign, r.branches, r.members, r.taking_part) for r in rows] == [
        (UNIT, f"{y}年", 1, 8, 8) for y in (2023, 2024, 2025)
    ]
    assert [(r.received, r.turnout) for r in rows] == [(4, 50.0), (6, 75.0), (8, 100.0)]
    # 优秀 of the 7 full members (the cap's base)
    assert [(r.excellent, r.excellent_share) for r in rows] == [(1, 14.3), (1, 14.3), (2, 28.6)]
    assert [(r.qualified, r.basically_qualified, r.unqualified) for r in rows] == [(6, 0, 0), (4, 1, 1), (4, 1, 0)]
    # due by today (a deadline of today is due) and done, of those due; an item not yet due is counted apart
    assert [(r.rectification, r.due, r.done_on_time, r.on_time_share) for r in rows] == [
        (2, 2, 1, 50.0), (4, 3, 2, 66.7), (3, 2, 2, 100.0)
    ]  # fmt: skip
    assert rows[1].as_dict()["参评率"] == 75.0 and rows[1].as_dict()["单位"] == UNIT


def test_a_unit_before_voting_and_grading_shows_no_rates_and_drafts_are_not_counted():
    _, _, links = make_voting_branch(year=2025)
    casting.cast_ballot(links[0].token, all_qualified(links[0].token))
    [row] = unit_trends.unit_trends(actor=ORG)
    assert (row.received, row.turnout, row.excellent_share, row.on_time_share) == (1, 12.5, None, None)
    assert (row.approved_branches, row.excellent + row.qualified) == (0, 0)


def _two_branches(year: int) -> int:
    cid = make_campaign(year=year)
    rows = [["姓名", "党总支", "党支部", "党员类别"], ["甲一", UNIT, "第一党支部", "正式党员"],
            ["甲二", UNIT, "第一党支部", "正式党员"], ["乙一", UNIT, "第二党支部", "正式党员"],
            ["丙一", "", "图书馆直属党支部", "正式党员"]]  # fmt: skip
    roster.import_roster_file(actor=ORG, campaign_id=cid, filename="r.csv", data=csv_bytes(rows))
    campaign_status.set_status(actor=ORG, campaign_id=cid, status="open")
    return cid


def test_only_the_units_the_actor_may_see():
    _two_branches(2024)
    _two_branches(2025)
    everyone = unit_trends.unit_trends(actor=ORG)
    assert [(r.unit, r.year, r.members) for r in everyone] == [
        (UNIT, 2024, 3), (UNIT, 2025, 3), ("图书馆直属党支部", 2024, 1), ("图书馆直属党支部", 2025, 1)
    ]  # fmt: skip
    general = make_account("general_branch_secretary", UNIT, username="zz")
    assert [(r.unit, r.members) for r in unit_trends.unit_trends(actor=general)] == [(UNIT, 3), (UNIT, 3)]
    # a branch under a general branch sees itself, under its own path, and nothing of its sibling
    sibling = make_account("branch_secretary", f"{UNIT}/第二党支部", username="zb2")
    assert [(r.unit, r.branches, r.members) for r in unit_trends.unit_trends(actor=sibling)] == [
        (f"{UNIT}/第二党支部", 1, 1), (f"{UNIT}/第二党支部", 1, 1)
    ]  # fmt: skip
    direct = make_account("branch_secretary", "图书馆直属党支部", username="zb3")
    assert [r.unit for r in unit_trends.unit_trends(actor=direct)] == ["图书馆直属党支部"] * 2


def test_a_renamed_general_branch_shows_as_two_units():
    _two_branches(2024)
    cid = make_campaign(year=2025)
    rows = [["姓名", "党总支", "党支部", "党员类别"], ["甲一", "综合党总支", "第一党支部", "正式党员"]]
    roster.import_roster_file(actor=ORG, campaign_id=cid, filename="r.csv", data=csv_bytes(rows))
    shown = [(r.unit, r.year) for r in unit_trends.unit_trends(actor=ORG)]
    assert shown == [("综合党总支", 2025), (UNIT, 2024), ("图书馆直属党支部", 2024)]


def test_an_item_done_after_its_deadline_is_not_done_on_time():
    cid = _year(2025, voters=8, grades={}, fixes=[(-10, True), (-10, False)])
    path = "机关党总支/第一党支部"
    items = rectification.list_rectifications(actor=ORG, campaign_id=cid, branch_path=path)
    late = [
        items[0],
        Rectification("迟到", "措施", "李明", TODAY - timedelta(days=10), "done", "已整改", TODAY - timedelta(days=2)),
    ]
    rectification.save_rectifications(actor=ORG, campaign_id=cid, branch_path=path, items=late)
    [row] = unit_trends.unit_trends(actor=ORG)
    assert (row.due, row.done_on_time, row.on_time_share) == (2, 1, 50.0)  # both done, one of them late
