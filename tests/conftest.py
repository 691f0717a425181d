"""Fixtures for the whole suite: the app on a migrated database, clients, and page checks.

Tests run on SQLite by default and on PostgreSQL when TEST_DATABASE_URL is set. With
REQUIRE_POSTGRES=1 a missing TEST_DATABASE_URL is an error, so CI never passes on one
engine by accident.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from flask import Flask, has_app_context
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import create_engine, make_url, text
from werkzeug.test import TestResponse

from register import accounts, create_app
from register.config import normalise_database_url
from register.extensions import db, limiter

from .pages import check_page

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


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": _database_url(tmp_path_factory)})
    reset_schema(app)
    yield app


def empty_tables(app: Flask) -> None:
    """Delete every row, keeping the schema, so each test starts from an empty register."""
    with app.app_context():
        db.session.remove()
        tables = list(reversed(db.metadata.sorted_tables))
        with db.engine.begin() as connection:
            if db.engine.dialect.name == "postgresql":
                names = ", ".join(f'"{table.name}"' for table in tables)
                connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            else:
                for table in tables:
                    connection.execute(table.delete())
                connection.execute(text("DELETE FROM sqlite_sequence"))


@pytest.fixture(autouse=True)
def _clean_database(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if "app" in request.fixturenames:
        app = request.getfixturevalue("app")
        empty_tables(app)
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

    def csrf_token(self, page_url: str) -> str:
        """The CSRF token from the first POST form on `page_url`, as a browser would send it."""
        page = self.get(page_url)
        token = page.select_one("form[method=post] input[name=csrf_token]")
        assert token is not None, f"{page_url} has no POST form"
        return token["value"]

    def post(
        self,
        url: str,
        data: dict | None = None,
        expected_status: int = 200,
        *,
        form_url: str | None = None,
    ) -> TestResponse:
        """Submit a form at `url`, with the CSRF token from the page at `form_url` (or `url`)."""
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf_token(form_url or url))
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
