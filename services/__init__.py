"""The product's use cases, in packages layered in the order of the notice's process; never imports streamlit or
starlette.

Floors, lowest first — a package imports only packages on lower floors (tests/services/test_layering.py holds it):
platform → sheets → staff → campaign → ballot → grading → meeting → progress → filing, and `demo` on top.
"""
