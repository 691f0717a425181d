"""Organisations and the people in them: creating them with checked, plain arguments.

Used by the command line now and by the administrator's pages; raises `AccountError` with a
message fit to show a person when an argument is wrong, and then changes nothing.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from datetime import UTC, datetime

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from .extensions import db
from .models import Membership, Organisation, User
from .schema.vocabularies import ORGANISATION_TYPE, ROLE

MIN_PASSWORD_LENGTH = 12


class AccountError(ValueError):
    """An argument that cannot be accepted; the message says why, in plain words."""


def slugify(text: str) -> str:
    """A lower-case, hyphenated, ASCII form of `text` for use in web addresses."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:100]


def normalise_email(email: str) -> str:
    """The address as the register stores it, or `AccountError` if it is not an address."""
    try:
        checked = validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        raise AccountError(f"Enter an email address in the correct format: {error}") from None
    return checked.normalized.lower()


def find_organisation(name_or_slug: str) -> Organisation | None:
    """The organisation with this slug or (ignoring case) this name."""
    wanted = name_or_slug.strip()
    return db.session.scalar(
        select(Organisation).where(
            (Organisation.slug == wanted) | (func.lower(Organisation.name) == wanted.lower())
        )
    )


def create_organisation(
    name: str,
    type_code: str,
    *,
    slug: str | None = None,
    website: str | None = None,
    contact_email: str | None = None,
    allows_self_publishing: bool = False,
) -> Organisation:
    """Add an organisation; its name and slug must be new, its type a known code."""
    name = name.strip()
    if not name:
        raise AccountError("Enter the organisation’s name.")
    if len(name) > 200:
        raise AccountError("The organisation’s name must be 200 characters or fewer.")
    if type_code not in ORGANISATION_TYPE:
        known = ", ".join(ORGANISATION_TYPE.codes)
        raise AccountError(f"Unknown organisation type {type_code!r}. Choose one of: {known}.")
    slug = slugify(slug or name)
    if not slug:
        raise AccountError("The organisation needs a name or slug with letters or digits.")
    if website and not re.match(r"^https?://[^\s/]+\.[^\s]+$", website.strip()):
        raise AccountError("Enter the website as a full address starting http:// or https://.")
    if contact_email:
        contact_email = normalise_email(contact_email)
    if find_organisation(name) or find_organisation(slug):
        raise AccountError(f"An organisation called {name!r} (or at {slug!r}) already exists.")
    organisation = Organisation(
        name=name,
        slug=slug,
        type=type_code,
        website=website.strip() if website else None,
        contact_email=contact_email,
        allows_self_publishing=allows_self_publishing,
    )
    db.session.add(organisation)
    db.session.commit()
    return organisation


def hash_password(password: str) -> str:
    """A salted hash of `password`, by the method the settings name."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


# Checked against when no account matches, so a wrong address takes as long as a wrong password.
_NO_ACCOUNT_HASH: dict[str, str] = {}


def authenticate(email: str, password: str) -> User | None:
    """The active person with this email and password, or None; the answer takes the same
    time and says the same whether or not the address has an account."""
    try:
        email = normalise_email(email)
    except AccountError:
        email = ""
    user = db.session.scalar(select(User).where(User.email == email)) if email else None
    if user is None or not user.password_hash:
        method = current_app.config["PASSWORD_HASH_METHOD"]
        if method not in _NO_ACCOUNT_HASH:
            _NO_ACCOUNT_HASH[method] = generate_password_hash(secrets.token_hex(), method=method)
        check_password_hash(_NO_ACCOUNT_HASH[method], password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.is_active:
        user.failed_sign_ins += 1
        user.last_failed_sign_in_at = datetime.now(UTC)
        db.session.commit()
        return None
    user.failed_sign_ins = 0
    user.last_signed_in_at = datetime.now(UTC)
    db.session.commit()
    return user


def change_password(user: User, current: str, new: str) -> None:
    """Replace the password after checking the current one."""
    if not user.password_hash or not check_password_hash(user.password_hash, current):
        raise AccountError("Your current password is not correct.")
    if len(new) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"The new password must be at least {MIN_PASSWORD_LENGTH} characters.")
    user.password_hash = hash_password(new)
    db.session.commit()


def generate_password() -> str:
    """A random password that is long enough to be safe and easy to copy."""
    return secrets.token_urlsafe(18)


def create_user(
    email: str,
    password: str,
    *,
    name: str = "",
    organisation: str | None = None,
    role: str | None = None,
    is_admin: bool = False,
) -> User:
    """Add a person, optionally as a member of `organisation` (name or slug) with `role`."""
    email = normalise_email(email)
    if db.session.scalar(select(User).where(User.email == email)):
        raise AccountError(f"A user with the email address {email} already exists.")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"The password must be at least {MIN_PASSWORD_LENGTH} characters.")
    found = None
    if organisation:
        found = find_organisation(organisation)
        if found is None:
            raise AccountError(f"No organisation is called {organisation!r}.")
        if role not in ROLE:
            raise AccountError(f"Choose a role for {found.name}: {' or '.join(ROLE.codes)}.")
    elif role:
        raise AccountError("A role needs an organisation: give --organisation too.")
    elif not is_admin:
        raise AccountError("Give an organisation and role, or make the user an administrator.")
    user = User(
        email=email,
        name=name.strip(),
        password_hash=hash_password(password),
        is_admin=is_admin,
    )
    if found is not None:
        user.memberships.append(Membership(organisation=found, role=role))
    db.session.add(user)
    db.session.commit()
    return user
