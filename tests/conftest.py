"""Each test gets a real, empty database at the schema head: a temporary SQLite file,
or, when TEST_DATABASE_URL names a PostgreSQL server, a database on it."""

import os
import secrets
import shutil
import sqlite3
import sys
import uuid
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("BCRYPT_ROUNDS", "4")  # hashing speed only; the algorithm is the same
os.environ.setdefault("COOKIE_KEY", secrets.token_urlsafe(48))
os.environ.setdefault("BALLOT_KEY", secrets.token_urlsafe(48))

from services.ballot import code_entry  # noqa: E402
from services.platform import db  # noqa: E402

PG_ADMIN_URL = os.environ.get("TEST_DATABASE_URL")


def _pg_create(name: str, template: str | None = None) -> str:
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")))
    admin.dispose()
    return make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)


def _pg_drop(name: str) -> None:
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def _schema_template(tmp_path_factory) -> Iterator[str]:
    """A database upgraded once by the migrations; tests start from a copy of it."""
    if PG_ADMIN_URL:
        name = f"pingyi_test_{os.getpid()}"
        url = _pg_create(name)
        db.upgrade(url=url)
        db.dispose_all()
        yield url
        _pg_drop(name)
        for kept, _ in _BUILT.values():
            _pg_drop(kept)
    else:
        path = tmp_path_factory.mktemp("template") / "template.db"
        db.upgrade(url=f"sqlite:///{path}")
        db.dispose_all()
        yield str(path)


@pytest.fixture
def database(_schema_template, tmp_path, monkeypatch) -> Iterator[str]:
    """DATABASE_URL of an empty database at the schema head, used by every service call."""
    if PG_ADMIN_URL:
        url = _schema_template
        tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        engine.dispose()
    else:
        path = tmp_path / "test.db"
        shutil.copy(_schema_template, path)
        url = f"sqlite:///{path}"
    monkeypatch.setenv("DATABASE_URL", url)
    db.dispose_all()
    code_entry.forget()  # wrong codes typed in an earlier test
    yield url
    db.dispose_all()


_BUILT: dict[str, tuple[str, object]] = {}  # key -> (the copy kept, what its build returned), in this worker


@pytest.fixture
def built_once(database, tmp_path_factory, monkeypatch) -> Iterator:
    """`restore(key, build)`: the database as `build()` leaves it, and what build returned. The first test of a
    worker to ask builds it and keeps a copy; each later one starts from a copy of that copy, so what a test
    changes stays its own. For many tests over the same data (tests/services/test_scope.py)."""
    made: list[str] = []

    def restore(key: str, build):
        if key not in _BUILT:
            result = build()
            db.dispose_all()
            _BUILT[key] = (_keep_copy(database, key, tmp_path_factory), result)
            return result
        kept, result = _BUILT[key]
        db.dispose_all()
        if PG_ADMIN_URL:
            name = f"pingyi_copy_{uuid.uuid4().hex[:8]}"
            made.append(name)
            url = _pg_create(name, template=kept)
            monkeypatch.setenv("DATABASE_URL", url)
        else:
            _sqlite_copy(kept, make_url(database).database)
        code_entry.forget()
        return result

    yield restore
    db.dispose_all()
    for name in made:
        _pg_drop(name)


def _keep_copy(url: str, key: str, tmp_path_factory) -> str:
    if PG_ADMIN_URL:
        name = f"pingyi_kept_{os.getpid()}_{key}"
        _pg_create(name, template=make_url(url).database)
        return name
    kept = str(tmp_path_factory.mktemp("built") / f"{key}.db")
    _sqlite_copy(make_url(url).database, kept)
    return kept


def _sqlite_copy(source: str, target: str) -> None:
    """Through SQLite's backup, so a write-ahead log not yet folded in is copied too."""
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


@pytest.fixture
def empty_database_url(tmp_path, monkeypatch) -> Iterator[str]:
    """A database with no tables at all, for migration tests."""
    if PG_ADMIN_URL:
        name = f"pingyi_empty_{uuid.uuid4().hex[:8]}"
        url = _pg_create(name)
    else:
        url = f"sqlite:///{tmp_path / 'empty.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    db.dispose_all()
    yield url
    db.dispose_all()
    if PG_ADMIN_URL:
        _pg_drop(name)


PAGES = ROOT / "tests" / "pages"


def pytest_collection_modifyitems(config, items):
    """A test marked one_database reads the browser side of a flow (what a page shows, how it behaves on a phone,
    login, downloads), which the database under the services does not change: on PostgreSQL it is skipped, since
    the same run on SQLite has done it (CI runs both). So are the dashboard's page tests (tests/pages, AppTest):
    a page reads and writes only through services, whose own tests run on both. Every service test, the survey
    routes, the command line, the whole flow and the ballot in a browser, and the server's faults still run on
    both."""
    if not PG_ADMIN_URL:
        return
    browser = pytest.mark.skip(reason="the browser side, the same on every database: run in the SQLite suite")
    page = pytest.mark.skip(reason="a dashboard page, through services tested on both databases: run on SQLite")
    for item in items:
        if item.get_closest_marker("one_database"):
            item.add_marker(browser)
        elif PAGES in item.path.parents:
            item.add_marker(page)
