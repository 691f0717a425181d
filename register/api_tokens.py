"""API tokens, with which an organisation's own systems use the submission API.

A token belongs to one organisation and acts for the person who made it: through it, a
system can do with that organisation's entries what that person could do in the register,
and nothing with any other organisation's. It works until it is revoked, or until the
person who made it could no longer make it (they stop being a publisher there, or an
administrator, or their account is deactivated).

Only the token's SHA-256 hash is stored, with its first characters to tell it apart; the
token itself is shown once, when it is made. Plain arguments in, plain results out, like
the workflow (`publishing`): no request objects.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import UTC, datetime, timedelta

from flask_babel import lazy_gettext as _
from sqlalchemy import or_, select, update
from sqlalchemy.orm import selectinload

from .accounts import has_control_characters
from .audit import commit_or_roll_back, record_event
from .extensions import db
from .models import ApiToken, Organisation, User
from .one_time_links import hash_token
from .permissions import can_manage_tokens

# Recognisable in logs and by secret scanners; the rest is 32 random bytes.
PREFIX = "air_"
RANDOM_BYTES = 32
SHOWN_CHARACTERS = 12  # what the prefix column keeps: "air_" and 8 random characters
NAME_LENGTH = 100
# Longer than any token this module makes; longer ones are not looked up at all.
LONGEST_TOKEN = 100
# Noting every use would write on every request; to the minute is all people need.
LAST_USED_PRECISION = timedelta(minutes=1)


class TokenError(Exception):
    """A token that cannot be made or revoked; `problems` names the fields at fault."""

    def __init__(self, message: str, problems: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.problems = dict(problems or {})


def _now() -> datetime:
    return datetime.now(UTC)


def can_manage(user: User | None, organisation: Organisation) -> bool:
    """Whether `user` may make and revoke `organisation`'s tokens: its publishers and
    administrators, while their account is active."""
    return can_manage_tokens(user, organisation.id)


def create(organisation: Organisation, name: str, created_by: User) -> tuple[ApiToken, str]:
    """Make a token for `organisation`, acting for `created_by`; the token and its secret,
    which is not stored and cannot be shown again."""
    if not can_manage(created_by, organisation):
        raise TokenError(_("Only a publisher of the organisation can create its API tokens."))
    name = (name or "").strip()
    if not name or len(name) > NAME_LENGTH or has_control_characters(name):
        message = _(
            "Enter a name for the token, in %(count)s characters or fewer", count=NAME_LENGTH
        )
        raise TokenError(message, {"name": message})
    secret = PREFIX + secrets.token_urlsafe(RANDOM_BYTES)
    token = ApiToken(
        organisation_id=organisation.id,
        name=name,
        token_hash=hash_token(secret),
        prefix=secret[:SHOWN_CHARACTERS],
        created_by_id=created_by.id,
    )
    db.session.add(token)
    record_event(
        "api_token_created",
        created_by,
        organisation=organisation,
        detail=f"“{name}”, starting {token.prefix}",
    )
    commit_or_roll_back()
    # The commit expired both; the page that shows the secret names them, so read them again
    # here rather than while that page is drawn.
    db.session.refresh(organisation)
    db.session.refresh(token)
    return token, secret


def revoke(token: ApiToken, revoked_by: User) -> None:
    """Stop `token` working, from the next request on. Revoking it again changes nothing."""
    if not can_manage(revoked_by, token.organisation):
        raise TokenError(_("Only a publisher of the organisation can revoke its API tokens."))
    if token.revoked_at is not None:
        return
    token.revoked_at = _now()
    token.revoked_by_id = revoked_by.id
    record_event(
        "api_token_revoked",
        revoked_by,
        organisation=token.organisation,
        detail=f"“{token.name}”, starting {token.prefix}",
    )
    commit_or_roll_back()


def tokens_of(organisation: Organisation) -> list[ApiToken]:
    """Every token of `organisation`, revoked ones too, newest first."""
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.organisation_id == organisation.id)
            .options(selectinload(ApiToken.created_by), selectinload(ApiToken.revoked_by))
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def token_of(organisation: Organisation, token_id: int) -> ApiToken | None:
    """The token of `organisation` with this id, if it has one."""
    return db.session.scalar(
        select(ApiToken).where(ApiToken.id == token_id, ApiToken.organisation_id == organisation.id)
    )


def find_by_secret(secret: str) -> ApiToken | None:
    """The working token whose secret this is; None if there is none, or it was revoked,
    or the person it acts for could no longer make it.

    The lookup is by hash, so how long it takes says nothing about any stored token.
    """
    if not secret.startswith(PREFIX) or len(secret) > LONGEST_TOKEN:
        return None
    digest = hash_token(secret)
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest))
    if token is None or not hmac.compare_digest(token.token_hash, digest):
        return None
    if token.revoked_at is not None or not can_manage(token.created_by, token.organisation):
        return None
    return token


def note_use(token: ApiToken) -> None:
    """Record that `token` was used now (to the minute), for its organisation's list."""
    now = _now()
    result = db.session.execute(
        update(ApiToken)
        .where(
            ApiToken.id == token.id,
            or_(
                ApiToken.last_used_at.is_(None),
                ApiToken.last_used_at < now - LAST_USED_PRECISION,
            ),
        )
        .values(last_used_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount:
        commit_or_roll_back()
