"""Meeting (floor 7): everything a branch records around the organizational life meeting (the notice's steps 1–4
and 6) — study, talks, opinions from the masses, the problem list, the meeting record and its attachments,
rectification, members' commitments, publicity, and who may keep these records and the branch's public links.
May import: platform, sheets, staff, campaign, ballot, grading.
"""
