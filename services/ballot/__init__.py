"""Ballot (floor 5): the secret ballot (党员民主测评) — voter tokens and codes, voting windows, opening and closing a
branch and the campaign, handing out links, slips and paper forms, casting (the hot path every phone takes), the
ballots' encryption while voting is open and their sealing when it ends, code entry with its limits, and who has
not voted yet. Never links a ballot to a voter. May import: platform, sheets, staff, campaign.
"""
