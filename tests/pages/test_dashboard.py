"""The Streamlit dashboard through AppTest."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from services import campaigns, demo, members
from tests.conftest import ROOT
from tests.factories import fixture_bytes, make_campaign

pytestmark = pytest.mark.usefixtures("database")
TIMEOUT = 30


def dashboard() -> AppTest:
    return AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT)


def rerun_frame(at: AppTest) -> AppTest:
    """Rerun the frame after an interaction.

    AppTest resets Streamlit's "app has a pages/ folder" flag before every run, so a rerun
    that names the page it finished on is looked up among the pages/ files and runs
    nothing. A real server clears that flag for good at the first st.navigation call.
    Asking for the default page again reproduces what the browser gets.
    """
    at._finished_page_script_hash = ""
    return at.run()


def page(module: str) -> AppTest:
    """One screen on its own, as the frame's navigation would run it."""
    return AppTest.from_string(f"from pages import {module}\n{module}.render()\n", default_timeout=TIMEOUT)


def test_empty_database_offers_the_demo_and_loading_it_shows_the_campaign():
    at = dashboard().run()
    assert not at.exception
    assert "还没有任何评议活动" in at.info[0].value
    at.button(key="load_demo").click()
    rerun_frame(at)
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table["党支部"]) == [12]
    assert list(table["状态"]) == ["进行中"]


def test_campaign_page_shows_the_tree_of_the_demo_unit():
    demo.load_demo()
    at = page("campaign_setup").run()
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
    assert int(metrics["党员"]) == len(members.list_members(campaign_id=campaigns.list_campaigns()[0].id))


def test_organizer_creates_a_campaign_from_the_form():
    at = page("campaign_setup").run()
    at.text_input[0].set_value("2020年度基层党组织组织生活会和民主评议党员")
    at.number_input[0].set_value(2020)
    at.button[0].click().run()
    assert not at.exception
    [created] = campaigns.list_campaigns()
    assert (created.title, created.year, created.status) == (
        "2020年度基层党组织组织生活会和民主评议党员",
        2020,
        "draft",
    )
    assert "该活动还没有导入花名册。" in [i.value for i in at.info]


def upload_roster(campaign_id: int, fixture: str) -> AppTest:
    at = page("campaign_setup").run()
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
    at = upload_roster(cid, "roster_bad_rows.xlsx")
    assert "导入失败：共 4 处问题，没有写入任何数据" in at.error[0].value
    problems = at.dataframe[0].value
    assert list(problems["行"]) == [3, 4, 5, 6]
    assert list(problems["列"]) == ["姓名", "党员类别", "性别", "党支部"]
    assert members.list_members(campaign_id=cid) == []


def test_status_buttons_follow_the_allowed_transitions():
    cid = make_campaign()
    at = page("campaign_setup").run()
    at.button(key="status_open").click().run()
    assert campaigns.get_campaign(cid).status == "open"
    assert at.button(key="status_closed")


@pytest.mark.parametrize("path", sorted((ROOT / "pages").glob("*.py")), ids=lambda p: p.name)
def test_pages_render_nothing_when_run_as_scripts(path: Path):
    """Streamlit may run a file in pages/ directly by its URL, skipping the frame."""
    at = AppTest.from_file(str(path), default_timeout=TIMEOUT).run()
    assert not at.exception
    assert len(at.main.children) == 0
    assert len(at.sidebar.children) == 0
