"""The survey service's skeleton through Starlette's TestClient."""

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from survey import routes

pytestmark = pytest.mark.usefixtures("database")


@pytest.fixture
def client():
    return TestClient(Starlette(routes=routes))


def test_health_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": True, "seals_incomplete": 0}


def test_unknown_voter_link_gets_a_plain_chinese_page(client):
    response = client.get("/v/not-a-real-token")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert "<h1>链接无效</h1>" in page
    assert "联系本支部书记" in page
    assert 'name="viewport"' in page
    assert 'lang="zh-CN"' in page
    assert "not-a-real-token" not in page
    assert "http://" not in page and "https://" not in page  # nothing from an outside CDN


def test_stylesheet_is_served_locally(client):
    response = client.get("/assets/survey.css")
    assert response.status_code == 200
    assert "text/css" in response.headers["content-type"]
