"""报送与备案 through AppTest: the download for one's scope, each unit's state, reporting refused while incomplete."""

import pytest

from tests.factories import ORG, make_account, make_voted_branch
from tests.pages.helpers import page

pytestmark = pytest.mark.usefixtures("database")


def test_the_organizer_sees_every_unit_and_downloads_the_package():
    make_voted_branch()
    at = page("filing.reporting", ORG).run()
    assert not at.exception
    status = at.dataframe[0].value
    assert list(status["单位"]) == ["机关党总支"] and list(status["状态"]) == ["未报送"]
    assert not at.download_button  # nothing is made until asked: a large unit takes tens of seconds
    at.button(key="filing_prepare").click().run()
    assert not at.exception
    bar = at.get("progress")[0]  # the bar counted the branches as they were written
    assert (bar.value, bar.text) == (100, "备案材料已准备好：已完成 1 / 1 个党支部")
    assert at.download_button[0].label == "下载备案材料（.zip）"
    assert any(c.value.startswith("材料生成于 ") for c in at.caption)
    at.checkbox(key="filing_notices").check().run()  # another package wanted: the old one is not offered for it
    assert not at.download_button
    at.checkbox(key="filing_self_reviews").check().run()
    at.button(key="filing_prepare").click().run()
    assert not at.exception and at.download_button[0].label == "下载备案材料（.zip）"


def test_a_general_branch_secretary_is_told_what_is_missing_and_cannot_report_yet():
    make_voted_branch()
    general = make_account("general_branch_secretary", "机关党总支", username="zzb")
    at = page("filing.reporting", general).run()
    assert not at.exception
    assert at.warning[0].value.startswith("材料尚未完成，还差")
    assert any("一、集中学习：尚未记录集中学习" in c.value for c in at.caption)
    assert at.button(key="report_机关党总支").disabled
    assert not any(c.key == "filing_self_reviews" for c in at.checkbox)  # he may read the list, not the texts


def _reported(cid: int) -> None:
    """The general branch's package as sent (its content is not what this page test looks at)."""
    from sqlmodel import select

    from models import OrgUnit, UnitReport
    from services.platform.clock import now
    from services.platform.db import session_scope

    with session_scope() as session:
        unit = session.exec(select(OrgUnit).where(OrgUnit.campaign_id == cid, OrgUnit.path == "机关党总支")).one()
        session.add(UnitReport(campaign_id=cid, unit_id=unit.id, state="reported", reported_at=now(), package=b"zip"))


def test_the_organizer_receives_a_report_or_returns_it_and_the_general_branch_reads_why_first():
    cid, _, _ = make_voted_branch()
    _reported(cid)
    at = page("filing.reporting", ORG).run()
    at.button(key="receive_机关党总支").click().run()
    assert not at.exception and at.success[0].value == "已接收机关党总支的备案材料。"
    assert list(at.dataframe[0].value["状态"]) == ["已接收"]
    assert any(s.value.startswith("组织部已于 ") and s.value.endswith(" 接收本单位的备案材料。") for s in at.success)
    comment = "第一党支部缺少集中学习的签到表照片，请补充后重新报送；另请核对整改清单中两项的完成时限是否填写正确。"
    at.text_input(key="return_comment_机关党总支").input(comment)
    at.button(key="return_机关党总支").click().run()
    assert at.success[0].value == "已退回机关党总支的备案材料。"
    general = page("filing.reporting", make_account("general_branch_secretary", "机关党总支", username="zzb")).run()
    assert general.expander[0].proto.expanded
    assert general.error[0].value == f"组织部退回意见：{comment}"  # whole, and before what is missing
