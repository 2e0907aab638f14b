"""党内统计: the 年报's figures of the year's 民主评议党员 per unit and in all, counted from approved grades only,
with who did not take part and why, the 组织处置 by kind, and last year's 限期改正 followed into this year by
身份证号 — through a renamed branch — with what became of each; and never another unit's figures."""

import json
from datetime import date

import pytest

from services.ballot import campaign_status
from services.campaign import roster
from services.grading import disposition_cases, final_grades, results, taking_part
from services.grading.disposition_rules import CaseSteps, Outcome
from services.grading.final_grades import GradeEntry
from services.platform.errors import NotPermitted
from services.records import statistics
from tests.factories import ORG, csv_bytes, make_account, make_campaign, make_voted_branch
from tests.test_cli import manage

pytestmark = pytest.mark.usefixtures("database")

IDS = {"王芳": "110101199001010011", "杨帆": "110101199001010022", "刘洋": "110101199001010033"}
DECIDED = CaseSteps(date(2026, 1, 6), date(2026, 1, 10), "passed", date(2026, 1, 20))


def _graded(**campaign_options) -> tuple[int, str, dict[str, int]]:
    """The designed branch graded as suggested, 杨帆 不合格 with 限期改正; (campaign id, path, name -> id)."""
    cid, path, _ = make_voted_branch(**campaign_options)
    found = results.branch_results(actor=ORG, campaign_id=cid, branch_path=path)
    entries = [GradeEntry(r.member_id, r.suggestion.grade, disposition="限期改正", disposition_note="支部研究")
               if r.suggestion.grade == "unqualified" else GradeEntry(r.member_id, r.suggestion.grade)
               for r in found.rows]  # fmt: skip
    final_grades.save_grades(actor=ORG, campaign_id=cid, branch_path=path, entries=entries)
    return cid, path, {r.name: r.member_id for r in found.rows}


def _approve(cid: int, path: str) -> None:
    final_grades.submit_grades(actor=make_account("branch_secretary", path, username=f"zb{cid}"), campaign_id=cid,
                               branch_path=path)  # fmt: skip
    final_grades.approve_grades(actor=ORG, campaign_id=cid, branch_path=path)


def test_grades_count_once_approved_and_absent_members_are_counted_by_reason():
    cid, path, ids = _graded()
    taking_part.mark_not_taking_part(actor=ORG, campaign_id=cid, branch_path=path, member_id=ids["赵刚"],
                                     reason="abroad")  # fmt: skip
    before = statistics.statistics(actor=ORG, campaign_id=cid)
    [unit] = before.units
    assert (unit.unit, unit.branches, unit.members, unit.taking_part, unit.probationary_taking_part) == (
        "机关党总支", 1, 8, 7, 1
    )  # fmt: skip
    assert sum(unit.grades.values()) == 0 and unit.awaiting_approval == 6  # drafts are not results
    assert unit.not_taking_part == {"出国（境）": 1}
    _approve(cid, path)
    after = statistics.statistics(actor=ORG, campaign_id=cid)
    graded = results.branch_results(actor=ORG, campaign_id=cid, branch_path=path)
    expected = {g: sum(1 for r in graded.rows if r.final.grade == g) for g in after.total.grades}
    assert after.total.grades == expected and sum(expected.values()) == 6 and expected["unqualified"] == 1
    assert after.total.dispositions == {"限期改正": 1, "劝其退党": 0, "除名": 0}
    assert after.total.awaiting_approval == 0 and after.total.unit == statistics.COMMITTEE
    assert statistics.reasons_text(after.total.not_taking_part) == "出国（境） 1 人"


def test_a_sibling_branch_sees_nothing_of_another_units_figures():
    cid = make_campaign()
    rows = [["姓名", "党总支", "党支部", "党员类别"], ["甲一", "机关党总支", "第一党支部", "正式党员"],
            ["甲二", "机关党总支", "第一党支部", "预备党员"], ["乙一", "机关党总支", "第二党支部", "正式党员"],
            ["丙一", "", "图书馆直属党支部", "正式党员"]]  # fmt: skip
    roster.import_roster_file(actor=ORG, campaign_id=cid, filename="r.csv", data=csv_bytes(rows))
    campaign_status.set_status(actor=ORG, campaign_id=cid, status="open")  # a draft is the organizer's alone
    everyone = statistics.statistics(actor=ORG, campaign_id=cid)
    units = [(u.unit, u.branches, u.members) for u in everyone.units]
    assert units == [("机关党总支", 2, 3), ("图书馆直属党支部", 1, 1)]
    assert everyone.total.members == 4
    sibling = make_account("branch_secretary", "机关党总支/第二党支部", username="zb2")
    with pytest.raises(NotPermitted):
        statistics.statistics(actor=sibling, campaign_id=cid, unit="机关党总支")
    mine = statistics.statistics(actor=sibling, campaign_id=cid)
    assert [(u.unit, u.branches, u.members) for u in mine.units] == [("机关党总支", 1, 1)]


def _next_year(branch: str, names: dict[str, str]) -> tuple[int, str]:
    cid = make_campaign(year=2026, deadline=date(2027, 3, 20))
    rows = [["姓名", "党总支", "党支部", "党员类别", "身份证号"]]
    rows += [[name, "机关党总支", branch, "正式党员", pid] for name, pid in names.items()]
    roster.import_roster_file(actor=ORG, campaign_id=cid, filename="r.csv", data=csv_bytes(rows))
    campaign_status.set_status(actor=ORG, campaign_id=cid, status="open")
    return cid, f"机关党总支/{branch}"


def test_last_years_corrections_are_followed_by_id_into_a_renamed_branch_with_their_outcome():
    last, path, ids = _graded(year=2025, person_ids=IDS)
    case = {"actor": ORG, "campaign_id": last, "branch_path": path, "member_id": ids["杨帆"]}
    disposition_cases.save_steps(**case, steps=DECIDED)
    cid, renamed = _next_year("综合党支部", {"王芳": IDS["王芳"], "杨帆（新）": IDS["杨帆"]})
    assert statistics.statistics(actor=ORG, campaign_id=cid).corrections == []  # last year's not approved yet
    _approve(last, path)
    [open_case] = statistics.statistics(actor=ORG, campaign_id=cid).corrections
    assert (open_case.name, open_case.branch, open_case.year, open_case.closed) == ("杨帆", path, 2025, False)
    assert open_case.this_year == "机关党总支 / 综合党支部，本年度格次尚未审批"
    disposition_cases.record_outcome(**case, outcome=Outcome("corrected", date(2026, 7, 25)))
    [closed] = statistics.statistics(actor=ORG, campaign_id=cid).corrections
    assert closed.closed and closed.stage.startswith("已结案：已改正")
    # the renamed branch's own secretary sees the person now in it; a stranger's branch does not
    assert statistics.statistics(actor=make_account("branch_secretary", renamed, username="zh"),
                                 campaign_id=cid).corrections == [closed]  # fmt: skip
    shown = manage("statistics", "--campaign", str(cid), "--json")
    assert shown.returncode == 0, shown.stderr
    document = json.loads(shown.stdout)
    assert [c["姓名"] for c in document["上年度限期改正"]] == ["杨帆"] and document["合计"]["参加评议的党员"] == 2
    text = manage("statistics", "--campaign", str(cid))
    assert "上年度（2025年）限期改正：1 人" in text.stdout
    assert "杨帆\t机关党总支/第一党支部\t已结案：已改正" in text.stdout
