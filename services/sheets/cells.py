"""Text written into exported spreadsheets and CSV files, made safe from formula injection."""

# Spreadsheet programs run a cell that starts with one of these as a formula (openpyxl writes "=…"
# as one too); a roster name like "=HYPERLINK(…)" must stay text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: list) -> list:
    return [safe(v) for v in values]
