"""Typing a code from a slip at /v: what it opens, and wrong codes limited per client.

Codes are short (50 bits) so that elderly members can type them; guessing stays hopeless because
each client may get only so many wrong in a while. The limit is generous, since a whole meeting
room may reach the server from one address. Wrong codes are counted in the database, so several app
processes behind one balancer keep one count; the client is stored only as a keyed hash of its address.
"""

import hashlib
import hmac
from datetime import timedelta

from sqlalchemy import delete, func
from sqlmodel import select

from models import WrongCode as WrongCodeRow
from services.ballot import casting, tokens
from services.platform.clock import local, now
from services.platform.config import signing_key
from services.platform.db import session_scope
from services.platform.errors import ServiceError

WRONG_LIMIT = 60  # wrong codes per client within the window
WINDOW_SECONDS = 600


class WrongCode(ServiceError):
    """The code opens nothing; the message says what to check."""


class TooManyWrongCodes(ServiceError):
    pass


def open_code(typed: str, *, client: str) -> str:
    """The token a typed code stands for, ready for /v/<token>; WrongCode or TooManyWrongCodes."""
    who = _client_hash(client)
    _refuse_if_over_limit(who)
    code = tokens.normalize(typed)
    if len(code) in (tokens.CODE_LENGTH, tokens.LINK_LENGTH) and casting.open_ballot(code).state != "invalid":
        return code
    _count_wrong(who)
    if len(code) != tokens.CODE_LENGTH:
        raise WrongCode(
            f"投票码应为 {tokens.CODE_LENGTH} 位字母和数字，您输入了 {len(code)} 位，请核对测评票后重新输入"
        )
    raise WrongCode("没有这个投票码，或它已经作废。请核对测评票上的投票码后重新输入")


def _client_hash(client: str) -> str:
    return hmac.new(bytes.fromhex(signing_key("wrong-code-client")), client.encode(), hashlib.sha256).hexdigest()


def _refuse_if_over_limit(who: str) -> None:
    cutoff = now() - timedelta(seconds=WINDOW_SECONDS)
    with session_scope() as session:
        count, oldest = session.exec(
            select(func.count(), func.min(WrongCodeRow.at)).where(WrongCodeRow.client == who, WrongCodeRow.at > cutoff)
        ).one()
    if count >= WRONG_LIMIT:
        wait = int((local(oldest) - local(cutoff)).total_seconds()) // 60 + 1
        raise TooManyWrongCodes(f"输错投票码的次数太多，请 {wait} 分钟后再试，或请支部书记帮助")


def _count_wrong(who: str) -> None:
    moment = now()
    with session_scope() as session:
        session.exec(delete(WrongCodeRow).where(WrongCodeRow.at <= moment - timedelta(seconds=WINDOW_SECONDS)))
        session.add(WrongCodeRow(client=who, at=moment))


def forget() -> None:
    """Clear every count (tests)."""
    with session_scope() as session:
        session.exec(delete(WrongCodeRow))
