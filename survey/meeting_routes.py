"""The meeting's public pages on the survey service: opinions from the masses (/o/), a member's
commitment (/c/), and the publicity of the rectification list and commitments (/g/)."""

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from models.meeting import RECTIFICATION_LABELS, TEXT_MAX
from services.ballot import tokens
from services.meeting import commitments, opinions, publicity
from services.platform.errors import InvalidInput, InvalidTransition, NotFound
from survey.protection import form_secret, same_origin, secret_ok
from survey.rendering import page, too_large
from survey.request_limits import TooLarge, read_form

_SENT = "sent"  # the cookie counting this browser's opinions for one branch
_STALE = "页面已过期或来源不明，请重新打开链接后再填写。"


async def opinion_form(request: Request) -> Response:
    token = tokens.normalize(request.path_params["token"])
    found = await run_in_threadpool(opinions.target, token)
    if found is None:
        return page(request, "message.html", {"title": "链接无效", "text": "这个征求意见链接无效。"}, 404)
    cookie = f"{_SENT}_{token[:8]}"
    sent = _count(request.cookies.get(cookie))
    context = {"target": found, "csrf": form_secret(tokens.token_hash(token)), "limit": TEXT_MAX, "text": ""}
    if request.method == "GET":
        return page(request, "opinion.html", context)
    text = await _typed(request, token, "opinion.html", context)
    if isinstance(text, Response):
        return text
    try:
        await run_in_threadpool(opinions.leave_opinion, token, text, sent_from_this_browser=sent)
    except (InvalidInput, NotFound) as refused:
        return page(request, "opinion.html", context | {"text": text, "error": str(refused)}, 422)
    response = page(request, "opinion.html", context | {"thanks": True})
    response.set_cookie(cookie, str(sent + 1), max_age=30 * 86400, httponly=True, samesite="strict")
    return response


async def commitment_form(request: Request) -> Response:
    token = tokens.normalize(request.path_params["token"])
    own = await run_in_threadpool(commitments.own_commitment, token)
    if own is None:
        text = "这个链接不能填写整改承诺：请使用支部发给您本人的链接。"
        return page(request, "message.html", {"title": "链接无效", "text": text}, 404)
    context = {"own": own, "csrf": form_secret(tokens.token_hash(token)), "limit": TEXT_MAX, "text": own.text or ""}
    if request.method == "GET":
        return page(request, "commitment.html", context)
    text = await _typed(request, token, "commitment.html", context)
    if isinstance(text, Response):
        return text
    try:
        own = await run_in_threadpool(commitments.write_own, token, text)
    except (InvalidInput, InvalidTransition, NotFound) as refused:
        return page(request, "commitment.html", context | {"text": text, "error": str(refused)}, 422)
    return page(request, "commitment.html", context | {"own": own, "text": own.text, "saved": True})


async def publicity_page(request: Request) -> Response:
    shown = await run_in_threadpool(publicity.public_page, tokens.normalize(request.path_params["token"]))
    if shown is None:
        return page(request, "message.html", {"title": "链接无效", "text": "这个公示链接无效。"}, 404)
    return page(request, "publicity.html", {"shown": shown, "labels": RECTIFICATION_LABELS})


async def _typed(request: Request, token: str, template: str, context: dict) -> str | Response:
    """The text a small public form sent, or the page that refuses it (too large, stale or forged)."""
    try:
        data = await read_form(request, max_bytes=8 * 1024)
    except TooLarge:
        return too_large(request)
    text = (data.get("text") or "").replace("\r\n", "\n")
    if not same_origin(request) or not secret_ok(data.get("csrf"), tokens.token_hash(token)):
        return page(request, template, context | {"text": text, "error": _STALE}, 403)
    return text


def _count(value: str | None) -> int:
    return int(value) if value and value.isdigit() and len(value) < 4 else 0


routes = [
    Route("/o/{token}", opinion_form, methods=["GET", "POST"]),
    Route("/c/{token}", commitment_form, methods=["GET", "POST"]),
    Route("/g/{token}", publicity_page),
]
