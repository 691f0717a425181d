"""One-time links sent by email: invitations to join an organisation, and password resets.

A link carries a random token; only its SHA-256 hash is stored, so a copy of the database
opens nothing. Using a link claims it in the same transaction as the change it makes, so two
clicks at once cannot both succeed. Functions raise `LinkError` for a link that does not
work and `AccountError` for an answer that cannot be accepted; either way nothing changes.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from flask_babel import gettext
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.interfaces import ORMOption

from . import mail, security_events
from .accounts import AccountError, has_control_characters, normalise_email, set_password
from .addresses import absolute_url
from .audit import record_event
from .extensions import db
from .formatting import N_
from .languages import current_language
from .models import Invitation, Membership, Organisation, PasswordReset, User
from .schema.vocabularies import ROLE

Link = TypeVar("Link", Invitation, PasswordReset)

INVITATION_LIFETIME = timedelta(days=7)
PASSWORD_RESET_LIFETIME = timedelta(hours=1)

# What each role may do, as an invitation says it (translated as it is written).
ROLE_DESCRIPTIONS = {
    "editor": N_(
        "Editors write entries about the organisation’s AI tools and submit them for review."
    ),
    "publisher": N_(
        "Publishers write entries too, and review and publish their colleagues’ entries."
    ),
}
# The invitation's first sentence for each role: a whole sentence each, since the role's
# name takes a different article, or mutates, in each language.
INVITED_AS = {
    "editor": N_(
        "%(inviter)s has invited you to join %(organisation)s on the %(register)s as an editor."
    ),
    "publisher": N_(
        "%(inviter)s has invited you to join %(organisation)s on the %(register)s as a publisher."
    ),
}


class LinkError(Exception):
    """A link that does not open anything."""


class LinkNotFound(LinkError):
    """No link has this token (mistyped, or copied only in part)."""


class LinkGone(LinkError):
    """The link has been used already, or has expired."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def _now() -> datetime:
    return datetime.now(UTC)


def _has_expired(expires_at: datetime) -> bool:
    # SQLite gives back times without their zone; the register stores them all in UTC.
    if expires_at.tzinfo is None:
        expires_at = expires_at.replace(tzinfo=UTC)
    return expires_at <= _now()


def _find(model: type[Link], token: str, used: str, *options: ORMOption) -> Link:
    query = select(model).where(model.token_hash == hash_token(token)).options(*options)
    link = db.session.scalar(query)
    if link is None:
        raise LinkNotFound()
    if getattr(link, used) is not None or _has_expired(link.expires_at):
        raise LinkGone()
    return link


def _claim(model: type[Link], row_id: int, used: str) -> None:
    """Mark the link used, unless it was used or expired meanwhile (then `LinkGone`)."""
    now = _now()
    column = getattr(model, used)
    result = db.session.execute(
        update(model)
        .where(model.id == row_id, column.is_(None), model.expires_at > now)
        .values({used: now})
        .execution_options(synchronize_session="fetch")
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise LinkGone()


def _user_with_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


# Invitations -------------------------------------------------------------------------------


def invite(organisation: Organisation, email: str, role: str, *, invited_by: User) -> Invitation:
    """Invite the person at `email` to join `organisation` as `role`, and email them the link.

    An earlier invitation of theirs to this organisation stops working.
    """
    try:
        email = normalise_email(email)
    except AccountError:
        message = gettext("Enter an email address in the correct format, like name@example.com")
        raise AccountError(message, {"email": message}) from None
    if role not in ROLE:
        raise AccountError(gettext("Select a role"), {"role": gettext("Select a role")})
    existing = _user_with_email(email)
    if existing is not None and existing.role_in(organisation):
        message = gettext(
            "%(email)s is already a member of %(name)s", email=email, name=organisation.name
        )
        raise AccountError(message, {"email": message})
    db.session.execute(
        delete(Invitation).where(
            Invitation.email == email,
            Invitation.organisation_id == organisation.id,
            Invitation.accepted_at.is_(None),
        )
    )
    token, token_hash = _new_token()
    invitation = Invitation(
        token_hash=token_hash,
        email=email,
        organisation_id=organisation.id,
        role=role,
        invited_by_id=invited_by.id,
        expires_at=_now() + INVITATION_LIFETIME,
    )
    db.session.add(invitation)
    record_event(
        "person_invited",
        invited_by,
        organisation=organisation,
        detail=f"{email} as {ROLE.label_for(role).lower()}",
    )
    # The email is written with the invitation: both are kept, or neither. Its language is
    # the page's the invitation was made on: the invited person's own is not known yet.
    mail.send(
        email,
        current_language(),
        lambda: _invitation_email(organisation, role, invited_by, token),
    )
    db.session.commit()
    return invitation


def _invitation_email(
    organisation: Organisation, role: str, invited_by: User, token: str
) -> tuple[str, str]:
    register_name = mail.register_name()
    subject = gettext(
        "You have been invited to join %(organisation)s on the %(register)s",
        organisation=organisation.name,
        register=register_name,
    )
    body = mail.signed_off(
        [
            gettext(
                INVITED_AS.get(role, INVITED_AS["editor"]),
                inviter=invited_by.name or invited_by.email,
                organisation=organisation.name,
                register=register_name,
            ),
            gettext(ROLE_DESCRIPTIONS.get(role, ROLE_DESCRIPTIONS["editor"])),
            gettext("Use this link to accept the invitation:")
            + "\n"
            + absolute_url("account.invitation", token=token),
            gettext("The link works once and expires in 7 days."),
            gettext("If you were not expecting this email, you can ignore it."),
        ]
    )
    return subject, body


def find_invitation(token: str) -> Invitation:
    """The invitation this token opens; `LinkNotFound` or `LinkGone` if it opens none. Its
    organisation comes with it: every page about an invitation names it."""
    return _find(Invitation, token, "accepted_at", joinedload(Invitation.organisation))


def account_for(invitation: Invitation) -> User | None:
    """The account the invited address already has, if any."""
    return _user_with_email(invitation.email)


def accept_as_new_person(token: str, name: str, password: str) -> User:
    """Create the invited person's account, with the invitation's role, and use up the link."""
    invitation = find_invitation(token)
    if account_for(invitation) is not None:
        raise AccountError(
            gettext("There is already an account for this email address. Sign in first.")
        )
    name = name.strip()
    if not name or len(name) > 200 or has_control_characters(name):
        message = gettext("Enter your name, in 200 characters or fewer")
        raise AccountError(message, {"name": message})
    user = User(email=invitation.email, name=name)
    set_password(user, password)
    _claim(Invitation, invitation.id, "accepted_at")
    db.session.add(user)
    db.session.add(
        Membership(user=user, organisation=invitation.organisation, role=invitation.role)
    )
    try:
        db.session.flush()
    except IntegrityError:
        # The same address was given an account a moment ago.
        db.session.rollback()
        raise AccountError(gettext("There is already an account for this email address.")) from None
    _record_acceptance(invitation, user)
    db.session.commit()
    return user


def accept_as_member(token: str, user: User) -> Membership:
    """Add the signed-in `user`, whose address was invited, to the organisation."""
    invitation = find_invitation(token)
    if user.email != invitation.email:
        raise AccountError(gettext("This invitation is for a different email address."))
    _claim(Invitation, invitation.id, "accepted_at")
    membership = db.session.scalar(
        select(Membership).where(
            Membership.user_id == user.id,
            Membership.organisation_id == invitation.organisation_id,
        )
    )
    # A person who joined meanwhile keeps the role they have.
    if membership is None:
        membership = Membership(
            user=user, organisation=invitation.organisation, role=invitation.role
        )
        db.session.add(membership)
    _record_acceptance(invitation, user)
    db.session.commit()
    return membership


def _record_acceptance(invitation: Invitation, user: User) -> None:
    record_event(
        "invitation_accepted",
        user,
        organisation=invitation.organisation,
        detail=f"{user.email} as {ROLE.label_for(invitation.role).lower()}",
    )


def pending_invitations(organisation: Organisation) -> list[Invitation]:
    """Invitations to `organisation` that can still be accepted, newest first."""
    return list(
        db.session.scalars(
            select(Invitation)
            .where(
                Invitation.organisation_id == organisation.id,
                Invitation.accepted_at.is_(None),
                Invitation.expires_at > _now(),
            )
            .order_by(Invitation.created_at.desc(), Invitation.id.desc())
        )
    )


def open_invitation(organisation: Organisation, invitation_id: int) -> Invitation | None:
    """The invitation to `organisation` with this id that has not been accepted (expired or
    not), or None: an accepted one, or another organisation's, cannot be resent or cancelled."""
    return db.session.scalar(
        select(Invitation).where(
            Invitation.id == invitation_id,
            Invitation.organisation_id == organisation.id,
            Invitation.accepted_at.is_(None),
        )
    )


def resend_invitation(invitation: Invitation, *, actor: User) -> None:
    """Email the invited person a new link, good for another 7 days; the link sent before
    stops working, since only the new token's hash is kept."""
    organisation = invitation.organisation
    existing = _user_with_email(invitation.email)
    if existing is not None and existing.role_in(organisation):
        raise AccountError(
            gettext(
                "%(email)s is already a member of %(name)s",
                email=invitation.email,
                name=organisation.name,
            )
        )
    token, invitation.token_hash = _new_token()
    invitation.expires_at = _now() + INVITATION_LIFETIME
    invitation.invited_by_id = actor.id
    record_event(
        "invitation_resent",
        actor,
        organisation=organisation,
        detail=f"{invitation.email} as {ROLE.label_for(invitation.role).lower()}",
    )
    mail.send(
        invitation.email,
        current_language(),
        lambda: _invitation_email(organisation, invitation.role, actor, token),
    )
    db.session.commit()


def cancel_invitation(invitation: Invitation, *, actor: User) -> None:
    """Take the invitation back: its link stops working. The audit log keeps who was invited."""
    record_event(
        "invitation_cancelled",
        actor,
        organisation=invitation.organisation,
        detail=f"{invitation.email} as {ROLE.label_for(invitation.role).lower()}",
    )
    db.session.delete(invitation)
    db.session.commit()


# Password resets ---------------------------------------------------------------------------


def request_password_reset(email: str) -> None:
    """Email a reset link if an active account has this address, and otherwise nothing.

    Both cases write to the database and neither talks to a mail server (the email waits in
    the outbox), so neither the answer nor the time it takes shows whether the address has
    an account.
    """
    now = _now()
    # Tidying old links happens on every request, which also evens out the work done.
    db.session.execute(
        delete(PasswordReset).where(PasswordReset.expires_at < now - timedelta(days=1))
    )
    try:
        email = normalise_email(email)
    except AccountError:
        email = ""
    user = _user_with_email(email) if email else None
    if user is not None and user.is_active:
        token, token_hash = _new_token()
        db.session.add(
            PasswordReset(
                token_hash=token_hash, user_id=user.id, expires_at=now + PASSWORD_RESET_LIFETIME
            )
        )
        # In the language of the page it was asked on: the person asking may not be the
        # one who last signed in, and has just read this page.
        mail.send(user.email, current_language(), lambda: _password_reset_email(token))
    db.session.commit()


def _password_reset_email(token: str) -> tuple[str, str]:
    register_name = mail.register_name()
    subject = gettext("Reset your password for the %(register)s", register=register_name)
    body = mail.signed_off(
        [
            gettext(
                "Someone asked to reset the password for your account on the %(register)s. "
                "If it was you, use this link to choose a new password:",
                register=register_name,
            )
            + "\n"
            + absolute_url("account.reset_password", token=token),
            gettext("The link works once and expires in 1 hour."),
            gettext(
                "If you did not ask to reset your password, you can ignore this email. "
                "Your password has not been changed."
            ),
        ]
    )
    return subject, body


def find_password_reset(token: str) -> PasswordReset:
    """The reset this token opens; `LinkNotFound` or `LinkGone` if it opens none."""
    reset = _find(PasswordReset, token, "used_at")
    if not reset.user.is_active:
        raise LinkGone()
    return reset


def reset_password(token: str, new_password: str) -> User:
    """Set a new password through a reset link; every reset link sent to that person stops
    working, and so do their other sessions."""
    reset = find_password_reset(token)
    user = reset.user
    set_password(user, new_password)  # checks the password before changing anything
    _claim(PasswordReset, reset.id, "used_at")
    db.session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
        .values(used_at=_now())
        .execution_options(synchronize_session=False)
    )
    record_event("password_reset", user, detail=user.email)
    security_events.record("password_reset", user=user)
    db.session.commit()
    return user
