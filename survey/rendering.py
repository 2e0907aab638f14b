"""How every survey page is rendered and sent: the templates, and the headers every answer carries."""

from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
# The token is in the URL: it may travel back to us (Origin/Referer checks) but to no one else.
HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
}


def page(request: Request, template: str, context: dict, status: int = 200) -> Response:
    response = templates.TemplateResponse(request, template, context, status_code=status)
    response.headers.update(HEADERS)
    if request.method == "POST":
        # Kept in the phone's own history (never by a shared cache), so that the back gesture after
        # "返回修改" shows the page again instead of the browser's "resubmit the form?" error.
        response.headers["Cache-Control"] = "private, no-cache"
    return response


def too_large(request: Request) -> Response:
    text = "提交的内容过大，不像是一张测评票。请重新打开测评链接后再填写。"
    return page(request, "message.html", {"title": "无法提交", "text": text}, 413)
