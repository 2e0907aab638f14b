"""The burst's same-run baseline: a bare form route inside st.App (bench/ballot_burst.py starts it)."""
