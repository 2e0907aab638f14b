"""Row heights from the wrapped text (the longest texts a filing prints), and box() keeping what was set before."""

import io

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill

from services.sheets import row_height
from services.sheets.cells import text_row
from services.sheets.figures import PERCENT_FORMAT, day, fraction, percent
from services.sheets.layout import box, save, widths

MEASURES = "组织支部党员每月集中学习一次，" * 14  # a long 整改措施, 210 characters


def test_cjk_characters_count_two_units_and_long_texts_grow_the_row():
    assert row_height.text_units("不评定等次") == 10 and row_height.text_units("90.9%") == 5
    assert row_height.text_units("（盖章）") == 8  # full-width brackets too
    assert row_height.lines("不评定等次", 7) == 2 and row_height.lines("优秀占比", 7) == 2
    assert row_height.lines("收回测评票", 8, bold=True) == 2
    assert row_height.lines("党支部", 22) == 1 and row_height.lines("甲\n乙", 22) == 2
    assert row_height.lines(MEASURES, 28) == 16  # 420 units, 27 to a line
    tall = row_height.height([("序号", 6), (MEASURES, 28), ("王芳", 10)])
    assert tall == 16 * row_height.LINE_POINTS + row_height.PADDING_POINTS > 22  # 22 pt printed one line of it
    assert row_height.height([("", 6), (None, 8)]) == row_height.MIN_POINTS
    # a number prints on one line in its format, however long its digits (28.6 / 100 is 0.28600000000000003)
    assert row_height.height([(fraction(2, 7), 7), (1234567, 6)]) == row_height.MIN_POINTS
    one_line = row_height.one_line([6, 28, 10])
    assert one_line(["1", "王芳", fraction(2, 7)]) and one_line([12, "组织支部党员每月集中学习", None])
    assert not one_line([1, MEASURES, "王芳"]) and not one_line([1, "甲\n乙", ""])
    name = row_height.one_line([12])  # 11 units of room: "党员000001" takes 10, six CJK characters 12
    assert name(["党员000001"]) and not name(["党员党员党员"])


def test_box_keeps_fills_fonts_and_number_formats_and_sizes_rows_to_their_text():
    wb = Workbook()
    ws = wb.active
    ws.append(["党支部", "不评定等次", "参评率"])
    ws.append(["第一党支部", 1, fraction(7, 8)])
    ws.append(["小计", 1, fraction(7, 8)])
    ws.append(text_row(ws, ["=HYPERLINK(1)", 0, 0]))
    ws["C2"].fill = PatternFill("solid", fgColor="FFCDD2")
    ws["C2"].number_format = ws["C3"].number_format = PERCENT_FORMAT
    for cell in ws[3]:
        cell.font = Font(bold=True)
    widths(ws, [22, 7, 8])
    box(ws, 1, 4, 1, 3)
    saved = load_workbook(io.BytesIO(save(wb))).active
    assert saved["C2"].fill.fgColor.rgb == "00FFCDD2" and saved["C2"].number_format == PERCENT_FORMAT
    assert saved["A3"].font.b and saved["C3"].font.b and saved["C3"].border.left.style == "thin"
    assert saved["C2"].value == 0.875 and saved["C2"].data_type == "n" and saved["C2"].alignment.horizontal == "right"
    assert saved["A4"].value == "=HYPERLINK(1)" and saved["A4"].data_type == "s" and saved["A4"].quotePrefix
    assert saved.row_dimensions[1].height == 2 * row_height.LINE_POINTS + row_height.PADDING_POINTS
    assert saved.row_dimensions[2].height == row_height.MIN_POINTS


def test_one_rounding_and_one_date_style():
    from datetime import date

    from services.progress.overview import BranchProgress

    page = BranchProgress("a/b", "b", "a", "open", "named", eligible=8, online=7, paper=0, latest=None)
    assert page.percent == percent(7, 8) == 87.5 and fraction(7, 8) == 0.875  # 87.5 % on the page and in print
    assert percent(1, 0) == 0.0 and percent(2, 3) == 66.7
    assert day(date(2021, 3, 20)) == "2021年3月20日" and day(None, missing="未召开") == "未召开"
