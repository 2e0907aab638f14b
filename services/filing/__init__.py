"""Filing (floor 10): what goes to the Organization Department — the branch workbook, the committee's summary, the
ZIP package, and reporting (报送) with its frozen copy and returns. May import: every package below it.
"""
