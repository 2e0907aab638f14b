"""Progress (floor 8): where every branch stands, for those who watch it — the six-step checklist of one branch and
the live progress of the whole tree (turnout, seals, grading, steps done), read with aggregate SQL only.
May import: every package below it (platform … meeting).
"""
