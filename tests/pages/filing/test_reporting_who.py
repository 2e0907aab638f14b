"""报送情况 as a branch secretary under a general branch sees it: the unit's true branch count and who reports."""

import pytest

from services.ballot import campaign_status
from services.campaign import roster
from services.filing import reporting
from tests.factories import ORG, csv_bytes, make_account, make_campaign
from tests.pages.helpers import page

pytestmark = pytest.mark.usefixtures("database")


def _two_branches_and_a_direct_one() -> int:
    cid = make_campaign()
    rows = [["姓名", "党总支", "党支部", "党员类别"]]
    rows += [[n, "机关党总支", "第一党支部", "正式党员"] for n in ("王芳", "李明")]
    rows += [[n, "机关党总支", "第二党支部", "正式党员"] for n in ("钱多", "周全")]
    rows += [["孙少", "", "离退休党支部", "正式党员"]]
    roster.import_roster_file(actor=ORG, campaign_id=cid, filename="r.csv", data=csv_bytes(rows))
    campaign_status.set_status(actor=ORG, campaign_id=cid, status="open")  # a draft is the organizer's alone
    return cid


def test_a_branch_secretary_sees_his_units_true_branch_count_and_that_the_general_branch_secretary_reports():
    cid = _two_branches_and_a_direct_one()
    secretary = make_account("branch_secretary", "机关党总支/第一党支部")
    org_at = page("filing.reporting", ORG).run()
    organizer_view = org_at.dataframe[0].value
    assert list(organizer_view["党支部数"]) == [2, 1]
    assert list(organizer_view["由谁报送"]) == ["由党总支书记报送", "由党支部书记报送"]
    at = page("filing.reporting", secretary).run()
    assert not at.exception
    status = at.dataframe[0].value
    assert list(status["单位"]) == ["机关党总支"] and list(status["党支部数"]) == [2]
    assert list(status["由谁报送"]) == ["由党总支书记报送"]
    assert any("机关党总支的备案材料由党总支书记报送" in i.value for i in at.info)
    assert "第二党支部" not in str(status.to_dict())  # a count only: nothing of the sibling branch
    (unit,) = reporting.units(actor=secretary, campaign_id=cid)
    assert unit.branches == ["机关党总支/第一党支部"] and unit.branch_count == 2
