"""The security log: sign-ins, failures, refusals after too many attempts and password
changes are recorded with the client address they came from, and administrators (only)
read them at /admin/security-events, newest first."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from register.extensions import db
from register.models import SecurityEvent

from .conftest import TEST_PASSWORD, ClientRequest
from .emails import emptied_outbox, link_in

PASSWORD = "a brand new pass phrase"
CLIENT = "192.0.2.44"


@pytest.fixture
def editor(make_organisation, make_user):
    organisation = make_organisation()
    return make_user("editor@ns.example", organisation=organisation.slug, role="editor")


@pytest.fixture
def admin(make_user):
    return make_user("admin@register.example", name="Ada Admin", is_admin=True)


@pytest.fixture
def browser(app: Flask) -> ClientRequest:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = CLIENT
    return ClientRequest(client)


def _events(app: Flask) -> list[tuple[str, str | None, str | None, str | None]]:
    """Each event, oldest first: its kind, whose address, the client and the detail."""
    with app.app_context():
        events = db.session.scalars(select(SecurityEvent).order_by(SecurityEvent.id))
        return [(e.kind, e.user.email if e.user else e.email, e.client, e.detail) for e in events]


def _rows(page) -> list[list[str]]:
    return [
        [" ".join(cell.get_text().split()) for cell in row.select("td")]
        for row in page.select("table tbody tr")
    ]


def _sign_in(browser: ClientRequest, email: str, password: str, status: int = 200):
    return browser.post("/sign-in", {"email": email, "password": password}, status)


def test_signing_in_and_failing_to_are_recorded_with_the_client_address(app, browser, editor):
    _sign_in(browser, "Editor@NS.example", "not the password")
    _sign_in(browser, "nobody@ns.example", "not the password")
    _sign_in(browser, "editor@ns.example", TEST_PASSWORD, 302)
    assert _events(app) == [
        ("sign_in_failed", "editor@ns.example", CLIENT, "Wrong password"),
        ("sign_in_failed", "nobody@ns.example", CLIENT, "No account has this address"),
        ("signed_in", "editor@ns.example", CLIENT, None),
    ]
    with app.app_context():
        unknown = db.session.scalars(select(SecurityEvent).where(SecurityEvent.user_id.is_(None)))
        assert [event.email for event in unknown] == ["nobody@ns.example"]


def test_a_refusal_after_too_many_failures_is_recorded_once_a_minute(app, browser, editor):
    for _ in range(5):
        _sign_in(browser, "editor@ns.example", "not the password")
    for _ in range(3):
        _sign_in(browser, "editor@ns.example", TEST_PASSWORD, 429)
    locked_out = [event for event in _events(app) if event[0] == "locked_out"]
    assert locked_out == [
        (
            "locked_out",
            "editor@ns.example",
            CLIENT,
            "Too many failed sign-ins for this address from this client address",
        )
    ]


def test_changing_a_password_is_recorded(app, client_request, sign_in, editor):
    sign_in(editor)
    client_request.post(
        "/account/password",
        {
            "current_password": TEST_PASSWORD,
            "new_password": PASSWORD,
            "confirm_password": PASSWORD,
        },
        302,
    )
    assert _events(app)[-1][:2] == ("password_changed", "editor@ns.example")


def test_resetting_a_password_through_an_emailed_link_is_recorded(app, client_request, editor):
    outbox = emptied_outbox(app)
    client_request.post("/forgot-password", {"email": editor.email}, 302)
    (message,) = outbox
    link = link_in(message)
    client_request.post(link, {"new_password": PASSWORD, "confirm_password": PASSWORD}, 302)
    assert _events(app) == [("password_reset", "editor@ns.example", "127.0.0.1", None)]


def test_administrators_read_the_log_newest_first(app, browser, client_request, sign_in, admin):
    _sign_in(browser, "nobody@ns.example", "not the password")
    sign_in(admin)
    page = client_request.get("/admin/security-events")
    assert page.h1.get_text(strip=True) == "Security log"
    rows = _rows(page)
    assert [row[1:] for row in rows] == [
        ["Signed in", "admin@register.example", "127.0.0.1", ""],
        ["Sign-in failed", "nobody@ns.example (no account)", CLIENT, "No account has this address"],
    ]
    assert rows[0][0].endswith("UTC")


def test_the_log_can_show_one_kind_of_event(app, browser, client_request, sign_in, admin):
    _sign_in(browser, "nobody@ns.example", "not the password")
    sign_in(admin)
    page = client_request.get("/admin/security-events?kind=sign_in_failed")
    assert [row[2] for row in _rows(page)] == ["nobody@ns.example (no account)"]
    assert page.select_one("#kind option[selected]")["value"] == "sign_in_failed"
    # An unknown kind shows everything, rather than an error.
    assert len(_rows(client_request.get("/admin/security-events?kind=nonsense"))) == 2


def test_the_log_is_linked_from_the_administrators_pages(client_request, sign_in, admin):
    sign_in(admin)
    page = client_request.get("/admin/organisations")
    assert page.find("a", href="/admin/security-events") is not None


def test_only_administrators_may_read_the_log(client_request, sign_in, editor):
    response = client_request.client.get("/admin/security-events")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")
    sign_in(editor)
    client_request.get("/admin/security-events", 403)
