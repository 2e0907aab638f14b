"""Each member's 党性分析 from their personal link: the length limit, a photo through the image checks, saving
again replaces, read-only once the meeting is held, the branch's list without the texts, 代录 audited, and
the texts only for the branch's runners."""

import io
from datetime import timedelta

import pytest
from PIL import Image
from sqlmodel import select

from models import AuditEntry
from services.meeting import self_review_list, self_reviews
from services.meeting.meeting_record import MeetingFields, save_meeting
from services.platform.db import session_scope
from services.platform.errors import InvalidInput, InvalidTransition, NotFound, NotPermitted
from tests.factories import ORG, PROBATIONARY, make_account, make_voting_branch

pytestmark = pytest.mark.usefixtures("database")


@pytest.fixture
def branch():
    return make_voting_branch(full=3)  # 王芳, 李明, 孙丽 (probationary), 张伟


def _png(colour=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 60), colour).save(out, "PNG")
    return out.getvalue()


def _hold_meeting(cid, path, held_on):
    save_meeting(actor=ORG, campaign_id=cid, branch_path=path, fields=MeetingFields(held_on, "会议室", "王芳"),
                 absences={})  # fmt: skip


def test_a_member_writes_theirs_within_the_limit_and_saving_again_replaces(branch):
    cid, path, links = branch
    wang = links[0].token
    assert self_reviews.own_review(wang).text is None
    with pytest.raises(InvalidInput, match=r"“党性分析”过长（3001 字，最多 3000 字）"):
        self_reviews.write_own(wang, "党" * 3001)
    with pytest.raises(InvalidInput, match="请填写党性分析，或上传一张手写稿的照片"):
        self_reviews.write_own(wang, "   ")
    assert self_reviews.own_review(wang).updated_at is None  # nothing kept of a refused save
    self_reviews.write_own(wang, "党" * 3000)
    saved = self_reviews.write_own(wang, "对照合格党员标准，\r\n我在学习上还有差距。")
    assert (saved.text, saved.by_secretary, saved.locked) == ("对照合格党员标准，\n我在学习上还有差距。", False, False)
    listed = self_review_list.self_review_list(actor=ORG, campaign_id=cid, branch_path=path)
    assert [(s.name, s.how, s.has_text, s.has_image) for s in listed.submitted] == [("王芳", "本人", True, False)]
    assert [m.name for m in listed.missing] == ["李明", PROBATIONARY, "张伟"]
    with pytest.raises(NotFound):
        self_reviews.write_own("0" * 26, "我的党性分析")


def test_a_photo_of_a_handwritten_page_goes_through_the_image_checks(branch):
    _cid, _path, links = branch
    li = links[1].token
    with pytest.raises(InvalidInput, match="不是可以识别的照片"):
        self_reviews.write_own(li, None, image=b"%PDF-1.4 not a photo", image_name="自评.pdf")
    saved = self_reviews.write_own(li, None, image=_png(), image_name="手写稿.png")
    assert saved.text is None and saved.thumbnail.startswith(b"\x89PNG")
    kept = self_reviews.write_own(li, "补充几句")  # the photo stays when only the text changes
    assert kept.thumbnail == saved.thumbnail and kept.text == "补充几句"
    with pytest.raises(InvalidInput, match="请填写党性分析"):
        self_reviews.write_own(li, "", drop_image=True)  # neither text nor photo left
    assert self_reviews.write_own(li, "只留文字", drop_image=True).thumbnail is None


def test_read_only_once_the_meeting_is_held_for_the_member_and_the_branch(branch):
    cid, path, links = branch
    wang = links[0].token
    today = self_reviews.today()
    _hold_meeting(cid, path, today + timedelta(days=3))  # planned, not yet held
    self_reviews.write_own(wang, "会前写好")
    _hold_meeting(cid, path, today)
    assert self_reviews.own_review(wang).locked
    with pytest.raises(InvalidTransition, match="组织生活会已召开，不能再修改"):
        self_reviews.write_own(wang, "会后改写")
    with pytest.raises(InvalidTransition, match="组织生活会已召开"):
        self_reviews.enter_for(actor=ORG, campaign_id=cid, branch_path=path, member_id=links[1].member_id, text="x")
    assert self_reviews.own_review(wang).text == "会前写好"


def test_the_branch_enters_one_for_a_member_audited_and_marked(branch):
    cid, path, links = branch
    secretary = make_account("branch_secretary", path)
    sun = next(link for link in links if link.label == PROBATIONARY)
    self_reviews.enter_for(actor=secretary, campaign_id=cid, branch_path=path, member_id=sun.member_id,
                           text="本人口述，支部代录。")  # fmt: skip
    [row] = self_review_list.self_review_list(actor=secretary, campaign_id=cid, branch_path=path).submitted
    assert (row.name, row.how) == (PROBATIONARY, "代录")
    with session_scope() as session:
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "self_review.enter")).one()
        assert (entry.actor, entry.target) == (secretary.username, f"{path}：{PROBATIONARY}")
        assert "本人口述" not in (entry.detail or "")  # the text is never in the log
    assert self_reviews.write_own(sun.token, "本人重新写过").by_secretary is False  # the member's own replaces it
    with pytest.raises(InvalidInput, match="不在本支部"):
        self_reviews.enter_for(actor=secretary, campaign_id=cid, branch_path=path, member_id=10**6, text="x")


def test_the_list_never_carries_the_texts_which_only_runners_read_and_print(branch):
    cid, path, links = branch
    self_reviews.write_own(links[0].token, "<b>学习不够</b>")
    self_reviews.write_own(links[1].token, None, image=_png(), image_name="p.png")
    reader = make_account("general_branch_secretary", "机关党总支")
    listed = self_review_list.self_review_list(actor=reader, campaign_id=cid, branch_path=path)
    assert (len(listed.submitted), len(listed.missing), listed.total) == (2, 2, 4)
    assert "学习不够" not in repr(listed)
    with pytest.raises(NotPermitted):
        self_review_list.review_texts(actor=reader, campaign_id=cid, branch_path=path)
    with pytest.raises(NotPermitted):
        self_review_list.printable_html(actor=reader, campaign_id=cid, branch_path=path)
    page = self_review_list.printable_html(actor=ORG, campaign_id=cid, branch_path=path).decode()
    assert "&lt;b&gt;学习不够&lt;/b&gt;" in page and "data:image/png;base64," in page
    assert "应交 4 人，已交 2 人（其中代录 0 人），未交 2 人" in page
    with session_scope() as session:
        downloads = session.exec(select(AuditEntry.target).where(AuditEntry.action == "export.download")).all()
    assert downloads == [f"{path}：党性分析（2 份）"]
    text = self_review_list.reminder_text(branch_name="第一党支部", missing=[m.name for m in listed.missing])
    assert f"{PROBATIONARY}、张伟同志尚未提交" in text and "3000 字以内" in text
