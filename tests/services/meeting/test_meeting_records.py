"""The branch's year-end records: each one's round trip, its validations, and who may write it."""

import io
from datetime import date, timedelta

import pytest
from PIL import Image

from services.meeting import attachments, meeting_record, problems, rectification, study, talks
from services.meeting.meeting_record import MeetingFields
from services.meeting.problems import Problem
from services.meeting.rectification import Rectification
from services.platform.errors import InvalidInput, NotFound, NotPermitted
from tests.factories import BRANCH, BRANCH_MEMBERS, ORG, PROBATIONARY, make_account, make_voting_branch

pytestmark = pytest.mark.usefixtures("database")
TODAY = date.today()


@pytest.fixture
def branch():
    cid, path, links = make_voting_branch(full=7)
    return cid, path, {link.label: link.member_id for link in links}


def test_the_problem_list_round_trips_and_refuses_a_bad_row_whole(branch):
    cid, path, _ = branch
    items = [Problem("理论学习不够系统", "学习", "自我查摆"), Problem("联系群众不够", "作风", "征求意见")]
    saved = problems.save_problems(actor=ORG, campaign_id=cid, branch_path=path, items=items)
    assert [(p.text, p.category, p.source) for p in saved] == [(p.text, p.category, p.source) for p in items]
    for bad, message in (
        (Problem("  ", "学习", "自我查摆"), "请填写“第 2 项的问题”"),
        (Problem("x", "纪律", "自我查摆"), "第 2 项：请选择类别"),
        (Problem("很" * 501, "学习", "自我查摆"), "“第 2 项的问题”过长（501 字，最多 500 字）"),
        (Problem("a\x00b", "学习", "自我查摆"), "控制字符"),
    ):
        with pytest.raises(InvalidInput, match=message):
            problems.save_problems(actor=ORG, campaign_id=cid, branch_path=path, items=[items[0], bad])
        assert len(problems.list_problems(actor=ORG, campaign_id=cid, branch_path=path)) == 2  # nothing half-saved


def test_records_are_written_by_the_branch_and_read_by_the_general_branch(branch):
    cid, path, _ = branch
    general = make_account("general_branch_secretary", "机关党总支")
    with pytest.raises(NotPermitted, match="由支部书记（或其指定的支部委员）和组织部填写"):
        problems.save_problems(actor=general, campaign_id=cid, branch_path=path, items=[])
    secretary = make_account("branch_secretary", path)
    problems.save_problems(actor=secretary, campaign_id=cid, branch_path=path, items=[Problem("x", "其他", "自我查摆")])
    assert len(problems.list_problems(actor=general, campaign_id=cid, branch_path=path)) == 1


def _meeting(cid, path, held_on=TODAY - timedelta(days=1), absences=None):
    fields = MeetingFields(
        held_on, "党员活动室", "王芳", "机关党总支书记 李华", True, True, True, "<b>会议</b> [链接](x)"
    )
    return meeting_record.save_meeting(
        actor=ORG, campaign_id=cid, branch_path=path, fields=fields, absences=absences or {}
    )


def test_the_meeting_record_keeps_absences_with_reasons_and_flags_a_future_date(branch):
    cid, path, ids = branch
    view = _meeting(cid, path, absences={ids["张伟"]: "外出学习", ids[PROBATIONARY]: "生病住院"})
    assert view.record.place == "党员活动室" and view.record.notes == "<b>会议</b> [链接](x)"  # kept as typed
    assert view.absences == {ids["张伟"]: "外出学习", ids[PROBATIONARY]: "生病住院"}
    assert view.present == [n for n in [*BRANCH_MEMBERS[:2], *BRANCH_MEMBERS[2:]] if n != "张伟"]
    assert not view.in_future
    assert _meeting(cid, path, held_on=TODAY + timedelta(days=3)).in_future
    with pytest.raises(InvalidInput, match="请填写“李明的缺席原因”"):
        _meeting(cid, path, absences={ids["李明"]: " "})
    with pytest.raises(InvalidInput, match="不在本支部"):
        _meeting(cid, path, absences={999_999: "x"})
    assert meeting_record.meeting(actor=ORG, campaign_id=cid, branch_path=path).record.held_on == TODAY + timedelta(
        days=3
    )


def test_rectification_deadlines_states_evidence_and_overdue(branch):
    cid, path, _ = branch
    _meeting(cid, path, held_on=TODAY - timedelta(days=10))
    item = Rectification("学习不系统", "每月集中学习一次", "王芳", TODAY - timedelta(days=1))
    saved = rectification.save_rectifications(actor=ORG, campaign_id=cid, branch_path=path, items=[item])
    assert saved[0].overdue(TODAY)  # past its deadline and not done
    with pytest.raises(InvalidInput, match=r"第 1 项：整改时限 .* 早于组织生活会召开日期"):
        early = Rectification("x", "y", "王芳", TODAY - timedelta(days=11))
        rectification.save_rectifications(actor=ORG, campaign_id=cid, branch_path=path, items=[early])
    with pytest.raises(InvalidInput, match="第 1 项：标为“已完成”，请填写完成情况"):
        done = Rectification("x", "y", "王芳", TODAY, "done")
        rectification.save_rectifications(actor=ORG, campaign_id=cid, branch_path=path, items=[done])
    finished = Rectification("学习不系统", "每月集中学习一次", "王芳", TODAY - timedelta(days=1), "done", "已学 3 次")
    saved = rectification.save_rectifications(actor=ORG, campaign_id=cid, branch_path=path, items=[finished])
    assert saved[0].state == "done" and not saved[0].overdue(TODAY)
    going = Rectification("学习不系统", "每月集中学习一次", "王芳", TODAY + timedelta(days=30), "in_progress")
    saved = rectification.save_rectifications(actor=ORG, campaign_id=cid, branch_path=path, items=[going])
    assert saved[0].state == "in_progress" and not saved[0].overdue(TODAY)


def _png(size=(640, 480)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def test_attachments_are_images_within_limits_stored_in_the_database(branch, monkeypatch):
    cid, path, _ = branch
    photo = _png()
    info = attachments.add_attachment(
        actor=ORG, campaign_id=cid, branch_path=path, kind="photo", filename="会场.png", data=photo
    )
    assert info.content_type == "image/png" and info.size == len(photo)
    with Image.open(io.BytesIO(info.thumbnail)) as thumb:
        assert max(thumb.size) <= 320
    assert _files(cid, path) == [("会场.png", photo)]
    for name, data, message in (
        ("签到表.pdf", b"%PDF-1.4 not an image", "不是可以识别的图片"),
        ("截断.png", photo[: len(photo) // 2], "不是可以识别的图片"),
        ("大.png", b"\x89PNG" + b"0" * (10 * 1024 * 1024), "每个附件不超过 10 MB"),
    ):
        with pytest.raises(InvalidInput, match=message):
            attachments.add_attachment(
                actor=ORG, campaign_id=cid, branch_path=path, kind="sign_in", filename=name, data=data
            )
    monkeypatch.setattr(attachments, "MAX_PER_BRANCH", 2)
    attachments.add_attachment(
        actor=ORG, campaign_id=cid, branch_path=path, kind="sign_in", filename="b.png", data=_png((50, 40))
    )  # another picture: the same one again is refused for that alone
    with pytest.raises(InvalidInput, match="本支部已有 2 个附件，最多 2 个"):
        attachments.add_attachment(
            actor=ORG, campaign_id=cid, branch_path=path, kind="photo", filename="c.png", data=photo
        )
    listed = attachments.list_attachments(actor=ORG, campaign_id=cid, branch_path=path, thumbnails=False)
    assert [(a.filename, a.thumbnail) for a in listed] == [("会场.png", None), ("b.png", None)]  # the filing's list
    attachments.delete_attachment(actor=ORG, campaign_id=cid, branch_path=path, attachment_id=info.id)
    assert [a.filename for a in attachments.list_attachments(actor=ORG, campaign_id=cid, branch_path=path)] == ["b.png"]
    assert [name for name, _ in _files(cid, path)] == ["b.png"]  # deleted: gone from the files as well
    with pytest.raises(NotFound, match="找不到这个附件"):  # and not deleted twice
        attachments.delete_attachment(actor=ORG, campaign_id=cid, branch_path=path, attachment_id=info.id)


def _files(cid: int, path: str) -> list[tuple[str, bytes]]:
    files = attachments.attachment_files(actor=ORG, campaign_id=cid, branch_path=path)
    return [(a.filename, data) for a, data in files]


def test_study_sessions_list_the_absent_and_materials_taken_to_them(branch):
    cid, path, ids = branch
    study.set_suggested_materials(actor=ORG, campaign_id=cid, text="党章\n习近平新时代中国特色社会主义思想")
    assert study.suggested_materials(campaign_id=cid) == ["党章", "习近平新时代中国特色社会主义思想"]
    held = study.record_study(
        actor=ORG, campaign_id=cid, branch_path=path, held_on=TODAY - timedelta(days=20), topic="学习党章",
        materials="党章全文", absent=[ids["赵刚"], ids[PROBATIONARY]],
    )  # fmt: skip
    assert held.attended == 6 and [a.name for a in held.absent] == [PROBATIONARY, "赵刚"]
    study.mark_materials_sent(actor=ORG, campaign_id=cid, branch_path=path, session_id=held.id, member_id=ids["赵刚"])
    [again] = study.list_study(actor=ORG, campaign_id=cid, branch_path=path)
    assert [(a.name, a.materials_sent) for a in again.absent] == [(PROBATIONARY, False), ("赵刚", True)]
    with pytest.raises(InvalidInput, match="参加了这次学习"):
        study.mark_materials_sent(
            actor=ORG, campaign_id=cid, branch_path=path, session_id=held.id, member_id=ids["王芳"]
        )
    with pytest.raises(NotPermitted):
        study.set_suggested_materials(actor=make_account("branch_secretary", path), campaign_id=cid, text="x")


def test_talks_are_counted_per_kind_and_name_who_needs_a_visit(branch):
    cid, path, _ = branch
    saved = talks.save_talks(
        actor=ORG, campaign_id=cid, branch_path=path,
        counts={"committee": (3, None), "committee_member": (8, "逐一谈心"), "home_visit": (1, None)},
    )  # fmt: skip
    assert saved.total == 12 and saved.counts["committee_member"] == (8, "逐一谈心")
    with pytest.raises(InvalidInput, match="次数应为 0 到 10000 之间的整数"):
        talks.save_talks(actor=ORG, campaign_id=cid, branch_path=path, counts={"members": (-1, None)})
    assert talks.talks(actor=ORG, campaign_id=cid, branch_path=path).total == 12


def test_a_general_branch_path_is_no_branch(branch):
    cid, _, _ = branch
    with pytest.raises(NotFound, match="没有党支部"):
        problems.list_problems(actor=ORG, campaign_id=cid, branch_path="机关党总支")
    assert BRANCH.startswith("机关党总支/")
