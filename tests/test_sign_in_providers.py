"""Signing in with an organisation's own accounts, over HTTP against a real OpenID Connect
provider on this machine: who gets in, who is linked to what, and the organisation's
choices (provider only, trusting the provider's second factor, joining by domain)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pyotp
from sqlalchemy import select

from register import accounts, one_time_links, second_factor
from register.extensions import db
from register.models import Invitation, Membership, SignInLink, User

from .conftest import TEST_PASSWORD
from .pages import check_page
from .sign_in_world import (
    DOMAIN,
    latest_event,
    people_and_links,
    set_up_provider,
    sign_in_through_provider,
    start,
)

INVITED = f"amira.khan@{DOMAIN}"


def _invite(app, organisation, email: str = INVITED, role: str = "publisher") -> None:
    with app.test_request_context():
        admin = accounts.create_user("admin@register.example", TEST_PASSWORD, is_admin=True)
        found = accounts.find_organisation(organisation.slug)
        one_time_links.invite(found, email, role, invited_by=admin)


def _user(app, email: str) -> User | None:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        if user is not None:
            db.session.expunge(user)
        return user


def test_the_sign_in_page_says_who_leaves_the_password_empty(client_request, council):
    page = client_request.get("/sign-in")
    hint = page.select_one("#password-hint").get_text()
    assert "leave the password empty" in hint


def test_the_address_alone_goes_to_the_provider_with_pkce_state_and_nonce(
    app, client_request, council, provider
):
    response = start(client_request, INVITED)
    address = urlsplit(response.headers["Location"])
    query = parse_qs(address.query)
    assert f"{address.scheme}://{address.netloc}" == provider.issuer
    assert query["response_type"] == ["code"]
    assert query["code_challenge_method"] == ["S256"]
    assert query["scope"] == ["openid email profile"]
    assert query["redirect_uri"] == ["http://localhost/sign-in/callback"]
    assert query["state"][0] and query["nonce"][0] and query["code_challenge"][0]
    assert query["client_id"] == ["the-register"]


def test_an_invited_person_is_linked_to_their_invitation_on_first_sign_in(
    app, client_request, council, provider
):
    _invite(app, council)
    response = sign_in_through_provider(client_request, provider, INVITED, "amira-1")
    assert response.status_code == 302
    assert response.headers["Location"] == "/manage"
    assert client_request.client.get("/manage").status_code == 200  # signed in
    user = _user(app, INVITED)
    with app.app_context():
        assert user.password_hash is None
        link = db.session.scalar(select(SignInLink).where(SignInLink.user_id == user.id))
        assert (link.issuer, link.subject) == (provider.issuer, "amira-1")
        invitation = db.session.scalar(select(Invitation).where(Invitation.email == INVITED))
        assert invitation.accepted_at is not None
        assert db.session.get(User, user.id).role_in(council) == "publisher"


def test_a_returning_person_is_found_by_subject_not_by_email(
    app, client_request, council, provider
):
    _invite(app, council)
    sign_in_through_provider(client_request, provider, INVITED, "amira-2")
    client_request.post("/sign-out", expected_status=302)
    # The provider now gives another address for the same account: still the same person.
    renamed = f"amira.khan-smith@{DOMAIN}"
    response = sign_in_through_provider(client_request, provider, renamed, "amira-2")
    assert response.headers["Location"] == "/manage"
    assert people_and_links(app) == (2, 1)  # the administrator, and Amira once


def test_an_account_with_the_same_address_is_never_linked_by_email_alone(
    app, client_request, council, provider, make_user
):
    make_user(INVITED, organisation=council.slug, role="editor")
    before = people_and_links(app)
    response = sign_in_through_provider(client_request, provider, INVITED, "someone-else")
    assert response.status_code == 403
    assert "Ask your organisation’s publisher" in check_page(response).get_text()
    assert people_and_links(app) == before


def test_without_an_invitation_nobody_joins_when_the_domain_may_not_join(
    app, client_request, council, provider
):
    response = sign_in_through_provider(client_request, provider, INVITED, "uninvited")
    page = check_page(response)
    assert response.status_code == 403
    assert page.h1.text == "Sorry, you could not be signed in"
    assert "You have not been invited to the register" in page.get_text()
    assert people_and_links(app) == (0, 0)
    kind, detail = latest_event(app)
    assert kind == "provider_sign_in_failed" and "No invitation" in detail


def test_anyone_from_the_domain_joins_as_an_editor_when_the_organisation_allows(
    app, client_request, council, provider
):
    set_up_provider(app, council.slug, provider.issuer, lets_domain_join=True)
    response = sign_in_through_provider(
        client_request, provider, INVITED, "joiner", name="Amira Khan"
    )
    assert response.headers["Location"] == "/manage"
    user = _user(app, INVITED)
    assert user.name == "Amira Khan"
    with app.app_context():
        assert db.session.get(User, user.id).role_in(council) == "editor"


def test_an_unverified_email_address_links_nobody(app, client_request, council, provider):
    _invite(app, council)
    response = sign_in_through_provider(
        client_request, provider, INVITED, "unverified", email_verified=False
    )
    assert response.status_code == 403
    assert "has not confirmed your email address" in check_page(response).get_text()
    assert people_and_links(app) == (1, 0)
    assert latest_event(app)[1].startswith("The provider has not verified the email address")


def test_entras_domain_owner_claim_stands_in_for_email_verified(
    app, client_request, council, provider
):
    _invite(app, council)
    response = sign_in_through_provider(
        client_request, provider, INVITED, "entra", email_verified=None, xms_edov=True
    )
    assert response.headers["Location"] == "/manage"


def test_an_address_in_a_domain_of_no_organisation_is_refused(
    app, client_request, council, provider
):
    _invite(app, council, "amira@elsewhere.example")
    provider.set_person("elsewhere", email="amira@elsewhere.example", email_verified=True)
    authorization_url = start(client_request, INVITED).headers["Location"]
    response = client_request.client.get(provider.sign_in(authorization_url, "elsewhere"))
    assert response.status_code == 403
    assert "does not know elsewhere.example" in check_page(response).get_text()
    assert people_and_links(app) == (1, 0)
    assert "belongs to no organisation" in latest_event(app)[1]


def test_a_password_still_signs_in_unless_the_organisation_uses_its_provider_only(
    app, client_request, council, provider, make_user
):
    make_user(INVITED, organisation=council.slug, role="editor")
    response = client_request.post("/sign-in", {"email": INVITED, "password": TEST_PASSWORD}, 302)
    assert response.headers["Location"] == "/manage"
    client_request.post("/sign-out", expected_status=302)

    set_up_provider(app, council.slug, provider.issuer, provider_only=True)
    page = client_request.post_page("/sign-in", {"email": INVITED, "password": TEST_PASSWORD})
    error = page.select_one("#password-error").get_text()
    assert "Northshire County Council signs in with its own accounts" in error
    assert "leave the password empty" in error
    assert latest_event(app) == ("sign_in_failed", "Provider only: password refused")


def test_an_empty_password_without_a_provider_is_still_asked_for(client_request, council):
    page = client_request.post_page("/sign-in", {"email": "someone@other.example", "password": ""})
    assert "Enter your password" in page.select_one("#password-error").get_text()


def _with_second_factor(app, email: str) -> None:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        secret = second_factor.new_secret()
        second_factor.turn_on(user, secret, pyotp.TOTP(secret).now())


def test_the_providers_second_factor_is_trusted_only_when_chosen_and_used(
    app, client_request, council, provider
):
    _invite(app, council)
    sign_in_through_provider(client_request, provider, INVITED, "two-factor")
    client_request.post("/sign-out", expected_status=302)
    _with_second_factor(app, INVITED)

    # Not trusted: the register asks its own code, even though the provider used one.
    response = sign_in_through_provider(
        client_request, provider, INVITED, "two-factor", amr=["pwd", "mfa"]
    )
    assert response.headers["Location"].startswith("/sign-in/code")
    assert client_request.client.get("/manage").status_code == 302  # not signed in yet

    # Trusted, but the provider asked for a password only: the register's code again.
    set_up_provider(app, council.slug, provider.issuer, trusts_second_factor=True)
    response = sign_in_through_provider(
        client_request, provider, INVITED, "two-factor", amr=["pwd"]
    )
    assert response.headers["Location"].startswith("/sign-in/code")

    # Trusted and used: signed in at once.
    response = sign_in_through_provider(
        client_request, provider, INVITED, "two-factor", amr=["pwd", "mfa"]
    )
    assert response.headers["Location"] == "/manage"
    assert client_request.client.get("/manage").status_code == 200


def test_a_person_removed_or_disabled_cannot_get_back_in_through_the_provider(
    app, client_request, council, provider
):
    _invite(app, council, role="editor")
    sign_in_through_provider(client_request, provider, INVITED, "leaver")
    client_request.post("/sign-out", expected_status=302)
    with app.app_context():
        admin = db.session.scalar(select(User).where(User.is_admin.is_(True)))
        user = db.session.scalar(select(User).where(User.email == INVITED))
        accounts.remove_member(accounts.find_organisation(council.slug), user, actor=admin)
    response = sign_in_through_provider(client_request, provider, INVITED, "leaver")
    assert response.status_code == 403
    assert "no longer a member" in check_page(response).get_text()

    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == INVITED))
        organisation = accounts.find_organisation(council.slug)
        db.session.add(Membership(user=user, organisation=organisation, role="editor"))
        user.is_active = False
        db.session.commit()
    response = sign_in_through_provider(client_request, provider, INVITED, "leaver")
    assert response.status_code == 403
    assert "has been closed" in check_page(response).get_text()
    assert client_request.client.get("/manage").status_code == 302


def test_signing_out_ends_the_session_and_the_providers_too(app, client_request, council, provider):
    _invite(app, council)
    sign_in_through_provider(client_request, provider, INVITED, "leaving-for-the-day")
    page = client_request.client.get("/manage")
    policy = page.headers["Content-Security-Policy"]
    assert f"form-action 'self' {provider.issuer}" in policy  # the sign-out form leads there
    response = client_request.post("/sign-out", expected_status=302)
    address = urlsplit(response.headers["Location"])
    query = parse_qs(address.query)
    assert f"{address.scheme}://{address.netloc}{address.path}" == (
        f"{provider.issuer}/oauth2/end_session"
    )
    assert query["id_token_hint"] == [provider.last_id_token]
    assert query["post_logout_redirect_uri"] == ["http://localhost/"]
    assert client_request.client.get("/manage").status_code == 302
    # A password user signs out as before, staying on the register.
    client_request.client.delete_cookie("session")
    response = client_request.post("/sign-out", expected_status=302)
    assert response.headers["Location"] == "/"


def test_the_sign_in_page_lets_its_form_lead_to_the_provider(client_request, council, provider):
    response = client_request.client.get("/sign-in")
    assert f"form-action 'self' {provider.issuer};" in response.headers["Content-Security-Policy"]
