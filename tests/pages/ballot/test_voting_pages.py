"""The secretary's voting and paper-ballot screens through AppTest."""

from datetime import date

import pytest

from services.ballot import casting, counting, paper_ballots, voting
from tests.factories import BRANCH, BRANCH_MEMBERS, ORG, all_qualified, make_account, make_voting_branch
from tests.pages.helpers import page

pytestmark = pytest.mark.usefixtures("database")


@pytest.fixture
def secretary():
    cid, _path, links = make_voting_branch()
    return cid, links, make_account("branch_secretary", BRANCH, username="zb")


def test_a_general_branch_secretary_sees_the_state_but_cannot_close(secretary):
    cid, _links, _ = secretary
    general = make_account("general_branch_secretary", "机关党总支", username="zzb")
    at = page("ballot.voting", general).run()
    assert {m.label: m.value for m in at.metric}["状态"] == "进行中"
    at.checkbox(key="confirm_close").check().run()
    at.button(key="close_voting").click().run()
    assert at.error[0].value.startswith("没有权限：测评由支部书记")
    assert voting.state(actor=ORG, campaign_id=cid, branch_path=BRANCH).status == "open"


def _branch_not_yet_voting():
    from datetime import date, timedelta

    from services.ballot import campaign_status
    from services.campaign import roster
    from tests.factories import csv_bytes, make_campaign

    cid = make_campaign(year=date.today().year, deadline=date.today() + timedelta(days=10))
    rows = [["姓名", "党总支", "党支部", "党员类别"], ["甲", "机关党总支", "第一党支部", "正式党员"]]
    rows += [["乙", "机关党总支", "第一党支部", "正式党员"], ["丙", "机关党总支", "第一党支部", "预备党员"]]
    roster.import_roster_file(actor=ORG, campaign_id=cid, filename="r.csv", data=csv_bytes(rows))
    campaign_status.set_status(actor=ORG, campaign_id=cid, status="open")
    return cid, make_account("branch_secretary", BRANCH, username="zb")


def test_a_secretary_opens_voting_and_can_download_the_links_again_and_again(monkeypatch):
    monkeypatch.setenv("BASE_URL", "http://192.168.1.10:8501")
    cid, secretary = _branch_not_yet_voting()
    at = page("ballot.voting", secretary).run()
    assert {m.label: m.value for m in at.metric}["状态"] == "未开启"
    at.button(key="open_voting").click().run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["状态"] == "进行中"
    assert "测评链接地址：`http://192.168.1.10:8501`（按管理员的设置）" in at.markdown[0].value
    assert "http://192.168.1.10:8501/v" in at.markdown[0].value  # a link to try on a phone
    assert not at.error
    labels = [d.label for d in at.download_button]
    assert labels == ["链接表（.xlsx）", "打印测评票（含二维码，.html）", "空白纸质测评表（.xlsx，A4）"]
    assert "未使用的 3 条链接随时可以再次下载" in at.caption[-1].value
    at.run()  # leaving and coming back: still there, nothing voided
    assert [d.label for d in at.download_button][:2] == labels[:2]
    assert voting.state(actor=ORG, campaign_id=cid, branch_path=BRANCH).links_valid == 3


def test_a_loopback_link_address_is_warned_about_loudly(monkeypatch):
    monkeypatch.setenv("BASE_URL", "http://localhost:8501")
    _, secretary = _branch_not_yet_voting()
    at = page("ballot.voting", secretary).run()
    at.button(key="open_voting").click().run()
    assert "是本机地址，党员的手机打不开" in at.error[0].value


def test_without_any_known_address_no_links_are_made_and_the_page_says_why(monkeypatch):
    monkeypatch.delenv("BASE_URL", raising=False)
    cid, secretary = _branch_not_yet_voting()
    at = page("ballot.voting", secretary).run()  # AppTest has no browser address
    at.button(key="open_voting").click().run()
    assert "无法确定党员手机能打开的地址：请管理员设置本系统的访问地址" in at.error[0].value
    assert voting.state(actor=ORG, campaign_id=cid, branch_path=BRANCH).links_valid == 0


def test_closing_shows_the_results_and_no_sooner(secretary):
    _cid, links, actor = secretary
    casting.cast_ballot(links[0].token, all_qualified(links[0].token, 王芳="excellent"))
    at = page("ballot.voting", actor).run()
    assert len(at.dataframe) == 0  # no tally while voting is open
    at.checkbox(key="confirm_close").check().run()
    at.button(key="close_voting").click().run()
    assert not at.exception
    assert at.success[0].value == "本支部的测评已结束。"
    assert any("前往“评议结果”" in c.value for c in at.caption)  # the link, or its words where none is registered
    result = page("grading.results", actor).run().dataframe[0].value
    assert list(result["姓名"]) == BRANCH_MEMBERS
    assert list(result["优秀"]) == [1, 0, 0, 0, 0, 0, 0]


def test_paper_voters_are_marked_and_their_ballots_entered(secretary):
    cid, links, actor = secretary
    at = page("ballot.paper_ballots", actor).run()
    at.multiselect(key="paper_members").set_value([links[0].member_id]).run()
    at.button(key="mark_paper").click().run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["纸质票（已录入 / 已登记）"] == "0 / 1"
    form = casting.open_ballot(links[1].token)
    for member_id, _ in form.rated:
        at.radio(key=f"paper_m{member_id}").set_value("qualified")
    at.button(key="FormSubmitter:paper_ballot-录入").click().run()
    assert not at.exception
    assert at.success[0].value == "已录入一张纸质票"
    assert voting.state(actor=ORG, campaign_id=cid, branch_path=BRANCH).paper_entered == 1


def test_an_incomplete_paper_ballot_is_refused_with_the_reason(secretary):
    cid, links, actor = secretary
    paper_ballots.mark_paper(actor=ORG, campaign_id=cid, branch_path=BRANCH, member_ids=[links[0].member_id])
    at = page("ballot.paper_ballots", actor).run()
    at.button(key="FormSubmitter:paper_ballot-录入").click().run()
    assert at.error[0].value == f"请为{BRANCH_MEMBERS[0]}选择一项"
    assert voting.state(actor=ORG, campaign_id=cid, branch_path=BRANCH).paper_entered == 0


def test_a_lost_link_is_reissued_for_one_member(secretary, monkeypatch):
    monkeypatch.setenv("BASE_URL", "http://192.168.1.10:8501")
    _cid, links, actor = secretary
    at = page("ballot.voting", actor).run()
    at.selectbox(key="reissue_member").set_value(links[0].member_id).run()
    at.button(key="reissue_one").click().run()
    assert not at.exception
    message = at.success[0].value
    assert message.startswith(f"{links[0].label}的新链接（原链接已作废）：")
    new_token = message.rsplit("/v/", 1)[1]
    assert casting.open_ballot(new_token).state == "open"
    assert casting.open_ballot(links[0].token).state == "invalid"


def test_a_refused_paper_ballot_keeps_every_choice_and_a_spoilt_one_is_counted_apart(secretary):
    cid, links, actor = secretary
    paper_ballots.mark_paper(
        actor=ORG, campaign_id=cid, branch_path=BRANCH, member_ids=[m.member_id for m in links[:2]]
    )
    form = casting.open_ballot(links[2].token)
    at = page("ballot.paper_ballots", actor).run()
    for member_id, _ in form.rated[:-1]:  # the last row left blank
        at.radio(key=f"paper_m{member_id}").set_value("qualified")
    at.button(key="FormSubmitter:paper_ballot-录入").click().run()
    assert at.error[0].value == f"请为{BRANCH_MEMBERS[-1]}选择一项"
    assert [at.radio(key=f"paper_m{m}").value for m, _ in form.rated] == ["qualified"] * 6 + [None]
    assert at.radio(key=f"paper_m{form.rated[0][0]}").label == f"1\\. {BRANCH_MEMBERS[0]}"  # the printed order

    at.button(key="FormSubmitter:paper_ballot-记为废票").click().run()  # one click alone records nothing
    assert "请先勾选“这张票无效”" in at.error[0].value
    assert voting.state(actor=ORG, campaign_id=cid, branch_path=BRANCH).paper_invalid == 0
    at.checkbox(key="paper_spoilt_sure").check()
    at.button(key="FormSubmitter:paper_ballot-记为废票").click().run()
    assert not at.exception
    assert at.success[0].value == "已记为废票一张（不计入测评结果）"
    assert at.checkbox(key="paper_spoilt_sure").value is False  # not carried over to the next ballot
    assert {m.label: m.value for m in at.metric}["纸质票（已录入 / 已登记）"] == "1 / 2"  # at once
    assert all(at.radio(key=f"paper_m{m}").value is None for m, _ in form.rated)  # ready for the next one
    voting.close_voting(actor=ORG, campaign_id=cid, branch_path=BRANCH)
    result = counting.tally(actor=ORG, campaign_id=cid, branch_path=BRANCH)
    assert (result.online, result.paper, result.invalid) == (0, 0, 1)
    assert all(sum(votes.values()) == 0 for _, _, votes in result.rows)


def test_a_link_with_the_campaign_and_branch_opens_the_page_on_them_and_choices_are_remembered():
    from datetime import date

    from services import demo

    first, _, _ = make_voting_branch(title=f"{date.today().year}年度民主评议党员（试点）")
    second = demo.load_demo(actor=ORG, force=True).campaign_id
    office = "机关党总支/党政办公室党支部"
    at = page("ballot.voting", ORG)
    at.query_params["c"] = str(first)
    at.query_params["b"] = BRANCH
    at.run()
    assert at.selectbox(key="vote_campaign").value == first
    assert at.selectbox(key="vote_branch").value == BRANCH
    at.selectbox(key="vote_campaign").set_value(second).run()
    at.selectbox(key="vote_branch").set_value(office).run()
    assert at.query_params["c"] in ([str(second)], str(second))  # in the address, for a link to this page
    assert at.session_state["chosen_b"] == office  # what the next page of this session opens on


def test_a_name_that_looks_like_markdown_is_shown_as_typed_not_as_a_link_or_image():
    from pages.shared.plain_text import plain
    from services.ballot import campaign_status
    from services.campaign import roster
    from tests.factories import csv_bytes, make_campaign

    cid = make_campaign(title="2026年度民主评议党员", year=2026, deadline=__import__("datetime").date(2099, 1, 1))
    tricky = "[点我](http://evil.example)"
    rows = [["姓名", "党总支", "党支部", "党员类别"], [tricky, "机关党总支", "第一党支部", "正式党员"]]
    rows += [["![x](http://e.cn/a.png)", "机关党总支", "第一党支部", "正式党员"]]
    roster.import_roster_file(actor=ORG, campaign_id=cid, filename="r.csv", data=csv_bytes(rows))
    campaign_status.set_status(actor=ORG, campaign_id=cid, status="open")
    voting.open_voting(actor=ORG, campaign_id=cid, branch_path=BRANCH)
    paper_ballots.mark_paper(actor=ORG, campaign_id=cid, branch_path=BRANCH, member_ids=[1])
    at = page("ballot.paper_ballots", ORG).run()
    labels = [r.label for r in at.radio]
    assert labels[0] == f"1\\. {plain(tricky)}"
    assert all("](http" not in label for label in labels)  # no live link or image syntax left
    assert plain("a_b*c") == "a\\_b\\*c"


def test_closing_says_how_many_have_not_voted_before_it_is_confirmed(secretary):
    _, links, actor = secretary
    for link in links[:3]:
        casting.cast_ballot(link.token, all_qualified(link.token))
    at = page("ballot.voting", actor).run()
    waiting = len(links) - 3
    assert f"还有 {waiting} 人尚未投票（已收回 3 / 应投 {len(links)}）" in at.warning[0].value
    assert "此操作不能撤销" in at.warning[0].value
    assert at.checkbox(key="confirm_close").label == "我已知晓，仍要结束测评"
    assert at.button(key="close_voting").disabled  # not before the box is ticked
    for link in links[3:]:
        casting.cast_ballot(link.token, all_qualified(link.token))
    at = page("ballot.voting", actor).run()
    assert not at.warning and at.checkbox(key="confirm_close").label == f"全部 {len(links)} 人已投票，我确认结束测评"


def test_an_unnamed_branch_is_told_of_codes_and_a_reissue_says_the_old_ones_are_void(monkeypatch):
    from services.ballot import reminders

    monkeypatch.setenv("BASE_URL", "http://192.168.1.10:8501")
    _, path, _ = make_voting_branch(mode="unnamed")
    actor = make_account("branch_secretary", path, username="zb")
    at = page("ballot.voting", actor).run()
    assert any(c.value.startswith("发放方式：无记名投票码") and "未用投票码 8 条" in c.value for c in at.caption)
    assert at.checkbox(key="confirm_reissue").label == "作废全部未用投票码，重新生成"
    assert any("与此前发出的相同" in c.value for c in at.caption)
    at.checkbox(key="confirm_reissue").check().run()
    at.button(key="reissue_all").click().run()
    assert not at.exception
    assert "已重新生成 8 条投票码，此前发出的未用投票码已全部作废" in at.success[0].value
    assert not any("与此前发出的相同" in c.value for c in at.caption)  # not right after a reissue
    text = reminders.chat_reminder_text(branch_name="第一党支部", waiting=3, deadline=date(2027, 3, 20), mode="unnamed")
    assert "投票码" in text and "个人测评链接" not in text


def test_registering_paper_voters_names_them_and_clears_the_choice(secretary):
    cid, links, actor = secretary
    at = page("ballot.paper_ballots", actor).run()
    at.multiselect(key="paper_members").select(links[0].member_id).run()
    at.button(key="mark_paper").click().run()
    assert not at.exception
    assert at.success[0].value == f"已登记 1 人使用纸质票：{links[0].label}。他们的测评链接已失效。"
    assert at.multiselect(key="paper_members").value == []  # not left selected for a second click
    assert voting.state(actor=ORG, campaign_id=cid, branch_path=BRANCH).paper_marked == 1
