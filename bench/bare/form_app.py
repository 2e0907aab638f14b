"""The floor under the burst: one bare Starlette route inside `st.App`, serving an 80-row form and
storing what comes back with the sqlite3 module alone. No templates, no services, no ORM.

Started by bench/ballot_burst.py as `streamlit run bench/bare/form_app.py` with BARE_DB (a SQLite file
holding `token(token PRIMARY KEY, used)`) and BARE_ROWS (rows of the form). The phones' client is the
same as for the product: GET /v/<token>, read the form secret, POST action=submit, read the receipt.
"""

import hashlib
import hmac
import os
import secrets
import sqlite3
import threading
from pathlib import Path

import streamlit as st
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse
from starlette.routing import Route

DB = os.environ.get("BARE_DB", "bare.db")
ROWS = int(os.environ.get("BARE_ROWS", "80"))
KEY = secrets.token_bytes(32)
GRADES = (("excellent", "优秀"), ("qualified", "合格"), ("basic", "基本合格"), ("unqualified", "不合格"))
_local = threading.local()


def _connection() -> sqlite3.Connection:
    if not hasattr(_local, "db"):
        _local.db = sqlite3.connect(DB, isolation_level=None, timeout=10)
        _local.db.execute("PRAGMA journal_mode=WAL")
    return _local.db


def _secret(token: str) -> str:
    return hmac.new(KEY, token.encode(), hashlib.sha256).hexdigest()


def _form(token: str) -> str:
    options = "".join(
        f'<label><input type="radio" name="{{key}}" value="{v}"><span>{t}</span></label>' for v, t in GRADES
    )
    rows = "".join(
        f'<fieldset id="m{i}"><legend>{i} 党员{i:03d}</legend>{options.format(key=f"m{i}")}</fieldset>'
        for i in range(1, ROWS + 1)
    )
    return (
        '<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>测评</title>'
        f'<form method="post" action="/v/{token}">'
        f'<input type="hidden" name="csrf" value="{_secret(token)}">{rows}'
        '<button name="action" value="submit">提交</button></form></html>'
    )


def _store(token: str, choices: str) -> str | None:
    db = _connection()
    db.execute("BEGIN IMMEDIATE")
    try:
        if db.execute("UPDATE token SET used = 1 WHERE token = ? AND used = 0", (token,)).rowcount != 1:
            db.execute("ROLLBACK")
            return None
        receipt = secrets.token_hex(4).upper()
        db.execute("INSERT INTO ballot (receipt, choices) VALUES (?, ?)", (receipt, choices))
        db.execute("COMMIT")
        return f"{receipt[:4]}-{receipt[4:]}"
    except BaseException:
        db.execute("ROLLBACK")
        raise


async def ballot(request: Request):
    token = request.path_params["token"]
    if request.method == "GET":
        return HTMLResponse(_form(token))
    data = await request.form()
    if not hmac.compare_digest(data.get("csrf", ""), _secret(token)):
        return PlainTextResponse("expired", status_code=403)
    choices = ",".join(data.get(f"m{i}", "") for i in range(1, ROWS + 1))
    receipt = await run_in_threadpool(_store, token, choices)
    if receipt is None:
        return PlainTextResponse("used", status_code=409)
    return HTMLResponse(f'<!doctype html><html><meta charset="utf-8"><p id="receipt">{receipt}</p></html>')


async def healthz(_request: Request):
    return PlainTextResponse("ok")


app = st.App(
    Path(__file__).with_name("dashboard.py"),
    routes=[Route("/v/{token}", ballot, methods=["GET", "POST"]), Route("/healthz", healthz)],
)
