"""Starlette routes of the survey service: parse the request, call a service, render."""

from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from models.voting import GRADE_LABELS, OPINION_MAX, SATISFACTION_LABELS, Grade
from services.ballot import ballot_form, casting, sealing, tokens, wording
from services.ballot import code_entry as code_entry_service
from services.ballot.ballot_form import BallotForm, BallotRefused, FilledBallot
from services.ballot.casting import LinkNotOpen, SystemBusy
from services.ballot.code_entry import TooManyWrongCodes, WrongCode
from services.grading import feedback
from services.platform import health
from survey import blank_ballots, meeting_routes, self_review_routes
from survey.protection import form_secret, same_origin, secret_ok
from survey.rendering import HEADERS, page, templates, too_large
from survey.request_limits import TooLarge, read_form

HERE = Path(__file__).parent
_STATUS = {"invalid": 404, "closed": 200, "used": 200, "paper": 200, "paper_closed": 200, "not_open": 200}
_TITLES = {
    "invalid": "链接无效",
    "closed": "测评已结束",
    "used": "已提交",
    "paper": "纸质投票",
    "paper_closed": "测评已结束",
    "not_open": "测评尚未开始",
}


async def healthz(_request: Request) -> Response:
    ok = await run_in_threadpool(health.database_ok)
    if not ok:
        return JSONResponse({"status": "error", "database": False}, status_code=503)
    # A count only: which branches, and why, is for staff on the progress page.
    owed = await run_in_threadpool(sealing.seals_incomplete)
    return JSONResponse({"status": "ok" if not owed else "attention", "database": True, "seals_incomplete": owed})


async def personal_page(request: Request) -> Response:
    """/p/<token>: a member's personal link, handed out by name before the meeting (党性分析) or after the vote."""
    token = tokens.normalize(request.path_params["token"])
    view = await run_in_threadpool(feedback.personal_view, token)
    if view is None:
        text = "这个个人链接无法使用：可能不完整，或已被新的链接取代。请联系本支部书记。"
        return page(request, "message.html", {"title": "链接无效", "text": text}, 404)
    return page(request, "personal.html", {"personal": view, "token": token})


async def code_entry(request: Request) -> Response:
    """/v: type the code printed on a slip; a wrong one comes back to the box with what was typed."""
    if request.method == "POST":
        try:
            typed = (await read_form(request, max_bytes=1024)).get("code", "")[:64]
        except TooLarge:
            return too_large(request)
        client = request.client.host if request.client else ""
        try:
            code = await run_in_threadpool(code_entry_service.open_code, typed, client=client)
        except TooManyWrongCodes as refused:
            return page(request, "code.html", {"error": str(refused), "typed": typed}, 429)
        except WrongCode as wrong:
            return page(request, "code.html", {"error": str(wrong), "typed": typed}, 400)
        return RedirectResponse(f"/v/{code}", status_code=303)
    return page(request, "code.html", {})


async def ballot(request: Request) -> Response:
    token = tokens.normalize(request.path_params["token"])
    data = None
    if request.method == "POST":
        try:
            data = await read_form(request)
        except TooLarge:
            return too_large(request)
    action = data.get("action", "review") if data is not None else None
    # A submission needs no fresh read of the link: casting checks it under the locks.
    opening = casting.submission_form if action == "submit" else casting.open_ballot
    try:
        form = await run_in_threadpool(opening, token)
    except SystemBusy:
        return _unreachable(request, token, data)
    if form.state != "open":
        return await _not_open(request, form, token)
    subject = tokens.token_hash(token)
    if data is None:
        return _blank_ballot(request, form, token, subject)
    if not same_origin(request) or not secret_ok(data.get("csrf"), subject):
        return page(
            request,
            "message.html",
            {"title": "无法提交", "text": "页面已过期或来源不明，请重新打开测评链接后再填写。"},
            403,
        )
    filled = _filled(form, data)
    problems = ballot_form.check(form, filled)
    if action == "edit" or problems:
        return _ballot_page(request, form, token, filled, problems, 200 if action == "edit" else 422)
    if action != "submit":
        return page(request, "confirm.html", _context(form, token, filled, []))
    try:
        receipt = await run_in_threadpool(casting.cast_ballot, token, filled, form)
    except SystemBusy as busy:  # the summary again, every choice kept, to send once more
        return page(request, "confirm.html", _context(form, token, filled, []) | {"busy": str(busy)}, 503)
    except LinkNotOpen as refused:  # used, revoked or closed since the page was shown
        return await _not_open(request, refused.form, token)
    except BallotRefused as refused:
        return page(request, "message.html", {"title": "未能提交", "text": str(refused)}, 409)
    return page(request, "done.html", {"form": form, "receipt": receipt})


async def _not_open(request: Request, form: BallotForm, token: str) -> Response:
    """A link that cannot vote now. A named link stays the member's own page after the vote: their result
    once approved."""
    after_voting = form.state in ("used", "paper", "paper_closed", "closed")
    personal = await run_in_threadpool(feedback.personal_view, token) if after_voting else None
    status = 409 if request.method == "POST" and form.state == "used" else None
    return _message(request, form, status, personal, token)


def _unreachable(request: Request, token: str, data) -> Response:
    """The database cannot be reached (restarting): a GET is asked to come back; a POST gets a page
    that keeps every value it sent, ready to be sent again as it was."""
    if data is None:
        text = "系统繁忙，暂时打不开测评表。请稍等片刻再打开链接，您的链接仍然有效。"
        return page(request, "message.html", {"title": "系统繁忙", "text": text}, 503)
    kept = [(key, value) for key, value in data.items() if key != "action"]
    context = {"token": token, "kept": kept, "count": sum(key.startswith("m") for key, _ in kept)}
    return page(request, "resend.html", context, 503)


def _filled(form: BallotForm, data) -> FilledBallot:
    return FilledBallot(
        choices={m: data.get(f"m{m}") for m, _ in form.rated if data.get(f"m{m}")},
        branch_committee_rating=data.get("branch_committee") or None,
        report_rating=data.get("report") or None,
        # Browsers send a textarea's line breaks as CRLF: count what the member typed.
        opinion=(data.get("opinion") or "").replace("\r\n", "\n").strip() or None,
    )


def _context(form: BallotForm, token: str, filled: FilledBallot, problems, csrf: str | None = None) -> dict:
    chosen = [filled.choices.get(m) for m, _ in form.rated]
    return {
        "form": form,
        "token": token,
        "filled": filled,
        "csrf": csrf or form_secret(tokens.token_hash(token)),
        "problems": {p.where: p.message for p in problems},
        "general": [p.message for p in problems if not p.where],
        "problem_list": [(p.where, p.message) for p in problems],
        "grades": list(GRADE_LABELS.items()),
        "satisfaction": list(SATISFACTION_LABELS.items()),
        "grade_labels": GRADE_LABELS,
        "satisfaction_labels": SATISFACTION_LABELS,
        "excellent": chosen.count(Grade.excellent),
        "counts": {g: chosen.count(g) for g in Grade},
        "opinion_max": OPINION_MAX,
    }


def _blank_ballot(request: Request, form: BallotForm, token: str, subject: str) -> Response:
    """A link opened: the branch's blank ballot, rendered once for all its voters (survey/blank_ballots.py)."""

    def render(token_stand_in: str, secret_stand_in: str) -> str:
        context = _context(form, token_stand_in, FilledBallot(choices={}), [], csrf=secret_stand_in)
        return templates.get_template("ballot.html").render(context | {"request": request})

    html = blank_ballots.page(form, token, form_secret(subject), render)
    return HTMLResponse(html, headers=HEADERS)


def _ballot_page(request, form, token, filled, problems, status: int = 200) -> Response:
    return page(request, "ballot.html", _context(form, token, filled, problems), status)


def _message(request: Request, form: BallotForm, status: int | None, personal=None, token: str = "") -> Response:
    context = {"title": _TITLES[form.state], "text": wording.refusal(form.state, form.mode), "form": form}
    context |= {"personal": personal, "token": token}
    return page(request, "message.html", context, status or _STATUS[form.state])


routes = [
    Route("/healthz", healthz),
    Route("/v", code_entry, methods=["GET", "POST"]),
    Route("/v/{token}", ballot, methods=["GET", "POST"]),
    Route("/p/{token}", personal_page),
    *meeting_routes.routes,
    *self_review_routes.routes,
    Mount("/assets", StaticFiles(directory=HERE / "static"), name="assets"),
]
