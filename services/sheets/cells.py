"""Text written into exported spreadsheets and CSV files, made safe from formula injection."""

from openpyxl.cell import WriteOnlyCell

# Spreadsheet programs run a cell that starts with one of these as a formula (openpyxl writes "=…"
# as one too); a roster name like "=HYPERLINK(…)" must stay text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe(value: object) -> object:
    """For CSV: a leading apostrophe, which spreadsheet programs read as "this is text"."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: list) -> list:
    """A row of values for a CSV file or a sheet that has no quote-prefix cells (see text_row)."""
    return [safe(v) for v in values]


def looks_like_formula(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def text_cell(ws, value: object) -> object:
    """A value for `ws.append`: text that a spreadsheet would take for a formula becomes a text-typed cell
    with Excel's quote-prefix style (the cell shows the text as typed, with no apostrophe, and editing it
    keeps it text); every other value is passed through."""
    if not looks_like_formula(value):
        return value
    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"  # openpyxl would store "=…" as a formula
    cell.quotePrefix = True
    return cell


def text_row(ws, values: list) -> list:
    return [text_cell(ws, v) for v in values]
