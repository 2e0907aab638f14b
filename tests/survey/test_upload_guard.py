"""Streamlit's own upload routes behind survey/upload_guard.py, with small caps: who may upload, and what the
upload manager may hold per request, per session and for the process (counted from the manager itself)."""

import asyncio
import subprocess
import sys
import time
import uuid

import jwt
import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.testclient import TestClient
from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
from streamlit.web.server.starlette.starlette_app_utils import generate_xsrf_token_string
from streamlit.web.server.starlette.starlette_routes import create_upload_routes

from services.platform.config import cookie_key
from services.staff import login_sessions
from survey.upload_guard import UploadGuard, held_by, held_total
from tests.conftest import ROOT
from tests.factories import make_account

pytestmark = pytest.mark.usefixtures("database")
KB = 1024
REQUEST = 100 * KB
SESSION = 250 * KB
PROCESS = 400 * KB
XSRF = generate_xsrf_token_string()


class Runtime:
    """The two things the guard and Streamlit's upload routes ask of Streamlit's runtime."""

    def __init__(self) -> None:
        self.live: set[str] = set()
        self.uploaded_file_mgr = MemoryUploadedFileManager("/_stcore/upload_file")

    def is_active_session(self, session_id: str) -> bool:
        return session_id in self.live


@pytest.fixture
def runtime() -> Runtime:
    return Runtime()


@pytest.fixture
def guarded(runtime):
    app = Starlette(
        routes=create_upload_routes(runtime, runtime.uploaded_file_mgr, None),
        middleware=[
            Middleware(
                UploadGuard,
                login_key=cookie_key,
                runtime=lambda: runtime,
                request_bytes=lambda: REQUEST,
                session_bytes=SESSION,
                process_bytes=PROCESS,
            )
        ],
    )
    return app


@pytest.fixture
def client(guarded):
    return TestClient(guarded, base_url="http://testserver")


def _cookie(username: str, key: str | None = None) -> str:
    return jwt.encode({"username": username, "exp_date": time.time() + 86400}, key or cookie_key(), "HS256")


def _session(runtime: Runtime) -> str:
    session_id = str(uuid.uuid4())
    runtime.live.add(session_id)
    return session_id


def _put(client, session_id: str, size: int, login: str | None, file_id: str | None = None):
    client.cookies.clear()
    client.cookies.set("_streamlit_xsrf", XSRF)
    if login:
        client.cookies.set("pingyi_login", login)
    return client.put(
        f"/_stcore/upload_file/{session_id}/{file_id or uuid.uuid4()}",
        files={"file": ("花名册.xlsx", b"x" * size, "application/octet-stream")},
        headers={"X-Xsrftoken": XSRF},
    )


def test_only_a_valid_login_uploads(client, runtime):
    actor = make_account("organizer")
    session_id = _session(runtime)
    manager = runtime.uploaded_file_mgr

    for login in (None, "not-a-token", _cookie(actor.username, "k" * 40), _cookie("nobody")):
        refused = _put(client, session_id, 10 * KB, login)
        assert (refused.status_code, refused.text) == (403, "请先登录再上传文件。")
    assert held_total(manager) == 0

    login = _cookie(actor.username)
    assert _put(client, session_id, 10 * KB, login).status_code == 204
    assert held_by(manager, session_id) == 10 * KB

    login_sessions.log_out(actor=actor)  # every login of the account made until now ends
    assert _put(client, session_id, 10 * KB, login).status_code == 403
    assert held_by(manager, session_id) == 10 * KB


def test_a_session_that_is_not_live_takes_nothing(client, runtime):
    actor = make_account("organizer")
    refused = _put(client, str(uuid.uuid4()), 10 * KB, _cookie(actor.username))
    assert (refused.status_code, refused.text) == (403, "页面已失效，请刷新页面后重新上传。")
    assert held_total(runtime.uploaded_file_mgr) == 0


def test_a_session_holds_up_to_its_cap_and_what_it_deletes_is_free_again(client, runtime):
    login = _cookie(make_account("organizer").username)
    session_id = _session(runtime)
    file_ids = [str(uuid.uuid4()) for _ in range(3)]
    assert [_put(client, session_id, 80 * KB, login, f).status_code for f in file_ids] == [204, 204, 204]
    refused = _put(client, session_id, 80 * KB, login)  # 320 KB > 250 KB
    assert (refused.status_code, refused.text) == (413, "本页面已上传的文件太多，请刷新页面后再上传。")
    assert held_by(runtime.uploaded_file_mgr, session_id) == 240 * KB

    client.cookies.set("_streamlit_xsrf", XSRF)
    deleted = client.delete(f"/_stcore/upload_file/{session_id}/{file_ids[0]}", headers={"X-Xsrftoken": XSRF})
    assert deleted.status_code == 204
    assert _put(client, session_id, 80 * KB, login).status_code == 204


def test_the_process_holds_up_to_its_cap_and_dead_sessions_files_go_first(client, runtime):
    login = _cookie(make_account("organizer").username)
    first, second, third = _session(runtime), _session(runtime), _session(runtime)
    for session_id in (first, first, second, second):
        assert _put(client, session_id, 90 * KB, login).status_code == 204  # 360 KB held
    refused = _put(client, third, 90 * KB, login)
    assert (refused.status_code, refused.text) == (503, "服务器正忙，请稍后再上传。")

    runtime.live.discard(first)  # disconnected: Streamlit would free its files only after the reconnect window
    assert _put(client, third, 90 * KB, login).status_code == 204
    assert held_by(runtime.uploaded_file_mgr, first) == 0
    assert held_total(runtime.uploaded_file_mgr) == 270 * KB


def test_a_declared_oversized_body_is_refused_before_a_byte_is_read(guarded, runtime):
    login = _cookie(make_account("organizer").username)
    session_id = _session(runtime)
    read = []

    async def receive():
        read.append(1)
        return {"type": "http.request", "body": b"x" * KB, "more_body": True}

    status = asyncio.run(_call(guarded, session_id, login, receive, content_length=REQUEST + 1))
    assert status == 413
    assert read == []


def test_an_undeclared_body_is_cut_once_past_the_limit(guarded, runtime):
    login = _cookie(make_account("organizer").username)
    session_id = _session(runtime)
    read = 0

    async def receive():  # a file without Content-Length that would never end
        nonlocal read
        chunk = (_PART_HEAD if read == 0 else b"") + b"x" * 8 * KB
        read += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": True}

    assert asyncio.run(_call(guarded, session_id, login, receive)) == 413
    assert REQUEST < read <= REQUEST + 8 * KB + len(_PART_HEAD)
    assert held_total(runtime.uploaded_file_mgr) == 0


def test_bodies_still_streaming_count_against_the_session(guarded, runtime):
    """Two uploads of one session at once: the second is refused while the first is still coming."""
    login = _cookie(make_account("organizer").username)
    session_id = _session(runtime)

    async def both() -> tuple[int, int]:
        reading, release = asyncio.Event(), asyncio.Event()

        async def slow():
            reading.set()  # admitted: its announced size is counted
            await release.wait()
            return _whole_body()

        async def never():
            raise AssertionError("the second body is not read")

        first = asyncio.create_task(_call(guarded, session_id, login, slow, content_length=REQUEST))
        await reading.wait()
        second = await _call(guarded, session_id, login, never, content_length=SESSION - REQUEST + 1)
        release.set()
        return second, await first

    assert asyncio.run(both()) == (413, 204)
    # Once done, neither body counts as streaming any more: only the 1 KB file the first one brought.
    assert _streaming(guarded) == 0
    assert held_total(runtime.uploaded_file_mgr) == KB


_PART_HEAD = b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\n'


def _whole_body() -> dict:
    return {"type": "http.request", "body": _PART_HEAD + b"x" * KB + b"\r\n--b--\r\n", "more_body": False}


def _streaming(app: Starlette) -> int:
    """Bytes the app's UploadGuard counts as still streaming in."""
    layer = app.middleware_stack
    while not isinstance(layer, UploadGuard):
        layer = layer.app
    return layer.streaming_bytes


async def _call(app, session_id: str, login: str, receive, content_length: int | None = None) -> int:
    headers = [(b"cookie", f"_streamlit_xsrf={XSRF}; pingyi_login={login}".encode()), (b"x-xsrftoken", XSRF.encode())]
    headers.append((b"content-type", b"multipart/form-data; boundary=b"))
    if content_length is not None:
        headers.append((b"content-length", str(content_length).encode()))
    scope = {
        "type": "http",
        "method": "PUT",
        "path": f"/_stcore/upload_file/{session_id}/{uuid.uuid4()}",
        "raw_path": b"",
        "root_path": "",
        "scheme": "http",
        "query_string": b"",
        "headers": headers,
        "client": ("127.0.0.1", 1),
        "server": ("testserver", 80),
        "http_version": "1.1",
    }
    sent = []

    async def send(message):
        sent.append(message)

    await app(scope, receive, send)
    return next(m["status"] for m in sent if m["type"] == "http.response.start")


def test_the_app_module_does_not_declare_the_cookie_component():
    """Streamlit registers a component only when it is declared during a run of the dashboard: were app.py
    (or the guard, on an upload request) the first to import pages.staff.auth, no login cookie would be written."""
    code = "import sys, app; print(sorted(m for m in sys.modules if m.startswith(('pages.staff.auth', 'extra_st'))))"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
