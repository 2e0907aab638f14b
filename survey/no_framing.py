"""No page of this server may be shown inside another origin's frame (clickjacking of 重置密码, 停用账号…):
every HTTP response, the dashboard's included, says so. Frames of this very origin stay allowed: the
dashboard's own components (the login cookie's among them) are frames served from here."""

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class NoFraming:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Frame-Options", "SAMEORIGIN")
                if "content-security-policy" not in headers:
                    headers["Content-Security-Policy"] = "frame-ancestors 'self'"
            await send(message)

        await self.app(scope, receive, send_with_headers)
