"""What the tests of signing in with an organisation's own accounts share: the provider
running on this machine, an organisation that signs in through it, and the whole journey
over HTTP (the register's sign-in form, the provider's page, the register's callback)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from flask import Flask
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from register import accounts, sign_in_providers
from register.extensions import db
from register.models import SecurityEvent, SignInLink, User

from .oidc_provider import Provider, running_provider

if TYPE_CHECKING:
    from .conftest import ClientRequest

DOMAIN = "northshire.gov.uk"
CLIENT_SECRET = "provider-issued-client-secret-7f3a"


@pytest.fixture(scope="session")
def provider_server() -> Iterator[Provider]:
    with running_provider() as provider:
        yield provider


@pytest.fixture
def provider(provider_server: Provider) -> Iterator[Provider]:
    provider_server.reset()
    yield provider_server
    provider_server.reset()


def set_up_provider(app: Flask, organisation: str | None, issuer: str, **options) -> None:
    """Give `organisation` (a slug; None: the whole register) a provider at `issuer`."""
    with app.app_context():
        found = accounts.find_organisation(organisation) if organisation else None
        sign_in_providers.save_provider(
            found,
            issuer=issuer,
            client_id="the-register",
            client_secret=CLIENT_SECRET,
            domains=options.pop("domains", [DOMAIN]),
            **options,
        )


@pytest.fixture
def council(app: Flask, make_organisation, provider: Provider):
    """Northshire County Council, signing in through the provider with its default choices."""
    organisation = make_organisation()
    set_up_provider(app, organisation.slug, provider.issuer)
    return organisation


def start(browser: ClientRequest, email: str, next_path: str | None = None) -> TestResponse:
    """Post the address alone on the sign-in page."""
    url = "/sign-in" + (f"?next={next_path}" if next_path else "")
    return browser.post(url, {"email": email, "password": ""}, expected_status=302)


def sign_in_through_provider(
    browser: ClientRequest, provider: Provider, email: str, sub: str, **claims
) -> TestResponse:
    """The whole journey, as `sub` with these claims: what the register's callback answers."""
    provider.set_person(sub, **{"email": email, "email_verified": True, **claims})
    authorization_url = start(browser, email).headers["Location"]
    return browser.client.get(provider.sign_in(authorization_url, sub))


def count(app: Flask, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def people_and_links(app: Flask) -> tuple[int, int]:
    return count(app, User), count(app, SignInLink)


def latest_event(app: Flask) -> tuple[str, str]:
    with app.app_context():
        event = db.session.scalars(select(SecurityEvent).order_by(SecurityEvent.id.desc())).first()
        return event.kind, event.detail or ""
