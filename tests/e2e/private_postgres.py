"""A PostgreSQL server of a test's own, which the test may stop and start (a database restart):
bench/postgres_server.py's, skipping the test where PostgreSQL's server programs are missing."""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from bench.postgres_server import NoPostgres, PrivatePostgres
from bench.postgres_server import private_postgres as _server

__all__ = ["PrivatePostgres", "private_postgres"]


@contextmanager
def private_postgres() -> Iterator[PrivatePostgres]:
    try:
        with _server() as server:
            yield server
    except NoPostgres as missing:  # raised only before the server starts
        pytest.skip(str(missing))
