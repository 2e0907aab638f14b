"""The 组织处置 page: a form per case for the branch, read-only for the general branch; an open case of last year
beside the same person on the roster and the results page, through AppTest."""

from datetime import date

import pytest
from sqlmodel import select

from models import FinalGrade
from services.grading import disposition_cases, final_grades, results
from services.grading.disposition_rules import CaseSteps
from services.platform.db import session_scope
from tests.factories import ORG, make_account, make_voted_branch
from tests.pages.helpers import page

pytestmark = pytest.mark.usefixtures("database")


def _graded(**campaign_options) -> tuple[int, str, int]:
    """A closed branch graded as suggested, 杨帆 不合格 with 限期改正; returns (campaign id, path, 杨帆's id)."""
    cid, path, _ = make_voted_branch(**campaign_options)
    found = results.branch_results(actor=ORG, campaign_id=cid, branch_path=path)
    unqualified = {"disposition": "限期改正", "disposition_note": "支部研究"}
    entries = [
        final_grades.GradeEntry(r.member_id, r.suggestion.grade, **(unqualified if r.name == "杨帆" else {}))
        for r in found.rows
    ]
    final_grades.save_grades(actor=ORG, campaign_id=cid, branch_path=path, entries=entries)
    return cid, path, next(r.member_id for r in found.rows if r.name == "杨帆")


def test_the_secretary_records_the_steps_and_the_outcome_in_forms():
    cid, path, yang = _graded()
    secretary = make_account("branch_secretary", path, username="zb")
    at = page("grading.dispositions", secretary).run()
    assert not at.exception
    assert [s.value for s in at.subheader] == ["杨帆　限期改正"]
    assert "进度：待支委会研究" in [m.value for m in at.markdown]
    at.date_input(key=f"case_meeting_{yang}").set_value(date(2026, 1, 10))
    at.selectbox(key=f"case_result_{yang}").set_value("passed")
    at.button(key=f"FormSubmitter:case_steps_{yang}-保存处置程序").click().run()
    assert "未保存，共 1 处需要修改：" in at.error[0].value  # a vote needs the committee first
    assert any("请填写支委会研究日期" in m.value for m in at.markdown)
    assert disposition_cases.list_cases(actor=ORG, campaign_id=cid, branch_path=path)[0].steps == CaseSteps()

    at.date_input(key=f"case_committee_{yang}").set_value(date(2026, 1, 6))
    at.date_input(key=f"case_approved_{yang}").set_value(date(2026, 1, 20))
    at.number_input(key=f"case_months_{yang}").set_value(8)
    at.button(key=f"FormSubmitter:case_steps_{yang}-保存处置程序").click().run()
    assert not at.exception and not at.error
    assert "处置程序已保存" in at.success[0].value
    [case] = disposition_cases.list_cases(actor=ORG, campaign_id=cid, branch_path=path)
    assert (case.steps.committee_on, case.period_months, case.ends_on) == (date(2026, 1, 6), 8, date(2026, 9, 20))
    assert "期满日：2026-09-20" in [c.value for c in at.caption]

    at.selectbox(key=f"case_outcome_{yang}").set_value("corrected")
    at.date_input(key=f"case_outcome_on_{yang}").set_value(date(2026, 9, 25))
    at.button(key=f"FormSubmitter:case_outcome_{yang}-记录处置结果").click().run()
    assert not at.exception and "处置结果已记录" in at.success[0].value
    assert disposition_cases.list_cases(actor=ORG, campaign_id=cid, branch_path=path)[0].outcome == "corrected"


def test_the_general_branch_reads_the_case_without_forms():
    cid, path, yang = _graded()
    steps = CaseSteps(date(2026, 1, 6), date(2026, 1, 10), "passed", date(2026, 1, 20))
    disposition_cases.save_steps(actor=ORG, campaign_id=cid, branch_path=path, member_id=yang, steps=steps)
    at = page("grading.dispositions", make_account("general_branch_secretary", "机关党总支")).run()
    assert not at.exception
    assert not at.date_input and not at.button
    shown = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert "上级党组织审批：2026-01-20；限期 6 个月，2026-07-20 期满" in shown


def test_last_years_open_case_shows_on_the_roster_and_the_results_page():
    ids = {"杨帆": "110101199001010022"}
    last, path, _ = _graded(year=2025, person_ids=ids)
    secretary = make_account("branch_secretary", path, username="zb")
    final_grades.submit_grades(actor=secretary, campaign_id=last, branch_path=path)
    final_grades.approve_grades(actor=ORG, campaign_id=last, branch_path=path)
    cid, _, _ = make_voted_branch(year=2026, person_ids=ids)  # this year's, voted, the same person
    at = page("campaign.roster_view", secretary).run()
    assert not at.exception
    table = at.dataframe[-1].value
    carried = dict(zip(table["姓名"], table["往年组织处置"], strict=True))
    assert carried["杨帆"] == "2025年度限期改正未结案（待支委会研究）" and carried["王芳"] == ""
    at = page("grading.results", secretary).run()
    assert not at.exception
    assert any("往年组织处置未结案" in w.value and "杨帆" in w.value for w in at.warning), [w.value for w in at.warning]
    assert cid != last


def test_a_disposition_to_be_decided_again_shows_and_blocks_submitting_naming_the_member():
    cid, path, yang = _graded()
    with session_scope() as session:  # as migration 0016 leaves an older “其他”
        final = session.exec(select(FinalGrade).where(FinalGrade.member_id == yang)).one()
        final.disposition, final.disposition_note = "待重新确定", "其他：支部研究"
        session.add(final)
    secretary = make_account("branch_secretary", path, username="zb")
    at = page("grading.results", secretary).run()
    assert not at.exception
    editor = at.dataframe[1].value
    assert dict(zip(editor["姓名"], editor["组织处置"], strict=True))["杨帆"] == "待重新确定"
    at.checkbox(key="grades_sure").check().run()
    at.button(key="grades_submit").click().run()
    assert not at.exception
    said = [e.value for e in at.error] + [m.value for m in at.markdown]  # the refusal lists each problem
    assert at.error and any("杨帆：组织处置“待重新确定”" in text for text in said), said
    assert results.branch_results(actor=ORG, campaign_id=cid, branch_path=path).state == "draft"
    at = page("grading.dispositions", secretary).run()
    assert any("已改为“待重新确定”" in w.value for w in at.warning) and not at.date_input
