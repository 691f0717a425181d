"""A forgotten password is reset through an emailed link that works once, for 1 hour, and the
answer to a request never shows whether the address has an account."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update
from werkzeug.security import check_password_hash

from register.extensions import db
from register.models import AuditEvent, PasswordReset, User

from .conftest import TEST_PASSWORD, ClientRequest
from .emails import emptied_outbox, link_in

NEW_PASSWORD = "a brand new pass phrase"


@pytest.fixture
def outbox(app):
    return emptied_outbox(app)


@pytest.fixture
def person(make_organisation, make_user):
    organisation = make_organisation()
    return make_user("editor@ns.example", organisation=organisation.slug, role="editor")


def _ask_for_link(client_request, email):
    return client_request.post("/forgot-password", {"email": email}, 302)


def _reset(client_request, link, password=NEW_PASSWORD, expected_status=302):
    return client_request.post(
        link, {"new_password": password, "confirm_password": password}, expected_status
    )


def _password_is(app, user, password) -> bool:
    with app.app_context():
        return check_password_hash(db.session.get(User, user.id).password_hash, password)


def _main_text(page) -> str:
    return " ".join(page.select_one("main").get_text().split())


@pytest.fixture
def link(client_request, person, outbox):
    _ask_for_link(client_request, person.email)
    (message,) = outbox
    return link_in(message)


def test_the_sign_in_page_offers_a_way_to_reset_a_forgotten_password(client_request):
    page = client_request.get("/sign-in")
    forgotten = page.find("a", string="Forgotten your password?")
    assert forgotten["href"] == "/forgot-password"
    page = client_request.get("/forgot-password")
    assert page.h1.get_text(strip=True) == "Reset your password"


def test_an_address_with_an_account_and_one_without_get_the_same_answer(
    client_request, person, outbox
):
    with_account = _ask_for_link(client_request, "Editor@NS.example")
    without_account = _ask_for_link(client_request, "nobody@ns.example")
    assert with_account.headers["Location"] == without_account.headers["Location"]
    assert with_account.get_data() == without_account.get_data()
    page = client_request.get(with_account.headers["Location"])
    assert page.h1.get_text(strip=True) == "Check your email"
    assert "If there is an account for the address you entered" in _main_text(page)
    # Only the real account was sent an email.
    assert [message.to for message in outbox] == ["editor@ns.example"]


def test_an_account_that_cannot_sign_in_is_sent_nothing(app, client_request, person, outbox):
    with app.app_context():
        db.session.execute(update(User).values(is_active=False))
        db.session.commit()
    _ask_for_link(client_request, person.email)
    assert outbox == []


def test_an_address_in_the_wrong_format_is_named_at_the_field(client_request, outbox):
    page = client_request.post_page("/forgot-password", {"email": "not-an-address"})
    assert (
        page.select_one("#email-error")
        .get_text(strip=True)
        .endswith("Enter an email address in the correct format, like name@example.com")
    )
    assert page.select_one("#email")["value"] == "not-an-address"
    assert outbox == []


def test_the_email_has_a_link_whose_token_is_stored_only_as_a_hash(app, person, link, outbox):
    (message,) = outbox
    assert message.subject == "Reset your password for the Public Sector AI Register"
    assert "expires in 1 hour" in message.body
    token = link.removeprefix("/reset-password/")
    with app.app_context():
        reset = db.session.scalar(select(PasswordReset))
        assert reset.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert reset.user_id == person.id
        lifetime = reset.expires_at - reset.created_at
        assert timedelta(minutes=59) < lifetime <= timedelta(hours=1)


def test_a_new_password_is_set_through_the_link(app, client_request, person, link):
    page = client_request.get(link)
    assert page.h1.get_text(strip=True) == "Choose a new password"
    response = _reset(client_request, link)
    assert response.headers["Location"] == "/reset-password/done"
    page = client_request.get("/reset-password/done")
    assert page.h1.get_text(strip=True) == "Your password has been changed"
    assert _password_is(app, person, NEW_PASSWORD)
    client_request.post("/sign-in", {"email": person.email, "password": NEW_PASSWORD}, 302)
    with app.app_context():
        assert db.session.scalar(
            select(AuditEvent.actor_id).where(AuditEvent.action == "password_reset")
        ) == (person.id)


def test_a_reset_link_works_only_once(app, client_request, person, link):
    _reset(client_request, link)
    page = client_request.get(link, 404)
    assert page.h1.get_text(strip=True) == "This link does not work"
    assert page.find("a", string="Ask for a new link")["href"] == "/forgot-password"
    client_request.client.post(link, data={"new_password": "x" * 20, "confirm_password": "x" * 20})
    assert _password_is(app, person, NEW_PASSWORD)


def test_a_reset_link_expires_after_1_hour(app, client_request, person, link):
    with app.app_context():
        db.session.execute(
            update(PasswordReset).values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
        db.session.commit()
    client_request.get(link, 404)
    assert _password_is(app, person, TEST_PASSWORD)


def test_using_one_link_stops_every_other_link_sent_to_that_person(client_request, person, outbox):
    _ask_for_link(client_request, person.email)
    _ask_for_link(client_request, person.email)
    first, second = (link_in(message) for message in outbox)
    assert first != second
    _reset(client_request, second)
    client_request.get(first, 404)


def test_a_new_password_signs_out_every_other_session(app, client_request, person, link):
    elsewhere = ClientRequest(app.test_client())
    elsewhere.post("/sign-in", {"email": person.email, "password": TEST_PASSWORD}, 302)
    assert elsewhere.client.get("/account/password").status_code == 200
    _reset(client_request, link)
    assert elsewhere.client.get("/account/password").status_code == 302


def test_a_password_that_is_too_short_keeps_the_link_usable(app, client_request, person, link):
    page = client_request.post_page(
        link, {"new_password": "short", "confirm_password": "short"}, expected_status=200
    )
    assert (
        page.select_one("#new_password-error")
        .get_text(strip=True)
        .endswith("The new password must be at least 12 characters")
    )
    assert _password_is(app, person, TEST_PASSWORD)
    _reset(client_request, link)


def test_a_link_that_was_never_sent_is_not_found(client_request):
    page = client_request.get("/reset-password/made-up", 404)
    assert page.h1.get_text(strip=True) == "This link does not work"


def test_requests_for_one_address_are_limited_whether_or_not_it_has_an_account(
    app, client_request, person, outbox
):
    for email in (person.email, "nobody@ns.example"):
        for _ in range(3):
            _ask_for_link(client_request, email)
        response = client_request.post("/forgot-password", {"email": email}, 429)
        assert "too many attempts" in response.get_data(as_text=True)
    assert len(outbox) == 3


def test_requests_from_one_client_are_limited(client_request):
    for number in range(10):
        _ask_for_link(client_request, f"person{number}@ns.example")
    client_request.post("/forgot-password", {"email": "another@ns.example"}, 429)


def test_old_reset_links_are_tidied_away(app, client_request, person, link):
    with app.app_context():
        db.session.execute(
            update(PasswordReset).values(expires_at=datetime.now(UTC) - timedelta(days=2))
        )
        db.session.commit()
    _ask_for_link(client_request, "nobody@ns.example")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PasswordReset)) == 0
