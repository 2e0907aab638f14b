"""组织处置 from the command line: `results --json` gives each member's case with its steps and period;
`set-grades --file` takes only the three kinds."""

import json
from datetime import date

import pytest

from services.grading import disposition_cases, results
from services.grading.disposition_rules import CaseSteps
from tests.factories import ORG, make_voted_branch
from tests.test_cli import manage

pytestmark = pytest.mark.usefixtures("database")


def test_results_json_gives_each_members_case_and_the_sheet_takes_only_the_three_kinds(tmp_path):
    cid, path, _ = make_voted_branch()
    sheet = tmp_path / "grades.csv"
    sheet.write_text("姓名,评定格次,理由,组织处置,处置说明\n杨帆,不合格,,其他,支部研究\n", encoding="utf-8")
    refused = manage("set-grades", "--campaign", str(cid), "--branch", "第一党支部", "--file", str(sheet))
    assert refused.returncode == 2
    assert (
        "第 2 行，“组织处置”列：“其他”不是组织处置，“不合格”党员的组织处置只能是：限期改正、劝其退党、除名"
        in refused.stderr
    )
    sheet.write_text("姓名,评定格次,理由,组织处置,处置说明\n杨帆,不合格,,限期改正,支部研究\n", encoding="utf-8")
    saved = manage("set-grades", "--campaign", str(cid), "--branch", "第一党支部", "--file", str(sheet))
    assert saved.returncode == 0, saved.stderr
    yang = next(r.member_id for r in results.branch_results(actor=ORG, campaign_id=cid, branch_path=path).rows
                if r.final.disposition)  # fmt: skip
    steps = CaseSteps(date(2026, 1, 6), date(2026, 1, 10), "passed", date(2026, 1, 20), 9)
    disposition_cases.save_steps(actor=ORG, campaign_id=cid, branch_path=path, member_id=yang, steps=steps)
    shown = manage("results", "--campaign", str(cid), "--branch", "第一党支部", "--json")
    assert shown.returncode == 0, shown.stderr
    members = {m["name"]: m for m in json.loads(shown.stdout)["members"]}
    assert members["杨帆"]["disposition_case"] == {
        "kind": "限期改正", "committee_on": "2026-01-06", "meeting_on": "2026-01-10", "meeting_result": "passed",
        "approved_on": "2026-01-20", "period_months": 9, "ends_on": "2026-10-20", "outcome": None,
        "outcome_on": None, "outcome_note": None, "open": True,
    }  # fmt: skip
    assert members["王芳"]["disposition_case"] is None
