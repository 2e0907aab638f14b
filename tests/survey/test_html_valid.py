"""Every survey page a member or the public can reach, as the server sends it, passes the W3C HTML
checker (vnu): the code entry, the ballot in each of its states, the personal, opinion, commitment and
publicity pages, and the error pages. One vnu run checks them all (Java starts once)."""

import io
import json
import re
import subprocess

import pytest
from PIL import Image
from starlette.applications import Starlette
from starlette.testclient import TestClient

from services.ballot import casting, distribution, voter_links
from survey import routes
from survey.rendering import templates
from tests.survey.checkers import vnu_command
from tests.survey.page_tour import build_tour
from tests.survey.test_busy import held_write_lock

pytestmark = [pytest.mark.usefixtures("database"), pytest.mark.one_database]


def _csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def _ballot_pages(client: TestClient, address: str, database: str, monkeypatch) -> dict[str, object]:
    """The ballot from blank to receipt: blank, refused (nothing chosen), filled, confirm, busy, done, used."""
    blank = client.get(address)
    csrf = _csrf(blank.text)
    ids = [m for m, _ in casting.open_ballot(address.removeprefix("/v/")).rated]
    chosen = {f"m{m}": "qualified" for m in ids} | {f"m{ids[0]}": "excellent"}
    full = {"csrf": csrf, **chosen, "branch_committee": "satisfied", "report": "satisfied", "opinion": "多开展志愿服务"}
    pages = {
        "ballot": blank,
        "ballot-refused": client.post(address, data={"csrf": csrf, "action": "review"}),
        "ballot-confirm": client.post(address, data=full | {"action": "review"}),
        "ballot-edit": client.post(address, data=full | {"action": "edit"}),
    }
    monkeypatch.setattr(casting, "BALLOT_WAIT_MS", 200)
    with held_write_lock(database):
        pages["ballot-busy"] = client.post(address, data=full | {"action": "submit"})
    pages["ballot-done"] = client.post(address, data=full | {"action": "submit"})
    pages["ballot-used"] = client.get(address)
    return pages


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (30, 40), (10, 120, 30)).save(out, "PNG")
    return out.getvalue()


def _public_pages(client: TestClient, tour) -> dict[str, object]:
    opinion = client.get(tour.opinion)
    commitment = client.get(tour.commitment)
    pages = {
        "code-entry": client.get("/v"),
        "code-entry-wrong": client.post("/v", data={"code": "abcde-fghij"}),
        "too-large": client.post("/v", data={"code": "x" * 2000}),
        "after-approval": client.get(tour.after_approval),
        "personal": client.get(tour.personal),
        "personal-before-result": client.get(tour.personal_before),
        "opinion": opinion,
        "opinion-thanks": client.post(tour.opinion, data={"csrf": _csrf(opinion.text), "text": "多开展志愿服务"}),
        "opinion-stale": client.post(tour.opinion, data={"csrf": "x", "text": "多开展志愿服务"}),
        "commitment": commitment,
        "commitment-saved": client.post(tour.commitment, data={"csrf": _csrf(commitment.text), "text": "每月读书"}),
        "publicity": client.get(tour.publicity),
        "self-review": client.get(tour.self_review),
        "masses-ballot": client.get(tour.masses_ballot),
    }
    csrf = _csrf(pages["self-review"].text)
    photo = {"image": ("p.png", _png(), "image/png")}
    pages["self-review-saved"] = client.post(tour.self_review, data={"csrf": csrf, "text": "对照标准"}, files=photo)
    pages["self-review-refused"] = client.post(tour.self_review, data={"csrf": csrf, "text": "党" * 3001})
    for address in tour.invalid:
        pages["invalid-" + address.split("/")[1]] = client.get(address)
    return pages


def _rendered(tour) -> dict[str, str]:
    """Two pages rendered straight from their templates: resend (a ballot sent while the database could
    not even be read, hard to bring about here) and the printable slips a secretary hands out."""
    token = tour.ballot.removeprefix("/v/")
    resend = templates.get_template("resend.html").render(
        {"token": token, "kept": [("csrf", "x"), ("m1", "qualified")], "count": 1}
    )
    slip = voter_links.IssuedLink(label="王芳", member_id=1, slip_no=None, token=token, url=f"http://t{tour.ballot}")
    header = distribution.SlipHeader("2026年度民主评议党员", "第一党支部", "2026-12-31", "http://t/v")
    return {"resend": resend, "slips": distribution.slips_html([slip], header).decode()}


def _vnu_errors(command: list[str], pages: dict[str, str], folder) -> list[str]:
    files = []
    for name, html in pages.items():
        path = folder / f"{name}.html"
        path.write_text(html, encoding="utf-8")
        files.append(str(path))
    run = subprocess.run(
        [*command, "--errors-only", "--format", "json", "--exit-zero-always", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    found = json.loads(run.stderr or run.stdout)["messages"]
    return [f"{_where(m)}: {m['message']} — {m.get('extract', '').strip()}" for m in found]


def _where(message: dict) -> str:
    return f"{message.get('url', '').rsplit('/', 1)[-1]}:{message.get('lastLine', '?')}"


def test_every_survey_page_passes_the_w3c_html_checker(database, monkeypatch, tmp_path):
    command = vnu_command()
    client = TestClient(Starlette(routes=routes), base_url="http://testserver")
    tour = build_tour()
    responses = _public_pages(client, tour) | _ballot_pages(client, tour.ballot, database, monkeypatch)
    statuses = {name: r.status_code for name, r in responses.items()}
    assert statuses["ballot-refused"] == 422 and statuses["ballot-busy"] == 503 and statuses["too-large"] == 413
    assert "系统繁忙" in responses["ballot-busy"].text  # the summary again, every choice kept
    assert 'id="receipt"' in responses["ballot-done"].text and "本人评议结果" in responses["personal"].text
    assert 'class="action"' in responses["personal-before-result"].text  # 填写党性分析 first
    assert all(statuses[name] == 404 for name in statuses if name.startswith("invalid-"))
    pages = {name: r.text for name, r in responses.items()} | _rendered(tour)
    errors = _vnu_errors(command, pages, tmp_path)
    assert not errors, f"vnu found {len(errors)} error(s):\n" + "\n".join(errors)
