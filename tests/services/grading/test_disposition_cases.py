"""组织处置 as a case: only the three kinds, 待重新确定 blocks submitting, the decision's steps in order, the
period of 限期改正 and its end, the outcome, and an open case carried into the next year for the same person."""

import io
import json
from dataclasses import replace
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from models import FinalGrade
from services.campaign import roster
from services.filing import branch_workbook
from services.grading import disposition_cases, final_grades, results
from services.grading.disposition_rules import CaseRejected, CaseSteps, Outcome, add_months
from services.grading.final_grades import GradeEntry, GradesRejected
from services.platform.db import session_scope
from services.platform.errors import ImportRejected, NotFound, NotPermitted
from services.staff import audit
from tests.factories import ORG, csv_bytes, make_account, make_campaign, make_voted_branch

pytestmark = pytest.mark.usefixtures("database")

IDS = {"王芳": "110101199001010011", "杨帆": "110101199001010022", "刘洋": "110101199001010033"}
DECIDED = CaseSteps(date(2026, 1, 6), date(2026, 1, 10), "passed", date(2026, 1, 20))


def _with_period(steps: CaseSteps, months: int) -> CaseSteps:
    return replace(steps, period_months=months)


def _graded(kind: str = "限期改正", **campaign_options):
    """A closed branch graded as suggested, 杨帆 不合格 with `kind`; returns (campaign id, path, 杨帆's id)."""
    cid, path, _ = make_voted_branch(**campaign_options)
    found = results.branch_results(actor=ORG, campaign_id=cid, branch_path=path)
    entries = [
        GradeEntry(r.member_id, r.suggestion.grade, disposition=kind, disposition_note="支部研究")
        if r.suggestion.grade == "unqualified"
        else GradeEntry(r.member_id, r.suggestion.grade)
        for r in found.rows
    ]
    final_grades.save_grades(actor=ORG, campaign_id=cid, branch_path=path, entries=entries)
    return cid, path, next(r.member_id for r in found.rows if r.name == "杨帆")


def _approved(cid: int, path: str) -> None:
    secretary = make_account("branch_secretary", path, username=f"zb-{cid}")
    final_grades.submit_grades(actor=secretary, campaign_id=cid, branch_path=path)
    final_grades.approve_grades(actor=ORG, campaign_id=cid, branch_path=path)


@pytest.mark.parametrize("kind", ["其他", "批评教育", "待重新确定"])
def test_only_the_three_kinds_are_a_disposition(kind):
    cid, path, yang = _graded()
    entry = GradeEntry(yang, "unqualified", disposition=kind, disposition_note="x")
    if kind == "待重新确定":  # kept in a draft, as migration 0016 left it, but never submitted
        final_grades.save_grades(actor=ORG, campaign_id=cid, branch_path=path, entries=[entry])
        return
    with pytest.raises(GradesRejected) as refused:
        final_grades.save_grades(actor=ORG, campaign_id=cid, branch_path=path, entries=[entry])
    assert (
        f"杨帆：“{kind}”不是组织处置，“不合格”党员的组织处置只能是：限期改正、劝其退党、除名" in refused.value.problems
    )
    for lawful in ("限期改正", "劝其退党", "除名"):
        entry = GradeEntry(yang, "unqualified", disposition=lawful, disposition_note="x")
        shown = final_grades.save_grades(actor=ORG, campaign_id=cid, branch_path=path, entries=[entry])
        assert shown.row(yang).final.disposition == lawful


def test_the_results_sheet_accepts_only_the_three_kinds():
    cid, path, _ = _graded()
    rows = [["姓名", "评定格次", "理由", "组织处置", "处置说明"], ["杨帆", "不合格", "", "其他", "支部研究"]]
    rows += [["赵刚", "合格", "", "待重新确定", ""]]
    with pytest.raises(ImportRejected) as refused:
        final_grades.set_grades_from_file(actor=ORG, campaign_id=cid, branch_path=path, filename="g.csv",
                                          data=csv_bytes(rows))  # fmt: skip
    assert [(e.row, e.column) for e in refused.value.errors] == [(2, "组织处置"), (3, "组织处置")]
    assert "“其他”不是组织处置" in refused.value.errors[0].message


def test_to_be_decided_again_blocks_submitting_with_the_members_name_until_changed():
    cid, path, yang = _graded()
    with session_scope() as session:  # as migration 0016 leaves an older “其他”
        final = session.exec(select(FinalGrade).where(FinalGrade.member_id == yang)).one()
        final.disposition, final.disposition_note = "待重新确定", "其他：支部研究"
        session.add(final)
    with pytest.raises(GradesRejected) as refused:
        final_grades.submit_grades(actor=ORG, campaign_id=cid, branch_path=path)
    assert refused.value.problems == [
        "杨帆：组织处置“待重新确定”（原处置已写在处置说明开头），请重新选择：限期改正、劝其退党、除名"
    ]
    [case] = disposition_cases.list_cases(actor=ORG, campaign_id=cid, branch_path=path)
    assert case.stage(date(2026, 12, 1)) == "待重新确定组织处置"
    with pytest.raises(CaseRejected, match="请先在评定格次中选择"):
        disposition_cases.save_steps(actor=ORG, campaign_id=cid, branch_path=path, member_id=yang, steps=DECIDED)
    entry = GradeEntry(yang, "unqualified", disposition="劝其退党", disposition_note="其他：支部研究")
    final_grades.save_grades(actor=ORG, campaign_id=cid, branch_path=path, entries=[entry])
    assert final_grades.submit_grades(actor=ORG, campaign_id=cid, branch_path=path).state == "submitted"


def test_the_steps_are_recorded_in_order_and_the_period_is_six_to_twelve_months():
    cid, path, yang = _graded()
    where = {"actor": ORG, "campaign_id": cid, "branch_path": path, "member_id": yang}
    [case] = disposition_cases.list_cases(actor=ORG, campaign_id=cid, branch_path=path)
    assert (case.kind, case.period_months, case.ends_on, case.stage(date(2026, 12, 1))) == (
        "限期改正", 6, None, "待支委会研究"
    )  # fmt: skip
    future = disposition_cases.today() + timedelta(days=30)
    for steps, problem in [
        (CaseSteps(meeting_on=date(2026, 1, 10), meeting_result="passed"), "请填写支委会研究日期"),
        (CaseSteps(date(2026, 1, 6), date(2026, 1, 10)), "请同时填写表决日期和表决结果"),
        (CaseSteps(date(2026, 1, 6), date(2026, 1, 10), "rejected", date(2026, 1, 20)), "支部大会表决通过后"),
        (CaseSteps(date(2026, 1, 12), date(2026, 1, 10), "passed"), "支部大会表决日期 2026-01-10 早于支委会研究日期"),
        (CaseSteps(committee_on=future), "晚于今天"),
        (_with_period(DECIDED, 5), "期限为 6 至 12 个月"),
        (_with_period(DECIDED, 13), "填的是 13 个月"),
    ]:
        with pytest.raises(CaseRejected) as refused:
            disposition_cases.save_steps(**where, steps=steps)
        assert any(problem in p for p in refused.value.problems), (steps, refused.value.problems)
    assert disposition_cases.list_cases(actor=ORG, campaign_id=cid, branch_path=path)[0].steps == CaseSteps()
    saved = disposition_cases.save_steps(**where, steps=DECIDED)  # no period given: six months
    assert (saved.period_months, saved.ends_on) == (6, date(2026, 7, 20))
    longer = disposition_cases.save_steps(**where, steps=_with_period(DECIDED, 12))
    assert (longer.period_months, longer.ends_on) == (12, date(2027, 1, 20))
    assert longer.stage(date(2026, 12, 1)) == "限期改正中，2027-01-20 期满"
    assert add_months(date(2025, 8, 31), 6) == date(2026, 2, 28)  # the month's last day where it is shorter
    assert add_months(date(2023, 8, 31), 6) == date(2024, 2, 29)
    [entry, *_] = audit.list_entries(actor=ORG, campaign_id=cid)
    assert entry.action == "disposition.steps"


def test_a_period_belongs_to_correction_only():
    cid, path, yang = _graded("除名")
    where = {"actor": ORG, "campaign_id": cid, "branch_path": path, "member_id": yang}
    with pytest.raises(CaseRejected, match="只有“限期改正”有期限，“除名”没有"):
        disposition_cases.save_steps(**where, steps=_with_period(DECIDED, 6))
    saved = disposition_cases.save_steps(**where, steps=DECIDED)
    assert (saved.period_months, saved.ends_on, saved.stage(date(2026, 12, 1))) == (None, None, "待记录结果")


def test_the_outcome_is_recorded_when_the_period_ends():
    cid, path, yang = _graded()
    where = {"actor": ORG, "campaign_id": cid, "branch_path": path, "member_id": yang}
    with pytest.raises(CaseRejected, match="请先记录上级党组织审批日期"):
        disposition_cases.record_outcome(**where, outcome=Outcome("corrected", date(2026, 7, 25)))
    disposition_cases.save_steps(**where, steps=DECIDED)
    with pytest.raises(CaseRejected, match="2026-07-20 期满：期满后再记录结果"):
        disposition_cases.record_outcome(**where, outcome=Outcome("corrected", date(2026, 7, 19)))
    with pytest.raises(CaseRejected, match="撤销处置须写明原因"):
        disposition_cases.record_outcome(**where, outcome=Outcome("withdrawn", date(2026, 2, 1)))
    ended = disposition_cases.record_outcome(**where, outcome=Outcome("corrected", date(2026, 7, 25), "已改正"))
    assert not ended.is_open and ended.stage(date(2026, 12, 1)) == "已结案：已改正（2026-07-25）"
    with pytest.raises(CaseRejected, match="结果日期 2026-07-25 早于上级党组织审批日期 2026-08-01"):  # steps still hold
        disposition_cases.save_steps(**where, steps=CaseSteps(date(2026, 1, 6), date(2026, 1, 10), "passed",
                                                              date(2026, 8, 1)))  # fmt: skip
    assert json.loads(json.dumps(ended.as_dict())) == {
        "kind": "限期改正", "committee_on": "2026-01-06", "meeting_on": "2026-01-10", "meeting_result": "passed",
        "approved_on": "2026-01-20", "period_months": 6, "ends_on": "2026-07-20", "outcome": "corrected",
        "outcome_on": "2026-07-25", "outcome_note": "已改正", "open": False,
    }  # fmt: skip


def test_each_kind_ends_only_in_its_outcomes():
    cid, path, yang = _graded("除名")
    where = {"actor": ORG, "campaign_id": cid, "branch_path": path, "member_id": yang}
    disposition_cases.save_steps(**where, steps=DECIDED)
    with pytest.raises(CaseRejected, match="“除名”的处置结果只能是：除名、撤销处置，不能是“已改正”"):
        disposition_cases.record_outcome(**where, outcome=Outcome("corrected", date(2026, 2, 1)))
    ended = disposition_cases.record_outcome(**where, outcome=Outcome("expelled", date(2026, 2, 1)))
    assert ended.outcome == "expelled"


def test_only_the_branch_records_a_case_and_only_for_a_member_rated_unqualified():
    cid, path, yang = _graded()
    general = make_account("general_branch_secretary", "机关党总支")
    assert [c.name for c in disposition_cases.list_cases(actor=general, campaign_id=cid, branch_path=path)] == ["杨帆"]
    with pytest.raises(NotPermitted):
        disposition_cases.save_steps(actor=general, campaign_id=cid, branch_path=path, member_id=yang, steps=DECIDED)
    zhao = next(r.member_id for r in results.branch_results(actor=ORG, campaign_id=cid, branch_path=path).rows
                if r.name == "赵刚")  # fmt: skip
    with pytest.raises(NotFound, match="赵刚没有评定为“不合格”"):
        disposition_cases.save_steps(actor=ORG, campaign_id=cid, branch_path=path, member_id=zhao, steps=DECIDED)
    secretary = make_account("branch_secretary", path)
    done = disposition_cases.save_steps(actor=secretary, campaign_id=cid, branch_path=path, member_id=yang,
                                        steps=DECIDED)  # fmt: skip
    assert done.steps.approved_on == date(2026, 1, 20)


def _next_year(branch: str, names: dict[str, str]) -> tuple[int, str]:
    """This year's campaign: `branch` (a new name) under 机关党总支 with people by 身份证号."""
    cid = make_campaign(year=2026, deadline=date(2027, 3, 20))
    rows = [["姓名", "党总支", "党支部", "党员类别", "身份证号"]]
    rows += [[name, "机关党总支", branch, "正式党员", pid] for name, pid in names.items()]
    roster.import_roster_file(actor=ORG, campaign_id=cid, filename="r.csv", data=csv_bytes(rows))
    return cid, f"机关党总支/{branch}"


def test_an_open_case_carries_into_next_year_for_the_same_person_in_a_renamed_branch():
    last, path, yang = _graded(year=2025, person_ids=IDS)
    where = {"actor": ORG, "campaign_id": last, "branch_path": path, "member_id": yang}
    disposition_cases.save_steps(**where, steps=DECIDED)
    cid, renamed = _next_year("综合党支部", {"王芳": IDS["王芳"], "杨帆（新）": IDS["杨帆"], "赵刚": "none"})
    assert disposition_cases.carried_cases(actor=ORG, campaign_id=cid, branch_path=renamed) == {}  # not approved
    _approved(last, path)
    carried = disposition_cases.carried_cases(actor=ORG, campaign_id=cid, branch_path=renamed)
    assert [(c.name, c.year, c.kind, c.ends_on) for c in carried.values()] == [
        ("杨帆（新）", 2025, "限期改正", date(2026, 7, 20))
    ]
    assert next(iter(carried.values())).label == "2025年度限期改正未结案（期满，待记录结果）"
    book = branch_workbook.branch_workbook(actor=ORG, campaign_id=cid, campaign_title="t", year=2026,
                                           branch_path=renamed, today=date(2026, 12, 1))  # fmt: skip
    sheet = load_workbook(io.BytesIO(book.data))["组织处置"]
    notes = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert "往年未结案：杨帆（新），2025年度限期改正未结案（期满，待记录结果）" in notes
    disposition_cases.record_outcome(**where, outcome=Outcome("corrected", date(2026, 7, 25)))
    assert disposition_cases.carried_cases(actor=ORG, campaign_id=cid, branch_path=renamed) == {}


def test_the_filing_lists_each_case_with_its_steps_period_and_outcome():
    cid, path, yang = _graded()
    disposition_cases.save_steps(actor=ORG, campaign_id=cid, branch_path=path, member_id=yang, steps=DECIDED)
    book = branch_workbook.branch_workbook(actor=ORG, campaign_id=cid, campaign_title="t", year=2026,
                                           branch_path=path, today=date(2026, 12, 1))  # fmt: skip
    sheet = load_workbook(io.BytesIO(book.data))["组织处置"]
    [row] = [r for r in sheet.iter_rows(values_only=True) if r[1] == "杨帆"]
    assert row[2:] == (
        "限期改正", "2026年1月6日", "2026年1月10日 通过", "2026年1月20日", "6 个月", "2026年7月20日",
        "未结案：期满，待记录结果",
    )  # fmt: skip
