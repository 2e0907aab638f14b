"""Sheets (floor 2): the workbook helpers every export and import uses — the print-ready A4 layout, cells made safe
from formula injection, and reading an uploaded .xlsx or .csv into text rows. Knows nothing of campaigns or
ballots. May import: platform.
"""
