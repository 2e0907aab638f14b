"""Starlette routes of the survey service: parse the request, call a service, render."""

from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from services import health

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")


async def healthz(_request: Request) -> Response:
    ok = await run_in_threadpool(health.database_ok)
    return JSONResponse({"status": "ok" if ok else "error", "database": ok}, status_code=200 if ok else 503)


async def voter_link(request: Request) -> Response:
    # Ballots arrive in a later step; until then no link is valid.
    return templates.TemplateResponse(request, "link_invalid.html", status_code=404)


routes = [
    Route("/healthz", healthz),
    Route("/v/{token}", voter_link),
    Mount("/assets", StaticFiles(directory=HERE / "static"), name="assets"),
]
