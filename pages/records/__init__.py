"""Screens across years and for the annual statistics: 党内统计 and a member's record."""
