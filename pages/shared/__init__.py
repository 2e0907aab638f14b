"""Widgets every screen shares: pickers, downloads, error display, plain text, charts, the storage guard."""
