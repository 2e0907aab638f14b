"""Screens for the filing package and reporting: 报送与备案."""
