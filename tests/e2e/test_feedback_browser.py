"""A member on a phone opens their own link after the grades were approved, in a real headless
Chromium with JavaScript off: their result, readable, and nobody else's."""

import pytest
from playwright.sync_api import expect

from services.grading import final_grades, results
from services.grading.final_grades import GradeEntry
from services.platform import db
from tests.e2e.browser import chromium
from tests.e2e.server import running_app
from tests.factories import BRANCH_MEMBERS, ORG, make_account, make_voted_branch

pytestmark = [pytest.mark.e2e, pytest.mark.one_database]
PHONE = {"width": 360, "height": 740}


def test_a_member_reads_their_own_approved_result_on_a_phone(empty_database_url):
    db.upgrade(url=empty_database_url)
    cid, path, links = make_voted_branch()
    found = results.branch_results(actor=ORG, campaign_id=cid, branch_path=path)
    disposition = {"disposition": "限期改正", "disposition_note": "三个月内改正"}
    entries = [
        GradeEntry(r.member_id, r.suggestion.grade, **(disposition if r.suggestion.grade == "unqualified" else {}))
        for r in found.rows
    ]
    secretary = make_account("branch_secretary", path)
    final_grades.save_grades(actor=secretary, campaign_id=cid, branch_path=path, entries=entries)
    final_grades.submit_grades(actor=secretary, campaign_id=cid, branch_path=path)
    final_grades.approve_grades(actor=ORG, campaign_id=cid, branch_path=path)
    db.dispose_all()
    with running_app(empty_database_url) as base, chromium() as browser:
        context = browser.new_context(viewport=PHONE, java_script_enabled=False, is_mobile=True, has_touch=True)
        page = context.new_page()
        page.goto(f"{base}/v/{links[0].token}")  # 王芳's own named link, used to vote
        result = page.locator("section.personal")
        expect(result).to_contain_text("评议结果：优秀")
        expect(result).to_contain_text("党支部对您予以表扬")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        font = page.evaluate("parseFloat(getComputedStyle(document.querySelector('section.personal p')).fontSize)")
        assert font >= 16  # readable without zooming
        text = page.locator("body").inner_text()
        assert not any(name in text for name in BRANCH_MEMBERS[1:])
