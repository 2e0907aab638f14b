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


def test_an_opinion_put_on_the_problem_list_stays_adopted_and_a_second_click_adds_nothing(filled):
    cid, path = filled
    secretary = make_account("branch_secretary", BRANCH)
    url = public_link(actor=ORG, campaign_id=cid, branch_path=path, purpose="opinions", base_url="http://x")
    opinions.leave_opinion(url.rsplit("/", 1)[1], "窗口办事要跑好几趟", sent_from_this_browser=0)
    for typed in opinions.list_opinions(actor=ORG, campaign_id=cid, branch_path=path)[:1]:  # the fixture's: noted
        opinions.mark_opinion(actor=ORG, campaign_id=cid, branch_path=path, opinion_id=typed.id, state="noted")
    opinion = opinions.list_opinions(actor=ORG, campaign_id=cid, branch_path=path)[1]
    at = page("meeting.talks", secretary).run()
    at.selectbox(key=f"opinion_category_{opinion.id}").select("作风").run()
    at.button(key=f"opinion_copy_{opinion.id}").click().run()
    assert not at.exception
    assert at.success[0].value == "已列入问题清单第 2 项，这条意见标为“已采纳”。"
    at.run()  # a further rerun must not write the old 未处理 back
    assert opinions.list_opinions(actor=ORG, campaign_id=cid, branch_path=path)[1].state == "adopted"
    at.button(key=f"opinion_copy_{opinion.id}").click().run()
    assert "这条意见已在问题清单中（第 2 项），没有重复列入" in at.error[0].value
    listed = problems.list_problems(actor=ORG, campaign_id=cid, branch_path=path)
    assert [(p.category, p.source) for p in listed] == [("学习", "自我查摆"), ("作风", "征求意见")]
    steps = page("progress.checklist", secretary).run()
    assert "还差：1 条群众意见尚未处理" not in [c.value for c in steps.caption]


def test_the_problem_editor_sends_every_row_and_a_row_missing_its_category_is_named(filled):
    import json

    cid, path = filled
    at = page("meeting.problems", make_account("branch_secretary", BRANCH)).run()
    [editor] = at.data_editor
    columns = json.loads(editor.proto.columns)
    # A required cell makes the browser hold a half-filled row back, so it vanished on saving.
    assert not any(config.get("required") for config in columns.values())
    key = f"problems:{cid}:{path}"
    at.session_state[key] = {"edited_rows": {}, "added_rows": [{"问题": "调查研究不够", "来源": "自我查摆"}],
                             "deleted_rows": []}  # fmt: skip
    at.button(key="save_problems").click().run()
    assert "第 2 项：请选择类别" in at.error[0].value
    assert len(problems.list_problems(actor=ORG, campaign_id=cid, branch_path=path)) == 1  # nothing half-saved
    only_kind = {"类别": "作风", "来源": "自我查摆"}  # the problem's own text left empty
    at.session_state[key] = {"edited_rows": {}, "added_rows": [only_kind], "deleted_rows": []}
    at.button(key="save_problems").click().run()
    assert not at.exception and "第 2 项的问题" in at.error[0].value
    row = {"问题": "调查研究不够", "类别": "作风", "来源": "自我查摆"}
    at.session_state[key] = {"edited_rows": {}, "added_rows": [row], "deleted_rows": []}
    at.button(key="save_problems").click().run()
    assert at.success[0].value == "已保存 2 项"


def test_a_publicity_period_in_the_past_is_refused_on_the_page_and_step_6_stays_open(filled):
    from services.platform.clock import local, now

    today = local(now()).date()
    secretary = make_account("branch_secretary", BRANCH)
    at = page("meeting.rectification", secretary).run()
    at.date_input(key="publicity_from").set_value(today - timedelta(days=11))
    at.date_input(key="publicity_to").set_value(today - timedelta(days=6))
    at.button(key="publish").click().run()
    shown = [e.value.replace("\\", "") for e in at.error]  # as markdown escapes it
    assert any(f"公示开始日期 {today - timedelta(days=11)} 早于今天" in e for e in shown), shown
    steps = page("progress.checklist", secretary).run()
    assert not any("公示" in s.value and "已完成" in s.value for s in steps.markdown)
    at.date_input(key="publicity_from").set_value(today)
    at.date_input(key="publicity_to").set_value(today + timedelta(days=4))
    at.button(key="publish").click().run()
    assert not [e for e in at.error if "早于今天" in e.value]


@pytest.mark.parametrize("module", PAGES[1:])
def test_a_reported_units_pages_say_it_is_frozen_and_offer_no_edit_form(filled, module):
    from sqlmodel import select

    from models import OrgUnit, UnitReport
    from models.reporting import ReportState
    from services.platform.db import session_scope

    cid, _ = filled
    with session_scope() as session:  # the general branch's package went to the Organization Department
        unit = session.exec(select(OrgUnit).where(OrgUnit.campaign_id == cid, OrgUnit.path == "机关党总支")).one()
        session.add(UnitReport(campaign_id=cid, unit_id=unit.id, state=ReportState.reported))
    at = page(module, make_account("branch_secretary", BRANCH)).run()
    assert not at.exception
    assert any("材料已冻结" in i.value for i in at.info)  # said before anyone types
    assert not at.data_editor and not at.date_input  # no table or form to fill in
    assert all(b.disabled for b in at.button if b.label.startswith(("保存", "发布", "修改", "记录", "上传")))


def test_pages_open_on_the_newest_campaign_holding_a_branch_and_say_where_one_is_otherwise():
    from services.campaign import campaigns
    from tests.factories import make_campaign

    cid, _, _ = make_voting_branch()
    title = campaigns.get_campaign(actor=ORG, campaign_id=cid).title
    newer = make_campaign(year=2031, title="2031年度民主评议党员")  # newest: a draft, no roster yet
    at = page("meeting.study", ORG).run()
    assert at.selectbox(key="study_campaign").value == cid
    assert not any("没有您可以管理" in i.value for i in at.info)
    at.selectbox(key="study_campaign").set_value(newer).run()
    assert any(f"您可以管理的党支部在：{title}。请在上方“选择评议活动”中切换。" in i.value for i in at.info)


def test_the_rectification_editor_sends_every_row_and_a_row_missing_who_is_named(filled):
    import json

    cid, path = filled
    at = page("meeting.rectification", make_account("branch_secretary", BRANCH)).run()
    [editor] = at.data_editor
    assert not any(config.get("required") for config in json.loads(editor.proto.columns).values())
    key = f"rectification:{cid}:{path}"
    row = {"其他问题": "调查研究不够", "整改措施": "每季度走访", "整改时限": str(TODAY + timedelta(days=30))}
    at.session_state[key] = {"edited_rows": {}, "added_rows": [row], "deleted_rows": []}
    at.button(key="save_rectification").click().run()
    assert any("第 2 项" in e.value and "责任人" in e.value for e in at.error)
    assert len(rectification.list_rectifications(actor=ORG, campaign_id=cid, branch_path=path)) == 1


def test_the_secretary_replaces_the_opinion_link_from_the_talks_page(filled):
    cid, path = filled
    secretary = make_account("branch_secretary", BRANCH)
    before = public_link(actor=secretary, campaign_id=cid, branch_path=path, purpose="opinions", base_url="http://x")
    at = page("meeting.talks", secretary).run()
    at.button(key="renew_opinions").click().run()
    assert not at.exception
    assert "原来的链接已作废" in " ".join(s.value for s in at.success)
    after = public_link(actor=secretary, campaign_id=cid, branch_path=path, purpose="opinions", base_url="http://x")
    assert after != before and opinions.target(before.rsplit("/", 1)[1]) is None
    assert after.rsplit("/", 1)[1] in _markup(at)  # the page now shows the new address
    reader = page("meeting.talks", make_account("general_branch_secretary", "机关党总支")).run()
    assert not [b for b in reader.button if b.key == "renew_opinions"]  # who may not write sees no button
