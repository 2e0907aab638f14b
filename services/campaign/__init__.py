"""Campaign (floor 4): the year's campaign and its people — creating and correcting campaigns, the organization
tree, the roster snapshot (import, export, reading members), and whether a unit's records are frozen because its
filing was reported. May import: platform, sheets, staff.
"""
