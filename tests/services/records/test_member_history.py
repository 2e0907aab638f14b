"""A member across years: the same 身份证号 links a renamed person in a renamed branch; grades show only once
approved; the 组织处置 case with where it stands and the feedback are there; namesakes stay apart; a sibling branch's
secretary sees nothing of it; the command line prints it."""

import json
from datetime import date

import pytest

from services.ballot import campaign_status
from services.campaign import roster
from services.grading import disposition_cases, feedback_records, final_grades, results
from services.grading.disposition_rules import CaseSteps
from services.grading.feedback_records import FeedbackEntry
from services.grading.final_grades import GradeEntry
from services.platform.errors import InvalidInput
from services.records import member_history
from services.staff.access import Actor
from tests.factories import ORG, csv_bytes, make_account, make_campaign, make_voted_branch
from tests.test_cli import manage

pytestmark = pytest.mark.usefixtures("database")

YANG = "110101199001010022"
DECIDED = CaseSteps(date(2026, 1, 6), date(2026, 1, 10), "passed", date(2026, 1, 20))


def _last_year() -> tuple[int, str, int]:
    """2025: the designed branch graded as suggested (杨帆 不合格, 限期改正), approved; 杨帆's feedback recorded."""
    cid, path, _ = make_voted_branch(year=2025, person_ids={"杨帆": YANG})
    found = results.branch_results(actor=ORG, campaign_id=cid, branch_path=path)
    entries = [GradeEntry(r.member_id, r.suggestion.grade, disposition="限期改正", disposition_note="支部研究")
               if r.suggestion.grade == "unqualified" else GradeEntry(r.member_id, r.suggestion.grade)
               for r in found.rows]  # fmt: skip
    final_grades.save_grades(actor=ORG, campaign_id=cid, branch_path=path, entries=entries)
    final_grades.submit_grades(actor=make_account("branch_secretary", path, username="zb"), campaign_id=cid,
                               branch_path=path)  # fmt: skip
    final_grades.approve_grades(actor=ORG, campaign_id=cid, branch_path=path)
    yang = next(r.member_id for r in found.rows if r.name == "杨帆")
    disposition_cases.save_steps(actor=ORG, campaign_id=cid, branch_path=path, member_id=yang, steps=DECIDED)
    feedback_records.record_feedback(actor=ORG, campaign_id=cid, branch_path=path, entries=[
        FeedbackEntry(yang, date(2026, 1, 25), "talk", "王书记")])  # fmt: skip
    return cid, path, yang


def test_a_person_is_followed_by_id_through_a_new_name_and_branch_with_case_and_feedback():
    _last_year()
    cid = make_campaign(year=2026, deadline=date(2027, 3, 20))
    rows = [["姓名", "党总支", "党支部", "党员类别", "身份证号"],
            ["杨帆（新）", "机关党总支", "综合党支部", "正式党员", YANG],
            ["杨帆", "机关党总支", "综合党支部", "正式党员", "110101199202022345"]]  # fmt: skip
    roster.import_roster_file(actor=ORG, campaign_id=cid, filename="r.csv", data=csv_bytes(rows))
    campaign_status.set_status(actor=ORG, campaign_id=cid, status="open")
    people = {p.key: p for p in member_history.member_history(actor=ORG, person="杨帆")}
    assert set(people) == {"身份证号/工号尾号 0022", "身份证号/工号尾号 2345"}  # namesakes apart, ids never whole
    yang = people["身份证号/工号尾号 0022"].entries
    assert [(e.year, e.name, e.branch, e.grade) for e in yang] == [
        (2025, "杨帆", "机关党总支 / 第一党支部", "不合格"), (2026, "杨帆（新）", "机关党总支 / 综合党支部", "尚未评定")
    ]  # fmt: skip
    assert yang[0].case.startswith("限期改正：") and "改正" in yang[0].case
    assert yang[0].feedback == "2026年1月25日 个别谈话（王书记）"
    assert [e.year for e in people["身份证号/工号尾号 2345"].entries] == [2026]
    sibling = Actor(username="zb9", display_name="书记", role="branch_secretary", scope_path="机关党总支/第九党支部")
    assert member_history.member_history(actor=sibling, person="杨帆") == []
    renamed = make_account("branch_secretary", "机关党总支/综合党支部", username="zh")
    mine = member_history.member_history(actor=renamed, person=YANG)
    assert [e.year for p in mine for e in p.entries] == [2026]  # last year's branch is not his to read
    with pytest.raises(InvalidInput):
        member_history.member_history(actor=ORG, person="  ")
    shown = manage("history", "--person", "杨帆", "--json")
    assert shown.returncode == 0, shown.stderr
    assert sorted(len(p["历年"]) for p in json.loads(shown.stdout)) == [1, 2]
    text = manage("history", "--person", "杨帆（新）")
    assert "2025\t机关党总支 / 第一党支部\t杨帆\t正式党员\t不合格\t限期改正：" in text.stdout
    assert YANG not in text.stdout
    assert manage("history", "--person", "无此人").returncode != 0
