"""问题清单 on a 390×844 phone, in headless Chromium: the one-item form's fields are stacked one under another,
each the width of the screen and nothing past its edge; an item is added, changed (修改 opens the form filled)
and deleted (asked once) with taps, and the table stays folded away until asked for."""

import pytest
from playwright.sync_api import expect

from services.meeting import problems
from services.meeting.problems import Problem
from services.platform import db
from tests.e2e.browser import chromium, log_in, settle
from tests.e2e.server import running_app
from tests.factories import ORG, make_account, make_voting_branch

pytestmark = [pytest.mark.e2e, pytest.mark.one_database]
PHONE = {"width": 390, "height": 844}


def _boxes(page, labels: list[str]) -> list[dict]:
    """Where each labelled field is on the screen."""
    return [page.get_by_label(label, exact=True).bounding_box() for label in labels]


def test_on_a_phone_the_problem_form_is_stacked_and_an_item_is_added_changed_and_deleted(empty_database_url):
    db.upgrade(url=empty_database_url)
    cid, path, _ = make_voting_branch(full=3)
    problems.save_problems(
        actor=ORG, campaign_id=cid, branch_path=path, items=[Problem("理论学习不够深入", "学习", "自我查摆")]
    )
    make_account("branch_secretary", path, username="zb001")
    db.dispose_all()
    with running_app(empty_database_url) as base, chromium() as browser:
        context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
        page = context.new_page()
        page.set_default_timeout(30_000)
        log_in(page, base, "zb001", "secret12345")
        expect(page.get_by_test_id("stExpandSidebarButton")).to_be_visible()
        settle(page)
        page.get_by_test_id("stExpandSidebarButton").tap()
        page.get_by_test_id("stSidebarNav").get_by_role("link", name="问题清单", exact=True).tap()
        expect(page.get_by_role("heading", name="问题清单", exact=True)).to_be_visible()
        settle(page)

        fields = _boxes(page, ["问题", "类别", "来源"])
        button = page.get_by_role("button", name="添加这一项").bounding_box()
        tops = [box["y"] for box in [*fields, button]]
        assert tops == sorted(tops) and len(set(tops)) == 4, tops  # one under another, not side by side
        for box in fields:
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box  # nothing past the edge
            assert box["width"] >= 0.7 * PHONE["width"], box  # as wide as the form allows
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        expect(page.get_by_test_id("stDataFrame")).to_be_hidden()  # the table, folded away

        page.get_by_label("问题", exact=True).fill("调查研究不够")
        page.get_by_label("类别", exact=True).tap()
        page.get_by_role("option", name="作风").tap()
        page.get_by_role("button", name="添加这一项").tap()
        expect(page.get_by_text("已添加第 2 项。")).to_be_visible()
        settle(page)
        expect(page.get_by_label("问题", exact=True)).to_have_value("")  # empty again for the next one

        page.get_by_role("button", name="修改", exact=True).first.tap()
        settle(page)
        expect(page.get_by_label("问题", exact=True)).to_have_value("理论学习不够深入")  # filled, in the row's place
        page.get_by_label("问题", exact=True).fill("理论学习不够系统")
        page.get_by_role("button", name="保存修改").tap()
        expect(page.get_by_text("第 1 项已修改。")).to_be_visible()
        settle(page)

        page.get_by_role("button", name="删除", exact=True).nth(1).tap()
        expect(page.get_by_text("确定删除这一项吗？删除后不能恢复。")).to_be_visible()
        settle(page)
        page.get_by_role("button", name="确定删除").tap()
        expect(page.get_by_text("已删除第 2 项。")).to_be_visible()
        settle(page)
        assert [(p.text, p.category) for p in problems.list_problems(actor=ORG, campaign_id=cid, branch_path=path)] == [
            ("理论学习不够系统", "学习")
        ]
        context.close()
