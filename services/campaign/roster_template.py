"""The roster template to download (党员花名册模板.xlsx): the columns the importer reads, headed as it
reads them, two example rows marked “示例” in the 序号 column (the importer skips them), drop-down lists
for the columns with fixed answers, and a second sheet saying what goes in each column."""

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from services.campaign.roster_reader import EXAMPLE_MARK
from services.sheets.layout import a4, save, widths
from services.sheets.reading import MAX_ROWS

SHEET = "党员花名册"
# (header as written, what goes in it, width); the header reduces to one of the importer's spellings
COLUMNS = [
    ("序号", "可不填。写“示例”的行导入时跳过", 6),
    ("姓名（必填）", "党员姓名。同一党支部有同名的，在姓名后加注区分，如“王芳（大）”", 12),
    ("党委", "只有设二级党委的单位填写，其他单位留空", 14),
    ("党总支", "党支部属于党总支的填写党总支名称；直属党支部留空", 16),
    ("党支部（必填）", "党支部全称，同一支部每行写法一致", 20),
    ("党员类别（必填）", "“正式党员”或“预备党员”", 15),
    ("性别", "“男”或“女”，可不填", 6),
    ("联系电话", "手机或座机号码，可不填", 15),
    ("党小组", "可不填", 10),
    ("党员领导干部", "是的填“是”，不是的留空", 12),
    ("流动党员", "是的填“是”，不是的留空", 9),
    ("年老体弱", "是的填“是”，不是的留空", 9),
    ("身份证号", "可不填。也可填工号；只用于跨年度对应同一人，不在任何页面显示", 20),
    ("备注", "可不填", 20),
]
EXAMPLES = [
    [EXAMPLE_MARK, "张三", "", "机关党总支", "党政办公室党支部", "正式党员", "男", "13800000000", "第一党小组",
     "是", "", "", "", "示例行，导入时自动跳过"],
    [EXAMPLE_MARK, "李四", "", "", "图书馆直属党支部", "预备党员", "女", "", "", "", "是", "", "",
     "示例行，导入时自动跳过"],
]  # fmt: skip
NOTE = (
    "填写说明：在示例行下面每行填写一名党员；带“（必填）”的三列必须填写，其他列可不填。"
    "序号为“示例”的两行是示例，导入时自动跳过，可以保留，也可以删除。请不要修改第 2 行的列名。"
)
_EXAMPLE_FILL = PatternFill("solid", fgColor="FFF3CD")
_HEADER_FILL = PatternFill("solid", fgColor="E8EEF7")
_LAST_DATA_ROW = MAX_ROWS  # drop-down lists reach as far as the importer reads


def template_workbook() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append([NOTE])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(COLUMNS))
    ws["A1"].alignment = Alignment(wrap_text=True, vertical="top")
    ws["A1"].font = Font(color="B71C1C")
    ws.row_dimensions[1].height = 48
    ws.append([header for header, _, _ in COLUMNS])
    for cell, (_, hint, _) in zip(ws[2], COLUMNS, strict=True):
        cell.font = Font(bold=True, color="B71C1C" if "必填" in cell.value else None)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        cell.comment = Comment(hint, "组织部")
    for row in EXAMPLES:
        ws.append(row)
        for cell in ws[ws.max_row]:
            cell.fill = _EXAMPLE_FILL
    for column in ("H", "M"):  # phone and ID numbers typed stay text: no 1.38E+10, no lost last digits
        ws.column_dimensions[column].number_format = "@"
    _choices(ws, "F", ["正式党员", "预备党员"])
    _choices(ws, "G", ["男", "女"])
    for column in ("J", "K", "L"):
        _choices(ws, column, ["是"])
    widths(ws, [width for _, _, width in COLUMNS])
    ws.freeze_panes = "C3"
    a4(ws, landscape=True, title_rows="2:2")
    _guide(wb)
    return save(wb)


def _choices(ws, column: str, options: list[str]) -> None:
    rule = DataValidation(type="list", formula1=f'"{",".join(options)}"', allow_blank=True)
    rule.error, rule.errorTitle = f"请从列表中选择：{'、'.join(options)}", "填写有误"
    rule.showErrorMessage = True
    rule.add(f"{column}3:{column}{_LAST_DATA_ROW}")
    ws.add_data_validation(rule)


def _guide(wb: Workbook) -> None:
    guide = wb.create_sheet("填写说明")
    guide.append(["列名", "填写什么"])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for header, hint, _ in COLUMNS:
        guide.append([header, hint])
    guide.append([])
    guide.append(["说明", NOTE.removeprefix("填写说明：")])
    guide.append(["说明", "导入前系统会先列出每个党支部的人数、新增、更新和移除的党员以及有问题的行，确认后才导入。"])
    for row in guide.iter_rows(min_row=2):
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
    widths(guide, [16, 70])
