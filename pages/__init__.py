"""Dashboard screens; each module only defines functions and runs nothing at import."""
