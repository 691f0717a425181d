"""Databases of the reliability tests' own, and gunicorn serving the register from them.

Each test gets a fresh database: a SQLite file, or a PostgreSQL database made for it and
dropped afterwards, on the server TEST_DATABASE_URL names (or the local one). Servers run as
in production (`REGISTER_ENV=production`, a strong `SECRET_KEY`, CSRF on), as a gunicorn
master and workers in a process group of their own, so a test can kill them all at once.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from functools import cached_property
from pathlib import Path

import psycopg
import pytest
import redis
from flask import Flask
from sqlalchemy import make_url

from register import accounts, create_app
from register.config import normalise_database_url
from register.extensions import db

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "reliability tests password"
LOCAL_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
LOCAL_REDIS = "redis://127.0.0.1:6379"
# Settings of the register (see README) that must not leak from the environment the tests
# run in into the servers they start.
SETTING_PREFIXES = (
    "REGISTER_",
    "MAIL_",
    "NOTIFY_",
    "SESSION_",
    "FEEDBACK_",
    "RATELIMIT_",
    "SIGN_IN_",
    "POSTGRES_",
    "PASSWORD_",
    "API_",
    "DOWNLOAD_",
    "INVITATION_",
    "SUBMISSION_",
)
SETTING_NAMES = (
    "SECRET_KEY",
    "DATABASE_URL",
    "TEST_DATABASE_URL",
    "PROXY_COUNT",
    "FORCE_HTTPS",
    "MAX_CONTENT_LENGTH",
)


def missing(reason: str) -> None:
    """Skip the test; or fail it where the services must be there (REQUIRE_SERVICES=1 in CI)."""
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Database:
    """A database the tests made, migrated by the register's own migrations."""

    def __init__(self, url: str, admin_url: str | None = None) -> None:
        self.url = normalise_database_url(url)
        self.admin_url = admin_url  # PostgreSQL: where to drop it from afterwards

    @property
    def engine_name(self) -> str:
        return "postgresql" if self.url.startswith("postgresql") else "sqlite"

    @property
    def name(self) -> str:
        return make_url(self.url).database or ""

    @cached_property
    def app(self) -> Flask:
        """The register on this database, for setting it up and checking it afterwards."""
        return create_app("testing", {"SQLALCHEMY_DATABASE_URI": self.url})

    def migrate(self) -> None:
        from flask_migrate import upgrade

        with self.app.app_context():
            upgrade()

    def add_people(self, people: Mapping[str, tuple[str | None, str | None]]) -> None:
        """Add organisations (by name) and people: email -> (organisation, role); an
        organisation of None makes an administrator. Everyone's password is PASSWORD."""
        with self.app.app_context():
            for organisation in {org for org, _ in people.values() if org}:
                accounts.create_organisation(organisation, "local_government")
            for email, (organisation, role) in people.items():
                accounts.create_user(
                    email,
                    PASSWORD,
                    organisation=organisation,
                    role=role,
                    is_admin=organisation is None,
                )
            db.session.remove()

    def close(self) -> None:
        """Let go of the connections the checking app holds, and drop a PostgreSQL database."""
        if "app" in self.__dict__:
            with self.app.app_context():
                db.session.remove()
                db.engine.dispose()
        if self.admin_url:
            with psycopg.connect(self.admin_url, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def postgres_server() -> str:
    """A maintenance URL of the PostgreSQL server to make databases on, or skip without one."""
    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url.startswith("postgres"):
        url = LOCAL_POSTGRES
    admin = make_url(normalise_database_url(url)).set(drivername="postgresql")
    admin_url = admin.render_as_string(hide_password=False)
    try:
        psycopg.connect(admin_url, connect_timeout=3).close()
    except psycopg.OperationalError as error:
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(f"REQUIRE_POSTGRES=1 but PostgreSQL is not reachable: {error}")
        missing(f"no PostgreSQL server to make a database on ({error})")
    return admin_url


def new_postgres_database(admin_url: str) -> Database:
    """A new, empty PostgreSQL database beside the one `admin_url` names."""
    base = make_url(admin_url)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    name = f"{base.database}_reliability_{worker}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    url = base.set(database=name).render_as_string(hide_password=False)
    return Database(url, admin_url)


@contextmanager
def fresh_database(
    tmp_path: Path, *, engine: str | None = None, migrate: bool = True
) -> Iterator[Database]:
    """A database on `engine`, migrated unless not to `migrate`: by default on the engine
    the suite runs on (PostgreSQL when TEST_DATABASE_URL names one, else a SQLite file)."""
    if engine is None:
        engine = (
            "postgresql"
            if os.environ.get("TEST_DATABASE_URL", "").startswith("postgres")
            else "sqlite"
        )
    if engine == "postgresql":
        database = new_postgres_database(postgres_server())
    else:
        database = Database(f"sqlite:///{tmp_path / 'register.db'}")
    try:
        if migrate:
            database.migrate()
        yield database
    finally:
        database.close()


@contextmanager
def redis_database(number: int) -> Iterator[str]:
    """The URL of Redis database `number`, emptied before and after the test."""
    url = f"{LOCAL_REDIS}/{number}"
    client = redis.Redis.from_url(url, socket_timeout=5)
    try:
        client.ping()
    except redis.RedisError as error:
        missing(f"no Redis server at {LOCAL_REDIS} ({error})")
    client.flushdb()
    try:
        yield url
    finally:
        client.flushdb()
        client.close()


def server_environment(database: Database, settings: Mapping[str, str]) -> dict[str, str]:
    """Production settings on `database`, then `settings`, and nothing from the test run."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(SETTING_PREFIXES) and name not in SETTING_NAMES
    }
    environment.update(
        REGISTER_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(48),
        DATABASE_URL=database.url,
        # The servers are reached on loopback, on ports of their own.
        REGISTER_BASE_URL="http://127.0.0.1",
        # Plain HTTP on loopback; behind a proxy that terminates HTTPS it stays on.
        SESSION_COOKIE_SECURE="false",
        RATELIMIT_STORAGE_URI="memory://",
        # Every test client comes from 127.0.0.1: one address for many people.
        SIGN_IN_RATE_LIMIT="1000 per minute",
        API_RATE_LIMIT="100000 per minute",
        DOWNLOAD_RATE_LIMIT="100000 per minute",
    )
    environment.update(settings)
    return environment


def run_flask(environment: Mapping[str, str], *arguments: str) -> str:
    """Run `flask --app wsgi ARGUMENTS` as an operator would, with `environment`; its output."""
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *arguments],
        cwd=ROOT,
        env=dict(environment),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, f"flask {' '.join(arguments)}:\n{done.stdout}{done.stderr}"
    return done.stdout


class RegisterServer:
    """A gunicorn master and its workers serving the register on a free loopback port."""

    def __init__(
        self,
        database: Database,
        log: Path,
        *,
        workers: int = 3,
        settings: Mapping[str, str] | None = None,
        environment: Mapping[str, str] | None = None,
    ) -> None:
        self.database = database
        self.log = log
        self.workers = workers
        # Given, so that servers meant to be one register share their SECRET_KEY.
        self.environment = dict(environment or server_environment(database, settings or {}))
        self.process: subprocess.Popen | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> RegisterServer:
        """Start the server and wait until it answers; the port is new each time."""
        for _ in range(3):  # another test may take the free port first
            self.port = free_port()
            with self.log.open("ab") as log:
                self.process = subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "gunicorn",
                        f"--workers={self.workers}",
                        f"--bind=127.0.0.1:{self.port}",
                        "--timeout=60",
                        "--graceful-timeout=5",
                        "--log-level=warning",
                        # Import the app once, before forking: workers start in half the time.
                        "--preload",
                        "wsgi:app",
                    ],
                    cwd=ROOT,
                    env=self.environment,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,  # its own process group, to kill with its workers
                )
            if self._wait_until_answering(timeout):
                return self
        raise AssertionError(f"gunicorn did not start:\n{self.log_text()}")

    def _wait_until_answering(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as connection:
                    connection.sendall(b"GET /sign-in HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
                    if connection.recv(12).startswith(b"HTTP/1.0 200"):
                        return True
            except OSError:
                pass
            time.sleep(0.1)
        self.stop()
        raise AssertionError(f"gunicorn did not answer in {timeout}s:\n{self.log_text()}")

    def kill(self) -> None:
        """SIGKILL the master and every worker at once, as a power cut would."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self._kill_leftovers()

    def stop(self) -> None:
        """Stop gracefully (SIGTERM), or kill if that takes too long."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self._kill_leftovers()

    def _kill_leftovers(self) -> None:
        # Workers outlive a killed master only briefly; make sure none is left serving.
        if self.process:
            with suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)

    def log_text(self, last: int = 6000) -> str:
        return self.log.read_text(errors="replace")[-last:] if self.log.exists() else ""


@contextmanager
def serving(database: Database, tmp_path: Path, name: str = "register", **kw) -> Iterator:
    """A started RegisterServer, stopped (or killed) however the test ends."""
    with serving_together(database, tmp_path, [name], **kw) as (server,):
        yield server


@contextmanager
def serving_together(
    database: Database, tmp_path: Path, names: list[str], **kw
) -> Iterator[list[RegisterServer]]:
    """Servers started at the same time (each named for its log), stopped however the
    test ends."""
    servers = [RegisterServer(database, tmp_path / f"{name}.log", **kw) for name in names]
    try:
        with ThreadPoolExecutor(len(servers)) as pool:
            yield list(pool.map(RegisterServer.start, servers))
    finally:
        for server in servers:
            server.stop()
