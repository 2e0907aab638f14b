"""The one process: Streamlit dashboard for staff plus the survey routes for members."""

from contextlib import asynccontextmanager

import streamlit as st
from starlette.concurrency import run_in_threadpool

from services import db
from survey import routes


@asynccontextmanager
async def lifespan(_app):
    await run_in_threadpool(db.ensure_schema)
    yield


app = st.App("dashboard.py", routes=routes, lifespan=lifespan)
