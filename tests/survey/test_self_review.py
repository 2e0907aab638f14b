"""/s/<token>, a member's 党性分析 through Starlette's TestClient: a plain multipart form (text, an optional
photo), signed like the other forms, bounded before it is parsed, read-only once the meeting is held."""

import io
import re
from datetime import timedelta

import pytest
from PIL import Image
from starlette.applications import Starlette
from starlette.testclient import TestClient

from services.meeting import self_review_list, self_reviews
from services.meeting.meeting_record import MeetingFields, save_meeting
from survey import routes, self_review_routes
from tests.factories import ORG, make_voting_branch

pytestmark = pytest.mark.usefixtures("database")
TYPED = "<script>alert(1)</script> [点我](http://evil.example)\r\n第二行"


@pytest.fixture
def client():
    return TestClient(Starlette(routes=routes), base_url="http://testserver")


def _csrf(page: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (30, 40), (10, 120, 30)).save(out, "PNG")
    return out.getvalue()


def _post(client, address, text, *, csrf=None, files=None, drop=False):
    csrf = csrf or _csrf(client.get(address).text)
    data = {"csrf": csrf, "text": text} | ({"drop_image": "1"} if drop else {})
    return client.post(address, data=data, files=files or {"image": ("", b"", "application/octet-stream")})


def test_a_member_writes_from_the_personal_page_and_saving_again_replaces(client):
    cid, path, links = make_voting_branch(full=3)
    address = f"/s/{links[0].token}"
    personal = client.get(f"/p/{links[0].token}")
    assert f'href="{address}"' in personal.text and "填写党性分析" in personal.text
    blank = client.get(address)
    assert blank.status_code == 200 and 'enctype="multipart/form-data"' in blank.text and "王芳" in blank.text
    saved = _post(client, address, TYPED)
    assert saved.status_code == 200 and "已提交" in saved.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in saved.text and "<script>alert" not in saved.text
    assert self_reviews.own_review(links[0].token).text == TYPED.replace("\r\n", "\n")
    photo = _post(client, address, "改写后", files={"image": ("手写稿.png", _png(), "image/png")})
    assert photo.status_code == 200 and 'src="data:image/png;base64,' in photo.text and "删除这张照片" in photo.text
    assert self_reviews.own_review(links[0].token).text == "改写后"
    too_long = _post(client, address, "党" * 3001)
    assert too_long.status_code == 422 and "过长（3001 字，最多 3000 字）" in too_long.text
    assert too_long.text.count("党" * 3001) == 1  # what was typed comes back to the box
    not_photo = _post(client, address, "x", files={"image": ("a.pdf", b"%PDF-1.4", "application/pdf")})
    assert not_photo.status_code == 422 and "不是可以识别的照片" in not_photo.text
    [row] = self_review_list.self_review_list(actor=ORG, campaign_id=cid, branch_path=path).submitted
    assert (row.name, row.how, row.has_image) == ("王芳", "本人", True)


def test_forged_oversized_and_unknown_requests_are_refused(client, monkeypatch):
    _cid, _path, links = make_voting_branch(full=3)
    address = f"/s/{links[1].token}"
    forged = TestClient(Starlette(routes=routes)).post(address, data={"csrf": "x", "text": "伪造"})
    assert forged.status_code == 403 and "页面已过期" in forged.text
    other = _csrf(client.get(f"/s/{links[2].token}").text)  # another member's form secret
    assert _post(client, address, "借用", csrf=other).status_code == 403
    monkeypatch.setattr(self_review_routes, "MAX_BODY", 2048)
    big = _post(client, address, "x", files={"image": ("big.png", b"\x89PNG" + b"0" * 4096, "image/png")})
    assert big.status_code == 413 and "照片太大" in big.text
    assert self_reviews.own_review(links[1].token).updated_at is None
    garbled = client.post(address, content=b"garbage", headers={"content-type": "multipart/form-data; boundary=zz"})
    assert garbled.status_code == 400 and "提交的内容无法识别" in garbled.text
    assert client.get("/s/" + "0" * 26).status_code == 404


def test_the_form_becomes_read_only_once_the_meeting_is_held(client):
    cid, path, links = make_voting_branch(full=3)
    address = f"/s/{links[0].token}"
    _post(client, address, "会前写好")
    csrf = _csrf(client.get(address).text)
    held = MeetingFields(self_reviews.today() - timedelta(days=1), "会议室", "王芳")
    save_meeting(actor=ORG, campaign_id=cid, branch_path=path, fields=held, absences={})
    shown = client.get(address)
    assert "组织生活会已召开，不能再修改" in shown.text and "<form" not in shown.text and "会前写好" in shown.text
    late = _post(client, address, "会后改写", csrf=csrf)
    assert late.status_code == 422 and "组织生活会已召开，不能再修改" in late.text
    assert self_reviews.own_review(links[0].token).text == "会前写好"
