"""Administrators invite people to an organisation by email; the link works once, for 7 days."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from register.extensions import db
from register.models import AuditEvent, Invitation, Membership, OutboxMessage, User

from .conftest import TEST_PASSWORD, ClientRequest
from .emails import emptied_outbox, link_in

NEW_PASSWORD = "a pass phrase of my own"


@pytest.fixture
def outbox(app):
    return emptied_outbox(app)


@pytest.fixture
def organisation(make_organisation):
    return make_organisation("Northshire County Council")


@pytest.fixture
def admin(make_user):
    return make_user("admin@register.example", name="Ada Admin", is_admin=True)


def _invite(client_request, organisation, email, role="editor", expected_status=302):
    url = f"/admin/organisations/{organisation.slug}/people/invite"
    return client_request.post(url, {"email": email, "role": role}, expected_status)


def _count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _error_messages(page) -> list[str]:
    return [item.get_text(strip=True) for item in page.select(".govuk-error-summary__list li")]


@pytest.fixture
def invited(app, client_request, sign_in, admin, organisation, outbox):
    """An invitation for a person with no account yet, sent by the administrator, whose
    browser then signs out; returns the link's path."""
    sign_in(admin)
    _invite(client_request, organisation, "New.Person@Northshire.example", "publisher")
    client_request.client.delete_cookie("session")
    (message,) = outbox
    return link_in(message)


def test_an_invitation_is_emailed_and_only_its_hash_is_stored(
    app, client_request, sign_in, admin, organisation, outbox
):
    sign_in(admin)
    response = _invite(client_request, organisation, " New.Person@Northshire.example ")
    assert response.headers["Location"] == f"/admin/organisations/{organisation.slug}/people"

    (message,) = outbox
    assert message.to == "new.person@northshire.example"
    assert message.subject == (
        "You have been invited to join Northshire County Council on the Public Sector AI Register"
    )
    assert "Ada Admin has invited you to join Northshire County Council" in message.body
    assert "as an editor" in message.body
    assert "expires in 7 days" in message.body
    link = link_in(message)
    token = re.fullmatch(r"/invitations/([A-Za-z0-9_-]{43})", link).group(1)
    with app.app_context():
        invitation = db.session.scalar(select(Invitation))
        assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert token not in invitation.token_hash
        lifetime = invitation.expires_at - invitation.created_at
        assert timedelta(days=7) - timedelta(seconds=5) < lifetime <= timedelta(days=7)
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "person_invited"))
        assert (event.action, event.actor_id, event.organisation_id) == (
            "person_invited",
            admin.id,
            organisation.id,
        )
        assert event.detail == "new.person@northshire.example as editor"

    page = client_request.get(f"/admin/organisations/{organisation.slug}/people")
    waiting = page.find("h2", string="Invitations not yet accepted").find_next("table")
    assert "new.person@northshire.example" in waiting.get_text()


def test_a_new_person_sets_their_name_and_password_and_is_signed_in(
    app, client_request, invited, organisation
):
    page = client_request.get(invited)
    assert page.h1.get_text(strip=True) == "Create your account"
    assert "new.person@northshire.example" in page.select_one(".govuk-summary-list").get_text()
    response = client_request.post(
        invited,
        {"name": " Nia Person ", "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD},
        302,
    )
    assert response.headers["Location"] == "/manage"
    assert client_request.client.get("/account/password").status_code == 200
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "new.person@northshire.example"))
        assert user.name == "Nia Person"
        assert [(m.organisation_id, m.role) for m in user.memberships] == [
            (organisation.id, "publisher")
        ]
        assert db.session.scalar(select(Invitation)).accepted_at is not None
        assert db.session.scalar(
            select(AuditEvent.actor_id).where(AuditEvent.action == "invitation_accepted")
        ) == (user.id)


def test_an_invitation_link_works_only_once(app, client_request, invited):
    client_request.post(
        invited,
        {"name": "Nia", "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD},
        302,
    )
    stranger = ClientRequest(app.test_client())
    page = stranger.get(invited, 404)
    assert page.h1.get_text(strip=True) == "This link does not work"
    stranger.client.post(invited, data={"name": "Mallory"})  # no form to take a token from
    assert _count(app, User, User.name == "Mallory") == 0


def test_an_invitation_expires_after_7_days(app, client_request, invited):
    with app.app_context():
        db.session.execute(
            update(Invitation).values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
        db.session.commit()
    page = client_request.get(invited, 404)
    assert "expires after 7 days" in page.get_text()
    assert _count(app, User) == 1  # only the administrator


def test_an_invitation_accepted_just_before_it_expires_still_works(app, client_request, invited):
    with app.app_context():
        db.session.execute(
            update(Invitation).values(expires_at=datetime.now(UTC) + timedelta(minutes=1))
        )
        db.session.commit()
    client_request.post(
        invited,
        {"name": "Nia", "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD},
        302,
    )


def test_a_link_that_was_never_sent_is_not_found(client_request, invited):
    page = client_request.get("/invitations/not-a-real-token", 404)
    assert page.h1.get_text(strip=True) == "This link does not work"


def test_invitation_pages_keep_the_token_out_of_referrers(client_request, invited):
    response = client_request.client.get(invited)
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response.headers["Cache-Control"]


def test_a_mistake_in_the_new_account_form_keeps_the_link_usable(app, client_request, invited):
    page = client_request.post_page(
        invited, {"name": "", "new_password": "short", "confirm_password": "other"}
    )
    assert _error_messages(page) == [
        "Enter your name",
        "The new password must be at least 12 characters",
        "The passwords do not match",
    ]
    assert page.title.get_text().startswith("Error: ")
    page = client_request.post_page(
        invited, {"name": "N\x07ia", "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD}
    )
    assert _error_messages(page) == ["Enter your name, in 200 characters or fewer"]
    page = client_request.post_page(
        invited, {"name": "Nia", "new_password": NEW_PASSWORD, "confirm_password": "different"}
    )
    assert page.select_one("#name")["value"] == "Nia"
    assert _count(app, Invitation, Invitation.accepted_at.is_(None)) == 1
    client_request.post(
        invited,
        {"name": "Nia", "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD},
        302,
    )


def test_a_person_with_an_account_signs_in_as_themselves_to_join(
    app, client_request, sign_in, admin, organisation, make_organisation, make_user, outbox
):
    other = make_organisation("Southshire District Council")
    person = make_user("pat@shires.example", organisation=other.slug, role="publisher")
    sign_in(admin)
    _invite(client_request, organisation, "pat@shires.example", "editor")
    client_request.client.delete_cookie("session")
    link = link_in(outbox[0])

    page = client_request.get(link)
    assert page.h1.get_text(strip=True) == "Sign in to accept your invitation"
    sign_in_link = page.select_one("a.govuk-button")["href"]
    assert sign_in_link == "/sign-in?next=" + link
    response = client_request.post(
        sign_in_link, {"email": person.email, "password": TEST_PASSWORD}, 302, form_url="/sign-in"
    )
    assert response.headers["Location"] == link

    page = client_request.get(link)
    assert page.h1.get_text(strip=True) == "Accept your invitation"
    assert (
        page.select_one("#main-content form button").get_text(strip=True)
        == "Join Northshire County Council"
    )
    response = client_request.post(link, {}, 302)
    assert response.headers["Location"] == "/manage"
    with app.app_context():
        roles = db.session.execute(
            select(Membership.organisation_id, Membership.role)
            .where(Membership.user_id == person.id)
            .order_by(Membership.organisation_id)
        ).all()
        assert [tuple(row) for row in roles] == [
            (organisation.id, "editor"),
            (other.id, "publisher"),
        ]
    client_request.get(link, 404)


def test_nobody_accepts_an_invitation_for_someone_else(
    app, client_request, sign_in, admin, organisation, make_user, outbox
):
    someone = make_user("sam@shires.example", is_admin=True)
    sign_in(admin)
    _invite(client_request, organisation, "new@northshire.example")
    client_request.client.delete_cookie("session")
    sign_in(someone)
    link = link_in(outbox[0])
    page = client_request.get(link)
    assert page.h1.get_text(strip=True) == "This invitation is for someone else"
    assert "you are signed in as sam@shires.example" in page.get_text()
    client_request.post(
        link,
        {"name": "Sam", "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD},
        200,
        form_url=link,
    )
    assert _count(app, User, User.email == "new@northshire.example") == 0
    assert _count(app, Invitation, Invitation.accepted_at.is_(None)) == 1


def test_a_new_invitation_replaces_the_earlier_one(
    client_request, sign_in, admin, organisation, outbox
):
    sign_in(admin)
    _invite(client_request, organisation, "new@northshire.example", "editor")
    _invite(client_request, organisation, "new@northshire.example", "publisher")
    first, second = (link_in(message) for message in outbox)
    client_request.client.delete_cookie("session")
    client_request.get(first, 404)
    page = client_request.get(second)
    assert "Publisher" in page.select_one(".govuk-summary-list").get_text()


def test_a_member_is_not_invited_again(
    app, client_request, sign_in, admin, organisation, make_user, outbox
):
    make_user("pat@shires.example", organisation=organisation.slug, role="editor")
    sign_in(admin)
    page = client_request.post_page(
        f"/admin/organisations/{organisation.slug}/people/invite",
        {"email": "PAT@shires.example", "role": "publisher"},
    )
    assert _error_messages(page) == [
        "pat@shires.example is already a member of Northshire County Council"
    ]
    assert outbox == []
    assert _count(app, Invitation) == 0


@pytest.mark.parametrize(
    "data, message",
    [
        ({"email": "not an address", "role": "editor"}, "Enter an email address in the correct"),
        ({"email": "", "role": "editor"}, "Enter an email address"),
        ({"email": "x@y.example", "role": "owner"}, "Select a role"),
        ({"email": "x@y.example"}, "Select a role"),
        ({"email": "x@y.example" + "x" * 300, "role": "editor"}, "The email address must be 254"),
    ],
)
def test_a_bad_invitation_is_refused_at_the_field(
    app, client_request, sign_in, admin, organisation, outbox, data, message
):
    sign_in(admin)
    page = client_request.post_page(f"/admin/organisations/{organisation.slug}/people/invite", data)
    assert _error_messages(page)[0].startswith(message)
    if data.get("email"):
        assert page.select_one("#email")["value"] == data["email"]
    assert outbox == []
    assert _count(app, Invitation) == 0


def test_an_invitation_and_its_email_are_kept_together_without_a_mail_server(
    app, client_request, sign_in, admin, organisation
):
    # No mail server is set: the invitation is still made, and its email waits to be sent.
    sign_in(admin)
    client_request.post(
        f"/admin/organisations/{organisation.slug}/people/invite",
        {"email": "new@northshire.example", "role": "editor"},
        302,
    )
    assert _count(app, Invitation) == 1
    assert _count(app, OutboxMessage, OutboxMessage.recipient == "new@northshire.example") == 1
