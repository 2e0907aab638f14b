"""Oversized or overstuffed requests to the survey routes: refused in Chinese, before parsing, in
bounded memory; and a textarea's CRLF line breaks counted as the member typed them."""

import asyncio
import re
import tracemalloc

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.testclient import TestClient

from services.ballot import casting
from survey import routes
from survey.request_limits import TooLarge, read_form
from tests.factories import BRANCH_MEMBERS, make_voting_branch

pytestmark = pytest.mark.usefixtures("database")


@pytest.fixture
def client():
    return TestClient(Starlette(routes=routes), base_url="http://testserver")


def _streamed_request(total: int, chunk: int = 1 << 20) -> Request:
    """A POST whose body of `total` bytes arrives chunk by chunk, made only as it is read."""
    sent = 0

    async def receive():
        nonlocal sent
        sent += chunk
        return {"type": "http.request", "body": b"a" * chunk, "more_body": sent < total}

    scope = {"type": "http", "method": "POST", "path": "/v", "headers": [], "query_string": b""}
    return Request(scope, receive)


def test_a_huge_body_is_refused_after_reading_little_in_bounded_memory():
    tracemalloc.start()
    request = _streamed_request(50 << 20)
    with pytest.raises(TooLarge):
        asyncio.run(read_form(request))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 4 << 20  # of a 50 MB body, never more than a couple of MB held


@pytest.mark.parametrize("path", ["/v", "/v/{token}"])
def test_a_huge_body_gets_413_and_a_chinese_page(client, path):
    _, _, links = make_voting_branch()
    response = client.post(path.format(token=links[0].token), content=b"code=" + b"a" * (1 << 20))
    assert response.status_code == 413
    assert "提交的内容过大" in response.text
    assert response.headers["x-frame-options"] == "DENY"


def test_a_declared_huge_body_is_refused_before_reading(client):
    _, _, links = make_voting_branch()
    response = client.post(f"/v/{links[0].token}", content=b"x" * (65 * 1024))
    assert response.status_code == 413


def test_too_many_fields_get_the_same_chinese_page_not_starlettes_english(client):
    _, _, links = make_voting_branch()
    response = client.post(f"/v/{links[0].token}", content="&".join(f"f{i}=1" for i in range(2000)))
    assert response.status_code == 413
    assert "提交的内容过大" in response.text
    assert response.headers["content-security-policy"].startswith("default-src 'self'")


def test_an_opinion_of_500_characters_with_line_breaks_is_not_counted_as_more(client):
    _, _, links = make_voting_branch(collect_opinions=True)
    token = links[0].token
    page = client.get(f"/v/{token}").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    ids = {name: m for m, name in casting.open_ballot(token).rated}
    typed = ("很好" * 10 + "\n") * 23 + "好" * 17  # 500 characters typed, 23 of them line breaks
    assert len(typed) == 500
    data = {"csrf": csrf, "action": "submit", "opinion": typed.replace("\n", "\r\n")}  # as browsers send it
    data |= {f"m{ids[name]}": "qualified" for name in BRANCH_MEMBERS}
    response = client.post(f"/v/{token}", data=data)
    assert response.status_code == 200, re.findall(r'class="why"[^>]*>([^<]+)', response.text)
    assert 'id="receipt"' in response.text
