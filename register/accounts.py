"""Organisations and the people in them: creating them with checked, plain arguments.

Used by the command line now and by the administrator's pages; raises `AccountError` with a
message fit to show a person when an argument is wrong, and then changes nothing.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Mapping
from datetime import UTC, datetime

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from . import second_factor, security_events
from .audit import record_event
from .extensions import db
from .languages import LANGUAGES
from .models import ApiToken, EntryVersion, FormerName, Membership, Organisation, User
from .passwords import guessability_problem
from .permissions import can_manage_tokens
from .schema.vocabularies import ORGANISATION_TYPE, ROLE

MIN_PASSWORD_LENGTH = 12


class AccountError(ValueError):
    """An argument that cannot be accepted; the message says why, in plain words.

    `problems` maps a form field's name to its message, when the fault lies in a field.
    """

    def __init__(self, message: str, problems: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.problems = dict(problems or {})


def slugify(text: str) -> str:
    """A lower-case, hyphenated, ASCII form of `text` for use in web addresses."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:100]


def has_control_characters(text: str) -> bool:
    """Whether `text` holds characters nobody types, such as the null character (which
    PostgreSQL cannot store) or a line break in a one-line answer."""
    return any(unicodedata.category(character) == "Cc" for character in text)


def normalise_email(email: str) -> str:
    """The address as the register stores it, or `AccountError` if it is not an address."""
    try:
        checked = validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        message = f"Enter an email address in the correct format: {error}"
        raise AccountError(message, {"email": message}) from None
    return checked.normalized.lower()


def find_organisation(name_or_slug: str) -> Organisation | None:
    """The organisation with this slug or (ignoring case) this name."""
    wanted = name_or_slug.strip()
    return db.session.scalar(
        select(Organisation).where(
            (Organisation.slug == wanted) | (func.lower(Organisation.name) == wanted.lower())
        )
    )


def _organisation_problems(
    organisation: Organisation | None,
    name: str,
    type_code: str,
    slug: str,
    website: str | None,
    contact_email: str | None,
) -> dict[str, str]:
    """What is wrong with these details, by field; `organisation` is the one being changed."""
    problems: dict[str, str] = {}
    if not name:
        problems["name"] = gettext("Enter the organisation’s name.")
    elif len(name) > 200:
        problems["name"] = gettext("The organisation’s name must be 200 characters or fewer.")
    elif has_control_characters(name):
        problems["name"] = gettext(
            "The organisation’s name must be letters, digits and punctuation."
        )
    if type_code not in ORGANISATION_TYPE:
        known = ", ".join(ORGANISATION_TYPE.codes)
        problems["type"] = f"Unknown organisation type {type_code!r}. Choose one of: {known}."
    if not slug:
        problems.setdefault("name", "The organisation needs a name or slug with letters or digits.")
    if website and (
        len(website) > 2000
        or has_control_characters(website)
        or not re.match(r"^https?://[^\s/]+\.[^\s]+$", website)
    ):
        problems["website"] = gettext(
            "Enter the website as a full address starting http:// or https://."
        )
    if contact_email:
        try:
            normalise_email(contact_email)
        except AccountError:
            problems["contact_email"] = gettext(
                "Enter the contact email address in the correct format, like name@example.com"
            )
    if "name" not in problems:
        clashes = {find_organisation(name), find_organisation(slug)} - {None, organisation}
        if clashes:
            problems["name"] = gettext(
                "An organisation called %(name)s (or at %(slug)s) already exists.",
                name=repr(name),
                slug=repr(slug),
            )
    return problems


def _save_organisation(organisation: Organisation, action: str, actor: User | None) -> None:
    db.session.add(organisation)
    try:
        db.session.flush()
        record_event(action, actor, organisation=organisation, detail=organisation.name)
        db.session.commit()
    except IntegrityError:
        # Someone else took the name or slug a moment ago.
        db.session.rollback()
        message = gettext("An organisation with that name already exists.")
        raise AccountError(message, {"name": message}) from None


def create_organisation(
    name: str,
    type_code: str,
    *,
    slug: str | None = None,
    website: str | None = None,
    contact_email: str | None = None,
    allows_self_publishing: bool = False,
    requires_second_factor: bool = False,
    actor: User | None = None,
) -> Organisation:
    """Add an organisation; its name and slug must be new, its type a known code."""
    name, website, contact_email = name.strip(), (website or "").strip(), (contact_email or "")
    slug = slugify(slug or name)
    problems = _organisation_problems(None, name, type_code, slug, website, contact_email)
    if problems:
        raise AccountError(" ".join(problems.values()), problems)
    organisation = Organisation(
        name=name,
        slug=slug,
        type=type_code,
        website=website or None,
        contact_email=normalise_email(contact_email) if contact_email else None,
        allows_self_publishing=allows_self_publishing,
        requires_second_factor=requires_second_factor,
    )
    _save_organisation(organisation, "organisation_added", actor)
    return organisation


def update_organisation(
    organisation: Organisation,
    *,
    name: str,
    type_code: str,
    website: str | None,
    contact_email: str | None,
    allows_self_publishing: bool,
    requires_second_factor: bool | None = None,
    actor: User | None,
) -> None:
    """Change an organisation's details, with the checks `create_organisation` makes; its
    slug stays, so links to it keep working. Whether its publishers need a second factor
    stays as it is unless `requires_second_factor` says."""
    name, website, contact_email = name.strip(), (website or "").strip(), (contact_email or "")
    problems = _organisation_problems(
        organisation, name, type_code, organisation.slug, website, contact_email
    )
    if problems:
        raise AccountError(" ".join(problems.values()), problems)
    public_before = (organisation.name, organisation.type, organisation.website)
    if name != organisation.name:
        _keep_former_name(organisation)
    organisation.name = name
    organisation.type = type_code
    organisation.website = website or None
    if (organisation.name, organisation.type, organisation.website) != public_before:
        # The downloads show these: their Last-Modified moves with them.
        organisation.changed_at = datetime.now(UTC)
    organisation.contact_email = normalise_email(contact_email) if contact_email else None
    organisation.allows_self_publishing = allows_self_publishing
    if requires_second_factor is not None:
        organisation.requires_second_factor = requires_second_factor
    _save_organisation(organisation, "organisation_changed", actor)


def _keep_former_name(organisation: Organisation) -> None:
    """Before a rename: keep the name in the organisation's history, and on each version
    published under it, so published versions go on saying what they said."""
    now = datetime.now(UTC)
    db.session.add(
        FormerName(organisation_id=organisation.id, name=organisation.name, used_until=now)
    )
    db.session.execute(
        update(EntryVersion)
        .where(
            EntryVersion.organisation_id == organisation.id,
            EntryVersion.published_at.is_not(None),
            EntryVersion.organisation_name.is_(None),
        )
        .values(organisation_name=organisation.name)
    )


def hash_password(password: str) -> str:
    """A salted hash of `password`, by the method the settings name."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


# Checked against when no account matches, so a wrong address takes as long as a wrong password.
_NO_ACCOUNT_HASH: dict[str, str] = {}


def _account_for(typed: str) -> tuple[User | None, str]:
    """The account with the address someone typed, if any, and the address as stored (or
    as typed, trimmed, when it is not an address at all)."""
    try:
        email = normalise_email(typed)
    except AccountError:
        return None, typed.strip()
    return db.session.scalar(select(User).where(User.email == email)), email


def authenticate(email: str, password: str) -> User | None:
    """The active person with this email and password, or None; the answer takes the same
    time and says the same whether or not the address has an account. Either way the
    security log notes it, in the same transaction."""
    user, email = _account_for(email)
    if user is None or not user.password_hash:
        method = current_app.config["PASSWORD_HASH_METHOD"]
        if method not in _NO_ACCOUNT_HASH:
            _NO_ACCOUNT_HASH[method] = generate_password_hash(secrets.token_hex(), method=method)
        check_password_hash(_NO_ACCOUNT_HASH[method], password)
        detail = "No account has this address" if user is None else "The account has no password"
        security_events.record("sign_in_failed", user=user, email=email, detail=detail)
        db.session.commit()
        return None
    if not check_password_hash(user.password_hash, password) or not user.is_active:
        user.failed_sign_ins += 1
        user.last_failed_sign_in_at = datetime.now(UTC)
        detail = "Wrong password" if user.is_active else "The account cannot sign in"
        security_events.record("sign_in_failed", user=user, detail=detail)
        db.session.commit()
        return None
    user.failed_sign_ins = 0
    user.last_signed_in_at = datetime.now(UTC)
    # With a second factor the person is not signed in yet: the code step records that.
    kind = "password_accepted" if second_factor.has_second_factor(user) else "signed_in"
    security_events.record(kind, user=user)
    db.session.commit()
    return user


def keep_language(user: User, language: str) -> None:
    """Write emails to `user` in `language` from now on (the language of the page they
    signed in on, or accepted an invitation on), and commit."""
    if language in LANGUAGES and user.language != language:
        user.language = language
        db.session.commit()


def note_sign_in_refused(typed_email: str, reason: str) -> None:
    """Write to the security log that a sign-in was refused before its password was
    checked (too many attempts), naming the account whose address was tried."""
    user, email = _account_for(typed_email)
    security_events.record("locked_out", user=user, email=email, detail=reason)
    db.session.commit()


def change_password(user: User, current: str, new: str) -> None:
    """Replace the password after checking the current one."""
    if not user.password_hash or not check_password_hash(user.password_hash, current):
        raise AccountError(gettext("Your current password is not correct."))
    set_password(user, new)
    security_events.record("password_changed", user=user)
    db.session.commit()


def set_password(user: User, new: str) -> None:
    """Give `user` a new password, which signs out their other sessions; the caller commits."""
    if len(new) < MIN_PASSWORD_LENGTH:
        message = gettext(
            "The new password must be at least %(count)s characters.", count=MIN_PASSWORD_LENGTH
        )
        raise AccountError(message, {"new_password": message})
    if message := guessability_problem(new, [user.email, user.name]):
        raise AccountError(message, {"new_password": message})
    user.password_hash = hash_password(new)
    user.failed_sign_ins = 0


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
    if message := guessability_problem(password, [email, name]):
        raise AccountError(message)
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


# Roles and administrators ------------------------------------------------------------------


def membership_of(organisation: Organisation, user: User) -> Membership:
    """`user`'s membership of `organisation`, or `AccountError` if they are not a member."""
    membership = db.session.scalar(
        select(Membership).where(
            Membership.organisation_id == organisation.id, Membership.user_id == user.id
        )
    )
    if membership is None:
        raise AccountError(f"{user.email} is not a member of {organisation.name}.")
    return membership


def change_role(organisation: Organisation, user: User, role: str, *, actor: User) -> None:
    """Make `user` an editor or a publisher of `organisation`."""
    if role not in ROLE:
        message = f"Choose a role: {' or '.join(ROLE.codes)}."
        raise AccountError(message, {"role": message})
    membership = membership_of(organisation, user)
    if membership.role == role:
        return
    detail = f"{user.email}: {ROLE.label_for(membership.role)} to {ROLE.label_for(role)}"
    membership.role = role
    record_event("role_changed", actor, organisation=organisation, detail=detail)
    revoke_tokens_no_longer_allowed(user, actor=actor)
    db.session.commit()


def remove_member(organisation: Organisation, user: User, *, actor: User) -> None:
    """Take `user` out of `organisation`; their account and the entries they wrote stay."""
    db.session.delete(membership_of(organisation, user))
    record_event("person_removed", actor, organisation=organisation, detail=user.email)
    revoke_tokens_no_longer_allowed(user, actor=actor)
    db.session.commit()


def _other_administrators(user: User, *, lock: bool = False) -> list[int]:
    query = select(User.id).where(
        User.is_admin.is_(True), User.is_active.is_(True), User.id != user.id
    )
    return list(db.session.scalars(query.with_for_update() if lock else query))


def why_administrator_must_stay(user: User, actor: User, *, lock: bool = False) -> str | None:
    """Why `user` cannot stop being an administrator (they are the last one), or None."""
    if not user.is_admin or _other_administrators(user, lock=lock):
        return None
    who = "You are" if user.id == actor.id else f"{user.email} is"
    return f"{who} the only administrator. Make someone else an administrator first."


def set_administrator(user: User, is_admin: bool, *, actor: User) -> None:
    """Give or take away register administrator rights; the last administrator stays one."""
    if user.is_admin == is_admin:
        return
    # Locked on PostgreSQL, so two administrators cannot both step down at once.
    if not is_admin and (reason := why_administrator_must_stay(user, actor, lock=True)):
        raise AccountError(reason)
    user.is_admin = is_admin
    action = "administrator_added" if is_admin else "administrator_removed"
    record_event(action, actor, detail=user.email)
    revoke_tokens_no_longer_allowed(user, actor=actor)
    db.session.commit()


def revoke_tokens_no_longer_allowed(user: User, *, actor: User) -> None:
    """Revoke the API tokens `user` made for organisations whose tokens they may no longer
    manage (no longer a publisher there, nor an administrator). Revoked, not merely
    suspended: making them a publisher again must not bring old tokens back to life. The
    caller commits."""
    # Memberships taken away in this transaction must not count.
    db.session.flush()
    db.session.expire(user, ["memberships"])
    tokens = db.session.scalars(
        select(ApiToken).where(ApiToken.created_by_id == user.id, ApiToken.revoked_at.is_(None))
    ).all()
    now = datetime.now(UTC)
    for token in tokens:
        if can_manage_tokens(user, token.organisation_id):
            continue
        token.revoked_at = now
        token.revoked_by_id = actor.id
        record_event(
            "api_token_revoked",
            actor,
            organisation=token.organisation,
            detail=f"“{token.name}”, starting {token.prefix}: {user.email} may no longer "
            "manage the organisation's tokens",
        )


def end_sessions(user: User) -> None:
    """End every session of `user`: sessions are signed cookies, so a copy taken before
    signing out would otherwise keep working until it expired."""
    user.session_epoch = (user.session_epoch or 0) + 1
    db.session.commit()
