"""A meeting photo whose file name is markdown, on 组织生活会记录 in a real headless Chromium: the name is shown as
typed, with no link and no image made of it, and the browser asks nothing of the addresses it names."""

import io

import pytest
from PIL import Image

from services.meeting import attachments
from services.platform import db
from tests.e2e.browser import chromium, log_in, settle
from tests.e2e.dashboard_ui import open_page
from tests.e2e.server import running_app
from tests.factories import ORG, make_account, make_voting_branch

pytestmark = [pytest.mark.e2e, pytest.mark.one_database]
NAME = "[点我](http://evil.example) ![t](http://127.0.0.1:8799/track.png) **粗** www.evil.example.png"


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def test_a_markdown_file_name_is_shown_as_typed_and_fetches_nothing(empty_database_url):
    db.upgrade(url=empty_database_url)
    cid, path, _ = make_voting_branch()
    attachments.add_attachment(actor=ORG, campaign_id=cid, branch_path=path, kind="photo", filename=NAME,
                               data=_photo())  # fmt: skip
    make_account("general_branch_secretary", path.split("/")[0], username="zzb001")
    db.dispose_all()
    with running_app(empty_database_url) as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(30_000)
        asked: list[str] = []
        page.on("request", lambda request: asked.append(request.url))
        log_in(page, base, "zzb001", "secret12345")
        page.get_by_role("heading", name="民主评议党员", exact=True).wait_for()
        settle(page)
        open_page(page, "组织生活会记录")
        caption = page.get_by_test_id("stImageCaption").first
        caption.wait_for()
        anchors = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
        images = page.eval_on_selector_all("img[src]", "els => els.map(e => e.getAttribute('src'))")
        assert not [a for a in anchors if "evil" in a], anchors
        assert not [i for i in images if "8799" in i], images
        assert not [u for u in asked if "evil.example" in u or "127.0.0.1:8799" in u], asked
        assert caption.locator("a, img, strong").count() == 0
        assert caption.inner_text().replace("\u2060", "") == f"会议照片：{NAME}"  # as typed; the joiner is invisible
