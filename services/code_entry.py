"""Typing a code from a slip at /v: what it opens, and wrong codes limited per client.

Codes are short (50 bits) so that elderly members can type them; guessing stays hopeless because
each client may get only so many wrong in a while. The limit is generous, since a whole meeting
room may reach the server from one address. Counted per process (several app processes each keep
their own count, which only multiplies the limit by their number).
"""

import threading
import time
from collections import deque

from services import ballots, tokens
from services.errors import ServiceError

WRONG_LIMIT = 60  # wrong codes per client within the window
WINDOW_SECONDS = 600


class WrongCode(ServiceError):
    """The code opens nothing; the message says what to check."""


class TooManyWrongCodes(ServiceError):
    pass


_wrong: dict[str, deque[float]] = {}
_lock = threading.Lock()


def open_code(typed: str, *, client: str) -> str:
    """The token a typed code stands for, ready for /v/<token>; WrongCode or TooManyWrongCodes."""
    with _lock:
        recent = _recent(client)
        if len(recent) >= WRONG_LIMIT:
            wait = int(recent[0] + WINDOW_SECONDS - time.monotonic()) // 60 + 1
            raise TooManyWrongCodes(f"输错投票码的次数太多，请 {wait} 分钟后再试，或请支部书记帮助")
    code = tokens.normalize(typed)
    if len(code) in (tokens.CODE_LENGTH, tokens.LINK_LENGTH) and ballots.open_ballot(code).state != "invalid":
        return code
    with _lock:
        _recent(client).append(time.monotonic())
    if len(code) != tokens.CODE_LENGTH:
        raise WrongCode(
            f"投票码应为 {tokens.CODE_LENGTH} 位字母和数字，您输入了 {len(code)} 位，请核对测评票后重新输入"
        )
    raise WrongCode("没有这个投票码，或它已经作废。请核对测评票上的投票码后重新输入")


def _recent(client: str) -> deque[float]:
    """The client's wrong codes still within the window (oldest first); caller holds the lock."""
    recent = _wrong.setdefault(client, deque())
    cutoff = time.monotonic() - WINDOW_SECONDS
    while recent and recent[0] < cutoff:
        recent.popleft()
    return recent


def forget() -> None:
    """Clear every count (tests)."""
    with _lock:
        _wrong.clear()
