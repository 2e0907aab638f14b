"""Screens for staff accounts: login, first run, password, account management, the audit log."""
