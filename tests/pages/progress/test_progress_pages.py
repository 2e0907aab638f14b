"""The progress screens through AppTest, and the chart specs."""

import html
import re

import pytest

from pages.shared import charts
from services import demo
from services.ballot import casting, paper_ballots, voter_links, voting
from services.campaign.org import DIRECT
from services.progress import overview
from services.staff import login_sessions
from tests.factories import ORG, all_qualified, make_account
from tests.pages.helpers import page

pytestmark = pytest.mark.usefixtures("database")
OFFICE = "机关党总支/党政办公室党支部"


@pytest.fixture
def running():
    cid = demo.load_demo(actor=ORG).campaign_id
    voting.open_voting(actor=ORG, campaign_id=cid, branch_path=OFFICE)
    links = voter_links.issue_links(actor=ORG, campaign_id=cid, branch_path=OFFICE, base_url="http://t")
    for link in links[:6]:
        casting.cast_ballot(link.token, all_qualified(link.token))
    return cid, links


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_progress_page_shows_the_figures_and_picks_up_new_ballots_on_refresh(running):
    _, links = running
    at = page("progress.overview", ORG).run()
    assert not at.exception
    assert _metrics(at)["已收 / 应投"] == "6 / 300"
    assert _metrics(at)["总体完成率"] == "2.0%"
    table = at.dataframe[0].value
    assert list(table.loc[table["党支部"] == "党政办公室党支部", "在线"]) == [6]
    assert at.caption[0].value.startswith("更新于 ")
    at.multiselect(key="progress_states").set_value(["open"]).run()
    for link in links[6:12]:
        casting.cast_ballot(link.token, all_qualified(link.token))
    at.run()  # what the fragment's timer does every few seconds
    assert _metrics(at)["已收 / 应投"] == "12 / 300"
    assert list(at.dataframe[0].value["党支部"]) == ["党政办公室党支部"]  # the filter survived the refresh
    assert at.multiselect(key="progress_states").value == ["open"]


def test_a_branch_secretary_sees_their_branch_only(running):
    secretary = make_account("branch_secretary", OFFICE)
    at = page("progress.overview", secretary).run()
    assert not at.exception
    assert list(at.dataframe[0].value["党支部"]) == ["党政办公室党支部"]
    assert _metrics(at)["已收 / 应投"] == "6 / 24"


def copied(at) -> list[str]:
    """The texts offered with a 复制 button, as they would be copied."""
    return [
        html.unescape(m) for h in at.html for m in re.findall(r'<p id="copy-\d+"[^>]*>(.*?)</p>', h.proto.body, re.S)
    ]


def test_reminders_list_who_has_not_voted_with_their_own_links_and_a_group_text(running, monkeypatch):
    monkeypatch.setenv("BASE_URL", "http://192.168.1.10:8501")
    cid, links = running
    paper_ballots.mark_paper(actor=ORG, campaign_id=cid, branch_path=OFFICE, member_ids=[links[6].member_id])
    at = page("ballot.reminders", make_account("branch_secretary", OFFICE)).run()
    assert not at.exception
    texts = copied(at)
    group = texts[0]
    assert group.startswith("各位党员同志：党政办公室党支部党员民主测评还有 18 人尚未完成")
    assert not any(link.label in group for link in links)  # no names in the group
    assert at.markdown[0].value == "尚未投票 17 人；登记为纸质投票 1 人。"
    frame = at.dataframe[0].value
    assert set(frame["姓名"]) == {link.label for link in links[6:]}
    assert list(frame.loc[frame["姓名"] == links[6].label, "状态"]) == ["纸质投票"]
    assert len(texts) == 1 + 17
    personal = texts[1]
    assert personal.startswith(f"{links[7].label}同志：党政办公室党支部党员民主测评正在进行")
    assert f"http://192.168.1.10:8501/v/{links[7].token}" in personal  # the very link handed out
    assert any("测评链接地址：`http://192.168.1.10:8501`" in m.value for m in at.markdown)  # shown where handed out


def test_a_general_branch_secretary_gets_the_reminders_without_anyone_s_link(running, monkeypatch):
    monkeypatch.setenv("BASE_URL", "http://192.168.1.10:8501")
    at = page("ballot.reminders", make_account("general_branch_secretary", "机关党总支")).run()
    at.selectbox(key="remind_branch").set_value(OFFICE).run()
    assert not at.exception
    assert len(copied(at)) == 1 + 18
    assert all("/v/" not in text for text in copied(at))


def test_meeting_screen_shows_the_big_count_and_no_names(running):
    _, links = running
    at = page("ballot.meeting_screen", ORG).run()
    at.sidebar.selectbox(key="screen_branch").set_value(OFFICE).run()
    assert not at.exception
    board = at.markdown[0].value
    assert "已提交 6 / 24" in board
    for link in links:
        assert link.label not in board


def test_completion_chart_spec_encodes_branch_completion_state_and_parent(running):
    cid, _ = running
    rows = overview.campaign_progress(actor=ORG, campaign_id=cid).branches
    spec = charts.completion_chart(rows).to_dict()
    encoding = spec["encoding"]
    assert spec["mark"]["type"] == "bar"
    assert (encoding["x"]["field"], encoding["x"]["type"]) == ("完成率", "quantitative")
    assert encoding["x"]["scale"]["domain"] == [0, 100]
    assert (encoding["y"]["field"], encoding["y"]["type"]) == ("党支部", "nominal")
    assert encoding["color"]["field"] == "状态"
    assert encoding["color"]["scale"]["range"][1] == charts.RED
    assert "row" not in encoding and spec["width"] == "container"  # as wide as the page, a phone's too
    assert encoding["color"]["legend"] is None and charts.COLOUR_KEY == "灰色：未开启　红色：进行中　褐色：已结束"
    [values] = list(spec["datasets"].values())
    labels = [v["党支部"] for v in values]  # roster order, each named with its general branch
    assert labels == [f"{r.name}（{r.parent}）" if r.parent != DIRECT else f"{r.name}（直属党支部）" for r in rows]
    assert not any("（（" in label for label in labels)
    assert {t["field"] for t in encoding["tooltip"]} >= {"党支部", "已收", "应投", "完成率", "状态", "最近一票"}
    assert spec["title"] == "各党支部完成情况"


def test_over_time_chart_spec_is_a_cumulative_line(running):
    cid, _ = running
    spec = charts.over_time_chart(overview.ballots_over_time(actor=ORG, campaign_id=cid)).to_dict()
    assert spec["mark"]["type"] == "line"
    assert (spec["encoding"]["x"]["field"], spec["encoding"]["x"]["type"]) == ("时间", "temporal")
    assert (spec["encoding"]["y"]["field"], spec["encoding"]["y"]["type"]) == ("累计票数", "quantitative")
    [values] = [d for k, d in spec["datasets"].items()]
    assert values[-1]["累计票数"] == 6
    # Clock times as the unit reads them, with no zone for a browser elsewhere to convert into its own.
    latest = overview.ballots_over_time(actor=ORG, campaign_id=cid)[-1][0]
    assert values[-1]["时间"] == latest.strftime("%Y-%m-%dT%H:%M:%S")
    assert spec["encoding"]["y"]["axis"]["tickMinStep"] == 1 and spec["encoding"]["y"]["axis"]["format"] == "d"


def test_progress_page_names_branches_whose_ballots_the_server_cannot_decrypt(running, monkeypatch):
    monkeypatch.setenv("BALLOT_KEY", "another-key-than-the-one-voting-began-with-000")
    at = page("progress.overview", ORG).run()
    assert not at.exception
    assert "以下党支部的测评票无法用本服务器的测评密钥解密：党政办公室党支部" in at.error[0].value
    table = at.dataframe[0].value
    assert list(table.loc[table["党支部"] == "党政办公室党支部", "封存"]) == ["测评密钥不符，票无法解密"]


def test_the_meeting_screen_of_a_code_branch_shows_a_big_qr_of_the_code_entry(monkeypatch):
    from tests.factories import BRANCH, make_voting_branch

    monkeypatch.setenv("BASE_URL", "http://192.168.1.10:8501")
    make_voting_branch(mode="unnamed")
    at = page("ballot.meeting_screen", ORG).run()
    assert not at.exception
    screen = " ".join(m.value for m in at.markdown)
    assert "已提交 0 / 8" in screen
    assert "data:image/svg+xml" in screen and "手机扫码，输入测评票上的投票码" in screen
    assert "http://192.168.1.10:8501/v" in screen
    assert BRANCH.endswith(at.sidebar.selectbox[1].value.rsplit("/", 1)[-1])


def test_the_meeting_screen_of_a_named_branch_shows_no_qr(monkeypatch):
    from tests.factories import make_voting_branch

    monkeypatch.setenv("BASE_URL", "http://192.168.1.10:8501")
    make_voting_branch(mode="named")
    at = page("ballot.meeting_screen", ORG).run()
    assert "data:image/svg+xml" not in " ".join(m.value for m in at.markdown)


@pytest.mark.parametrize("ending", ["logged out elsewhere", "disabled"])
def test_a_live_page_stops_refreshing_once_its_login_has_ended(running, ending):
    import time

    from services.staff import accounts

    organizer = make_account("organizer", username="zb")
    at = page("progress.overview", organizer)
    at.session_state["username"] = "zb"
    at.session_state["logged_in_at"] = time.time() - 5
    at.session_state["authentication_status"] = True
    at.run()
    assert _metrics(at)["已收 / 应投"] == "6 / 300"
    if ending == "disabled":
        accounts.set_active(actor=ORG, account_id=organizer.account_id, active=False)
    else:
        login_sessions.log_out(actor=organizer)
    at.run()  # what the fragment's timer does
    assert not at.exception
    assert at.session_state["authentication_status"] is None and at.session_state["logout"] is True
