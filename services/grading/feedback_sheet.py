"""Feedback recorded in bulk from a sheet (`manage.py record-feedback`): columns 姓名, 日期, 方式, 反馈人, in an
.xlsx or a .csv. All rows or none; every problem with its row and column."""

import re
from dataclasses import dataclass
from datetime import date

from sqlmodel import select

from models import Member
from models.grading import FEEDBACK_WAYS
from services.campaign.org import branch_unit
from services.grading.feedback_records import (
    WAY_BY_LABEL,
    BranchFeedback,
    FeedbackEntry,
    FeedbackRejected,
    record_feedback,
)
from services.platform.db import session_scope
from services.platform.errors import ImportRejected, NotPermitted, RowError
from services.sheets.reading import read_table
from services.staff.access import Actor, may_run_voting, require_unit

# Column -> the headers taken for it.
COLUMNS = {"姓名": ("姓名",), "日期": ("日期", "反馈日期"), "方式": ("方式", "反馈方式"), "反馈人": ("反馈人",)}
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")


@dataclass(frozen=True)
class FeedbackLine:
    row: int  # as the spreadsheet numbers it
    name: str
    given_on: date
    way: str
    given_by: str


def record_feedback_from_file(
    *, actor: Actor, campaign_id: int, branch_path: str, filename: str, data: bytes
) -> BranchFeedback:
    require_unit(actor, branch_path)
    if not may_run_voting(actor, branch_path):  # who may, before reading anything
        raise NotPermitted("没有权限：反馈情况由支部书记（或其指定的支部委员）和组织部记录")
    lines = read_feedback(filename, data)
    with session_scope() as session:
        branch = branch_unit(session, campaign_id, branch_path)
        ids = dict(session.exec(select(Member.name, Member.id).where(Member.branch_id == branch.id)).all())
    unknown = [RowError(x.row, "姓名", f"“{x.name}”不是本支部的党员") for x in lines if x.name not in ids]
    if unknown:
        raise ImportRejected(unknown)
    entries = [FeedbackEntry(ids[x.name], x.given_on, x.way, x.given_by) for x in lines]
    try:
        return record_feedback(actor=actor, campaign_id=campaign_id, branch_path=branch_path, entries=entries)
    except FeedbackRejected as refused:
        raise ImportRejected([RowError(lines[p.index].row, p.column, p.message) for p in refused.problems]) from None


def read_feedback(filename: str, data: bytes) -> list[FeedbackLine]:
    """The sheet's rows; refuses the whole file, with every row's problem, for a missing or unreadable cell."""
    table = read_table(filename, data)
    for index, cells in enumerate(table.rows[:20]):
        found = {text.strip(): i for i, text in enumerate(cells)}
        columns = {key: next((found[h] for h in headers if h in found), None) for key, headers in COLUMNS.items()}
        if None not in columns.values():
            header = index
            break
    else:
        raise ImportRejected([RowError(None, None, "没有找到表头：文件中须有“姓名”“日期”“方式”“反馈人”四列")])

    def cell(cells: list[str], key: str) -> str:
        i = columns[key]
        return cells[i].strip() if i < len(cells) else ""

    lines, errors = [], []
    ways = "、".join(FEEDBACK_WAYS.values())
    for number, cells in enumerate(table.rows[header + 1 :], start=header + 2):
        if not any(text.strip() for text in cells):
            continue
        name, day, way, given_by = (cell(cells, key) for key in COLUMNS)
        if not name:
            errors.append(RowError(number, "姓名", "请填写姓名"))
            continue
        given_on = _date(day)
        if given_on is None:
            errors.append(RowError(number, "日期", f"{name}：“{day}”不是日期，请写成 2021-01-20 这样"))
        if way not in WAY_BY_LABEL:
            errors.append(RowError(number, "方式", f"{name}：反馈方式“{way}”不对，可填：{ways}"))
        if given_on is not None and way in WAY_BY_LABEL:
            lines.append(FeedbackLine(number, name, given_on, way, given_by))
    if errors:
        raise ImportRejected(errors)
    if not lines:
        raise ImportRejected([RowError(None, None, "表格里没有要记录的反馈情况")])
    return lines


def _date(text: str) -> date | None:
    found = _DATE.match(text)
    if not found:
        return None
    try:
        return date(*(int(part) for part in found.groups()))
    except ValueError:
        return None
