"""Staff (floor 3): who is acting and what they may see — staff accounts and login with lockout, passwords, the
scope rules every service applies (access predicates), and the audit log with its sentences. Members never appear
here: they vote by link. May import: platform, sheets.
"""
