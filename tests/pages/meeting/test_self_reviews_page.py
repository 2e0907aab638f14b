"""党性分析 through AppTest: the counts and names without the texts, the reminder naming those missing, 代录 by
the secretary, the printable texts for the branch's runners only, and no form once the meeting is held."""

from datetime import timedelta

import pytest

from services.meeting import self_review_list, self_reviews
from services.meeting.meeting_record import MeetingFields, save_meeting
from tests.factories import BRANCH, ORG, PROBATIONARY, make_account, make_voting_branch
from tests.pages.helpers import page

pytestmark = pytest.mark.usefixtures("database")
SECRET_WORDS = "我在学习上有差距"


def _shown(markdown: str) -> str:
    return markdown.replace("\\", "")


def test_the_secretary_sees_who_is_missing_and_enters_one_for_a_member():
    cid, path, links = make_voting_branch(full=3)
    self_reviews.write_own(links[0].token, SECRET_WORDS)
    secretary = make_account("branch_secretary", BRANCH)
    at = page("meeting.self_reviews", secretary).run()
    assert not at.exception
    assert [(m.label, m.value) for m in at.metric] == [("应交", "4"), ("已交", "1"), ("其中代录", "0"), ("未交", "3")]
    assert _shown(at.warning[0].value) == f"尚未提交：李明、{PROBATIONARY}、张伟"
    assert SECRET_WORDS not in repr(at.dataframe[0].value) and "王芳" in repr(at.dataframe[0].value)
    assert any(b.label.startswith("打印党性分析材料（1 份") for b in at.get("download_button"))
    sun = next(link for link in links if link.label == PROBATIONARY)
    at.selectbox[-1].set_value(sun.member_id)
    at.text_area[0].input("本人口述，支部代录。")
    at.button[-1].click().run()
    assert not at.exception and _shown(at.success[0].value) == f"已保存为{PROBATIONARY}代录的党性分析。"
    listed = self_review_list.self_review_list(actor=ORG, campaign_id=cid, branch_path=path)
    assert [(s.name, s.how) for s in listed.submitted] == [("王芳", "本人"), (PROBATIONARY, "代录")]


def test_a_reader_sees_the_counts_only_and_nobody_writes_once_the_meeting_is_held():
    cid, path, links = make_voting_branch(full=3)
    self_reviews.write_own(links[0].token, SECRET_WORDS)
    reader = make_account("general_branch_secretary", "机关党总支")
    at = page("meeting.self_reviews", reader).run()
    assert not at.exception and [m.value for m in at.metric] == ["4", "1", "0", "3"]
    assert not at.get("download_button") and not at.text_area
    held_on = self_reviews.today() - timedelta(days=1)
    save_meeting(actor=ORG, campaign_id=cid, branch_path=path, fields=MeetingFields(held_on, "会议室", "王芳"),
                 absences={})  # fmt: skip
    at = page("meeting.self_reviews", make_account("branch_secretary", BRANCH)).run()
    assert not at.exception and "组织生活会已召开" in at.info[0].value
    assert not at.text_area and at.get("download_button")  # still printable, no longer writable


def test_before_voting_the_secretary_generates_personal_links_and_downloads_the_sheet(monkeypatch):
    from tests.services.grading.test_personal_links import roster_only_branch

    monkeypatch.setenv("BASE_URL", "http://192.168.1.10:8501")
    cid, path = roster_only_branch()
    secretary = make_account("branch_secretary", path)
    at = page("meeting.self_reviews", secretary).run()
    assert not at.exception
    assert "党性分析链接" in [h.value for h in at.subheader]
    assert any(m.value.startswith("党员用本人的链接填写党性分析") for m in at.markdown)
    assert "个人链接表" not in " ".join(d.label for d in at.get("download_button"))
    at.button(key="issue_personal_links").click().run()
    assert not at.exception and "已生成个人链接" in at.success[0].value
    assert "个人链接表（3 人，.xlsx）" in [d.label for d in at.get("download_button")]
    issued = at.session_state[f"personal_links:{cid}:{path}"]
    assert issued[0].url.startswith("http://192.168.1.10:8501/p/")
    assert self_reviews.own_review(issued[0].token).name == "王芳"  # opens the 党性分析 form


def test_a_reader_of_the_branch_gets_no_personal_link_button():
    _cid, _path, _links = make_voting_branch(full=3)
    reader = make_account("general_branch_secretary", "机关党总支")
    at = page("meeting.self_reviews", reader).run()
    assert not at.exception and next((m.label, m.value) for m in at.metric) == ("应交", "4")
    assert "党性分析链接" not in [h.value for h in at.subheader]
    assert not [b for b in at.button if b.key == "issue_personal_links"]
