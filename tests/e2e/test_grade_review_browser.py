"""The general branch's secretary approves with the grades in view, in a real headless Chromium (issue 23,
item 1): on a 390 px phone they go from 首页 to the branch's final grades, read who is 优秀 and 不合格 and
why above the buttons, and return them with a comment; the branch secretary finds the comment at the top of
首页, follows it and resubmits; the comment is gone; the general branch's secretary approves."""

import pytest
from playwright.sync_api import expect

from services.grading import final_grades, results
from services.grading.final_grades import GradeEntry
from services.platform import db
from tests.e2e.browser import chromium, log_in, settle
from tests.e2e.server import running_app
from tests.factories import ORG, make_account, make_voted_branch

pytestmark = [pytest.mark.e2e, pytest.mark.one_database]
WAIT = 30_000
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 900}
COMMENT = "刘洋评为合格的理由请写具体"


def _graded_and_submitted() -> None:
    cid, path, _ = make_voted_branch()
    found = results.branch_results(actor=ORG, campaign_id=cid, branch_path=path)
    changes = {
        "刘洋": {"grade": "qualified", "reason": "一年来表现整体合格"},
        "杨帆": {"grade": "unqualified", "disposition": "限期改正", "disposition_note": "六个月内改正"},
    }
    entries = [GradeEntry(r.member_id, **{"grade": r.suggestion.grade, **changes.get(r.name, {})}) for r in found.rows]
    secretary = make_account("branch_secretary", path, username="zb001")
    final_grades.save_grades(actor=secretary, campaign_id=cid, branch_path=path, entries=entries)
    final_grades.submit_grades(actor=secretary, campaign_id=cid, branch_path=path)
    make_account("general_branch_secretary", "机关党总支", username="zzb001")


def _home(browser, base: str, username: str, viewport: dict):
    context = browser.new_context(viewport=viewport, is_mobile=viewport is PHONE, has_touch=viewport is PHONE)
    page = context.new_page()
    page.set_default_timeout(WAIT)
    log_in(page, base, username, "secret12345")
    expect(page.get_by_role("heading", name="民主评议党员", exact=True)).to_be_visible()
    settle(page)
    return page


def _follow(page, link: str) -> None:
    page.get_by_role("link", name=link).click()
    expect(page.get_by_role("heading", name="评议结果与评定格次", exact=True)).to_be_visible()
    settle(page)


@pytest.fixture
def patient_expect():
    expect.set_options(timeout=WAIT)
    yield
    expect.set_options(timeout=5_000)


def test_the_general_branch_reads_returns_and_approves_the_resubmission(empty_database_url, patient_expect):
    db.upgrade(url=empty_database_url)
    _graded_and_submitted()
    db.dispose_all()
    with running_app(empty_database_url) as base, chromium() as browser:
        general = _home(browser, base, "zzb001", PHONE)
        expect(general.get_by_text("待您审批：机关党总支 / 第一党支部")).to_be_visible()
        _follow(general, "前往评议结果，查看并审批")
        assert "b=" in general.url  # opened on that branch

        # What is approved, in words a phone shows whole, above the buttons.
        heading = general.get_by_role("heading", name="报送审批的评定格次")
        expect(heading).to_be_visible()
        excellent = general.get_by_text("优秀（2 人）").locator("xpath=ancestor::*[@data-testid='stMarkdown'][1]")
        expect(excellent).to_contain_text("王芳；得票 优秀 5，合格 2（有效 7 票）；与建议格次一致")
        expect(excellent).to_contain_text("李明；得票 优秀 5，合格 2（有效 7 票）；与建议格次一致")
        unqualified = general.get_by_text("不合格（1 人）").locator("xpath=ancestor::*[@data-testid='stMarkdown'][1]")
        expect(unqualified).to_contain_text("杨帆；得票 基本合格 3，不合格 4（有效 7 票）")
        expect(unqualified).to_contain_text("组织处置：限期改正；处置说明：六个月内改正")
        expect(general.get_by_text("刘洋：建议“基本合格”，评定“合格”，理由：一年来表现整体合格")).to_be_visible()
        table = general.get_by_test_id("stDataFrame").filter(has=general.get_by_text("与建议不同", exact=True))
        expect(table).to_have_count(1)
        approve = general.get_by_role("button", name="审批通过")
        assert heading.bounding_box()["y"] < approve.bounding_box()["y"]
        for element in (excellent, unqualified, table):
            box = element.bounding_box()
            assert box["x"] + box["width"] <= PHONE["width"] + 1, box  # nothing runs off the right edge

        general.get_by_label("审批意见（退回时必填）").fill(COMMENT)
        general.get_by_role("button", name="退回修改").click()
        expect(general.get_by_text("已退回本支部修改，等待重新报送。")).to_be_visible()
        expect(general.get_by_text(f"意见：{COMMENT}")).to_be_visible()
        settle(general)

        # The branch secretary: the comment heads 首页 and the grade page; resubmitted, it is gone.
        secretary = _home(browser, base, "zb001", DESK)
        notice = secretary.get_by_text("评定格次已被退回：机关党总支 / 第一党支部")
        expect(notice).to_contain_text(f"意见：{COMMENT}")
        _follow(secretary, "前往评议结果，修改后重新报送")
        top = secretary.get_by_text("请按意见修改后重新报上级党组织审批")
        expect(top).to_contain_text(COMMENT)
        assert top.bounding_box()["y"] < secretary.get_by_text("评定格次：已退回").bounding_box()["y"]
        secretary.get_by_text("全部评定完毕，报上级党组织审批").click()
        settle(secretary)
        secretary.get_by_role("button", name="报上级党组织审批").click()
        expect(secretary.get_by_text("已报上级党组织审批，等待审批。")).to_be_visible()
        expect(secretary.get_by_role("heading", name="报送审批的评定格次")).to_be_visible()  # what was sent
        expect(secretary.get_by_text(COMMENT)).to_have_count(1)  # the history's record only, not a notice
        settle(secretary)
        secretary.goto(base + "/")
        expect(secretary.get_by_text("六个步骤已完成")).to_be_visible()  # 首页, its next step
        settle(secretary)
        expect(secretary.get_by_text("评定格次已被退回")).to_have_count(0)

        # The general branch's secretary approves the resubmission from 首页.
        general.goto(base + "/")
        expect(general.get_by_text("待您审批：机关党总支 / 第一党支部")).to_be_visible()
        settle(general)
        _follow(general, "前往评议结果，查看并审批")
        general.get_by_role("button", name="审批通过").click()
        expect(general.get_by_role("heading", name="评定格次（已审批）")).to_be_visible()
        expect(general.get_by_text("评定格次：已审批")).to_be_visible()
