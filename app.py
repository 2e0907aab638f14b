"""The one process: Streamlit dashboard for staff plus the survey routes for members."""

import asyncio
import itertools
import logging
from contextlib import asynccontextmanager, suppress

import streamlit as st
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from streamlit.runtime.pages_manager import PagesManager

from pages.staff.login_key import login_key
from services.ballot import sealing
from services.platform import db, planner_stats
from survey import routes
from survey.no_framing import NoFraming
from survey.page_addresses import UnknownAddressesGoHome
from survey.upload_guard import UploadGuard

SEAL_SWEEP_SECONDS = 60
STATISTICS_EVERY = 60  # sweeps: SQLite's planner statistics gathered again hourly (services/platform/planner_stats.py)
# The dashboard declares its pages with st.navigation; pages/ holds their modules, not Streamlit's older
# one-file-per-page folder. Streamlit assumes the older kind until a first session calls st.navigation, so
# after a restart the first visit to an address such as /progress would run pages/progress/overview.py on its own
# and list the folder's files. Said once here, every visit goes through dashboard.py.
PagesManager.uses_pages_directory = False
log = logging.getLogger("pingyi.app")


async def _seal_due() -> None:
    try:
        await run_in_threadpool(sealing.seal_due)
    except Exception:  # a failed sweep must not stop the next one; the error is logged
        log.exception("sealing sweep failed")


async def _gather_statistics() -> None:
    try:
        await run_in_threadpool(lambda: planner_stats.gather(db.get_engine()))
    except Exception:
        log.exception("gathering the planner's statistics failed")


async def _seal_every_minute() -> None:
    """Branches whose voting ended by the deadline are sealed within a minute, read or not; hourly, SQLite's
    planner statistics are gathered again (ballots, opinions and records have come in meanwhile)."""
    for sweep in itertools.count(1):
        await asyncio.sleep(SEAL_SWEEP_SECONDS)
        await _seal_due()
        if sweep % STATISTICS_EVERY == 0:
            await _gather_statistics()


@asynccontextmanager
async def lifespan(_app):
    await run_in_threadpool(db.ensure_schema)
    await _seal_due()  # whatever ended while the server was down, before the first request
    sweeper = asyncio.create_task(_seal_every_minute())
    yield
    sweeper.cancel()
    with suppress(asyncio.CancelledError):
        await sweeper


app = st.App(
    "dashboard.py",
    routes=routes,
    lifespan=lifespan,
    # Streamlit's upload endpoint takes files only from logged-in sessions, within byte caps.
    middleware=[
        Middleware(NoFraming),
        Middleware(UploadGuard, login_key=login_key),
        Middleware(UnknownAddressesGoHome),
    ],
)
