"""Requests straight into an ASGI app, in this process and without a network: what Starlette's
TestClient does, without its httpx dependency (a benchmark runs from requirements.txt alone)."""

import asyncio
from dataclasses import dataclass
from urllib.parse import urlencode


@dataclass(frozen=True)
class Reply:
    status_code: int
    content: bytes

    @property
    def text(self) -> str:
        return self.content.decode()


class AsgiClient:
    def __init__(self, app, host: str = "testserver") -> None:
        self.app, self.host = app, host
        self.loop = asyncio.new_event_loop()

    def get(self, path: str) -> Reply:
        return self.loop.run_until_complete(self._call("GET", path, b"", []))

    def post(self, path: str, data: dict[str, str]) -> Reply:
        body = urlencode(data).encode()
        headers = [
            (b"content-type", b"application/x-www-form-urlencoded"),
            (b"content-length", str(len(body)).encode()),
        ]
        return self.loop.run_until_complete(self._call("POST", path, body, headers))

    async def _call(self, method: str, path: str, body: bytes, headers: list) -> Reply:
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": [(b"host", self.host.encode()), *headers],
            "client": ("127.0.0.1", 50000),
            "server": (self.host, 80),
        }
        pending = [{"type": "http.request", "body": body, "more_body": False}]
        status, chunks, answered = 0, [], asyncio.Event()

        async def receive() -> dict:
            if pending:
                return pending.pop()
            await answered.wait()  # the client stays connected until the whole response is sent
            return {"type": "http.disconnect"}

        async def send(message: dict) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, send)
        answered.set()
        return Reply(status, b"".join(chunks))
