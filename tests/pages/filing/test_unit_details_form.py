"""报送与备案 through AppTest: the unit's cover lines and its paragraphs of the written report, entered once on the
page and kept; a wrong phone number refused with the field named; the organizer fills in the committee's own."""

import pytest

from services.filing import unit_details
from tests.factories import ORG, make_account, make_voted_branch
from tests.pages.helpers import page

pytestmark = pytest.mark.usefixtures("database")
UNIT = "机关党总支"


def _fill(at, key: str, *, phone: str) -> None:
    at.text_input(key=f"unit_leader_{key}").input("张书记")
    at.text_input(key=f"unit_preparer_{key}").input("李干事")
    at.text_input(key=f"unit_phone_{key}").input(phone)
    at.text_area(key=f"unit_section_overview_{key}").input("总支委员会专题研究部署。")
    at.text_area(key=f"unit_section_next_steps_{key}").input("继续抓好整改落实。")


def _save(at, key: str):
    return next(b for b in at.button if b.label == "保存报送单位信息和情况报告" and key in str(b.proto.form_id))


def test_the_general_branch_enters_its_cover_lines_and_report_paragraphs_and_they_are_kept():
    cid, _, _ = make_voted_branch()
    general = make_account("general_branch_secretary", UNIT, username="zzb")
    at = page("filing.reporting", general).run()
    assert not at.exception
    _fill(at, UNIT, phone="=HYPERLINK(1)")
    _save(at, UNIT).click().run()
    assert any("“联系电话”只能填写数字" in e.value for e in at.error)
    assert unit_details.details(actor=ORG, campaign_id=cid, unit_path=UNIT).leader is None  # nothing saved
    _fill(at, UNIT, phone="010-62751234")
    _save(at, UNIT).click().run()
    assert not at.exception and at.success[0].value == "已保存报送单位信息和情况报告。"
    kept = unit_details.details(actor=ORG, campaign_id=cid, unit_path=UNIT)
    assert (kept.leader, kept.preparer, kept.office_phone) == ("张书记", "李干事", "010-62751234")
    assert kept.sections == {"overview": "总支委员会专题研究部署。", "next_steps": "继续抓好整改落实。"}
    again = page("filing.reporting", general).run()
    assert again.text_area(key=f"unit_section_overview_{UNIT}").value == "总支委员会专题研究部署。"
    assert again.text_input(key=f"unit_phone_{UNIT}").value == "010-62751234"


def test_the_organizer_fills_in_the_committees_own_and_a_branch_secretary_sees_no_form():
    cid, _, _ = make_voted_branch()
    at = page("filing.reporting", ORG).run()
    _fill(at, "党委", phone="0571-8888 6666")
    _save(at, "党委").click().run()
    assert not at.exception
    assert unit_details.details(actor=ORG, campaign_id=cid, unit_path="").office_phone == "0571-8888 6666"
    secretary = make_account("branch_secretary", f"{UNIT}/第一党支部", username="zb1")
    mine = page("filing.reporting", secretary).run()
    assert not mine.exception and not [b for b in mine.button if b.label == "保存报送单位信息和情况报告"]
