"""Figures in the product's words, the same on the pages and in the sheets: one rounding of percentages
and one date style (2021年3月20日)."""

from datetime import date

PERCENT_FORMAT = "0.0%"  # a cell holding percent(...) / 100
COUNT_FORMAT = "0"


def percent(part: float, whole: float) -> float:
    """part of whole in %, to one decimal, as every page shows it; 0.0 when whole is 0."""
    return round(100 * part / whole, 1) if whole else 0.0


def fraction(part: float, whole: float) -> float:
    """The cell value of percent(part, whole) for a PERCENT_FORMAT cell: it prints as the page shows it."""
    return percent(part, whole) / 100


def day(value: date | None, *, missing: str = "") -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else missing
