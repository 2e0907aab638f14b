"""首页 per role through AppTest: the secretary's six steps with the current one first and one 下一步 button
that opens its page, the general branch's branches behind, the organizer's units behind with the days left;
本支部工作进度 says 查看 for a finished step."""

from datetime import timedelta

import pytest

from services.ballot import campaign_status
from services.campaign import roster
from services.meeting import study
from services.platform.clock import local, now
from tests.factories import ORG, csv_bytes, make_account, make_campaign
from tests.pages.helpers import logged_in, page, rerun_frame

pytestmark = pytest.mark.usefixtures("database")
TODAY = local(now()).date()
FIRST = "机关党总支/第一党支部"


@pytest.fixture
def cid() -> int:
    cid = make_campaign(year=TODAY.year, deadline=TODAY + timedelta(days=9))
    rows = [["姓名", "党总支", "党支部", "党员类别"], ["王芳", "机关党总支", "第一党支部", "正式党员"]]
    rows += [["乙一", "机关党总支", "第二党支部", "正式党员"], ["丙一", "", "图书馆直属党支部", "正式党员"]]
    roster.import_roster_file(actor=ORG, campaign_id=cid, filename="r.csv", data=csv_bytes(rows))
    campaign_status.set_status(actor=ORG, campaign_id=cid, status="open")
    return cid


def _texts(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [s.value for s in at.subheader]
    return "\n".join(parts + [i.value for i in at.info])


def _primary(at) -> list[str]:
    return [b.label for b in at.button if b.proto.type == "primary"]


def test_the_secretary_follows_the_one_next_button_to_the_current_step(cid):
    secretary = make_account("branch_secretary", FIRST, username="zb001")
    study.record_study(actor=ORG, campaign_id=cid, branch_path=FIRST, held_on=TODAY, topic="党章", materials=None,
                       absent=[])  # fmt: skip
    at = logged_in(secretary).run()
    assert not at.exception
    assert _primary(at) == ["下一步：谈心谈话、征求意见"]  # one primary button: the current step's
    text = _texts(at)
    assert "当前：二、谈心谈话、征求意见" in text and "还差：尚未记录谈心谈话" in text
    done = ":material/check_circle:] 一、集中学习　已完成"
    assert text.index("当前：二、谈心谈话") < text.index(done)  # the current step first
    assert "报送：由党总支书记报送组织部，目前未报送。" in text
    at.button(key="next_step").click()
    rerun_frame(at)
    assert not at.exception
    assert at.title[0].value == "谈心谈话、征求意见"
    assert at.query_params["b"] == FIRST


def test_the_general_branch_sees_its_branches_behind_and_the_days_left(cid):
    general = make_account("general_branch_secretary", "机关党总支", username="zzb001")
    at = logged_in(general).run()
    assert not at.exception
    assert f"截止日期 {(TODAY + timedelta(days=9)).isoformat()}，还有 9 天" in _texts(at)
    behind = at.dataframe[0].value
    assert list(behind["党支部"]) == ["第一党支部", "第二党支部"]
    assert list(behind["六个步骤"]) == ["0/6", "0/6"]
    assert _primary(at) == []  # nothing to report yet


def test_the_organizer_sees_the_units_behind_with_the_days_left(cid):
    at = logged_in(make_account("organizer", username="zzb")).run()
    assert not at.exception
    assert "还有 9 天" in _texts(at)
    units = at.dataframe[0].value
    assert list(units["单位"]) == ["机关党总支", "图书馆直属党支部"]
    assert list(units["完成六个步骤的党支部"]) == ["0 / 2", "0 / 1"]
    assert list(units["未开启测评"]) == [2, 1]


def test_the_progress_page_offers_to_look_at_a_finished_step_not_to_fill_it_in(cid):
    study.record_study(actor=ORG, campaign_id=cid, branch_path=FIRST, held_on=TODAY, topic="党章", materials=None,
                       absent=[])  # fmt: skip
    at = logged_in(make_account("branch_secretary", FIRST, username="zb001"))
    at.run()
    pages = at.session_state["_pages"]
    shown = page("progress.checklist", make_account("committee_member", FIRST, username="zw001"))
    shown.session_state["_pages"] = pages
    shown.run()
    assert not shown.exception
    links = [e.proto.label for e in shown.get("page_link")]
    assert links[0] == "查看"  # 一、集中学习, done
    assert set(links[1:]) == {"前往填写"}


def test_an_address_that_names_no_page_is_said_on_home_until_another_page_is_opened(cid):
    """survey/page_addresses.py sends /no-such-page to /?missing=no-such-page."""
    at = logged_in(make_account("branch_secretary", FIRST, username="zb001"))
    at.query_params["missing"] = "no-such-page"
    at.run()
    assert not at.exception
    [warning] = at.warning
    assert warning.value.replace("\\", "") == "没有这个页面（/no-such-page），已回到首页。请从左侧菜单选择要去的页面。"
    at.button(key="next_step").click()  # another page: the notice is gone when 首页 is opened again
    rerun_frame(at)
    assert at.title[0].value == "集中学习"
    rerun_frame(at)
    assert (at.title[0].value, len(at.warning)) == ("民主评议党员", 0)
