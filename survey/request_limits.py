"""Reading a posted form within fixed limits, before any parsing: one process serves ballots and
the dashboard, so one oversized request must not take its memory or time."""

from urllib.parse import parse_qsl

from starlette.requests import Request

# A ballot of a 300-member branch with a full opinion is about 15 KB; nothing legitimate comes near.
MAX_FORM_BYTES = 64 * 1024
MAX_FORM_FIELDS = 1000


class TooLarge(Exception):
    """The request is over a limit; nothing of it was kept."""


async def read_form(request: Request, *, max_bytes: int = MAX_FORM_BYTES) -> dict[str, str]:
    """The urlencoded form as field -> first value, or TooLarge, reading at most `max_bytes`."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > max_bytes):
        raise TooLarge
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > max_bytes:
            raise TooLarge
    try:
        pairs = parse_qsl(body.decode("utf-8", errors="replace"), max_num_fields=MAX_FORM_FIELDS)
    except ValueError:  # more fields than any form of ours has
        raise TooLarge from None
    form: dict[str, str] = {}
    for name, value in pairs:
        form.setdefault(name, value)
    return form
