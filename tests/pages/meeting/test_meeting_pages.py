"""The meeting's dashboard pages through AppTest: each renders for the branch and for the general
branch, and everything people typed is shown as plain text, never as markup."""

from datetime import date, timedelta

import pytest

from services.meeting import commitments, meeting_record, opinions, problems, rectification, study, talks
from services.meeting.branch_links import public_link
from services.meeting.meeting_record import MeetingFields
from services.meeting.problems import Problem
from services.meeting.rectification import Rectification
from tests.factories import BRANCH, ORG, make_account, make_voting_branch
from tests.pages.helpers import page

pytestmark = pytest.mark.usefixtures("database")
TODAY = date.today()
TYPED = "<script>alert(1)</script> [点我](http://evil.example) =HYPERLINK(1)"
PAGES = [
    "progress.checklist",
    "meeting.study",
    "meeting.talks",
    "meeting.problems",
    "meeting.meeting_record",
    "meeting.rectification",
]


@pytest.fixture
def filled(monkeypatch):
    monkeypatch.setenv("BASE_URL", "http://192.168.1.10:8501")
    cid, path, links = make_voting_branch(full=7)
    ids = {link.label: link.member_id for link in links}
    study.record_study(actor=ORG, campaign_id=cid, branch_path=path, held_on=TODAY, topic=TYPED, materials=TYPED,
                       absent=[ids["赵刚"]])  # fmt: skip
    talks.save_talks(actor=ORG, campaign_id=cid, branch_path=path, counts={"committee": (2, TYPED)})
    token = public_link(actor=ORG, campaign_id=cid, branch_path=path, purpose="opinions", base_url="http://x")
    opinions.leave_opinion(token.rsplit("/", 1)[1], TYPED, sent_from_this_browser=0)
    problems.save_problems(actor=ORG, campaign_id=cid, branch_path=path, items=[Problem(TYPED, "学习", "自我查摆")])
    meeting_record.save_meeting(
        actor=ORG, campaign_id=cid, branch_path=path, absences={ids["张伟"]: TYPED},
        fields=MeetingFields(TODAY - timedelta(days=1), "会议室", "王芳", None, True, True, True, TYPED),
    )  # fmt: skip
    late = Rectification(TYPED, "措施", "王芳", TODAY - timedelta(days=1))
    rectification.save_rectifications(actor=ORG, campaign_id=cid, branch_path=path, items=[late])
    commitments.write_own(links[0].token, TYPED)
    return cid, path


def _markup(at) -> str:
    """Everything the page rendered as markdown (where a typed link or tag would come alive)."""
    return " ".join(m.value for m in [*at.markdown, *at.caption, *at.info, *at.warning, *at.error, *at.success])


@pytest.mark.parametrize("module", PAGES)
@pytest.mark.parametrize("role", ["branch_secretary", "general_branch_secretary"])
def test_each_page_renders_and_shows_typed_text_only_as_plain_text(filled, module, role):
    scope = BRANCH if role == "branch_secretary" else "机关党总支"
    at = page(module, make_account(role, scope)).run()
    assert not at.exception
    assert not at.error or module == "meeting.rectification"  # the overdue item
    shown = _markup(at)
    assert TYPED not in shown and "[点我](http" not in shown and "<script>" not in shown  # escaped wherever shown


def test_the_checklist_names_what_is_missing(filled):
    at = page("progress.checklist", make_account("branch_secretary", BRANCH)).run()
    captions = [c.value for c in at.caption]
    assert "还差：1 人次缺席学习，尚未送学" in captions
    assert "还差：1 条群众意见尚未处理" in captions
    assert any("名党员尚未填写整改承诺" in c for c in captions)


def test_the_rectification_page_marks_overdue_items_and_who_has_not_committed(filled):
    at = page("meeting.rectification", make_account("branch_secretary", BRANCH)).run()
    assert "1 项已超过整改时限、尚未完成" in at.error[0].value
    assert any(w.value.startswith("尚未填写：") for w in at.warning)
    assert any(t.value == TYPED for t in at.text)  # the commitment, as typed


def test_the_meeting_page_counts_who_came(filled):
    at = page("meeting.meeting_record", make_account("general_branch_secretary", "机关党总支")).run()
    assert any("应到 8 人，实到 7 人" in m.value for m in at.markdown)


def test_the_public_pages_addresses_are_shown_to_print_or_project(filled):
    secretary = make_account("branch_secretary", BRANCH)
    talks_page = " ".join(m.value for m in page("meeting.talks", secretary).run().markdown)
    assert "群众扫码或打开：`http://192.168.1.10:8501/o/" in talks_page and "每个浏览器最多 3 条" in talks_page
    publicity_page = " ".join(m.value for m in page("meeting.rectification", secretary).run().markdown)
    assert "公示页面：`http://192.168.1.10:8501/g/" in publicity_page
