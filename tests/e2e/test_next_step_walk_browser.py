"""Issue 25's "Done when", in a real headless Chromium: from an empty branch (a campaign and its roster made by
the services, as a new secretary finds them), the branch secretary follows 首页's one "下一步" button step by
step, doing each step's minimum on the page it opens; members vote and write their commitments through the
survey's routes; the general branch's secretary approves the grades and reports from his 首页. An address that
names no page says so. On the way it saves the screenshots of the guide (1280 × 800; into docs/guide/images/ when
run with GUIDE_IMAGES=docs/guide/images)."""

import io
import os
import re
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PIL import Image
from playwright.sync_api import expect

from services.ballot import campaign_status
from services.campaign import roster
from services.platform import db
from services.platform.clock import local, now
from tests.e2e.browser import chromium, log_in, settle
from tests.e2e.dashboard_ui import download, open_page
from tests.e2e.server import running_app
from tests.factories import ORG, csv_bytes, make_account, make_campaign

pytestmark = [pytest.mark.e2e, pytest.mark.one_database]
WAIT = 30_000
DESK = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
# The guide's screenshots are written where GUIDE_IMAGES says (docs/guide/images to refresh them), else to a
# temporary folder: a test run leaves the checkout as it was.
IMAGES = Path(os.environ.get("GUIDE_IMAGES") or Path(tempfile.gettempdir()) / "pingyi-guide-images")
MEMBERS = ["王芳", "李明", "张伟"]
ORGANIZER_PAGES = 25  # dashboard.SECTIONS: every page, 帮助 among them


def _empty_branch() -> None:
    today = local(now()).date()
    cid = make_campaign(year=today.year, deadline=today + timedelta(days=30))
    rows = [["姓名", "党总支", "党支部", "党员类别"]] + [[n, "机关党总支", "第一党支部", "正式党员"] for n in MEMBERS]
    roster.import_roster_file(actor=ORG, campaign_id=cid, filename="r.csv", data=csv_bytes(rows))
    campaign_status.set_status(actor=ORG, campaign_id=cid, status="open")
    make_account("organizer", username="zzb")
    make_account("branch_secretary", "机关党总支/第一党支部", username="zb001")
    make_account("general_branch_secretary", "机关党总支", username="zzb001")


def _shot(page, name: str) -> None:
    """A guide's screenshot: what the window shows, as a person sees it."""
    settle(page)
    IMAGES.mkdir(parents=True, exist_ok=True)
    _save(page, name)


def _save(page, name: str) -> None:
    """The window as PNG in 256 colours: a third of the size, the text as sharp."""
    shot = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    shot.quantize(colors=256).save(IMAGES / f"{name}.png", optimize=True)


def _session(browser, base: str, username: str, viewport=DESK):
    context = browser.new_context(viewport=viewport, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(WAIT)
    log_in(page, base, username, "secret12345")
    expect(page.get_by_role("heading", name="民主评议党员", exact=True)).to_be_visible()
    settle(page)
    return page


def _home(page) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="首页", exact=True).click()
    expect(page.get_by_role("heading", name="民主评议党员", exact=True)).to_be_visible()
    settle(page)


def _next(page, label: str, heading: str, shot: str | None = None) -> None:
    """From 首页, the one primary button, to the page it names."""
    _home(page)
    button = page.get_by_role("button", name=label, exact=True)
    expect(button).to_be_visible()
    if shot:
        _shot(page, shot)
    button.click()
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    settle(page)


def _vote(request, base: str, url: str) -> None:
    """A member votes through the ballot's own form: everyone 合格."""
    form = request.get(url).text()
    csrf = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
    choices = {name: "qualified" for name in dict.fromkeys(re.findall(r'name="(m\d+)"', form))}
    done = request.post(url, form={"csrf": csrf, "action": "submit", **choices}, headers={"Origin": base})
    assert done.ok and "回执码" in done.text(), done.text()[:500]


def _commit(request, base: str, url: str, text: str) -> None:
    """A member writes their commitment on their own link's page (/c/<token>)."""
    form = request.get(url).text()
    csrf = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
    saved = request.post(url, form={"csrf": csrf, "text": text}, headers={"Origin": base})
    assert saved.ok and "已保存" in saved.text(), saved.text()[:500]


@pytest.fixture
def patient_expect():
    expect.set_options(timeout=WAIT)
    yield
    expect.set_options(timeout=5_000)


def test_the_secretary_follows_the_next_step_button_from_an_empty_branch_to_the_report(
    empty_database_url, patient_expect
):
    db.upgrade(url=empty_database_url)
    _empty_branch()
    db.dispose_all()
    with running_app(empty_database_url) as base, chromium() as browser:
        zb = _session(browser, base, "zb001")
        # 1-3: study, talks, problems, each the minimum its page asks.
        _next(zb, "下一步：记录集中学习", "集中学习", shot="secretary-home")
        _shot(zb, "step1-study")
        zb.get_by_label("学习主题").fill("学习党章和党内法规")
        zb.get_by_role("button", name="保存", exact=True).click()
        expect(zb.get_by_text("的集中学习。")).to_be_visible()

        _next(zb, "下一步：谈心谈话、征求意见", "谈心谈话、征求意见")
        _shot(zb, "step2-talks")
        zb.get_by_role("button", name="填写或修改").first.click()
        zb.get_by_label(re.compile("：次数$")).fill("3")
        zb.keyboard.press("Tab")
        zb.get_by_role("button", name="保存", exact=True).click()
        expect(zb.get_by_text("已保存：3 次")).to_be_visible()

        _next(zb, "下一步：查摆问题", "问题清单")
        _shot(zb, "step3-problems")
        zb.get_by_label("问题", exact=True).fill("组织生活会记录不够规范")
        zb.get_by_label("类别", exact=True).click()
        zb.get_by_role("option", name="作风").click()
        zb.get_by_role("button", name="添加这一项").click()
        expect(zb.get_by_text("已添加第 1 项。")).to_be_visible()

        # 5 before 4: the vote is held at the meeting. Members vote on their phones (here: the ballot's form).
        _next(zb, "下一步：开启民主测评", "组织测评")
        zb.get_by_role("button", name="开启测评并生成链接").click()
        settle(zb)
        _shot(zb, "step5-voting")
        _, sheet = download(zb, "链接表（.xlsx）")
        links = [url for _, _, url in list(load_workbook(io.BytesIO(sheet)).active.iter_rows(values_only=True))[2:]]
        phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
        phone.goto(links[0])
        _save(phone, "member-ballot")
        for url in links:
            _vote(phone.request, base, url)

        _next(zb, "下一步：结束民主测评", "组织测评")
        zb.get_by_text("全部 3 人已投票，我确认结束测评").click()
        settle(zb)
        zb.get_by_role("button", name="结束测评").click()
        expect(zb.get_by_text("本支部的测评已结束")).to_be_visible()

        _next(zb, "下一步：记录组织生活会", "组织生活会记录")
        zb.get_by_label("地点").fill("行政楼302会议室")
        zb.get_by_label("主持人").fill("王芳")
        zb.get_by_text("支部书记述职", exact=True).click()
        zb.get_by_text("开展批评和自我批评", exact=True).click()
        _shot(zb, "step4-meeting")
        zb.get_by_role("button", name="保存会议记录").click()
        expect(zb.get_by_text("应到 3 人，实到 3 人")).to_be_visible()

        _next(zb, "下一步：评定格次并报上级审批", "评议结果与评定格次")
        _shot(zb, "step5-grades")
        zb.get_by_text("全部评定完毕，报上级党组织审批", exact=False).first.click()
        settle(zb)
        zb.get_by_role("button", name="报上级党组织审批").click()
        expect(zb.get_by_text("已报上级党组织审批，等待审批。")).to_be_visible()

        # 6 while the approval waits: the list, every member's commitment (on their own link), the publicity.
        _next(zb, "下一步：整改落实", "整改落实", shot="secretary-home-waiting")
        zb.get_by_label("问题（从问题清单中选）").click()
        zb.get_by_role("option", name="组织生活会记录不够规范").click()
        zb.get_by_label("整改措施").fill("每次会后两日内整理记录")
        zb.get_by_label("责任人").fill("王芳")
        by = local(now()).date() + timedelta(days=60)
        for part, value in (("年", f"{by.year}"), ("月", f"{by.month:02d}"), ("日", f"{by.day:02d}")):
            zb.get_by_role("spinbutton", name=f"整改时限：{part}").press_sequentially(value)
        zb.get_by_role("button", name="添加这一项").click()
        expect(zb.get_by_text("已添加第 1 项。")).to_be_visible()
        commitment = links[0].replace("/v/", "/c/")
        phone.goto(commitment)
        _save(phone, "member-commitment")
        for url in links:
            _commit(phone.request, base, url.replace("/v/", "/c/"), "按时参加组织生活，认真整理会议记录")
        zb.reload()
        settle(zb)
        _shot(zb, "step6-rectification")
        zb.get_by_role("button", name="发布公示").click()
        settle(zb)

        _home(zb)
        expect(zb.get_by_text("等待上级党组织审批评定格次")).to_be_visible()

        # The general branch's secretary approves from his 首页.
        zzb = _session(browser, base, "zzb001")
        expect(zzb.get_by_text("待您审批：机关党总支 / 第一党支部")).to_be_visible()
        _shot(zzb, "general-home")
        zzb.get_by_role("link", name="前往评议结果，查看并审批").click()
        expect(zzb.get_by_role("heading", name="评议结果与评定格次", exact=True)).to_be_visible()
        settle(zzb)
        zzb.get_by_role("button", name="审批通过").click()
        expect(zzb.get_by_text("评定格次：已审批")).to_be_visible()

        _next(zb, "下一步：记录反馈情况", "评议结果与评定格次")
        zb.get_by_text("集体反馈", exact=True).click()
        zb.get_by_role("button", name="记录反馈情况").click()
        expect(zb.get_by_text("全部 3 名党员的反馈均已记录。")).to_be_visible()

        _home(zb)
        expect(zb.get_by_text("六个步骤已完成 6 个")).to_be_visible()
        expect(zb.get_by_text("等待党总支书记报送")).to_be_visible()
        _shot(zb, "secretary-home-done")

        # The organizer, meanwhile: the units behind and the days left.
        zzbadmin = _session(browser, base, "zzb")
        expect(zzbadmin.get_by_text("还有 30 天")).to_be_visible()
        _shot(zzbadmin, "organizer-home")
        # The sidebar of the role that sees the most pages: every page listed, in sections, no "View N more".
        nav = zzbadmin.get_by_test_id("stSidebarNav")
        expect(nav.get_by_role("link")).to_have_count(ORGANIZER_PAGES)
        expect(nav.get_by_role("button")).to_have_count(0)
        expect(nav).to_contain_text(re.compile("民主测评.*评定与审批.*组织生活会.*报送.*设置", re.S))
        for link, name in (("评议活动与花名册", "campaigns"), ("账号管理", "accounts"), ("测评进度", "progress")):
            open_page(zzbadmin, link)
            _shot(zzbadmin, f"organizer-{name}")

        # 报送, by the unit that reports: the general branch, from its 首页.
        _next(zzb, "下一步：报送备案材料", "报送与备案")
        _shot(zzb, "general-report")
        zzb.get_by_role("button", name="报送组织部").click()
        reported = zzb.get_by_text("已报送组织部：机关党总支的备案材料")
        expect(reported).to_be_visible(timeout=3 * WAIT)  # the package is made and frozen first
        _home(zb)
        expect(zb.get_by_text("本年度工作已完成")).to_be_visible()

        zb.goto(base + "/no-such-page")  # a guessed address: 首页, saying so
        expect(zb.get_by_text("没有这个页面（/no-such-page），已回到首页")).to_be_visible()
        settle(zb)  # the redirect's run ends before the sidebar is clicked

        # 帮助: the secretary's guide, with its screenshots.
        open_page(zb, "帮助", "支部书记使用说明")
        expect(zb.get_by_test_id("stImage").first).to_be_visible()
