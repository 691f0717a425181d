"""Which person of the register a provider's account is, once the provider's ID token has
been checked: found by issuer and subject (`sub`), never by email address alone.

A first sign-in links the account to a person when the provider vouches for the address
(`email_verified`) and either an invitation to that address is waiting, or the organisation
lets anyone from its domains join as an editor. Roles stay in the register: the provider
says who someone is, the register what they may do. Each refusal is written to the
security log and creates nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from . import security_events
from .accounts import AccountError, normalise_email
from .audit import record_event
from .extensions import db
from .formatting import N_
from .models import Invitation, Membership, SignInLink, SignInProvider, User
from .schema.vocabularies import ROLE
from .sign_in_providers import domain_of, provider_for_email

# `amr` values (RFC 8176) that mean the provider asked for more than a password.
SECOND_FACTOR_METHODS = frozenset(
    {"mfa", "otp", "hwk", "swk", "fido", "sc", "sms", "tel", "face", "fpt", "iris", "retina"}
)
EDITOR = "editor"


class SignInRefused(Exception):
    """The provider's account may not sign in: `message` is for the person, `detail` for
    the security log."""

    def __init__(self, message: str, detail: str, status: int = 403) -> None:
        super().__init__(detail)
        self.message = message
        self.detail = detail
        # 403 for a refusal; 502 when the provider could not be reached.
        self.status = status


def refuse(
    message: str,
    detail: str,
    *,
    provider: SignInProvider | None = None,
    user: User | None = None,
    email: str | None = None,
    status: int = 403,
) -> SignInRefused:
    """Write the refusal to the security log (committed alone: nothing else changed) and
    return the exception to raise."""
    db.session.rollback()
    where = f" ({provider.issuer})" if provider is not None else ""
    security_events.record(
        "provider_sign_in_failed", user=user, email=email, detail=f"{detail}{where}"
    )
    db.session.commit()
    return SignInRefused(message, detail, status)


def used_second_factor(claims: Mapping[str, object]) -> bool:
    """Whether the ID token's `amr` says the provider asked for a second factor."""
    methods = claims.get("amr")
    return isinstance(methods, list) and any(
        isinstance(method, str) and method.lower() in SECOND_FACTOR_METHODS for method in methods
    )


def asks_own_second_factor(provider: SignInProvider, claims: Mapping[str, object]) -> bool:
    """Whether the register asks its own code after this sign-in (if the person has one)."""
    return not (provider.trusts_second_factor and used_second_factor(claims))


def _verified_email(provider: SignInProvider, claims: Mapping[str, object]) -> str:
    """The address the provider vouches for, in one of its own domains; else refused."""
    typed = claims.get("email")
    try:
        email = normalise_email(typed) if isinstance(typed, str) else ""
    except AccountError:
        email = ""
    if not email:
        raise refuse(
            N_("Your organisation’s sign-in did not tell the register your email address."),
            "The ID token has no usable email address",
            provider=provider,
        )
    # Microsoft Entra ID sends no email_verified: its optional claim xms_edov says the
    # address's domain is one the tenant has proved it owns.
    if claims.get("email_verified") is not True and claims.get("xms_edov") is not True:
        raise refuse(
            N_("Your organisation’s sign-in has not confirmed your email address."),
            "The provider has not verified the email address",
            provider=provider,
            email=email,
        )
    owner = provider_for_email(email)
    if owner is None or owner.id != provider.id:
        raise refuse(
            f"The register does not know {domain_of(email)} as a domain of your organisation.",
            f"{domain_of(email)} belongs to no organisation this provider signs in",
            provider=provider,
            email=email,
        )
    return email


def _still_allowed(user: User, provider: SignInProvider) -> None:
    """Refuse a person who was disabled, or removed from every organisation."""
    if not user.is_active:
        raise refuse(
            N_("Your account on the register has been closed."),
            "The account cannot sign in",
            provider=provider,
            user=user,
        )
    if not user.is_admin and not user.memberships:
        raise refuse(
            N_("You are no longer a member of any organisation on the register."),
            "The person belongs to no organisation",
            provider=provider,
            user=user,
        )


def _waiting_invitations(email: str) -> list[Invitation]:
    return list(
        db.session.scalars(
            select(Invitation).where(
                Invitation.email == email,
                Invitation.accepted_at.is_(None),
                Invitation.expires_at > datetime.now(UTC),
            )
        )
    )


def _join(user: User, organisation_id: int, role: str, invitation: Invitation | None) -> None:
    if any(m.organisation_id == organisation_id for m in user.memberships):
        return
    user.memberships.append(Membership(organisation_id=organisation_id, role=role))
    if invitation is not None:
        invitation.accepted_at = datetime.now(UTC)
        record_event(
            "invitation_accepted",
            user,
            organisation=invitation.organisation,
            detail=f"{user.email} as {ROLE.label_for(role).lower()}, through the provider",
        )


def _first_sign_in(provider: SignInProvider, subject: str, claims: Mapping[str, object]) -> User:
    """Link a provider account seen for the first time to its person, or refuse."""
    email = _verified_email(provider, claims)
    invitations = _waiting_invitations(email)
    joins_by_domain = provider.lets_domain_join and provider.organisation_id is not None
    if not invitations and not joins_by_domain:
        raise refuse(
            N_(
                "You have not been invited to the register. Ask your organisation’s publisher "
                "or the register’s administrators for an invitation."
            ),
            "No invitation for this address, and the organisation does not let its domains join",
            provider=provider,
            email=email,
        )
    user = db.session.scalar(select(User).where(User.email == email))
    if user is not None and not invitations:
        # An existing account is only ever linked through an invitation to its address.
        raise refuse(
            N_(
                "An account with your email address already exists. Ask the register’s "
                "administrators to send you an invitation to link it."
            ),
            "An account has this address but no invitation links it",
            provider=provider,
            user=user,
        )
    if user is None:
        name = claims.get("name")
        user = User(email=email, name=name.strip()[:200] if isinstance(name, str) else "")
        db.session.add(user)
    elif not user.is_active:
        _still_allowed(user, provider)
    for invitation in invitations:
        _join(user, invitation.organisation_id, invitation.role, invitation)
    if joins_by_domain and not invitations:
        _join(user, provider.organisation_id, EDITOR, None)
        record_event(
            "person_joined_by_domain", user, organisation=provider.organisation, detail=email
        )
    db.session.add(SignInLink(user=user, issuer=provider.issuer, subject=subject))
    security_events.record(
        "provider_account_linked", user=user, detail=f"{provider.issuer} subject {subject}"
    )
    try:
        db.session.flush()
    except IntegrityError:
        # The same account signed in twice at once: the other request linked it.
        raise refuse(
            N_("You signed in twice at the same moment. Sign in again."),
            "The provider account was linked by another request meanwhile",
            provider=provider,
            email=email,
        ) from None
    return user


def person_for(provider: SignInProvider, claims: Mapping[str, object]) -> User:
    """The person whose provider account the checked ID token's `claims` describe, linking a
    first sign-in as the module says; raises `SignInRefused` (already logged). Commits the
    link and the sign-in's security event together."""
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject or len(subject) > 255:
        raise refuse(N_("Your organisation’s sign-in did not say who you are."), "No usable sub")
    link = db.session.scalar(
        select(SignInLink).where(
            SignInLink.issuer == provider.issuer, SignInLink.subject == subject
        )
    )
    user = link.user if link is not None else _first_sign_in(provider, subject, claims)
    _still_allowed(user, provider)
    if link is not None:
        link.last_used_at = datetime.now(UTC)
    user.last_signed_in_at = datetime.now(UTC)
    return user


def note_signed_in(user: User, provider: SignInProvider, *, code_next: bool) -> None:
    """Record the provider's sign-in in the security log, as a password is: `code_next`
    when the register asks its own code before the person is signed in. Commits."""
    kind = "password_accepted" if code_next else "signed_in"
    security_events.record(kind, user=user, detail=f"Through {provider.issuer}")
    db.session.commit()


def refuses_passwords(email: str) -> SignInProvider | None:
    """The provider of `email`'s domain, if its organisation signs in through it only."""
    provider = provider_for_email(email)
    return provider if provider is not None and provider.provider_only else None
