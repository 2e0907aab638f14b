"""Running the dashboard and its screens under AppTest."""

import time
from dataclasses import asdict

from streamlit.testing.v1 import AppTest

from services.staff.access import Actor
from tests.conftest import ROOT

TIMEOUT = 30


def dashboard() -> AppTest:
    return AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT)


def logged_in(actor: Actor) -> AppTest:
    """The frame with a login already in the session, as after the login form."""
    at = dashboard()
    at.session_state["username"] = actor.username
    at.session_state["authentication_status"] = True
    at.session_state["logged_in_at"] = time.time()
    return at


def rerun_frame(at: AppTest) -> AppTest:
    """Rerun the frame after an interaction.

    AppTest resets Streamlit's "app has a pages/ folder" flag before every run, so a rerun
    that names the page it finished on is looked up among the pages/ files and runs
    nothing. A real server clears that flag for good at the first st.navigation call.
    Asking for the default page again reproduces what the browser gets.
    """
    at._finished_page_script_hash = ""
    return at.run()


def page(module: str, actor: Actor) -> AppTest:
    """One screen on its own (`module` under pages/, e.g. "ballot.voting"), as the frame's navigation would
    run it for `actor`."""
    script = (
        f"from pages.{module} import render\nfrom services.staff.access import Actor\n"
        f"render(Actor(**{asdict(actor)!r}))\n"
    )
    return AppTest.from_string(script, default_timeout=TIMEOUT)


def nav_titles(at: AppTest) -> list[str]:
    """Titles of the pages the frame registered with st.navigation for this session (a hidden alias
    such as /home shares its page's title and is listed once)."""
    return list(dict.fromkeys(info["page_name"] for info in at._registered_pages.values()))
