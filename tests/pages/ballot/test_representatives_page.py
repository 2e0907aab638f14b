"""The 群众评议 screen through AppTest: the organizer turns it on, a secretary opens it with codes, closes it,
and sees the representatives' table apart from the members' results."""

import pytest

from services.ballot import casting, representatives, voting
from tests.factories import BRANCH, ORG, all_qualified, make_account, make_voting_branch
from tests.pages.helpers import page

pytestmark = pytest.mark.usefixtures("database")


def test_the_organizer_turns_it_on_for_the_campaign():
    cid, _, _ = make_voting_branch(full=3)
    at = page("ballot.representatives", ORG).run()
    assert "本次评议活动没有设置群众评议" in at.info[0].value
    at.toggle(key="masses_enabled").set_value(True).run()
    assert not at.exception and not at.error
    assert representatives.state(actor=ORG, campaign_id=cid, branch_path=BRANCH).enabled
    assert {m.label: m.value for m in at.metric}["状态"] == "未开启"


def test_a_secretary_opens_it_hands_out_codes_closes_it_and_reads_the_table_apart(monkeypatch):
    monkeypatch.setenv("BASE_URL", "http://192.168.1.10:8501")
    cid, _, _ = make_voting_branch(full=3)
    representatives.set_enabled(actor=ORG, campaign_id=cid, enabled=True)
    secretary = make_account("branch_secretary", BRANCH, username="zb")
    at = page("ballot.representatives", secretary).run()
    assert not at.toggle  # the setting is the organizer's
    at.number_input(key="masses_n").set_value(3).run()
    at.button(key="masses_open").click().run()
    assert not at.exception and not at.error
    assert "已生成 3 个群众代表投票码" in at.success[0].value
    assert [d.label for d in at.download_button] == ["打印群众代表投票码（含二维码，.html）"]
    codes = representatives.unused_codes(actor=ORG, campaign_id=cid, branch_path=BRANCH, base_url="http://t")
    names = [name for _, name in casting.open_ballot(codes[0].token).rated]
    casting.cast_ballot(codes[0].token, all_qualified(codes[0].token, **{names[0]: "excellent"}))
    at.run()
    assert {m.label: m.value for m in at.metric}["已收群众评议票"] == "1"
    at.checkbox(key="masses_confirm_close").check().run()
    at.button(key="masses_close").click().run()
    assert not at.exception and not at.error
    assert at.subheader[0].value == "群众评议（仅供参考，不计入格次建议）"
    table = at.dataframe[0].value
    assert list(table.columns) == ["姓名", "优秀", "合格", "基本合格", "不合格"]
    assert table.iloc[0].tolist() == [names[0], 1, 0, 0, 0]


def test_results_show_the_representatives_table_below_the_members_and_apart_from_them():
    cid, path, links = make_voting_branch(full=3)
    representatives.set_enabled(actor=ORG, campaign_id=cid, enabled=True)
    codes = representatives.open_masses(actor=ORG, campaign_id=cid, branch_path=path, codes=2, base_url="")
    for code in codes:
        casting.cast_ballot(code.token, all_qualified(code.token))
    representatives.close_masses(actor=ORG, campaign_id=cid, branch_path=path)
    casting.cast_ballot(links[0].token, all_qualified(links[0].token))
    voting.close_voting(actor=ORG, campaign_id=cid, branch_path=path)
    at = page("grading.results", make_account("branch_secretary", BRANCH, username="zb")).run()
    assert not at.exception
    titles = [s.value for s in at.subheader]
    assert "群众评议（仅供参考，不计入格次建议）" in titles
    masses = at.dataframe[
        [d.value.columns.tolist() for d in at.dataframe].index(["姓名", "优秀", "合格", "基本合格", "不合格"])
    ]
    assert masses.value["合格"].tolist() == [2, 2, 2]
    assert "收回群众代表评议票 2 张" in " ".join(c.value for c in at.caption)
