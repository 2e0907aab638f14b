"""Cross-site submission protection for survey forms: a signed per-form secret and an Origin check."""

import functools
from urllib.parse import urlsplit

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request

from services.platform.config import get_settings, signing_key

FORM_MAX_AGE = 12 * 3600  # a ballot opened in the morning can still be sent in the evening


@functools.cache
def _serializer() -> URLSafeTimedSerializer:
    # Built once per process: every ballot page signs and checks with it (the key comes from a file).
    return URLSafeTimedSerializer(signing_key("survey-form"), salt="ballot")


def form_secret(subject: str) -> str:
    """The hidden field a form carries: signed, bound to `subject` (the token's hash), dated."""
    return _serializer().dumps(subject[:24])


def secret_ok(value: str | None, subject: str) -> bool:
    if not value:
        return False
    try:
        return _serializer().loads(value, max_age=FORM_MAX_AGE) == subject[:24]
    except BadSignature:
        return False


def same_origin(request: Request) -> bool:
    """A POST must come from this site: its Origin (or, lacking one, Referer) names our host."""
    claimed = request.headers.get("origin") or request.headers.get("referer")
    if claimed is None:
        return True  # no header to judge by; the signed form secret still has to match
    host = urlsplit(claimed).netloc
    allowed = {request.url.netloc, request.headers.get("host", ""), urlsplit(get_settings().base_url or "").netloc}
    return bool(host) and host in allowed
