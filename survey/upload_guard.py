"""Streamlit's own upload endpoint, `/_stcore/upload_file/<session>/<file>`, on the ballots' port: Streamlit
takes a file from any live session, logged in or not, and keeps it in memory until that session ends (one
that disconnects ends only after its 2-minute reconnect window, once Streamlit next reaps it). Here a file
is taken only from a live session whose request carries a valid login cookie, and what is held stays
bounded: one request's body, one session's files, and all files of the process, counted as the body
streams in (before Streamlit reads it) and from what Streamlit's upload manager holds, so whatever it
frees is counted free at once."""

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from streamlit import config as st_config
from streamlit import runtime as st_runtime
from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager

from services.staff.login_cookie import COOKIE_NAME, cookie_actor

MB = 1024 * 1024
# A multipart body carries one file plus its boundary lines and part headers (well under 1 KB).
FRAMING_BYTES = 64 * 1024
# The product's uploaders (the roster, one meeting photo or scan at a time) each hold one file of at most
# maxUploadSize (10 MB); a session may also still hold the roster of a campaign viewed earlier.
SESSION_BYTES = 30 * MB
# All sessions of the process together: twenty files of the largest size at once.
PROCESS_BYTES = 200 * MB

UPLOAD_PATH = re.compile(r"/_stcore/upload_file(?:/(?P<session>[^/]+)/(?P<file>[^/]+))?/?$")
GUARDED_METHODS = frozenset({"PUT", "POST"})

LOGIN_NEEDED = "请先登录再上传文件。"
PAGE_GONE = "页面已失效，请刷新页面后重新上传。"
TOO_LARGE = "文件太大，不能上传。"
SESSION_FULL = "本页面已上传的文件太多，请刷新页面后再上传。"
SERVER_FULL = "服务器正忙，请稍后再上传。"


class Runtime(Protocol):
    """What the guard asks of Streamlit's runtime (streamlit.runtime.Runtime has both)."""

    def is_active_session(self, session_id: str) -> bool: ...

    @property
    def uploaded_file_mgr(self) -> MemoryUploadedFileManager: ...


def streamlit_runtime() -> Runtime | None:
    return st_runtime.get_instance() if st_runtime.exists() else None


def request_limit() -> int:
    """One request's body: Streamlit's own per-file limit (server.maxUploadSize, MB) and its framing."""
    return int(st_config.get_option("server.maxUploadSize")) * MB + FRAMING_BYTES


@dataclass
class _Upload:
    session_id: str
    runtime: Runtime
    limit: int  # this request's body
    reserved: int  # bytes counted against the session's and the process's caps while it streams


class _Refused(Exception):
    def __init__(self, status: int, text: str) -> None:
        self.status, self.text = status, text


def _refusal(status: int, text: str) -> PlainTextResponse:
    return PlainTextResponse(text, status_code=status, headers={"Cache-Control": "no-store"})


class UploadGuard:
    """ASGI middleware in front of Streamlit's routes; every other request passes untouched."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        login_key: Callable[[], str],
        runtime: Callable[[], Runtime | None] = streamlit_runtime,
        request_bytes: Callable[[], int] = request_limit,
        session_bytes: int = SESSION_BYTES,
        process_bytes: int = PROCESS_BYTES,
    ) -> None:
        self.app = app
        self.login_key = login_key
        self.runtime = runtime
        self.request_bytes = request_bytes
        self.session_bytes = session_bytes
        self.process_bytes = process_bytes
        # Bodies still streaming in, not yet in the upload manager: per session, and all together.
        # Only the event loop's thread touches these.
        self._streaming: dict[str, int] = defaultdict(int)
        self._streaming_total = 0

    @property
    def streaming_bytes(self) -> int:
        """Bodies being received now and counted against the caps, not yet in the upload manager."""
        return self._streaming_total

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in GUARDED_METHODS:
            await self.app(scope, receive, send)
            return
        found = UPLOAD_PATH.search(scope["path"])
        if found is None:
            await self.app(scope, receive, send)
            return
        try:
            upload = await self._admit(scope, found["session"])
        except _Refused as refused:
            await _refusal(refused.status, refused.text)(scope, receive, send)
            return
        try:
            await self._pass_counted(scope, receive, send, upload)
        finally:
            self._release(upload.session_id, upload.reserved)

    async def _admit(self, scope: Scope, session_id: str | None) -> _Upload:
        """Everything decided before a byte of the body is read, cheapest first; raises _Refused.
        The announced size is reserved at once (no await between the check and the reservation)."""
        runtime = self.runtime()
        if session_id is None or runtime is None or not runtime.is_active_session(session_id):
            raise _Refused(403, PAGE_GONE)
        request = Request(scope)
        limit = self.request_bytes()
        declared = request.headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            raise _Refused(413, TOO_LARGE)
        token = request.cookies.get(COOKIE_NAME)
        if not token or await run_in_threadpool(cookie_actor, token, self.login_key()) is None:
            raise _Refused(403, LOGIN_NEEDED)
        upload = _Upload(session_id, runtime, limit, reserved=int(declared or 0))
        self._check_room(runtime, session_id, upload.reserved)
        self._reserve(session_id, upload.reserved)
        return upload

    async def _pass_counted(self, scope: Scope, receive: Receive, send: Send, upload: _Upload) -> None:
        """Streamlit's handler reads the body through a receive that counts it and stops it past a limit:
        past this request's limit, or (beyond what Content-Length announced) past the session's or process's."""
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > upload.limit:
                    raise _Refused(413, TOO_LARGE)
                if received > upload.reserved:
                    extra = received - upload.reserved
                    self._check_room(upload.runtime, upload.session_id, extra)
                    self._reserve(upload.session_id, extra)
                    upload.reserved = received
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except _Refused as refused:
            if started:
                raise
            await _refusal(refused.status, refused.text)(scope, receive, send)

    def _reserve(self, session_id: str, size: int) -> None:
        self._streaming[session_id] += size
        self._streaming_total += size

    def _release(self, session_id: str, size: int) -> None:
        self._streaming_total -= size
        self._streaming[session_id] -= size
        if self._streaming[session_id] <= 0:
            del self._streaming[session_id]

    def _check_room(self, runtime: Runtime, session_id: str, coming: int) -> None:
        """Refuses once the session's or the process's files, held and streaming, would pass their cap."""
        manager = runtime.uploaded_file_mgr
        own = held_by(manager, session_id) + self._streaming.get(session_id, 0) + coming
        if own > self.session_bytes:
            raise _Refused(413, SESSION_FULL)
        if held_total(manager) + self._streaming_total + coming <= self.process_bytes:
            return
        # Files of sessions that are no longer live go first: disconnected ones, which Streamlit frees only
        # after their reconnect window (a user who does reconnect then picks the file again).
        for stale in [sid for sid in list(manager.file_storage) if not runtime.is_active_session(sid)]:
            manager.remove_session_files(stale)
        if held_total(manager) + self._streaming_total + coming > self.process_bytes:
            raise _Refused(503, SERVER_FULL)


def held_by(manager: MemoryUploadedFileManager, session_id: str) -> int:
    """Bytes of the files Streamlit's upload manager holds for one session."""
    files = manager.file_storage.get(session_id)
    return sum(len(record.data) for record in list(files.values())) if files else 0


def held_total(manager: MemoryUploadedFileManager) -> int:
    """Bytes of all files Streamlit's upload manager holds."""
    return sum(held_by(manager, session_id) for session_id in list(manager.file_storage))
