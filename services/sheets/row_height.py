"""Row heights from the wrapped text's length and the column width, so that a printed row shows all of its
text (a spreadsheet program does not grow a row whose height the file gives, and a file that gives none
prints one line per row in some programs)."""

import math
import unicodedata
from collections.abc import Callable
from functools import lru_cache

LINE_POINTS = 15.0  # one line of 11 pt text, as Excel and LibreOffice space it
PADDING_POINTS = 5.0
MIN_POINTS = 20.0
_BOLD = 1.1  # bold glyphs are about a tenth wider
_MARGIN_UNITS = 1.0  # a column's width less its cell padding


@lru_cache(maxsize=8192)  # the same words recur on every sheet: headers, grades, 是 / 否, names
def text_units(text: str) -> float:
    """A text's width in column-width units: a CJK character or full-width mark is about 2, others 1."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def lines(text: str, column_width: float, *, bold: bool = False) -> int:
    """How many lines `text` wraps to in a column `column_width` wide (its own line breaks kept)."""
    text = str(text)
    room = max(column_width - _MARGIN_UNITS, 1.0)
    scale = _BOLD if bold else 1.0
    if 2 * len(text) * scale <= room and "\n" not in text:
        return 1  # fits even if every character is a wide one: most cells (numbers, names, grades)
    return sum(max(1, math.ceil(text_units(part) * scale / room)) for part in text.split("\n"))


def one_line(column_widths: list[float]) -> Callable[[list], bool]:
    """For rows of a table whose columns are `column_widths` wide: whether a row's every value shows on one line
    (a number, or a text that fits even if every character outside ASCII is a wide one: most rows). A quick
    test before height()."""
    rooms = [width - _MARGIN_UNITS for width in column_widths]

    def test(values: list) -> bool:
        for value, room in zip(values, rooms, strict=False):
            if not isinstance(value, str):
                continue
            # at most 2 units a character, 1 for ASCII (counted in C: names and numbers pass at once)
            if 2 * len(value) - len(value.encode("ascii", "ignore")) > room or "\n" in value:
                return False
        return True

    return test


def height(cells: list[tuple[object, float]], *, bold: bool = False) -> float:
    """A row's height in points for its (value, column width) pairs. Only text wraps: a number shows on one line
    in its number format (0.28600000000000003 prints as 28.6%)."""
    most, scale = 1, _BOLD if bold else 1.0
    for text, width in cells:
        if not isinstance(text, str):
            continue
        if 2 * len(text) * scale > width - _MARGIN_UNITS or "\n" in text:  # else one line, as most cells are
            most = max(most, lines(text, width, bold=bold))
    return max(MIN_POINTS, most * LINE_POINTS + PADDING_POINTS)
