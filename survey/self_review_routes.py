"""/s/<token>: a member writes their 党性分析 (个人自评) from their personal link — text, a photo of a handwritten
page, or both — until the branch's 组织生活会 is held. A plain multipart form: no JavaScript needed."""

import base64

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from models.self_review import SELF_REVIEW_MAX
from services.ballot import tokens
from services.meeting import self_reviews
from services.meeting.self_reviews import MAX_IMAGE_BYTES, OwnReview
from services.platform.errors import InvalidInput, InvalidTransition, NotFound
from survey.protection import form_secret, same_origin, secret_ok
from survey.rendering import page

# One photo and the text: the form's framing, a 3,000-character text (9 KB) and field names fit well within.
MAX_BODY = MAX_IMAGE_BYTES + 64 * 1024
_STALE = "页面已过期或来源不明，请重新打开链接后再填写。"
_TOO_LARGE = f"照片太大，不能上传（不超过 {MAX_IMAGE_BYTES // 1048576} MB）。请缩小照片后再上传，或只填写文字。"
_NO_LINK = "这个链接不能填写党性分析：请使用支部发给您本人的链接。"


class _Refused(Exception):
    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


async def self_review_form(request: Request) -> Response:
    token = tokens.normalize(request.path_params["token"])
    own = await run_in_threadpool(self_reviews.own_review, token)
    if own is None:
        return page(request, "message.html", {"title": "链接无效", "text": _NO_LINK}, 404)
    context = _context(own, token, own.text or "")
    if request.method == "GET":
        return page(request, "self_review.html", context)
    try:
        text, image, image_name, drop = await _posted(request, token)
    except _Refused as refused:
        return page(request, "self_review.html", context | {"error": str(refused)}, refused.status)
    try:
        own = await run_in_threadpool(
            lambda: self_reviews.write_own(token, text, image=image, image_name=image_name, drop_image=drop)
        )
    except (InvalidInput, InvalidTransition, NotFound) as refused:
        return page(request, "self_review.html", context | {"text": text, "error": str(refused)}, 422)
    return page(request, "self_review.html", _context(own, token, own.text or "") | {"saved": True})


def _context(own: OwnReview, token: str, text: str) -> dict:
    thumbnail = base64.b64encode(own.thumbnail).decode() if own.thumbnail else None
    return {
        "own": own, "text": text, "thumbnail": thumbnail, "limit": SELF_REVIEW_MAX,
        "csrf": form_secret(tokens.token_hash(token)), "max_mb": MAX_IMAGE_BYTES // 1048576,
    }  # fmt: skip


async def _posted(request: Request, token: str) -> tuple[str, bytes | None, str | None, bool]:
    """The form's text, photo (bytes and file name, or None) and 删除照片 tick, read within MAX_BODY."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY):
        raise _Refused(_TOO_LARGE, 413)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise _Refused(_TOO_LARGE, 413)
    request._body = bytes(body)  # the parser below reads what was already read, never the socket again
    try:
        form = await request.form(max_files=1, max_fields=4, max_part_size=64 * 1024)
    except (HTTPException, MultiPartException):  # Starlette's word for any malformed multipart body
        raise _Refused("提交的内容无法识别，请重新打开链接后再填写。", 400) from None
    if not same_origin(request) or not secret_ok(_field(form, "csrf"), tokens.token_hash(token)):
        raise _Refused(_STALE, 403)
    text = _field(form, "text").replace("\r\n", "\n")
    upload = form.get("image")
    image, name = None, None
    if isinstance(upload, UploadFile) and upload.filename:
        image, name = await upload.read(), upload.filename
    return text, image or None, name, _field(form, "drop_image") == "1"


def _field(form, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


routes = [Route("/s/{token}", self_review_form, methods=["GET", "POST"])]
