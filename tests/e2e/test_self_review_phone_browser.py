"""A member writes their 党性分析 on a 360 px phone with JavaScript off, in a real headless Chromium: from the
personal page's link to the form, typed, a photo of the handwritten page chosen, sent, and shown back; the
branch's list then has them as submitted by themselves."""

import pytest
from PIL import Image
from playwright.sync_api import expect

from services.meeting import self_review_list
from services.platform import db
from tests.e2e.browser import chromium
from tests.e2e.server import running_app
from tests.factories import ORG, make_voting_branch

pytestmark = [pytest.mark.e2e, pytest.mark.one_database]
PHONE = {"width": 360, "height": 740}
TYPED = "对照合格党员标准，我在理论学习上还不够系统。\n今后每月读一本理论书籍。"


def test_a_member_submits_a_self_review_from_a_phone_without_javascript(empty_database_url, tmp_path):
    db.upgrade(url=empty_database_url)
    cid, path, links = make_voting_branch(full=3)
    photo = tmp_path / "手写稿.jpg"
    Image.new("RGB", (600, 800), (250, 250, 240)).save(photo, "JPEG")
    db.dispose_all()
    with running_app(empty_database_url) as base, chromium() as browser:
        context = browser.new_context(viewport=PHONE, java_script_enabled=False, is_mobile=True, has_touch=True)
        page = context.new_page()
        page.goto(f"{base}/p/{links[0].token}")
        page.get_by_role("link", name="填写党性分析（个人自评）").tap()
        expect(page.get_by_role("heading", name="党性分析（个人自评）")).to_be_visible()
        page.get_by_label("党性分析").fill(TYPED)
        page.get_by_label("手写稿照片（可不传）").set_input_files(str(photo))
        page.get_by_role("button", name="提交党性分析").tap()
        expect(page.get_by_role("status")).to_contain_text("已提交")
        expect(page.get_by_label("党性分析")).to_have_value(TYPED)
        expect(page.get_by_role("img", name="已上传的手写稿照片")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    listed = self_review_list.self_review_list(actor=ORG, campaign_id=cid, branch_path=path)
    assert [(s.name, s.how, s.has_text, s.has_image) for s in listed.submitted] == [("王芳", "本人", True, True)]
    assert [t.text for t in self_review_list.review_texts(actor=ORG, campaign_id=cid, branch_path=path)] == [TYPED]
