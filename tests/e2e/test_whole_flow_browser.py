"""The whole flow in a real headless Chromium, through the screens only, from an empty database: the
first organizer account, a campaign, the roster, the secretaries' accounts, voting opened and three
members voting on their phones, progress, voting closed, grades set, submitted and approved, the six
steps recorded, and the filing package downloaded and read."""

import io
import re
import zipfile
from datetime import date, timedelta

import pytest
from openpyxl import Workbook, load_workbook
from playwright.sync_api import expect

from services.campaign import campaigns
from services.grading import results
from services.meeting import rectification
from services.platform import db
from services.platform.clock import local, now
from tests.e2e.browser import chromium, log_in, settle
from tests.e2e.dashboard_ui import download, metric, open_page, pick, set_first_password
from tests.e2e.server import running_app
from tests.factories import ORG

pytestmark = pytest.mark.e2e
WAIT = 30_000
DESK = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

GENERAL = "机关党总支"
BRANCH = "党政办党支部"
PATH = f"{GENERAL}/{BRANCH}"
FULL = ["王芳", "李明", "张伟", "刘洋"]  # roster order: the order on the ballot
PROBATIONARY = "陈静"  # votes, is not rated
VOTERS = 3
PASSWORD = "Pingyi2024abc"
PROBLEM = "组织生活会记录不够规范"


def _roster() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "姓名", "性别", "党总支", "党支部", "党员类别"])
    people = [(name, "正式党员") for name in FULL] + [(PROBATIONARY, "预备党员")]
    for number, (name, category) in enumerate(people, start=1):
        ws.append([number, name, "女" if number % 2 else "男", GENERAL, BRANCH, category])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _rows(data: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))


def _desk(browser):
    context = browser.new_context(viewport=DESK, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(WAIT)
    return page


def _organizer_sets_up(page, base: str) -> dict[str, tuple[str, str]]:
    """Steps 1-4; returns the secretaries' accounts: role -> (user name, one-time password)."""
    page.goto(base + "/")
    expect(page.get_by_role("heading", name="欢迎使用民主评议党员系统")).to_be_visible()
    settle(page)
    page.get_by_label("用户名（登录用，如 zzb）").fill("zzbadmin")
    page.get_by_label("姓名", exact=True).fill("张虹")
    page.get_by_label("密码（至少 10 位，含字母和数字）").fill(PASSWORD)
    page.get_by_label("再输一次密码").fill(PASSWORD)
    page.get_by_role("button", name="创建并登录").click()
    expect(page.get_by_role("heading", name="民主评议党员", exact=True)).to_be_visible()
    expect(page.get_by_text("张虹（组织部）")).to_be_visible()
    expect(page.get_by_text("系统里还没有任何评议活动。")).to_be_visible()
    settle(page)

    open_page(page, "评议活动与花名册")
    page.get_by_role("button", name="创建", exact=True).click()
    expect(page.get_by_text("下一步：导入花名册")).to_be_visible()
    settle(page)
    page.get_by_role("button", name="改为“进行中”").click()
    page.get_by_role("button", name="确认", exact=True).click()  # asked once, with what will happen
    expect(page.get_by_text("当前状态：进行中")).to_be_visible()
    settle(page)

    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        files=[{"name": "花名册.xlsx", "mimeType": "application/octet-stream", "buffer": _roster()}]
    )
    expect(page.get_by_text("导入后：新增 5 人")).to_be_visible()  # the preview first, nothing written yet
    page.get_by_role("button", name="确认导入", exact=True).click()
    expect(page.get_by_text("导入成功：新增 5 人")).to_contain_text("现有 1 个党支部、5 名党员（正式 4，预备 1）")
    expect(metric(page, "党员")).to_contain_text("5")
    settle(page)

    open_page(page, "账号管理")
    page.get_by_role("button", name="批量创建").click()
    expect(page.get_by_text("已创建 2 个账号")).to_be_visible()
    settle(page)
    name, sheet = download(page, "下载账号与一次性密码表（.xlsx）")
    assert name == "书记账号.xlsx"
    made = {role: (username, secret) for _, role, _, username, secret, _ in _rows(sheet)[1:3]}
    assert set(made) == {"总支书记", "支部书记"}
    return made


def _first_login(browser, base: str, username: str, one_time: str):
    page = _desk(browser)
    log_in(page, base, username, one_time)
    set_first_password(page, one_time, PASSWORD)
    return page


def _vote_on_a_phone(browser, link: str) -> None:
    """王芳 优秀, everyone else 合格: within the cap of one 优秀 in four."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(WAIT)
    page.goto(link)
    rows = page.locator("fieldset.row[id^=m]")
    expect(rows).to_have_count(len(FULL))  # every full member, the voter among them; not the probationary
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    for i, name in enumerate(FULL):
        expect(rows.nth(i).locator("legend")).to_contain_text(name)
        rows.nth(i).get_by_text("优秀" if i == 0 else "合格", exact=True).tap()
    page.get_by_role("button", name="下一步：核对").tap()
    expect(page.locator(".intro")).to_contain_text(f"优秀 1 人，合格 {len(FULL) - 1} 人")
    page.get_by_role("button", name="确认提交").tap()
    expect(page.locator("#receipt")).to_have_text(re.compile(r"^[A-Z0-9]{4}-[A-Z0-9]{4}$"))
    context.close()


def _record_the_steps(page, today: date) -> None:
    """Study, talks, the problem list, the meeting record and the rectification list."""
    open_page(page, "集中学习")
    page.get_by_label("学习主题").fill("学习党章和党内法规")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_text("参加 5 人，缺席 0 人")).to_be_visible()
    settle(page)

    open_page(page, "谈心谈话、征求意见")
    page.get_by_role("button", name="填写或修改").nth(1).click()  # the second kind: 支委委员与党员之间
    page.get_by_label("支委委员与党员之间：次数", exact=True).fill("5")
    page.keyboard.press("Tab")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_role("heading", name="谈心谈话（共 5 次）")).to_be_visible()
    settle(page)

    open_page(page, "问题清单")
    page.get_by_label("问题", exact=True).fill(PROBLEM)  # one item at a time, in the plain form
    pick(page, "类别", "作风")
    page.get_by_role("button", name="添加这一项").click()
    expect(page.get_by_text("已添加第 1 项。")).to_be_visible()
    settle(page)

    open_page(page, "组织生活会记录")
    expect(page.get_by_text("尚未记录本支部的组织生活会。")).to_be_visible()
    page.get_by_label("地点").fill("行政楼302会议室")
    page.get_by_label("主持人").fill("党政办党支部书记")
    page.get_by_text("支部书记述职", exact=True).click()
    page.get_by_text("开展批评和自我批评", exact=True).click()
    expect(page.get_by_role("checkbox", name="开展民主评议党员")).to_be_checked()  # voting has ended
    page.get_by_role("button", name="保存会议记录").click()
    expect(page.get_by_text("应到 5 人，实到 5 人")).to_be_visible()
    settle(page)

    open_page(page, "整改落实")
    deadline = (today + timedelta(days=60)).isoformat()
    pick(page, "问题（从问题清单中选）", PROBLEM)
    page.get_by_label("整改措施").fill("每次会后两日内整理记录，支部委员审核")
    page.get_by_label("责任人").fill("党政办党支部书记")
    for part, value in zip("年月日", deadline.split("-"), strict=True):  # the date's fields, as typed
        page.get_by_role("spinbutton", name=f"整改时限：{part}").press_sequentially(value)
    pick(page, "状态", "进行中")
    page.get_by_role("button", name="添加这一项").click()
    expect(page.get_by_text("已添加第 1 项。")).to_be_visible()
    settle(page)

    open_page(page, "本支部工作进度")
    expect(page.get_by_text("六个步骤已完成 5 个")).to_be_visible()
    body = page.get_by_test_id("stMain")
    expect(body).not_to_contain_text("整改清单还是空的")
    expect(body).to_contain_text("5 名党员尚未填写整改承诺")


@pytest.fixture
def patient_expect():
    """Assertions wait as long as actions do: a step's rerun can take seconds on a busy machine."""
    expect.set_options(timeout=WAIT)
    yield
    expect.set_options(timeout=5_000)  # Playwright's default


def test_the_whole_flow_from_an_empty_database_in_a_browser(empty_database_url, patient_expect):
    today = local(now()).date()  # the unit's day, as the pages default dates to it
    with running_app(empty_database_url) as base, chromium() as browser:
        organizer = _desk(browser)
        made = _organizer_sets_up(organizer, base)

        # 5. The branch secretary opens voting and takes the links.
        secretary = _first_login(browser, base, *made["支部书记"])
        open_page(secretary, "组织测评")
        expect(metric(secretary, "应投票人数")).to_contain_text("5")
        secretary.get_by_role("button", name="开启测评并生成链接").click()
        expect(metric(secretary, "状态")).to_contain_text("进行中")
        settle(secretary)
        name, sheet = download(secretary, "链接表（.xlsx）")
        assert name == f"{BRANCH}-测评链接.xlsx"
        links = [(label, url) for _, label, url in _rows(sheet)[2:]]
        assert [label for label, _ in links] == [*FULL, PROBATIONARY]
        assert all(url.startswith(f"{base}/v/") for _, url in links)

        # 6. Three members vote on their phones, the probationary member among them.
        for _, url in links[-VOTERS:]:
            _vote_on_a_phone(browser, url)

        # 7. Progress counts them.
        open_page(secretary, "测评进度")
        expect(metric(secretary, "已收 / 应投")).to_contain_text(f"{VOTERS} / 5")
        expect(metric(secretary, "总体完成率")).to_contain_text("60.0%")

        # 8. Voting closed.
        open_page(secretary, "组织测评")
        expect(metric(secretary, "已收在线票")).to_contain_text(str(VOTERS))
        expect(secretary.get_by_text(f"还有 {5 - VOTERS} 人尚未投票")).to_be_visible()
        secretary.get_by_text("我已知晓，仍要结束测评").click()
        settle(secretary)
        secretary.get_by_role("button", name="结束测评").click()
        expect(secretary.get_by_text("本支部的测评已结束")).to_be_visible()
        settle(secretary)

        # 9. Grades: the suggestions kept, submitted, approved by the general branch's secretary.
        open_page(secretary, "评议结果", "评议结果与评定格次")
        expect(metric(secretary, "收回测评票")).to_contain_text(f"{VOTERS} 张")
        expect(secretary.get_by_text("评定格次：未评定")).to_be_visible()
        secretary.get_by_text("全部评定完毕，报上级党组织审批").click()
        settle(secretary)
        secretary.get_by_role("button", name="报上级党组织审批").click()
        expect(secretary.get_by_text("已报上级党组织审批，等待审批。")).to_be_visible()
        expect(secretary.get_by_text("评定格次：待审批")).to_be_visible()
        settle(secretary)

        general = _first_login(browser, base, *made["总支书记"])
        open_page(general, "评议结果", "评议结果与评定格次")
        expect(general.get_by_text(f"待您审批的党支部：{GENERAL} / {BRANCH}")).to_be_visible()
        general.get_by_role("button", name="审批通过").click()
        expect(general.get_by_text("评定格次：已审批")).to_be_visible()

        # 9b. The results reached each member: all 优秀 or 合格, told together (基本合格, 不合格 need a talk).
        open_page(secretary, "评议结果", "评议结果与评定格次")
        expect(secretary.get_by_text("还差：4 名党员的反馈尚未记录")).to_be_visible()
        secretary.get_by_text("集体反馈", exact=True).click()
        secretary.get_by_role("button", name="记录反馈情况").click()
        expect(secretary.get_by_text("全部 4 名党员的反馈均已记录。")).to_be_visible()
        settle(secretary)

        # 10. The six steps' records.
        _record_the_steps(secretary, today)

        # 11. The filing package, downloaded by the organizer and read.
        open_page(organizer, "报送与备案")
        organizer.get_by_role("button", name="准备备案材料").click()  # made with a progress bar, then offered
        expect(organizer.get_by_text("材料生成于 ")).to_be_visible(timeout=60_000)
        settle(organizer)
        name, package = download(organizer, "下载备案材料（.zip）")
        assert name == f"{today.year}年度民主评议党员备案材料.zip"

    archive = zipfile.ZipFile(io.BytesIO(package))
    names = archive.namelist()
    assert "民主评议党员情况统计表.xlsx" in names
    assert any(n.startswith(f"{GENERAL}/") and BRANCH in n for n in names), names
    rows = _rows(archive.read("民主评议党员情况统计表.xlsx"))
    header = rows[2]
    line = dict(zip(header, next(r for r in rows if r[0] == BRANCH), strict=True))
    assert (line["党员"], line["正式党员"], line["预备党员"], line["实参评"]) == (5, 4, 1, VOTERS)
    assert (line["优秀"], line["合格"], line["基本合格"], line["不合格"]) == (1, 3, 0, 0)
    assert line["组织生活会日期"] == f"{today.year}年{today.month}月{today.day}日"
    assert (line["六个步骤"], line["评定格次"], line["整改未完成"]) == ("5/6", "已审批", 1)

    # The same figures from the database.
    [campaign] = campaigns.list_campaigns(actor=ORG)
    found = results.branch_results(actor=ORG, campaign_id=campaign.id, branch_path=PATH)
    assert (found.received, found.state) == (VOTERS, "approved")
    assert [r.final.grade for r in found.rows] == ["excellent", "qualified", "qualified", "qualified"]
    [item] = rectification.list_rectifications(actor=ORG, campaign_id=campaign.id, branch_path=PATH)
    assert (item.problem, item.state) == (PROBLEM, "in_progress")
    db.dispose_all()
