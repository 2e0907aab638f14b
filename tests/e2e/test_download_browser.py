"""A file made when its button is clicked (the voting links) arrives on every click, in a real headless
Chromium, and every download is in the audit log. A click that also reran the page used to leave the
browser waiting for the file now and then: the button spinning, nothing downloaded."""

import io

import pytest
from openpyxl import load_workbook

from models.audit import AuditAction
from services.platform import db
from services.staff import audit
from tests.e2e.browser import chromium, log_in, settle
from tests.e2e.dashboard_ui import download, open_page
from tests.e2e.server import running_app
from tests.factories import BRANCH_MEMBERS, ORG, PROBATIONARY, make_account, make_voting_branch

pytestmark = [pytest.mark.e2e, pytest.mark.one_database]
CLICKS = 12
SHEET = "第一党支部-测评链接.xlsx"


def test_the_links_sheet_arrives_on_every_click_and_each_download_is_logged(empty_database_url):
    db.upgrade(url=empty_database_url)
    cid, path, _ = make_voting_branch()
    make_account("branch_secretary", path, username="zb001")
    db.dispose_all()
    with running_app(empty_database_url) as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
        page.set_default_timeout(30_000)
        log_in(page, base, "zb001", "secret12345")
        page.get_by_role("heading", name="民主评议党员", exact=True).wait_for()
        settle(page)
        open_page(page, "组织测评")
        line = page.locator("p", has_text="测评链接地址").first
        assert base in line.inner_text() and "*" not in line.inner_text()  # no Markdown markers shown
        assert [a.get_attribute("href") for a in line.locator("a").all()] == [f"{base}/v"]  # nothing swallowed
        for _ in range(CLICKS):
            name, data = download(page, "链接表（.xlsx）", timeout=10_000)
            assert name == SHEET
            rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
            assert sorted(r[1] for r in rows[2:]) == sorted([*BRANCH_MEMBERS, PROBATIONARY])
            settle(page)
    logged = audit.list_entries(actor=ORG, action=AuditAction.export_download, campaign_id=cid)
    assert len(logged) == CLICKS
    assert {(e.actor, e.target) for e in logged} == {("zb001", SHEET)}
