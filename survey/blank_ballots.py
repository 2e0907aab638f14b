"""A branch's blank ballot is the same page for each of its voters but for the link's token and the form
secret, so it is rendered once per branch and those two are put in for each voter.

Rendering the 80-row form took most of the server's time for a phone opening its link (bench/ballot_page.py).
A rendering is kept while the form it was made from is unchanged (the roster is locked while voting is
open) and for at most LIFETIME seconds.
"""

import secrets
import threading
import time
from collections.abc import Callable

from services.ballot.ballot_form import BallotForm
from services.platform import db

LIFETIME = 30
# Stand-ins nobody can type into a name or a title: new ones each time the process starts.
TOKEN, SECRET = f"t{secrets.token_hex(12)}", f"s{secrets.token_hex(12)}"
_pages: dict[int, tuple[float, BallotForm, str]] = {}
_lock = threading.Lock()
db.forget_on_dispose.append(_pages.clear)


def page(form: BallotForm, token: str, secret: str, render: Callable[[str, str], str]) -> str:
    """The blank ballot for this voter; `render(token, secret)` renders it with the given stand-ins."""
    with _lock:
        kept = _pages.get(form.voting_id)
    if kept is None or kept[0] < time.monotonic() or kept[1] != form:
        kept = (time.monotonic() + LIFETIME, form, render(TOKEN, SECRET))
        with _lock:
            _pages[form.voting_id] = kept
    return kept[2].replace(TOKEN, token).replace(SECRET, secret)
