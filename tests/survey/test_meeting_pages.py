"""The meeting's public pages through Starlette's TestClient: opinions, commitments, publicity."""

import re
from datetime import timedelta

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from services.meeting import branch_links, publicity, rectification
from services.meeting.rectification import Rectification
from services.platform.clock import local, now
from survey import routes
from tests.factories import ORG, make_voting_branch

pytestmark = pytest.mark.usefixtures("database")
TODAY = local(now()).date()  # the unit's day, as the services count it
TYPED = '<script>alert(1)</script> [点我](http://evil.example) =HYPERLINK("http://x")'


@pytest.fixture
def client():
    return TestClient(Starlette(routes=routes), base_url="http://testserver")


def _csrf(page: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def _path(cid, path, purpose) -> str:
    url = branch_links.public_link(actor=ORG, campaign_id=cid, branch_path=path, purpose=purpose, base_url="http://t")
    return url.removeprefix("http://t")


def test_anyone_leaves_an_opinion_and_one_browser_is_held_to_three(client):
    cid, path, _ = make_voting_branch(full=7)
    address = _path(cid, path, "opinions")
    page = client.get(address)
    assert page.status_code == 200 and "第一党支部征求意见" in page.text and "无需登录" in page.text
    for n in range(3):
        sent = client.post(address, data={"csrf": _csrf(client.get(address).text), "text": f"意见 {n}"})
        assert sent.status_code == 200 and "已收到您的意见" in sent.text
    fourth = client.post(address, data={"csrf": _csrf(client.get(address).text), "text": "第四条"})
    assert fourth.status_code == 422 and "最多可提 3 条" in fourth.text and "第四条" in fourth.text  # kept
    forged = TestClient(Starlette(routes=routes)).post(address, data={"csrf": "x", "text": "伪造"})
    assert forged.status_code == 403
    assert client.get("/o/" + "0" * 26).status_code == 404


def test_a_member_writes_a_commitment_shown_as_plain_text_and_locked_by_publicity(client):
    cid, path, links = make_voting_branch(full=7)
    address = f"/c/{links[0].token}"
    form = client.get(address)
    assert form.status_code == 200 and "王芳" in form.text
    saved = client.post(address, data={"csrf": _csrf(form.text), "text": TYPED})
    assert saved.status_code == 200 and "已保存" in saved.text
    assert "<script>alert(1)</script>" not in saved.text and "&lt;script&gt;" in saved.text
    item = Rectification("学习不系统", "每月集中学习", "王芳", TODAY + timedelta(days=30))
    rectification.save_rectifications(actor=ORG, campaign_id=cid, branch_path=path, items=[item])
    publicity.publish(actor=ORG, campaign_id=cid, branch_path=path, starts_on=TODAY, ends_on=TODAY + timedelta(days=6))
    locked = client.post(address, data={"csrf": _csrf(form.text), "text": "改"})
    assert locked.status_code == 422 and "不能再修改" in locked.text
    shown = client.get(_path(cid, path, "publicity")).text
    assert "学习不系统" in shown and "王芳：" in shown
    assert "<script>" not in shown and "&lt;script&gt;" in shown and '<a href="http://evil' not in shown
    assert not re.search(r"1[3-9]\d{9}", shown)  # no phone numbers
    assert not any(word in shown for word in ("优秀", "基本合格", "不合格", "测评票"))


def test_an_unnamed_code_cannot_open_a_commitment_page(client):
    _, _, codes = make_voting_branch(full=7, mode="unnamed")
    assert client.get(f"/c/{codes[0].token}").status_code == 404


def test_the_publicity_page_before_and_after_its_period(client, monkeypatch):
    cid, path, _ = make_voting_branch(full=7)
    address = _path(cid, path, "publicity")
    assert "尚未发布公示" in client.get(address).text
    item = Rectification("学习不系统", "每月集中学习", "王芳", TODAY + timedelta(days=30))
    rectification.save_rectifications(actor=ORG, campaign_id=cid, branch_path=path, items=[item])
    start = TODAY + timedelta(days=2)
    publicity.publish(actor=ORG, campaign_id=cid, branch_path=path, starts_on=start, ends_on=start + timedelta(days=4))
    before = client.get(address).text
    assert f"公示将于 {start} 开始" in before and "学习不系统" not in before
    monkeypatch.setattr(publicity, "now", lambda: now() + timedelta(days=9))  # its last day has passed
    after = client.get(address).text
    assert "公示已于" in after and "学习不系统" not in after
