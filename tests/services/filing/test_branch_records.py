"""The branch workbook carries everything the branch recorded: 集中学习, 谈心谈话, 书记述职 with last year's
整改, the meeting's photos and sign-in scans (image files in the ZIP, listed in the workbook), 反馈情况, and
overdue 整改 marked — read back from the saved ZIP as a reviewer would."""

import io
import zipfile
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from PIL import Image

from services.filing import branch_workbook, bundle
from services.grading import feedback_records, final_grades, results
from services.meeting import attachments, meeting_record, rectification, study, talks
from services.meeting.meeting_record import MeetingFields
from services.meeting.rectification import Rectification
from services.platform.clock import local, now
from services.sheets.figures import day
from tests.factories import ORG, make_account, make_voted_branch

pytestmark = pytest.mark.usefixtures("database")
TODAY = local(now()).date()
REPORT = "一年来，支部坚持“三会一课”，组织集中学习 4 次。\n不足：联系群众不够。"
LAST_YEAR = "上年查摆的 3 个问题已整改 2 个，1 个正在整改。"
FOLDER = "机关党总支/第一党支部_会议照片和签到表"


def _image(fmt: str, size: tuple[int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format=fmt)
    return out.getvalue()


def _day(d) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


@pytest.fixture
def recorded():
    cid, path, links = make_voted_branch(year=TODAY.year, deadline=TODAY + timedelta(days=20))
    where = {"actor": ORG, "campaign_id": cid, "branch_path": path}
    ids = {link.label: link.member_id for link in links}
    held = study.record_study(**where, held_on=TODAY - timedelta(days=10), topic="学习党章",
                              materials="《中国共产党章程》", absent=[ids["赵刚"], ids["杨帆"]])  # fmt: skip
    study.mark_materials_sent(**where, session_id=held.id, member_id=ids["赵刚"])
    talks.save_talks(**where, counts={"committee": (3, "支委之间逐一谈心"), "home_visit": (1, "到赵刚家中谈心")})
    fields = MeetingFields(TODAY - timedelta(days=5), "会议室", "王芳", None, True, True, True, None,
                           secretary_report=REPORT, last_year_rectification=LAST_YEAR)  # fmt: skip
    meeting_record.save_meeting(**where, fields=fields, absences={})
    attachments.add_attachment(**where, kind="photo", filename="现场.png", data=_image("PNG", (64, 48)))
    attachments.add_attachment(**where, kind="sign_in", filename="签到表", data=_image("JPEG", (40, 60)))
    rectification.save_rectifications(**where, items=[
        Rectification("学习不够", "每月学习", "王芳", TODAY - timedelta(days=1)),  # overdue
        Rectification("联系群众", "走访", "李明", TODAY - timedelta(days=2), "done", "已走访 12 户",
                      TODAY - timedelta(days=3)),  # done, by its deadline
        Rectification("作风", "整顿", "张伟", TODAY + timedelta(days=30)),  # not yet due
    ])  # fmt: skip
    found = results.branch_results(**where)
    unqualified = {"disposition": "限期改正", "disposition_note": "三个月"}
    entries = [final_grades.GradeEntry(r.member_id, r.suggestion.grade or "qualified", reason=None,
                                       **(unqualified if r.suggestion.grade == "unqualified" else {}))
               for r in found.rows]  # fmt: skip
    secretary = make_account("branch_secretary", path)
    final_grades.save_grades(actor=secretary, campaign_id=cid, branch_path=path, entries=entries)
    final_grades.submit_grades(actor=secretary, campaign_id=cid, branch_path=path)
    final_grades.approve_grades(**where, comment="同意")
    told = [r for r in feedback_records.branch_feedback(**where).rows if r.name != "王芳"]
    feedback_records.record_feedback(
        **where, entries=[feedback_records.FeedbackEntry(r.member_id, TODAY, "talk", "李明") for r in told]
    )
    return cid, path


def _rows(ws) -> list[tuple]:
    return [row for row in ws.iter_rows(values_only=True) if any(v not in (None, "") for v in row)]


def _table(ws, first: str) -> dict:
    """The sheet's table rows keyed by the value in column `first` (0-based index in the header)."""
    return {row[first]: row for row in _rows(ws)}


def test_the_zip_holds_the_meeting_images_and_the_workbook_every_record(recorded):
    cid, _ = recorded
    made = bundle.bundle(actor=ORG, campaign_id=cid, today=TODAY)
    archive = zipfile.ZipFile(io.BytesIO(made.data))
    photo, scan = f"{FOLDER}/01_会议照片_现场.png", f"{FOLDER}/02_签到表扫描件_签到表.jpg"
    assert {photo, scan} <= set(archive.namelist())
    assert Image.open(io.BytesIO(archive.read(photo))).size == (64, 48)
    assert Image.open(io.BytesIO(archive.read(scan))).format == "JPEG"
    book = load_workbook(io.BytesIO(archive.read(f"机关党总支/{TODAY.year}年度民主评议党员_第一党支部.xlsx")))
    assert {"集中学习", "谈心谈话", "书记述职", "会议照片", "反馈情况", "组织处置", "整改清单"} <= set(book.sheetnames)

    learned = _table(book["集中学习"], 2)["学习党章"]
    assert learned[:5] == (1, _day(TODAY - timedelta(days=10)), "学习党章", "《中国共产党章程》", 6)
    assert "赵刚" in learned[5] and "杨帆" in learned[5]
    assert learned[6] == "已送学：赵刚；未送学：杨帆"

    talked = _table(book["谈心谈话"], 1)
    assert talked["支委委员之间"][2:] == (3, "支委之间逐一谈心")
    assert talked["上门谈心（年老体弱、外出党员）"][2:] == (1, "到赵刚家中谈心")
    assert talked["合计"][2] == 4

    report = _table(book["书记述职"], 0)
    assert report["支部书记述职"][1] == "是"
    assert report["述职内容"][1] == REPORT and report["上年整改落实情况"][1] == LAST_YEAR

    listed = _table(book["会议照片"], 0)
    assert listed[1][1:] == ("会议照片", photo, "现场.png") and listed[2][1:] == ("签到表扫描件", scan, "签到表")

    fed = _table(book["反馈情况"], 1)
    assert fed["李明"][3:] == (_day(TODAY), "个别谈话", "李明")
    assert fed["王芳"][3] == "未记录"
    assert any("1 名党员的反馈尚未记录" in str(row[0]) for row in _rows(book["反馈情况"]))

    fixes = _table(book["整改清单"], 1)
    header = next(row for row in _rows(book["整改清单"]) if row[0] == "序号")
    late = header.index("逾期")
    assert [fixes[p][late] or "" for p in ("学习不够", "联系群众", "作风")] == ["逾期", "", ""]
    assert (
        fixes["联系群众"][header.index("状态")] == f"已完成（{day(TODAY - timedelta(days=3))}）"
    )  # the day it was done
    assert any("逾期未完成 1 项" in str(row[0]) for row in _rows(book["整改清单"]))
    cover = load_workbook(io.BytesIO(archive.read("00_封面与目录.xlsx"))).active
    assert any(row[1] == f"{FOLDER}/" for row in cover.iter_rows(values_only=True))


def test_a_branch_with_nothing_recorded_says_so_on_each_sheet():
    other, path, _ = make_voted_branch(year=TODAY.year, deadline=TODAY + timedelta(days=20))
    made = branch_workbook.branch_workbook(actor=ORG, campaign_id=other, campaign_title="t", year=TODAY.year,
                                           branch_path=path, today=TODAY)  # fmt: skip
    book = load_workbook(io.BytesIO(made.data))
    banners = {
        title: _rows(book[title])[2][0] for title in ("集中学习", "谈心谈话", "书记述职", "会议照片", "反馈情况")
    }
    assert banners == {
        "集中学习": "未完成：尚未记录集中学习",
        "谈心谈话": "未完成：尚未记录谈心谈话",
        "书记述职": "未完成：书记述职内容、上年整改落实情况尚未填写",
        "会议照片": "未完成：尚未上传签到表扫描件",
        "反馈情况": "未完成：评定格次尚未经上级党组织审批，尚未反馈",
    }


def test_the_workbook_made_alone_lists_the_stored_images(recorded):
    cid, path = recorded
    made = branch_workbook.branch_workbook(actor=ORG, campaign_id=cid, campaign_title="t", year=TODAY.year,
                                           branch_path=path, today=TODAY)  # fmt: skip
    listed = _rows(load_workbook(io.BytesIO(made.data))["会议照片"])
    assert (1, "会议照片", "现场.png", "现场.png") in listed
    assert any(row[0] == "图片文件随备案材料（ZIP）提供" for row in listed)
