"""Fixtures for the whole suite: the app on a migrated database, clients, and page checks.

Tests run on SQLite by default and on PostgreSQL when TEST_DATABASE_URL is set. With
REQUIRE_POSTGRES=1 a missing TEST_DATABASE_URL is an error, so CI never passes on one
engine by accident.
"""

from __future__ import annotations

import functools
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from flask import Flask, has_app_context, session
from flask.testing import FlaskClient, FlaskCliRunner
from flask_wtf.csrf import generate_csrf
from sqlalchemy import create_engine, event, make_url, text
from werkzeug.test import TestResponse

from register import accounts, create_app
from register.config import normalise_database_url
from register.extensions import db, limiter

from .pages import check_page
from .sign_in_world import council, provider, provider_server  # noqa: F401  # fixtures

TEST_PASSWORD = "correct horse battery staple"


def _database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("TEST_DATABASE_URL", "")
    if os.environ.get("REQUIRE_POSTGRES") == "1" and not url.startswith("postgres"):
        pytest.fail("REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not a PostgreSQL URL")
    if url:
        return _database_for_this_worker(url)
    # A file, not memory: the browser tests' live server reads it from another thread.
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'register.db'}"


def _database_for_this_worker(url: str) -> str:
    """With pytest-xdist, each worker gets a database of its own beside the one named."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    base = make_url(normalise_database_url(url))
    name = f"{base.database}_{worker}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def reset_schema(app: Flask) -> None:
    """Empty the database completely, then build it with the real migrations."""
    from flask_migrate import upgrade

    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "postgresql":
            with engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        else:
            Path(engine.url.database).unlink(missing_ok=True)
        engine.dispose()
        upgrade()


def _commit_without_waiting_for_the_disk(app: Flask) -> None:
    """A test database need not survive a power cut: commits skip the flush to disk, which
    otherwise costs more than most of the statements a test runs."""
    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "connect")
    def _no_flush(dbapi_connection: object, connection_record: object) -> None:
        cursor = dbapi_connection.cursor()
        if engine.dialect.name == "postgresql":
            cursor.execute("SET synchronous_commit TO off")
            dbapi_connection.commit()
        else:
            cursor.execute("PRAGMA synchronous=OFF")
        cursor.close()


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    app = create_app(
        "testing",
        {
            "SQLALCHEMY_DATABASE_URI": _database_url(tmp_path_factory),
            "BUILT_FILES_DIR": str(tmp_path_factory.mktemp("built")),
            "SNAPSHOTS_DIR": str(tmp_path_factory.mktemp("snapshots")),
        },
    )
    _commit_without_waiting_for_the_disk(app)
    reset_schema(app)
    yield app


@pytest.fixture(scope="session", autouse=True)
def _guessability_worked_out_once() -> Iterator[None]:
    """zxcvbn takes longer than anything else in creating a person, and the tests create the
    same people with the same password in test after test: each answer is worked out once.
    The estimate depends on its arguments alone, so every answer stays the real one."""
    remembered = functools.cache(accounts.guessability_problem)

    def guessability_problem(password: str, about_the_person=()) -> str | None:
        return remembered(password, tuple(about_the_person))

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(accounts, "guessability_problem", guessability_problem)
        yield


def _written_tables(connection) -> tuple[list[str], list[str]]:
    """The tables holding rows, and the id counters that have moved, found in one query each
    (a test usually writes to a few tables of the thirty)."""
    tables = db.metadata.sorted_tables
    holding_rows = " UNION ALL ".join(
        f"SELECT '{table.name}' WHERE EXISTS (SELECT 1 FROM \"{table.name}\")"  # noqa: S608
        for table in tables
    )
    filled = set(connection.execute(text(holding_rows)).scalars())
    if connection.dialect.name == "postgresql":
        counters = text(
            "SELECT sequencename FROM pg_sequences "
            "WHERE schemaname = current_schema() AND last_value IS NOT NULL"
        )
    else:
        counters = text("SELECT name FROM sqlite_sequence")
    return [t.name for t in reversed(tables) if t.name in filled], list(
        connection.execute(counters).scalars()
    )


def empty_tables(app: Flask) -> None:
    """Delete every row, keeping the schema, so each test starts from an empty register: only
    the tables that hold rows, children first, and the id counters that moved are reset."""
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as connection:
            filled, counters = _written_tables(connection)
            for name in filled:
                connection.execute(db.metadata.tables[name].delete())
            if not counters:
                return
            if connection.dialect.name == "postgresql":
                restarts = ", ".join(f"setval('\"{name}\"', 1, false)" for name in counters)
                connection.execute(text(f"SELECT {restarts}"))
            else:
                connection.execute(text("DELETE FROM sqlite_sequence"))


@pytest.fixture(autouse=True)
def _clean_database(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if "app" in request.fixturenames:
        app = request.getfixturevalue("app")
        empty_tables(app)
        for folder in ("BUILT_FILES_DIR", "SNAPSHOTS_DIR"):
            # Files kept for the register as it was; the next test's may match them in name.
            shutil.rmtree(app.config[folder], ignore_errors=True)
        with app.app_context():
            limiter.reset()  # each test starts with fresh rate-limit counts


@pytest.fixture
def app_context(app: Flask) -> Iterator[None]:
    with app.app_context():
        yield
        db.session.remove()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@dataclass
class ClientRequest:
    """Fetches pages as a browser would and checks what every page must have."""

    client: FlaskClient

    def get(self, url: str, expected_status: int = 200) -> BeautifulSoup:
        response = self.client.get(url)
        assert response.status_code == expected_status, (
            f"GET {url}: {response.status_code}, wanted {expected_status}"
        )
        return check_page(response)

    def csrf_token(self, page_url: str | None = None) -> str:
        """A valid CSRF token for this browser's session.

        With `page_url`, the token from the first POST form on that page, as a browser would
        send it. Without, the token Flask-WTF would put in a form, made from the session's
        secret (which it is given, as the first page with a form would) without fetching a
        page: tests of forms post many times, and tests/security checks the real round trip.
        """
        if page_url is not None:
            page = self.get(page_url)
            token = page.select_one("form[method=post] input[name=csrf_token]")
            assert token is not None, f"{page_url} has no POST form"
            return token["value"]
        key = self.client.application.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
        with (
            self.client.session_transaction() as stored,
            self.client.application.test_request_context(),
        ):
            if key in stored:
                session[key] = stored[key]
            token = generate_csrf()
            if stored.get(key) != session[key]:
                stored[key] = session[key]
        return token

    def post(
        self,
        url: str,
        data: dict | None = None,
        expected_status: int = 200,
        *,
        form_url: str | None = None,
    ) -> TestResponse:
        """Submit a form at `url` with the session's CSRF token, or with the token from the
        page at `form_url` when given (for a test about what that page's form sends)."""
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf_token(form_url))
        response = self.client.post(url, data=data)
        assert response.status_code == expected_status, (
            f"POST {url}: {response.status_code}, wanted {expected_status}"
        )
        return response

    def post_page(self, url: str, data: dict | None = None, **kw) -> BeautifulSoup:
        """Submit a form that answers with a page (for example, with errors) and parse it."""
        return check_page(self.post(url, data, **kw))


@pytest.fixture
def client_request(client: FlaskClient) -> ClientRequest:
    return ClientRequest(client)


def _created(app: Flask, create):
    """Run `create` in the test's app context if it has one (the object stays usable there),
    or else in a short one of its own, returning the object loaded and detached.

    Requests must not run inside a test's app context: Flask would reuse it, and `g` (which
    holds the CSRF token and the signed-in user) would leak from one request to the next.
    """
    if has_app_context():
        return create()
    with app.app_context():
        created = create()
        db.session.refresh(created)
        db.session.expunge(created)
        return created


@pytest.fixture
def make_organisation(app: Flask):
    """Create an organisation through the same code the command line uses."""

    def make(name: str = "Northshire County Council", type_code: str = "local_government", **kw):
        return _created(app, lambda: accounts.create_organisation(name, type_code, **kw))

    return make


@pytest.fixture
def make_user(app: Flask):
    """Create a person with the test password through the same code the command line uses."""

    def make(email: str = "editor@northshire.example", **kw):
        return _created(app, lambda: accounts.create_user(email, TEST_PASSWORD, **kw))

    return make


@pytest.fixture
def sign_in(client_request: ClientRequest):
    """Sign in through the real sign-in form, as `user` (a User or an email address)."""

    def sign_in(user, password: str = TEST_PASSWORD) -> None:
        email = user if isinstance(user, str) else user.email
        response = client_request.post(
            "/sign-in", {"email": email, "password": password}, expected_status=302
        )
        assert response.headers["Location"] == "/manage"

    return sign_in


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """With FORBID_SKIPS=1 (as in CI) a skipped test fails the run: in CI every test must
    really run, on each database engine."""
    if os.environ.get("FORBID_SKIPS") != "1" or hasattr(session.config, "workerinput"):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped and session.exitstatus == 0:
        reporter.write_line(f"FORBID_SKIPS=1: {len(skipped)} test(s) skipped", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
