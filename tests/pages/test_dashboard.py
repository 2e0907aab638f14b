"""The organizer's screens through AppTest."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from services import demo
from services.campaign import campaigns, members
from tests.conftest import ROOT
from tests.factories import ORG, fixture_bytes, make_account, make_campaign
from tests.pages.helpers import TIMEOUT, logged_in, page, rerun_frame

pytestmark = pytest.mark.usefixtures("database")


def test_empty_database_offers_the_demo_and_loading_it_shows_the_campaign():
    at = logged_in(make_account("organizer", username="zzb")).run()
    assert not at.exception
    assert "还没有任何评议活动" in at.info[0].value
    at.button(key="load_demo").click()
    rerun_frame(at)
    assert not at.exception
    table = next(d.value for d in at.dataframe if "状态" in d.value.columns)  # after 首页's units behind
    assert list(table["党支部"]) == [12]
    assert list(table["状态"]) == ["进行中"]


def test_campaign_page_shows_the_tree_of_the_demo_unit():
    demo.load_demo(actor=ORG)
    at = page("campaign.campaign_setup", ORG).run()
    assert not at.exception
    tree = at.dataframe[0].value
    assert len(tree) == 12
    assert list(tree["党支部"][:3]) == ["党政办公室党支部", "组织人事党支部", "财务后勤党支部"]
    assert set(tree["上级组织"]) == {
        "机关党总支",
        "机电工程学院党总支",
        "经济管理学院党总支",
        "离退休党总支",
        "（直属党支部）",
    }
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["党支部"] == "12"
    assert int(metrics["党员"]) == len(
        members.list_members(actor=ORG, campaign_id=campaigns.list_campaigns(actor=ORG)[0].id)
    )


def test_organizer_creates_a_campaign_from_the_form():
    at = page("campaign.campaign_setup", ORG).run()
    at.text_input[0].set_value("2020年度基层党组织组织生活会和民主评议党员")
    at.number_input[0].set_value(2020)
    at.button[0].click().run()
    assert not at.exception
    [created] = campaigns.list_campaigns(actor=ORG)
    assert (created.title, created.year, created.status) == (
        "2020年度基层党组织组织生活会和民主评议党员",
        2020,
        "draft",
    )
    assert "该活动还没有导入花名册。" in [i.value for i in at.info]


def upload_roster(campaign_id: int, fixture: str) -> AppTest:
    at = page("campaign.campaign_setup", ORG).run()
    at.file_uploader(key=f"roster_{campaign_id}").upload(fixture, fixture_bytes(fixture))
    at.run()
    return at.button(key="import_roster").click().run()


def test_uploading_a_roster_imports_it_and_shows_the_tree():
    at = upload_roster(make_campaign(), "roster_title_rows.xlsx")
    assert not at.exception
    assert "导入成功：新增 6 人" in at.success[0].value
    assert list(at.dataframe[0].value["党支部"]) == ["党政办党支部", "财务党支部", "图书馆直属党支部"]


def test_a_bad_roster_shows_a_table_of_problems_and_writes_nothing():
    cid = make_campaign()
    at = page("campaign.campaign_setup", ORG).run()
    at.file_uploader(key=f"roster_{cid}").upload("roster_bad_rows.xlsx", fixture_bytes("roster_bad_rows.xlsx")).run()
    assert "有 4 处问题，请在表格中改正后重新上传" in at.error[0].value
    assert at.button(key="import_roster").disabled
    problems = at.dataframe[0].value
    assert list(problems["行"]) == [3, 4, 5, 6]
    assert list(problems["列"]) == ["姓名", "党员类别", "性别", "党支部"]
    assert members.list_members(actor=ORG, campaign_id=cid) == []


def test_status_buttons_follow_the_allowed_transitions():
    cid = make_campaign()
    at = page("campaign.campaign_setup", ORG).run()
    at.button(key="status_open").click().run()
    at.button(key="status_confirm").click().run()  # asked once (tests/pages/campaign/test_status_confirmation.py)
    assert campaigns.get_campaign(actor=ORG, campaign_id=cid).status == "open"
    assert at.run().button(key="status_closed")


def test_campaign_page_refuses_a_secretary_even_if_reached():
    demo.load_demo(actor=ORG)
    secretary = make_account("branch_secretary", "机关党总支/党政办公室党支部")
    at = page("campaign.campaign_setup", secretary).run()
    assert at.error[0].value == "只有组织部可以使用此页面"
    assert len(at.dataframe) == 0


def test_a_secretary_sees_only_their_branch_in_the_roster():
    demo.load_demo(actor=ORG)
    secretary = make_account("branch_secretary", "机关党总支/党政办公室党支部")
    at = page("campaign.roster_view", secretary).run()
    assert not at.exception
    tree, people = at.dataframe[0].value, at.dataframe[1].value
    assert list(tree["党支部"]) == ["党政办公室党支部"]
    assert len(people) == 24
    assert at.selectbox(key="roster_branch").options == ["机关党总支 / 党政办公室党支部"]


@pytest.mark.parametrize(
    "path", sorted((ROOT / "pages").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT / "pages"))
)
def test_pages_render_nothing_when_run_as_scripts(path: Path):
    """Streamlit may run a file in pages/ directly by its URL, skipping the frame and its login."""
    at = AppTest.from_file(str(path), default_timeout=TIMEOUT).run()
    assert not at.exception
    assert len(at.main.children) == 0
    assert len(at.sidebar.children) == 0
