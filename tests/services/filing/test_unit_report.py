"""Seals, signatures and the unit's written report in the filing ZIP: 计票人 / 监票人 under 民主测评统计表, the
upper organization's approval under 民主评议结果, the 党统 cover lines on the summary and the cover (entered once
per unit), and the .docx report read back with python-docx, its figures against the services."""

import io
import zipfile
from dataclasses import replace

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlmodel import select

from models import Member
from services.filing import bundle, unit_details
from services.filing.unit_report import title
from services.grading import results
from services.meeting import meeting_record, opinions, problems, rectification
from services.platform.db import session_scope
from services.sheets.figures import day
from services.staff import audit
from tests.factories import ORG, make_account
from tests.services.filing import test_filing
from tests.services.filing.test_filing import DIRECT, FIRST, SECOND, TODAY

pytestmark = pytest.mark.usefixtures("database")
committee = test_filing.committee  # the fixture: three branches, the first complete
GENERAL = "机关党总支"
PHONE = "010-6275 1234 转 8"
SECTIONS = {
    "overview": "总支委员会专题研究部署，制定了工作方案。\n各支部书记参加了培训。",
    "next_steps": "继续抓好整改落实。",
}


def _zip(actor, cid, **kw) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(bundle.bundle(actor=actor, campaign_id=cid, today=TODAY, **kw).data))


def _lines(archive, name) -> list[str]:
    sheet = load_workbook(io.BytesIO(archive.read(name))).active
    return [str(c) for row in sheet.iter_rows(values_only=True) for c in row if isinstance(c, str)]


def _sheet_lines(archive, name, sheet) -> list[str]:
    ws = load_workbook(io.BytesIO(archive.read(name)))[sheet]
    return [str(c) for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)]


def _paragraphs(archive, name) -> list[str]:
    return [p.text for p in Document(io.BytesIO(archive.read(name))).paragraphs]


def test_a_unit_enters_its_cover_lines_once_and_they_are_on_the_summary_and_the_cover(committee):
    cid, _ = committee
    general = make_account("general_branch_secretary", GENERAL, username="zzb")
    blank = _lines(_zip(general, cid), "民主评议党员情况统计表.xlsx")
    assert any(line.startswith("填报单位（盖章）：机关党总支　　负责人（签名）：　　　　　　") for line in blank)
    unit_details.save_details(actor=general, campaign_id=cid, unit_path=GENERAL, leader="张书记", preparer="李干事",
                              office_phone=PHONE, sections=SECTIONS)  # fmt: skip
    archive = _zip(general, cid)
    expected = (f"填报单位（盖章）：机关党总支　　负责人（签名）：张书记　　填表人（签名）：李干事　　联系电话：{PHONE}"
                f"　　报出日期：{day(TODAY)}")  # fmt: skip
    assert expected in _lines(archive, "民主评议党员情况统计表.xlsx")
    assert expected in _lines(archive, "00_封面与目录.xlsx")
    logged = [e for e in audit.list_entries(actor=ORG, campaign_id=cid) if e.action == "filing.unit_details"]
    assert [e.target for e in logged] == [GENERAL]


def test_the_tally_sheet_names_who_counted_and_who_watched_a_blank_to_sign_until_entered(committee):
    cid, _ = committee
    name = f"{GENERAL}/{TODAY.year}年度民主评议党员_第一党支部.xlsx"
    before = _sheet_lines(_zip(ORG, cid), name, "民主测评统计表")
    assert "计票人（签名）：　　　　　　　　　　监票人（签名）：　　　　　　" in before
    where = {"actor": ORG, "campaign_id": cid, "branch_path": FIRST}
    view = meeting_record.meeting(**where)
    fields = replace(view.record, counted_by="刘洋", scrutinized_by="陈静")
    meeting_record.save_meeting(**where, fields=fields, absences={})
    assert meeting_record.meeting(**where).record.counted_by == "刘洋"
    after = _sheet_lines(_zip(ORG, cid), name, "民主测评统计表")
    assert "计票人（签名）：刘洋　　　　监票人（签名）：陈静" in after


def test_the_results_sheet_carries_the_upper_organizations_approval_with_its_date_and_comment(committee):
    cid, _ = committee
    lines = _sheet_lines(_zip(ORG, cid), f"{GENERAL}/{TODAY.year}年度民主评议党员_第一党支部.xlsx", "民主评议结果")
    assert f"上级党组织审批意见（盖章）：同意（{ORG.display_name}）　　审批日期：{day(TODAY)}" in lines


def _cadres(cid) -> None:
    """王芳 and 李明 are leading cadres; 李明 missed the meeting."""
    with session_scope() as session:
        for member in session.exec(select(Member).where(Member.campaign_id == cid, Member.name.in_(["王芳", "李明"]))):
            member.is_leading_cadre = True
            session.add(member)
    where = {"actor": ORG, "campaign_id": cid, "branch_path": FIRST}
    view = meeting_record.meeting(**where)
    absent = next(m for m, n, _ in view.members if n == "李明")
    meeting_record.save_meeting(**where, fields=view.record, absences={absent: "出差"})


def test_the_general_branchs_report_is_filled_from_the_data_and_its_own_paragraphs(committee):
    cid, _ = committee
    _cadres(cid)
    general = make_account("general_branch_secretary", GENERAL, username="zzb")
    unit_details.save_details(actor=general, campaign_id=cid, unit_path=GENERAL, leader="张书记", preparer=None,
                              office_phone=None, sections=SECTIONS)  # fmt: skip
    archive = _zip(general, cid)
    name = f"{TODAY.year}年度组织生活会和民主评议党员情况报告_机关党总支.docx"
    assert name in archive.namelist()
    text = _paragraphs(archive, name)
    assert text[0] == title(TODAY.year) == f"关于召开{TODAY.year}年度基层党组织组织生活会和开展民主评议党员情况的报告"
    found = results.branch_results(actor=ORG, campaign_id=cid, branch_path=FIRST)
    grades = {g: sum(1 for r in found.rows if r.final.grade == g)
              for g in ("excellent", "qualified", "basically_qualified", "unqualified")}  # fmt: skip
    disposed = sum(1 for r in found.rows if r.final.disposition)
    body = "\n".join(text)
    assert "机关党总支共有党支部 2 个，党员 11 名，其中正式党员 10 名、预备党员 1 名。" in body
    assert "总支委员会专题研究部署，制定了工作方案。" in text and "各支部书记参加了培训。" in text
    assert (
        "1 个党支部召开了组织生活会（共 2 个）。党员领导干部 1 名以普通党员身份参加所在党支部的组织生活会：王芳。"
        in body
    )
    second = 3  # 第二党支部 has not voted: its members are 应参评, none took part
    assert f"应参评党员 {found.voters + second} 名，实参评 {found.received} 名" in body
    assert (f"评定格次：优秀 {grades['excellent']} 名、合格 {grades['qualified']} 名、"
            f"基本合格 {grades['basically_qualified']} 名、不合格 {grades['unqualified']} 名；"
            f"预备党员 {len(found.probationary)} 名不评定等次。") in body  # fmt: skip
    assert (f"组织处置 {disposed} 名：限期改正 {disposed} 名。" if disposed else "没有需要作出组织处置的党员。") in body
    listed = problems.list_problems(actor=ORG, campaign_id=cid, branch_path=FIRST)
    heard = opinions.list_opinions(actor=ORG, campaign_id=cid, branch_path=FIRST)
    assert f"共查摆问题 {len(listed)} 条（学习 {len(listed)} 条）；征求意见建议 {len(heard)} 条，采纳 0 条。" in body
    items = rectification.list_rectifications(actor=ORG, campaign_id=cid, branch_path=FIRST)
    assert f"列入整改清单 {len(items)} 项，已完成 0 项，正在整改 {len(items)} 项。" in body
    assert "继续抓好整改落实。" in text
    assert text[-2:] == ["机关党总支（盖章）", day(TODAY)]


def test_the_committees_zip_has_its_own_report_and_each_unit_reports_its_own(committee):
    cid, _ = committee
    archive = _zip(ORG, cid)
    name = f"{TODAY.year}年度组织生活会和民主评议党员情况报告_江海学院党委.docx"
    assert [n for n in archive.namelist() if n.endswith(".docx")] == [name]
    top = _paragraphs(archive, name)
    assert top[1] == "上级党组织："
    assert "江海学院党委下设党总支 1 个、直属党支部 1 个，共有党支部 3 个，党员 15 名，其中正式党员 14 名" in "\n".join(
        top
    )
    assert name in _lines(archive, "00_封面与目录.xlsx")
    direct = make_account("branch_secretary", DIRECT, username="zs")
    mine = _zip(direct, cid)
    own = _paragraphs(mine, f"{TODAY.year}年度组织生活会和民主评议党员情况报告_图书馆直属党支部.docx")
    assert "图书馆直属党支部共有党支部 1 个，党员 4 名，其中正式党员 4 名、预备党员 0 名。" in own
    branch = make_account("branch_secretary", SECOND, username="zb2")  # a branch under a general branch: no report
    assert not [n for n in _zip(branch, cid).namelist() if n.endswith(".docx")]
