"""Records (floor 9): the year's results as the 党内统计年报 counts them, and what carries across years — a member's
grades and 组织处置 over campaigns, last year's 限期改正 and what became of each, a unit's figures year by year.
May import: every package below it (platform … progress).
"""
