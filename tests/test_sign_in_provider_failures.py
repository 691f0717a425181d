"""Every way signing in through an organisation's provider can fail gets a clear page,
creates nothing, and is written to the security log; and a person who signed in through
the provider is treated exactly as one who used a password (idle timeout, permissions)."""

from __future__ import annotations

import time

import pytest
import requests
from sqlalchemy import select

from register import accounts, one_time_links, publishing
from register.extensions import db
from register.models import Entry, Invitation, User

from .conftest import TEST_PASSWORD
from .factories import publishable_values
from .manage_world import messages
from .oidc_provider import expired, running_provider
from .pages import check_page
from .sign_in_world import (
    DOMAIN,
    latest_event,
    people_and_links,
    set_up_provider,
    sign_in_through_provider,
    start,
)

INVITED = f"sam.okafor@{DOMAIN}"
NOT_TRUSTED = "did not pass its checks"


@pytest.fixture
def invited(app, council):
    with app.test_request_context():
        admin = accounts.create_user("admin@register.example", TEST_PASSWORD, is_admin=True)
        organisation = accounts.find_organisation(council.slug)
        one_time_links.invite(organisation, INVITED, "editor", invited_by=admin)
    return INVITED


def _refused(app, response, status: int, says: str, logged: str) -> None:
    """The page says what went wrong; nobody was created or linked; the log says why."""
    page = check_page(response)
    assert response.status_code == status
    assert page.h1.text == "Sorry, you could not be signed in"
    assert says in page.get_text()
    assert page.select_one("a[href='/sign-in']") is not None
    assert people_and_links(app) == (1, 0)  # only the administrator who sent the invitation
    with app.app_context():
        assert db.session.scalar(select(Invitation.accepted_at)) is None
    kind, detail = latest_event(app)
    assert kind == "provider_sign_in_failed"
    assert logged in detail


@pytest.mark.parametrize(
    ("what", "rewrite", "logged"),
    [
        ("another client's token", lambda c: {**c, "aud": "another-client"}, "another client"),
        ("another issuer's token", lambda c: {**c, "iss": "https://x.example"}, "another issuer"),
        ("an expired token", expired, "The ID token has expired"),
    ],
)
def test_a_token_with_the_wrong_claims_signs_nobody_in(
    app, client_request, provider, invited, what, rewrite, logged
):
    provider.rewrite = rewrite
    response = sign_in_through_provider(client_request, provider, invited, "checked")
    _refused(app, response, 403, NOT_TRUSTED, logged)


def test_a_token_signed_with_another_key_signs_nobody_in(app, client_request, provider, invited):
    provider.sign_with_another_key = True
    response = sign_in_through_provider(client_request, provider, invited, "forged")
    _refused(app, response, 403, NOT_TRUSTED, "badly signed")


def test_a_token_replayed_from_an_earlier_sign_in_is_refused_by_its_nonce(
    app, client_request, provider, invited
):
    # An earlier sign-in by someone the organisation does not let in: refused, but its
    # token is one an attacker could have kept.
    sign_in_through_provider(client_request, provider, f"other@{DOMAIN}", "other")
    provider.replay = provider.last_id_token
    response = sign_in_through_provider(client_request, provider, invited, "replayer")
    _refused(app, response, 403, NOT_TRUSTED, "another sign-in (replayed)")


def test_the_callback_address_used_twice_is_refused_by_its_state(
    app, client_request, provider, invited
):
    provider.set_person("twice", email=invited, email_verified=True)
    callback = provider.sign_in(start(client_request, invited).headers["Location"], "twice")
    assert client_request.client.get(callback).headers["Location"] == "/manage"
    client_request.post("/sign-out", expected_status=302)
    response = client_request.client.get(callback)
    page = check_page(response)
    assert response.status_code == 403
    assert "has been used already or has expired" in page.get_text()
    assert latest_event(app)[0] == "provider_sign_in_failed"


def test_a_callback_with_another_sessions_state_is_refused(
    app, client, client_request, provider, invited
):
    provider.set_person("stolen", email=invited, email_verified=True)
    callback = provider.sign_in(start(client_request, invited).headers["Location"], "stolen")
    stranger = app.test_client()
    response = stranger.get(callback)
    assert response.status_code == 403
    assert "has been used already or has expired" in check_page(response).get_text()
    assert people_and_links(app) == (1, 0)


def test_a_provider_that_cannot_be_reached_gets_a_clear_page(app, client_request, invited):
    with running_provider() as departing:
        set_up_provider(app, None, departing.issuer, domains=["unreachable.example"])
    before = people_and_links(app)
    response = client_request.post(
        "/sign-in", {"email": "someone@unreachable.example", "password": ""}, 502
    )
    page = check_page(response)
    assert response.status_code == 502
    assert "could not reach your organisation’s sign-in service" in page.get_text()
    assert people_and_links(app) == before
    kind, detail = latest_event(app)
    assert kind == "provider_sign_in_failed" and "could not read" in detail


def test_a_person_who_says_no_at_the_provider_is_told_so(app, client_request, provider, invited):
    authorization_url = start(client_request, invited).headers["Location"]
    answer = requests.post(
        authorization_url, data={"action": "deny"}, allow_redirects=False, timeout=5
    )
    back = answer.headers["Location"]
    response = client_request.client.get(back[back.index("/sign-in/callback") :])
    assert response.status_code == 403
    assert "did not finish signing in" in check_page(response).get_text()
    assert "access_denied" in latest_event(app)[1]


# The same as a password ---------------------------------------------------------------------


def test_a_provider_session_ends_when_idle_as_a_password_session_does(
    app, client_request, provider, invited
):
    sign_in_through_provider(client_request, provider, invited, "idle")
    cookie = client_request.client.get_cookie("session")
    assert cookie.expires is not None  # a permanent session, renewed by each request
    lifetime = cookie.expires.timestamp() - time.time()
    assert abs(lifetime - app.permanent_session_lifetime.total_seconds()) < 60
    client_request.client.delete_cookie("session")  # what the browser does when time is up
    response = client_request.client.get("/manage")
    assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in")


def test_a_provider_editor_has_an_editors_permissions_only(app, client_request, provider, invited):
    sign_in_through_provider(client_request, provider, invited, "permissions")
    assert client_request.client.get("/manage").status_code == 200
    assert client_request.client.get("/admin/organisations").status_code == 403
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == invited))
        assert not user.is_admin and user.publishes_for() == []


def test_a_provider_publisher_cannot_publish_answers_they_wrote_themselves(
    app, client_request, provider, council
):
    # The two-person rule holds for someone who signs in through the provider, as for a
    # password user: a publisher who wrote the answers is not their only reviewer.
    publisher = f"pat.publisher@{DOMAIN}"
    with app.test_request_context():
        admin = accounts.create_user("admin@register.example", TEST_PASSWORD, is_admin=True)
        organisation = accounts.find_organisation(council.slug)
        one_time_links.invite(organisation, publisher, "publisher", invited_by=admin)
    sign_in_through_provider(client_request, provider, publisher, "two-person")
    with app.app_context():
        author = db.session.scalar(select(User).where(User.email == publisher))
        entry = publishing.create_entry(accounts.find_organisation(council.slug), author)
        publishing.save_draft(
            entry, author, publishable_values(), based_on=entry.draft.lock_version
        )
        publishing.submit(entry, author)
        reference = entry.reference
    review = f"/manage/entries/{reference}/review"
    page = client_request.post_page(f"{review}/publish", {}, form_url=review)
    assert any("another publisher must review it" in message for message in messages(page))
    with app.app_context():
        assert db.session.scalar(select(Entry.state).where(Entry.reference == reference)) == (
            "in_review"
        )
