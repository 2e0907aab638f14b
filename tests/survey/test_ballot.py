"""The ballot page through Starlette's TestClient, as a member's phone uses it."""

import re
from datetime import date

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from services.ballot import ballot_form, casting, paper_ballots, voter_links, voting
from survey import routes
from tests.factories import BRANCH, BRANCH_MEMBERS, ORG, PROBATIONARY, make_voting_branch

pytestmark = pytest.mark.usefixtures("database")


@pytest.fixture
def client():
    return TestClient(Starlette(routes=routes), base_url="http://testserver")


def _csrf(page: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def _ids(token: str) -> dict[str, int]:
    return {name: m for m, name in casting.open_ballot(token).rated}


def _post(client, token, choices: dict[str, str], action="review", **extra):
    page = client.get(f"/v/{token}").text
    ids = _ids(token)
    data = {"csrf": _csrf(page), "action": action, **extra}
    data.update({f"m{ids[name]}": grade for name, grade in choices.items()})
    return client.post(f"/v/{token}", data=data)


def _checked(page: str) -> dict[str, str]:
    return dict(re.findall(r'name="(m\d+)" value="(\w+)" checked', page))


def test_ballot_lists_every_full_member_in_roster_order_with_no_default(client):
    _, _, links = make_voting_branch()
    response = client.get(f"/v/{links[0].token}")
    assert response.status_code == 200
    page = response.text
    assert f"{date.today().year}年度基层党组织组织生活会和民主评议党员" in page
    assert "第一党支部 · 党员民主测评表" in page
    assert "“优秀”名额：参评正式党员 7 人的三分之一，向下取整为 2 人。" in page
    names = re.findall(r"<legend><b>\d+</b> (\S+)</legend>", page)
    assert names == BRANCH_MEMBERS
    assert PROBATIONARY not in page
    assert page.count('type="radio"') == 4 * len(BRANCH_MEMBERS)
    assert " checked" not in page
    assert response.headers["referrer-policy"] == "same-origin"
    assert response.headers["cache-control"] == "no-store"


def test_every_ballot_of_the_branch_shows_the_same_list(client):
    _, _, links = make_voting_branch()
    pages = [client.get(f"/v/{link.token}").text for link in links]
    lists = {tuple(re.findall(r"<legend><b>\d+</b> (\S+)</legend>", p)) for p in pages}
    assert lists == {tuple(BRANCH_MEMBERS)}


def test_missing_rows_are_marked_and_choices_kept(client):
    _, _, links = make_voting_branch()
    token = links[0].token
    response = _post(client, token, {"王芳": "excellent", "李明": "unqualified"})
    assert response.status_code == 422
    page = response.text
    assert "请修改以下 5 处" in page
    for name in BRANCH_MEMBERS[2:]:
        assert f"请为{name}选择一项" in page
    ids = _ids(token)
    assert _checked(page) == {f"m{ids['王芳']}": "excellent", f"m{ids['李明']}": "unqualified"}
    assert page.count('class="row bad"') == 5


def test_too_many_excellent_gives_the_numbers(client):
    _, _, links = make_voting_branch(full=7)  # cap: floor(7 / 3) = 2
    response = _post(
        client, links[0].token, {n: "excellent" if i < 3 else "qualified" for i, n in enumerate(BRANCH_MEMBERS)}
    )
    assert response.status_code == 422
    assert "评为优秀的不超过 2 人（参评正式党员 7 人的三分之一），您选了 3 人" in response.text
    assert len(_checked(response.text)) == 7


def test_over_the_cap_the_counter_says_only_that_without_javascript(client):
    _, _, links = make_voting_branch(full=7)  # cap 2
    over = _post(
        client, links[0].token, {n: "excellent" if i < 3 else "qualified" for i, n in enumerate(BRANCH_MEMBERS)}
    )
    live = re.search(r'<p id="live"([^>]*)>([^<]*)</p>', over.text)
    assert 'class="over"' in live.group(1)
    assert live.group(2) == "“优秀”已选 3 人，超过最多 2 人：请把 1 人改为其他等次"
    assert "已全部选择" not in over.text
    within = _post(client, links[1].token, {"王芳": "excellent"})  # within the cap: the plain rule, not in red
    live = re.search(r'<p id="live"([^>]*)>([^<]*)</p>', within.text)
    assert "over" not in live.group(1) and live.group(2) == "评为“优秀”的最多 2 人"


def test_optional_parts_are_required_when_switched_on_and_opinions_bounded(client):
    _, _, links = make_voting_branch(rate_branch_committee=True, collect_opinions=True)
    everyone = {n: "qualified" for n in BRANCH_MEMBERS}
    response = _post(client, links[0].token, everyone, opinion="很" * 501, branch_committee="satisfied")
    page = response.text
    assert response.status_code == 422
    assert "请对支部书记述职作出评价" in page
    assert "意见建议不超过 500 字，现有 501 字" in page
    assert 'name="branch_committee" value="satisfied" checked' in page
    assert "很" * 501 in page  # the text is given back, not lost


def test_an_opinion_with_a_nul_character_is_refused_plainly_and_the_link_stays_unused(client):
    _, _, links = make_voting_branch(collect_opinions=True)
    everyone = {n: "qualified" for n in BRANCH_MEMBERS}
    response = _post(client, links[0].token, everyone, action="submit", opinion="好\x00意见")
    assert response.status_code == 422
    assert "意见建议中有无法显示的控制字符（如 NUL），请删去后再提交" in response.text
    assert len(_checked(response.text)) == len(BRANCH_MEMBERS)  # every choice kept
    assert casting.open_ballot(links[0].token).state == "open"
    done = _post(client, links[0].token, everyone, action="submit", opinion="好意见\n第二行")
    assert done.status_code == 200  # line breaks are fine


def test_review_shows_a_summary_then_submit_gives_a_receipt_once(client):
    cid, path, links = make_voting_branch()
    token = links[0].token
    choices = {n: "excellent" if n == "王芳" else "qualified" for n in BRANCH_MEMBERS}
    review = _post(client, token, choices)
    assert review.status_code == 200
    assert "请核对您的测评" in review.text
    assert "优秀 1 人，合格 6 人，基本合格 0 人，不合格 0 人" in review.text
    edit = _post(client, token, choices, action="edit")
    assert len(_checked(edit.text)) == 7  # back to the form with everything kept
    done = _post(client, token, choices, action="submit")
    assert done.status_code == 200
    receipt = re.search(r'id="receipt">([A-Z0-9]{4}-[A-Z0-9]{4})<', done.text).group(1)
    again = client.get(f"/v/{token}")
    assert "已经提交" in again.text
    assert receipt not in again.text and 'type="radio"' not in again.text
    assert voting.state(actor=ORG, campaign_id=cid, branch_path=path).voted_online == 1


def test_a_second_submission_of_the_same_link_is_refused_kindly(client):
    _, _, links = make_voting_branch()
    token = links[0].token
    everyone = {n: "qualified" for n in BRANCH_MEMBERS}
    page = client.get(f"/v/{token}").text
    ids = _ids(token)
    data = {"csrf": _csrf(page), "action": "submit", **{f"m{ids[n]}": g for n, g in everyone.items()}}
    assert client.post(f"/v/{token}", data=data).status_code == 200
    second = client.post(f"/v/{token}", data=data)
    assert second.status_code == 409
    assert "已经提交，不能重复提交" in second.text


def test_after_closing_a_used_link_says_it_voted_and_lists_the_receipts_an_unused_one_does_not(client):
    cid, path, links = make_voting_branch()
    receipts = [
        re.search(
            r'id="receipt">([^<]+)<',
            _post(client, link.token, dict.fromkeys(BRANCH_MEMBERS, "qualified"), action="submit").text,
        ).group(1)
        for link in links[:3]
    ]
    paper_ballots.mark_paper(actor=ORG, campaign_id=cid, branch_path=path, member_ids=[links[4].member_id])
    voting.close_voting(actor=ORG, campaign_id=cid, branch_path=path)
    on_paper = client.get(f"/v/{links[4].token}").text
    assert "本支部的测评已经结束" in on_paper and "纸质测评表上填写" not in on_paper  # not told to fill in now
    page = client.get(f"/v/{links[0].token}").text
    assert "已提交" in page and "这个链接的测评票已经提交" in page  # its ballot counted, even without its receipt
    assert sorted(re.findall(r"<li>([A-Z0-9]{4}-[A-Z0-9]{4})</li>", page)) == sorted(receipts)
    assert "请核对您的回执码在其中" in page
    unused = client.get(f"/v/{links[5].token}").text
    assert "本支部的测评已经结束" in unused and 'type="radio"' not in unused
    assert "已经提交" not in unused and "回执码" not in unused and "<li>" not in unused  # it never voted


@pytest.mark.parametrize("token", ["nonsense", "a" * 26, ""])
def test_unknown_links_say_only_that_they_are_invalid(client, token):
    make_voting_branch()
    response = client.get(f"/v/{token}" if token else "/v/x")
    assert response.status_code == 404
    assert "链接无效" in response.text
    for name in BRANCH_MEMBERS:
        assert name not in response.text


def test_a_reissued_link_stops_the_old_one(client):
    cid, path, links = make_voting_branch()
    old = links[0]
    new = voter_links.reissue_link(
        actor=ORG, campaign_id=cid, branch_path=path, member_id=old.member_id, base_url="http://test"
    )
    assert client.get(f"/v/{old.token}").status_code == 404
    assert client.get(f"/v/{new.token}").status_code == 200


def test_a_post_without_the_form_secret_or_from_elsewhere_is_refused(client):
    cid, path, links = make_voting_branch()
    token = links[0].token
    ids = _ids(token)
    everyone = {f"m{ids[n]}": "qualified" for n in BRANCH_MEMBERS}
    no_secret = client.post(f"/v/{token}", data={"action": "submit", **everyone})
    assert no_secret.status_code == 403
    other_tokens_secret = _csrf(client.get(f"/v/{links[1].token}").text)
    forged = client.post(f"/v/{token}", data={"action": "submit", "csrf": other_tokens_secret, **everyone})
    assert forged.status_code == 403
    secret = _csrf(client.get(f"/v/{token}").text)
    cross = client.post(
        f"/v/{token}",
        data={"action": "submit", "csrf": secret, **everyone},
        headers={"Origin": "https://evil.example"},
    )
    assert cross.status_code == 403
    assert voting.state(actor=ORG, campaign_id=cid, branch_path=path).voted_online == 0
    same = client.post(
        f"/v/{token}", data={"action": "submit", "csrf": secret, **everyone}, headers={"Origin": "http://testserver"}
    )
    assert same.status_code == 200


def test_an_unnamed_code_is_short_and_can_be_typed_loosely(client):
    _, _, links = make_voting_branch(mode="unnamed")
    assert [link.label for link in links[:2]] == ["第 1 号", "第 2 号"]
    code = links[0].code
    assert len(links[0].token) == 10 and code == f"{links[0].token[:5]}-{links[0].token[5:]}"
    # Upper case, full-width letters from a Chinese keyboard, spaces instead of the dash: all the same code.
    typed = code.upper().replace("-", " ").translate({ord(c): ord(c) + 0xFEE0 for c in "ABCDEFGHJKMNPQRSTVWXYZ"})
    response = client.post("/v", data={"code": typed}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/v/{links[0].token}"
    assert client.get(response.headers["location"]).status_code == 200


def test_a_mistyped_code_goes_back_to_the_box_with_what_was_typed(client):
    _, _, links = make_voting_branch(mode="unnamed")
    wrong = links[0].code[:-1] + ("x" if links[0].code[-1] != "x" else "y")
    response = client.post("/v", data={"code": wrong})
    assert response.status_code == 400
    assert "没有这个投票码，或它已经作废" in response.text
    assert f'value="{wrong}"' in response.text
    short = client.post("/v", data={"code": "abc"})
    assert short.status_code == 400 and "应为 10 位字母和数字，您输入了 3 位" in short.text


def test_guessing_codes_is_stopped_after_a_generous_number_of_wrong_ones(client, monkeypatch):
    from services.ballot import code_entry

    code_entry.forget()
    monkeypatch.setattr(code_entry, "WRONG_LIMIT", 5)
    _, _, links = make_voting_branch(mode="unnamed")
    for n in range(5):
        assert client.post("/v", data={"code": f"{n}" * 10}).status_code == 400
    blocked = client.post("/v", data={"code": links[0].code})  # even a right one, for a while
    assert blocked.status_code == 429 and "输错投票码的次数太多" in blocked.text
    code_entry.forget()
    assert client.post("/v", data={"code": links[0].code}, follow_redirects=False).status_code == 303


def test_a_paper_voters_link_points_to_the_paper_form(client):
    cid, path, links = make_voting_branch()
    paper_ballots.mark_paper(actor=ORG, campaign_id=cid, branch_path=path, member_ids=[links[0].member_id])
    page = client.get(f"/v/{links[0].token}").text
    assert "纸质测评表" in page and 'type="radio"' not in page


def test_after_the_deadline_the_ballot_is_closed(client):
    from datetime import date

    from sqlmodel import select

    from models import Campaign
    from services.platform.db import session_scope

    cid, _, links = make_voting_branch()
    with session_scope() as session:
        session.exec(select(Campaign).where(Campaign.id == cid)).one().deadline = date(2020, 1, 1)
    page = client.get(f"/v/{links[0].token}").text
    assert "已经结束" in page and 'type="radio"' not in page
    with pytest.raises(ballot_form.BallotRefused, match="已经结束"):
        casting.cast_ballot(links[0].token, ballot_form.FilledBallot(choices={}))
    _ = BRANCH


def test_the_campaign_can_word_its_own_instructions(client):
    _, _, links = make_voting_branch(instructions="请认真填写，每人一项。")
    page = client.get(f"/v/{links[0].token}").text
    assert "请认真填写，每人一项。" in page
    assert "评为“优秀”的一般不超过" not in page


@pytest.mark.parametrize(("mode", "held"), [("named", "链接"), ("unnamed", "投票码")])
def test_a_used_link_or_code_is_called_what_the_member_holds(client, mode, held):
    _, _, links = make_voting_branch(mode=mode)
    _post(client, links[0].token, dict.fromkeys(BRANCH_MEMBERS, "qualified"), action="submit")
    again = client.get(f"/v/{links[0].token}").text
    assert f"这个{held}的测评票已经提交" in again
    other = "投票码" if held == "链接" else "链接"
    assert f"这个{other}的测评票" not in again


def test_a_named_link_leads_from_the_ballot_to_the_members_own_page_for_the_self_review(client):
    """A member who holds only the named link (the branch voting at the meeting) finds his 党性分析 from it."""
    _, _, links = make_voting_branch()
    page = client.get(f"/v/{links[0].token}").text
    assert f'<a href="/p/{links[0].token}">本人页面</a>：组织生活会前在那里填写党性分析' in page
    personal = client.get(f"/p/{links[0].token}").text
    assert f'href="/s/{links[0].token}"' in personal and links[0].label in personal
    _, _, codes = make_voting_branch(mode="unnamed", year=date.today().year - 1)  # a code is nobody's: no page
    assert "/p/" not in client.get(f"/v/{codes[0].token}").text
