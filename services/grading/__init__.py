"""Grading (floor 6): from a closed branch's votes to each member's approved grade — results and suggested grades,
final grades (评定格次) with their approval (审批), the results sheet, and feedback to each member on their
personal page. May import: platform, sheets, staff, campaign, ballot.
"""
