"""One process, one port: the dashboard and the survey routes from `streamlit run app.py`."""

import urllib.request

import pytest

from tests.e2e.server import fetch, running_app

pytestmark = pytest.mark.e2e


def test_streamlit_run_serves_dashboard_and_survey_on_one_port(empty_database_url):
    with running_app(empty_database_url) as base:
        status, health = fetch(f"{base}/healthz")
        assert status == 200
        assert '"database":true' in health

        status, dashboard = fetch(f"{base}/")
        assert status == 200
        assert '<div id="root">' in dashboard  # the Streamlit front end

        status, core = fetch(f"{base}/_stcore/health")
        assert (status, core) == (200, "ok")

        with urllib.request.urlopen(f"{base}/") as response:  # the dashboard cannot be framed by another origin
            assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
            assert "frame-ancestors 'self'" in response.headers["Content-Security-Policy"]

        status, invalid = fetch(f"{base}/v/0123456789abcdef")
        assert status == 404
        assert "链接无效" in invalid
