"""Hardening that is not about one route: HTTPS headers on every kind of answer, cookies,
caching of private pages, what reaches the logs, and that every setting is documented.

(Security headers on every route, for everyone, are checked by test_permissions; the
Content-Security-Policy's details, session expiry and SECRET_KEY by
tests/test_security_headers.py.)
"""

from __future__ import annotations

import logging
import re
import smtplib
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from register import create_app, mail
from register.extensions import db
from register.mail.sender import deliver_waiting
from register.mail.transports import SmtpTransport

from ..conftest import TEST_PASSWORD
from ..emails import Delivered
from ..manage_world import WORLD

world = WORLD

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "k7Hq2-vXz9LmN4pR8sT1wY6bC3dF5gJ0aE"


@pytest.fixture
def production(app, monkeypatch):
    """The register with production settings, on the test database."""
    monkeypatch.setenv("SECRET_KEY", STRONG_KEY)
    monkeypatch.setenv("DATABASE_URL", app.config["SQLALCHEMY_DATABASE_URI"])
    monkeypatch.setenv("REGISTER_BASE_URL", "https://register.example")
    return create_app(
        "production", {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]}
    )


def _form_token(client, url: str) -> str:
    page = BeautifulSoup(client.get(url).get_data(as_text=True), "html.parser")
    return page.select_one("main form input[name=csrf_token]")["value"]


@pytest.mark.parametrize(
    "url", ["/", "/entries/AIR-00001", "/api/v1/entries", "/entries.csv", "/entries.atom"]
)
def test_over_https_every_kind_of_answer_asks_for_https_from_then_on(world, url):
    world.entry("published")
    client = world.client(None).client
    response = client.get(url, base_url="https://register.example")
    assert response.status_code == 200
    policy = response.headers["Strict-Transport-Security"]
    assert policy.startswith("max-age=31536000")
    assert "includeSubDomains" in policy
    assert "Strict-Transport-Security" not in client.get(url).headers


@pytest.mark.parametrize(
    "url", ["/", "/entries", "/entries/AIR-00001", "/api/v1/entries", "/entries.csv", "/stats"]
)
def test_readers_get_no_cookie(world, url):
    world.entry("published")
    response = world.client(None).client.get(url)
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


def test_in_production_the_session_cookie_is_secure_http_only_and_same_site(production):
    response = production.test_client().get("/sign-in", base_url="https://register.example")
    cookie = response.headers["Set-Cookie"]
    for flag in ("Secure", "HttpOnly", "SameSite=Lax"):
        assert flag in cookie


def test_in_production_the_session_cookie_is_bound_to_this_host(production):
    """`__Host-`: browsers take it only over HTTPS, for the whole site, from this host alone,
    so no other site or subdomain can plant or overwrite the session."""
    response = production.test_client().get("/sign-in", base_url="https://register.example")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-session=")
    assert "Path=/;" in cookie or cookie.endswith("Path=/")
    assert "Domain=" not in cookie


def test_pages_for_signed_in_people_are_never_cached(world):
    editor = world.client("editor").client
    for url in ("/manage", "/manage/entries/new", "/account/password", "/"):
        assert editor.get(url).headers["Cache-Control"] == "no-store", url
    public = world.client(None).client.get("/")
    assert "no-store" not in public.headers.get("Cache-Control", "")


def test_a_session_cookie_copied_before_signing_out_no_longer_works(world, app):
    editor = world.client("editor").client
    copied = editor.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    token = _form_token(editor, "/account/password")
    editor.post("/sign-out", data={"csrf_token": token})
    thief = app.test_client()
    thief.set_cookie(app.config["SESSION_COOKIE_NAME"], copied)
    assert thief.get("/manage").status_code == 302


# Nothing secret or personal in the logs -------------------------------------------------


def test_in_production_an_unsent_email_leaves_no_address_or_link_in_the_log(
    production, make_user, caplog
):
    make_user("editor@ns.example", is_admin=True)
    client = production.test_client()
    base = "https://register.example"
    token = _form_token(client, base + "/forgot-password")
    with caplog.at_level(logging.DEBUG):
        response = client.post(
            "/forgot-password",
            data={"csrf_token": token, "email": "editor@ns.example"},
            base_url=base,
        )
    assert response.status_code == 302
    [message] = list(Delivered(production))[-1:]
    link = re.search(r"https?://\S+", message.body).group(0)
    assert "waits in the outbox" in caplog.text
    assert "editor@ns.example" not in caplog.text
    assert link not in caplog.text and link.rsplit("/", 1)[-1] not in caplog.text


def test_a_refused_email_is_logged_without_its_recipients(app, monkeypatch, caplog):
    class RefusingServer:
        def __init__(self, *args, **kwargs) -> None:
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc) -> None:
            return None

        def starttls(self) -> None:
            pass

        def send_message(self, message) -> None:
            reply = b"5.1.1 <person@ns.example>: Recipient address rejected"
            raise smtplib.SMTPRecipientsRefused({"person@ns.example": (550, reply)})

    monkeypatch.setattr(smtplib, "SMTP", RefusingServer)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.register.example")
    with app.test_request_context():
        mail.queue("person@ns.example", "Your invitation", "A link")
        db.session.commit()
    caplog.clear()
    with app.app_context(), caplog.at_level(logging.DEBUG):
        assert deliver_waiting(SmtpTransport(app.config)).failed == 1
    assert "was refused" in caplog.text
    assert "person@ns.example" not in caplog.text and "A link" not in caplog.text


def test_a_failed_statement_does_not_carry_its_values_into_errors_or_logs(production):
    with production.app_context():
        with pytest.raises(SQLAlchemyError) as raised:
            db.session.execute(
                text("SELECT * FROM no_such_table WHERE email = :email"),
                {"email": "person@ns.example"},
            )
        db.session.rollback()
    assert "person@ns.example" not in str(raised.value)


def test_signing_in_logs_neither_the_address_nor_the_password(world, caplog):
    visitor = world.client(None)
    token = visitor.csrf_token("/sign-in")
    with caplog.at_level(logging.DEBUG):
        for password in (TEST_PASSWORD, "wrong password, typed twice"):
            visitor.client.post(
                "/sign-in",
                data={"csrf_token": token, "email": "editor@ns.example", "password": password},
            )
    for secret in ("editor@ns.example", TEST_PASSWORD, "wrong password"):
        assert secret not in caplog.text


# Every setting is documented ------------------------------------------------------------


def test_every_setting_read_from_the_environment_is_in_the_readmes_table():
    source = (ROOT / "register" / "config.py").read_text()
    names = set(re.findall(r"""(?:environ\.get|_env_bool)\(\s*["']([A-Z_]+)["']""", source))
    readme = (ROOT / "README.md").read_text()
    table = "\n".join(line for line in readme.splitlines() if line.startswith("| `"))
    # The test suite's own variables are explained where the README says how to run it.
    missing = sorted(
        name for name in names if f"`{name}`" not in table and not name.startswith("TEST_")
    )
    assert not missing, f"Add these to README.md's configuration table: {missing}"


def test_the_threat_model_names_only_tests_that_exist_and_every_attack_test_file():
    """docs/security.md links each threat to its test; renaming a test must not break that."""
    doc = (ROOT / "docs" / "security.md").read_text()
    linked = re.findall(r"\(\.\./(tests/[\w/]+\.py)\)", doc)
    assert all((ROOT / path).exists() for path in linked)
    sources = "\n".join(path.read_text() for path in (ROOT / "tests").rglob("test_*.py"))
    named = set(re.findall(r"`(test_\w+)`", doc))
    assert not [name for name in named if f"def {name}(" not in sources]
    attack_tests = {path.name for path in (ROOT / "tests" / "security").glob("test_*.py")}
    assert not [name for name in attack_tests if f"tests/security/{name}" not in doc]
