"""Addresses that name no page: sent to the dashboard's home, rather than to Streamlit's English
"Page not found" box. Only single-word GET addresses are judged; files (with a dot), Streamlit's
own paths (under _stcore, static, media, component) and the survey's routes pass untouched."""

from urllib.parse import quote

from starlette.responses import RedirectResponse
from starlette.types import ASGIApp, Receive, Scope, Send

# The dashboard's page addresses (dashboard.py; a test keeps the two in step) and the survey's own.
DASHBOARD_PAGES = frozenset(
    {"start", "home", "login", "roster", "progress", "voting", "remind", "screen", "masses", "paper", "results",
     "dispositions", "steps", "help", "statistics", "trends",
     "study", "talks", "problems", "self-reviews", "meeting", "rectification", "filing", "campaigns", "accounts",
     "audit", "password"}
)  # fmt: skip
_OTHERS = frozenset({"v", "healthz", "assets", "media", "static", "component", "app", "oauth2callback"})


class UnknownAddressesGoHome:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in ("GET", "HEAD") and _unknown(scope["path"]):
            # 首页 says which address was not found (dashboard.py reads ?missing=), rather than landing silently.
            missing = quote(scope["path"].strip("/")[:60], safe="")
            await RedirectResponse(f"/?missing={missing}", status_code=303)(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _unknown(path: str) -> bool:
    name = path.strip("/")
    if not name or "/" in name or "." in name or name.startswith(("_", "~")):
        return False
    return name not in DASHBOARD_PAGES and name not in _OTHERS
