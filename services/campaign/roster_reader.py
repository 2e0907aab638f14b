"""Turning a roster table (党员花名册) into validated rows, or the list of what is wrong."""

import re
import unicodedata
from dataclasses import dataclass

from models.member import Category
from services.platform.errors import ImportRejected, RowError
from services.platform.names import normalize_header, normalize_name
from services.platform.text_input import has_control_characters
from services.sheets.reading import Table, read_table

# field -> (label used in messages, accepted header spellings after normalize_header)
COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "name": ("姓名", ("姓名", "党员姓名", "名字")),
    "party_committee": ("党委", ("党委", "所在党委", "二级党委", "分党委")),
    "general_branch": ("党总支", ("党总支", "所在党总支", "总支", "党总支名称", "所属党总支")),
    "branch": (
        "党支部",
        ("党支部", "所在党支部", "支部", "所在支部", "党支部名称", "所属党支部", "所属支部"),
    ),
    "category": (
        "党员类别",
        ("党员类别", "人员类别", "类别", "党员身份", "党员类型", "身份", "政治面貌"),
    ),
    "gender": ("性别", ("性别",)),
    "phone": ("联系电话", ("联系电话", "电话", "手机", "手机号", "手机号码", "联系方式")),
    "party_group": ("党小组", ("党小组", "所在党小组")),
    "is_leading_cadre": ("党员领导干部", ("党员领导干部", "领导干部", "是否党员领导干部", "是否领导干部")),
    "is_away": ("流动党员", ("流动党员", "是否流动党员")),
    "is_elderly_ill": ("年老体弱", ("年老体弱", "年老体弱党员", "是否年老体弱", "是否年老体弱党员")),
    "note": ("备注", ("备注", "说明")),
    # Optional: matches a person across years (last year's grade) when names change or repeat. Kept
    # for that alone: never shown on any page or in any export.
    "person_id": ("身份证号/工号", ("身份证号", "身份证号码", "公民身份号码", "证件号码", "工号", "职工号", "学号")),
}
REQUIRED = ("name", "branch", "category")
EXAMPLE_MARK = "示例"  # in the 序号 column: a row of the template's examples, never imported
_IGNORED_HEADERS = {"序号", "编号", "No", "NO", "no"}
_HEADER_SEARCH_ROWS = 20

_CATEGORIES = {
    "正式党员": Category.full,
    "正式": Category.full,
    "中共党员": Category.full,
    "预备党员": Category.probationary,
    "预备": Category.probationary,
    "中共预备党员": Category.probationary,
}
_GENDERS = {"男": "男", "女": "女", "男性": "男", "女性": "女"}
_YES = {"是", "√", "✓", "✔", "Y", "y", "YES", "Yes", "yes", "1", "TRUE", "True", "true"}
_NO = {"", "否", "×", "N", "n", "NO", "No", "no", "0", "FALSE", "False", "false", "-", "/"}


@dataclass(frozen=True)
class RosterRow:
    row: int
    units: tuple[tuple[str, str], ...]  # (kind, name) from below the committee down to the branch
    name: str
    category: str
    gender: str | None = None
    phone: str | None = None
    party_group: str | None = None
    is_leading_cadre: bool = False
    is_away: bool = False
    is_elderly_ill: bool = False
    note: str | None = None
    person_id: str | None = None  # 身份证号 / 工号, only to match a person across years

    @property
    def branch_path(self) -> str:
        return "/".join(name for _, name in self.units)


@dataclass(frozen=True)
class Roster:
    rows: list[RosterRow]
    ignored_columns: list[str]
    examples_skipped: int = 0  # rows marked “示例” (the template's example rows)


def read_roster(filename: str, data: bytes) -> Roster:
    return parse_roster(read_table(filename, data))


def parse_roster(table: Table) -> Roster:
    roster, errors = check_roster(table)
    if errors:
        raise ImportRejected(errors)
    return roster


def check_roster(table: Table) -> tuple[Roster, list[RowError]]:
    """The rows that are right and the problems of the others (a missing header still raises): what a
    preview shows. Rows marked “示例” in the 序号 column (the template's examples) are skipped."""
    header_index, columns, ignored = _find_header(table)
    errors: list[RowError] = []
    rows: list[RosterRow] = []
    seen: dict[tuple[str, str], int] = {}
    kinds: dict[str, str] = {}
    header_cells = table.rows[header_index]
    marker = next((c for c, h in enumerate(header_cells) if normalize_header(h) == "序号"), None)
    examples = 0
    for index in range(header_index + 1, len(table.rows)):
        cells = table.rows[index]
        if marker is not None and normalize_name(_get(cells, marker)) == EXAMPLE_MARK:
            examples += 1
            continue
        if _is_skippable(cells, header_cells, columns):
            continue
        values = {field: _get(cells, col) for field, col in columns.items()}
        row, row_errors = _parse_row(index + 1, values)
        errors.extend(row_errors)
        if row is None:
            continue
        conflict = _kind_conflict(kinds, row)
        if conflict:
            errors.append(RowError(index + 1, "党支部", conflict))
            continue
        key = (row.branch_path, row.name)
        if key in seen:
            errors.append(
                RowError(
                    index + 1,
                    "姓名",
                    f"“{row.name}”在{row.units[-1][1]}中与第 {seen[key]} 行重名；"
                    "如确为两人，请在姓名后加注区分，如“王芳（大）”",
                )
            )
            continue
        seen[key] = index + 1
        rows.append(row)
    if not rows and not errors:
        empty = "表中只有示例行，请在示例行下面填写本单位的党员" if examples else "表头下面没有党员数据"
        errors.append(RowError(header_index + 1, None, empty))
    return Roster(rows=rows, ignored_columns=ignored, examples_skipped=examples), errors


def _kind_conflict(kinds: dict[str, str], row: RosterRow) -> str | None:
    """A name used both for a general branch and for a directly affiliated branch (or similar)."""
    for depth, (kind, name) in enumerate(row.units, start=1):
        path = "/".join(n for _, n in row.units[:depth])
        if kinds.setdefault(path, kind) != kind:
            return f"“{name}”在表中既是{_KIND_NAMES[kinds[path]]}又是{_KIND_NAMES[kind]}，请改用不同的名称"
    return None


_KIND_NAMES = {"party_committee": "党委", "general_branch": "党总支", "branch": "党支部"}


def _find_header(table: Table) -> tuple[int, dict[str, int], list[str]]:
    aliases = {alias: field for field, (_, names) in COLUMNS.items() for alias in names}
    for index, cells in enumerate(table.rows[:_HEADER_SEARCH_ROWS]):
        headers = [normalize_header(c) for c in cells]
        if not any(aliases.get(h) == "name" for h in headers):
            continue
        columns: dict[str, int] = {}
        ignored: list[str] = []
        for col, header in enumerate(headers):
            field = aliases.get(header)
            if field and field not in columns:
                columns[field] = col
            elif header and header not in _IGNORED_HEADERS and not field:
                ignored.append(header)
        missing = [f for f in REQUIRED if f not in columns]
        if missing:
            raise ImportRejected(
                [
                    RowError(
                        index + 1,
                        COLUMNS[f][0],
                        f"缺少必需的列“{COLUMNS[f][0]}”（表头可写作：{'、'.join(COLUMNS[f][1][:3])}）",
                    )
                    for f in missing
                ]
            )
        return index, columns, ignored
    raise ImportRejected(
        [
            RowError(
                None,
                "姓名",
                f"前 {_HEADER_SEARCH_ROWS} 行中没有找到表头（应有“姓名”“党支部”“党员类别”等列）",
            )
        ]
    )


def _get(cells: list[str], col: int) -> str:
    return cells[col] if col < len(cells) else ""


_FOOTERS = ("制表", "填表", "审核", "合计", "总计", "小计", "备注", "注：", "注:", "说明", "联系人", "日期", "单位")


def _is_skippable(cells: list[str], header: list[str], columns: dict[str, int]) -> bool:
    """Blank rows, repeated headers, banner rows merged across the whole width, and footers such
    as “制表人：张虹” or “合计 | 187人” (whatever column they start in) that carry nothing in the
    branch and category columns. A row with a name but no branch or category is a member, refused."""
    used = [_get(cells, col) for col in columns.values()]
    if not any(used):
        return True
    no_member_data = not _get(cells, columns["branch"]) and not _get(cells, columns["category"])
    # The footer's word may sit in any column: “合计 | 187人” often starts in the 序号 column.
    first = next((c for c in cells if c), "")
    if no_member_data and normalize_name(first).startswith(_FOOTERS):
        return True
    name = columns["name"]
    if normalize_header(_get(cells, name)) == normalize_header(_get(header, name)) and [
        normalize_header(c) for c in cells
    ] == [normalize_header(c) for c in header]:
        return True
    filled = {c for c in cells if c}
    return len(filled) == 1 and sum(1 for c in cells if c) >= 3


def _parse_row(number: int, v: dict[str, str]) -> tuple[RosterRow | None, list[RowError]]:
    errors: list[RowError] = []

    def fail(field: str, message: str) -> None:
        errors.append(RowError(number, COLUMNS[field][0], message))

    for field, value in v.items():
        if field in COLUMNS and has_control_characters(value, multiline=field == "note"):
            fail(field, "有无法显示的控制字符（如 NUL），请在表格中删去后重新导入")
    if errors:
        return None, errors

    name = normalize_name(v.get("name", ""))
    if not name:
        fail("name", "姓名为空")
    elif len(name) > 30:
        fail("name", f"姓名“{name[:12]}…”过长（超过 30 个字）")
    units: list[tuple[str, str]] = []
    for field in ("party_committee", "general_branch", "branch"):
        # "/" joins names into paths (the key of a unit and of an account's scope): keep it out of names.
        unit = normalize_name(v.get(field, "")).replace("/", "／")
        if len(unit) > 100:
            fail(field, f"名称“{unit[:12]}…”过长（超过 100 个字）")
        elif unit:
            units.append((field, unit))
        elif field == "branch":
            fail("branch", "党支部为空")
    raw_category = normalize_name(v.get("category", ""))
    category = _CATEGORIES.get(raw_category)
    if not raw_category:
        fail("category", "党员类别为空，应填“正式党员”或“预备党员”")
    elif category is None:
        fail("category", f"无法识别的党员类别“{raw_category}”，应填“正式党员”或“预备党员”")
    raw_gender = normalize_name(v.get("gender", ""))
    if raw_gender and raw_gender not in _GENDERS:
        fail("gender", f"无法识别的性别“{raw_gender}”，应填“男”或“女”")
    phone = _phone(v.get("phone", ""))
    if phone is False:
        fail("phone", f"电话号码“{v['phone']}”格式不对")
    elif phone and len(phone) > 30:
        fail("phone", "电话号码过长（超过 30 个字符），只填一个号码即可")
    if len(normalize_name(v.get("party_group", ""))) > 60:
        fail("party_group", "党小组名称过长（超过 60 个字）")
    person_id = re.sub(r"\s", "", unicodedata.normalize("NFKC", v.get("person_id", ""))).upper()
    if len(person_id) > 40:
        fail("person_id", "身份证号/工号过长（超过 40 个字符）")
    flags = {}
    for field in ("is_leading_cadre", "is_away", "is_elderly_ill"):
        raw = normalize_name(v.get(field, ""))
        if raw in _YES:
            flags[field] = True
        elif raw in _NO:
            flags[field] = False
        else:
            fail(field, f"“{raw}”无法识别，应填“是”或留空")
    if errors:
        return None, errors
    row = RosterRow(
        row=number,
        units=tuple(units),
        name=name,
        category=category,
        gender=_GENDERS.get(raw_gender),
        phone=phone or None,
        party_group=normalize_name(v.get("party_group", "")) or None,
        note=v.get("note", "")[:500] or None,
        person_id=person_id or None,
        **flags,
    )
    return row, []


def _phone(raw: str) -> str | bool | None:
    """The phone as typed but trimmed; False when it cannot be a phone number."""
    text = raw.replace(" ", "")
    if not text:
        return None
    digits = re.sub(r"\D", "", text)
    if not re.fullmatch(r"[+\d\-()（）/、,，]+", text) or not 7 <= len(digits) <= 30:
        return False
    return text
