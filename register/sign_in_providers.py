"""Organisations' own sign-in providers (OpenID Connect): their settings, checked against
the provider's discovery document when saved, and which provider an email address belongs to.

An organisation has at most one provider; a register that serves a single body may have one
provider of its own, for no organisation. Each email domain belongs to one provider. The
client secret is kept encrypted, under a key for this purpose alone, and never shown again.
Functions take plain arguments and raise `ProviderSettingsError`, whose `problems` name the
form field at fault, changing nothing.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

from authlib.integrations.requests_client import OAuth2Session
from authlib.oidc.discovery import OpenIDProviderMetadata
from flask import current_app
from flask_babel import gettext
from requests import RequestException
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import selectinload

from . import sealing
from .audit import record_event
from .extensions import db
from .models import Organisation, SignInDomain, SignInProvider, User

# The client secret's key is derived from SECRET_KEY for this purpose alone.
SEALING_PURPOSE = "sign-in provider client secret"
DISCOVERY_PATH = "/.well-known/openid-configuration"
# The scopes asked for: who the person is, and their email address.
SCOPES = "openid email profile"
DOMAIN = re.compile(r"(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")


class ProviderSettingsError(ValueError):
    """Settings that cannot be saved; `problems` maps a form field to its message."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        super().__init__(" ".join(problems.values()))
        self.problems = dict(problems)


class ProviderUnavailable(RuntimeError):
    """The provider could not be reached, or its discovery document cannot be used; the
    message says which, fit for the security log and an administrator."""


# Reading the provider's discovery document ------------------------------------------------


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def issuer_problem(issuer: str) -> str | None:
    """Why `issuer` cannot be a provider's issuer, or None: an https address with no query
    or fragment (plain http on this machine's loopback address only where the settings
    allow it, for tests)."""
    if not issuer or len(issuer) > 500 or any(c.isspace() for c in issuer):
        return gettext("Enter the issuer as a full address starting https://")
    parts = urlsplit(issuer)
    if parts.query or parts.fragment or not parts.hostname or parts.username:
        return gettext("Enter the issuer without a query, fragment or user name")
    if parts.scheme == "https":
        return None
    allow_http = current_app.config.get("SIGN_IN_PROVIDERS_ALLOW_LOOPBACK_HTTP")
    if parts.scheme == "http" and allow_http and _is_loopback(parts.hostname):
        return None
    return gettext("Enter the issuer as a full address starting https://")


def http_session(**kwargs: Any) -> OAuth2Session:
    """A session for talking to providers, with the register's time limit on every call."""
    return OAuth2Session(default_timeout=current_app.config["SIGN_IN_PROVIDER_TIMEOUT"], **kwargs)


def discovery_url(issuer: str) -> str:
    return issuer.rstrip("/") + DISCOVERY_PATH


def discover(issuer: str) -> dict[str, Any]:
    """The provider's discovery document, checked: it names `issuer` as its issuer and has
    the endpoints and keys the register uses. Raises `ProviderUnavailable` saying why not."""
    if problem := issuer_problem(issuer):
        raise ProviderUnavailable(problem)
    try:
        with http_session() as session:
            response = session.get(discovery_url(issuer), withhold_token=True)
            response.raise_for_status()
            document = response.json()
    except RequestException as error:
        raise ProviderUnavailable(
            f"The register could not read the provider’s discovery document at "
            f"{discovery_url(issuer)} ({type(error).__name__})"
        ) from None
    except ValueError:
        raise ProviderUnavailable(
            f"The provider’s discovery document at {discovery_url(issuer)} is not JSON"
        ) from None
    if not isinstance(document, dict):
        raise ProviderUnavailable("The provider’s discovery document is not a JSON object")
    metadata = OpenIDProviderMetadata(document)
    try:
        for name in ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri"):
            getattr(metadata, f"validate_{name}")()
        for required in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
            if not metadata.get(required):
                raise ValueError(f"it has no {required}")
    except ValueError as error:
        raise ProviderUnavailable(
            f"The provider’s discovery document cannot be used: {error}"
        ) from None
    if metadata["issuer"] != issuer:
        raise ProviderUnavailable(
            f"The provider calls itself {metadata['issuer']!r}, not {issuer!r}: enter the "
            "issuer exactly as its discovery document gives it"
        )
    return dict(metadata)


# Settings --------------------------------------------------------------------------------


def normalise_domains(typed: Iterable[str]) -> list[str]:
    """Email domains as stored: lower case, without @, each once; ValueError if one is not
    a domain name."""
    domains: list[str] = []
    for text in typed:
        domain = text.strip().lower().lstrip("@").rstrip(".")
        if not domain:
            continue
        if not DOMAIN.fullmatch(domain):
            raise ValueError(f"{text.strip()!r} is not an email domain, like council.gov.uk")
        if domain not in domains:
            domains.append(domain)
    return domains


def provider_of(organisation: Organisation | None) -> SignInProvider | None:
    """The organisation's provider, or with None the register's own (for no organisation)."""
    query = select(SignInProvider).options(selectinload(SignInProvider.domains))
    if organisation is None:
        return db.session.scalar(query.where(SignInProvider.organisation_id.is_(None)))
    return db.session.scalar(query.where(SignInProvider.organisation_id == organisation.id))


def _domain_problem(provider: SignInProvider | None, domains: list[str]) -> str | None:
    if not domains:
        return gettext("Enter at least one email domain, like council.gov.uk")
    taken = db.session.scalars(select(SignInDomain).where(SignInDomain.domain.in_(domains))).all()
    for domain in taken:
        if provider is None or domain.provider_id != provider.id:
            return gettext(
                "%(domain)s already signs in through another provider", domain=domain.domain
            )
    return None


def save_provider(
    organisation: Organisation | None,
    *,
    issuer: str,
    client_id: str,
    client_secret: str | None,
    domains: Iterable[str],
    provider_only: bool = False,
    trusts_second_factor: bool = False,
    lets_domain_join: bool = False,
    actor: User | None = None,
) -> SignInProvider:
    """Add or change the provider of `organisation` (None: the register's own). The
    issuer's discovery document is read and checked first; an empty `client_secret` keeps
    the one set before. Commits, with the audit line."""
    provider = provider_of(organisation)
    issuer, client_id = issuer.strip(), client_id.strip()
    problems: dict[str, str] = {}
    if problem := issuer_problem(issuer):
        problems["issuer"] = problem
    if not client_id or len(client_id) > 255 or any(c.isspace() for c in client_id):
        problems["client_id"] = gettext("Enter the client ID the provider gave the register")
    # A field's name, not a secret.
    secret_field = "client_secret"  # noqa: S105  # nosec B105
    if not client_secret and provider is None:
        problems[secret_field] = gettext("Enter the client secret the provider gave the register")
    elif client_secret and len(client_secret) > 1000:
        problems[secret_field] = gettext("The client secret must be 1000 characters or fewer")
    try:
        domain_names = normalise_domains(domains)
    except ValueError as error:
        problems["domains"] = str(error)
    else:
        if problem := _domain_problem(provider, domain_names):
            problems["domains"] = problem
    if lets_domain_join and organisation is None:
        problems["lets_domain_join"] = gettext(
            "Only an organisation’s provider can let people join without an invitation"
        )
    if problems:
        raise ProviderSettingsError(problems)
    try:
        metadata = discover(issuer)
    except ProviderUnavailable as error:
        raise ProviderSettingsError({"issuer": str(error)}) from None
    if provider is None:
        provider = SignInProvider(organisation=organisation)
        db.session.add(provider)
    provider.issuer = issuer
    provider.client_id = client_id
    if client_secret:
        provider.client_secret = sealing.seal(client_secret, SEALING_PURPOSE)
    provider.authorization_endpoint = metadata["authorization_endpoint"]
    provider.provider_only = provider_only
    provider.trusts_second_factor = trusts_second_factor
    provider.lets_domain_join = lets_domain_join
    provider.domains = [
        next((d for d in provider.domains if d.domain == name), None) or SignInDomain(domain=name)
        for name in domain_names
    ]
    detail = f"{issuer} for {', '.join(domain_names)}"
    record_event("sign_in_provider_saved", actor, organisation=organisation, detail=detail)
    try:
        db.session.commit()
    except IntegrityError:
        # Another administrator gave one of the domains to a provider a moment ago.
        db.session.rollback()
        raise ProviderSettingsError(
            {"domains": gettext("One of these domains was given to another provider meanwhile")}
        ) from None
    return provider


def remove_provider(provider: SignInProvider, *, actor: User | None = None) -> None:
    """Stop `provider` signing people in; its people keep their accounts. Commits."""
    organisation, issuer = provider.organisation, provider.issuer
    record_event("sign_in_provider_removed", actor, organisation=organisation, detail=issuer)
    db.session.delete(provider)
    db.session.commit()


def client_secret_of(provider: SignInProvider) -> str | None:
    """The provider's client secret, decrypted (None if SECRET_KEY has changed since)."""
    return sealing.unseal(provider.client_secret, SEALING_PURPOSE)


# Who signs in where ------------------------------------------------------------------------


def domain_of(email: str) -> str:
    return email.rpartition("@")[2].strip().lower()


def provider_for_email(email: str) -> SignInProvider | None:
    """The provider that covers the domain of `email`, if any."""
    domain = domain_of(email)
    if not domain:
        return None
    return db.session.scalar(
        select(SignInProvider)
        .join(SignInDomain)
        .where(SignInDomain.domain == domain)
        .options(selectinload(SignInProvider.organisation))
    )


def authorization_origins() -> list[str]:
    """The origins of every provider's sign-in page, where the sign-in form may lead; none
    while the database cannot be reached, so the sign-in page still shows and the post is
    what says the service is unavailable."""
    try:
        endpoints = db.session.scalars(select(SignInProvider.authorization_endpoint)).all()
    except OperationalError:
        db.session.rollback()
        return []
    return sorted({origin_of(endpoint) for endpoint in endpoints if endpoint})


def origin_of(address: str) -> str:
    parts = urlsplit(address)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
