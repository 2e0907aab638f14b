"""Every dashboard screen runs inside this guard: a database that is full or out of reach gives a plain
message in place of a stack trace (the transaction was rolled back, so nothing was half-written)."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st
from sqlalchemy.exc import OperationalError

from services.platform import storage_errors

log = logging.getLogger("pingyi.dashboard")


@contextmanager
def storage_guard() -> Iterator[None]:
    try:
        yield
    except OperationalError as error:
        full = storage_errors.is_full(error)
        log.error("a dashboard action met %s: %s", "a full disk" if full else "an unreachable database", error.orig)
        st.error(storage_errors.plain_message(error), icon=":material/database:")
