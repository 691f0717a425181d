"""Asking for alerts, confirming them and leaving: double opt-in by signed links.

Asking (`subscribe`) keeps the address, the search and how often, and emails a link to
confirm; only a confirmed row is a subscription. Asking again for the same address and
search sends a fresh link rather than making a second row, and the answer is the same
whether or not the address already follows the search, so nothing is revealed. A
confirmation link works once, for `CONFIRMATION_LIFETIME`; rows never confirmed are
deleted after it. Each alert email carries an unsubscribe link, which deletes the row.

The links are signed with the app's secret key and name a row by its id and a time it
keeps (when confirmation was asked for, or when it was confirmed), so that a link stops
working once used, and a link to a deleted row cannot reach a later one with its id.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext
from itsdangerous import BadSignature, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from .. import mail
from ..accounts import AccountError, normalise_email
from ..addresses import absolute_url
from ..extensions import db
from ..formatting import N_
from ..languages import current_language
from ..models import AlertSubscription
from ..models.alert import EMAIL_LENGTH, FREQUENCIES
from ..models.columns import aware
from .searches import FollowedSearch, followed

CONFIRMATION_LIFETIME = timedelta(days=7)
CONFIRM_SALT = "alert-confirm"
UNSUBSCRIBE_SALT = "alert-unsubscribe"
# How often, as the pages and emails say it (translated where shown: `gettext(...)`).
FREQUENCY_WORDS = {"daily": N_("once a day"), "weekly": N_("once a week")}
# Why a link does not work, as the link's page explains it.
EXPIRED, NOT_WORKING, USED = "expired", "not_working", "used"


class SubscribeError(ValueError):
    """The answers cannot be accepted; `problems` says why, by field."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(problems.values()))
        self.problems = problems


class LinkProblem(Exception):
    """A link that does not work: `kind` is EXPIRED, NOT_WORKING or USED."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


def _stamp(moment: datetime | None) -> int:
    return int(aware(moment).timestamp() * 1_000_000) if moment else 0


def _confirming() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=CONFIRM_SALT)


def _unsubscribing() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt=UNSUBSCRIBE_SALT)


def _wrong_format() -> str:
    return gettext("Enter an email address in the correct format, like name@example.com")


def _checked(email: str, frequency: str) -> str:
    # What is wrong, in the language of the page the form is on.
    problems = {}
    address = ""
    if not email.strip():
        problems["email"] = gettext("Enter your email address")
    elif len(email.strip()) > EMAIL_LENGTH:
        problems["email"] = _wrong_format()
    else:
        try:
            address = normalise_email(email)
        except AccountError:
            problems["email"] = _wrong_format()
    if frequency not in FREQUENCIES:
        problems["frequency"] = gettext("Select how often you want emails")
    if problems:
        raise SubscribeError(problems)
    return address


def subscribe(email: str, frequency: str, search: FollowedSearch, now: datetime) -> None:
    """Ask for alerts about `search` to `email`, `frequency` (daily or weekly): email a link
    to confirm, and commit. `SubscribeError` (nothing changed) if the answers are wrong."""
    address = _checked(email, frequency)
    for attempt in (1, 2):
        found = db.session.scalar(
            select(AlertSubscription).where(
                AlertSubscription.email == address, AlertSubscription.search == search.params
            )
        )
        if found is None:
            found = AlertSubscription(email=address, search=search.params, frequency=frequency)
            db.session.add(found)
        elif found.confirmed_at is None:
            found.frequency = frequency
        # Its emails are in the language of the page it was last asked for on.
        found.language = current_language()
        # A confirmed subscription keeps its frequency until the new link is followed.
        found.requested_at = now
        try:
            db.session.flush()
        except IntegrityError:
            # Someone asked for the same at the same moment: use their row.
            db.session.rollback()
            if attempt == 2:
                raise
            continue
        break
    token = _confirming().dumps([found.id, frequency, _stamp(found.requested_at)])
    mail.send(address, found.language, lambda: confirmation_email(search, frequency, token))
    db.session.commit()


def confirmation_email(search: FollowedSearch, frequency: str, token: str) -> tuple[str, str]:
    """The subject and body of the email asking to confirm alerts about `search`."""
    days = CONFIRMATION_LIFETIME.days
    paragraphs = [
        gettext(
            "Someone, probably you, asked for emails about changes to entries in the register "
            "that match this search, %(how_often)s:",
            how_often=gettext(FREQUENCY_WORDS[frequency]),
        ),
        summary_lines(search),
        gettext("To start getting them, confirm within %(days)s days:", days=days)
        + "\n"
        + absolute_url("alerts.confirm", token=token),
        gettext(
            "If you did not ask for these emails, ignore this one: you will get no more, and "
            "we delete your address after %(days)s days.",
            days=days,
        ),
    ]
    return gettext("Confirm your email alerts"), mail.signed_off(paragraphs)


def summary_lines(search: FollowedSearch) -> str:
    """The search in words, a line for each part, as the emails describe it."""
    return "\n".join(f"- {label}: {value}" for label, value in search.summary)


def confirmation_for(token: str, now: datetime) -> tuple[AlertSubscription, str]:
    """The row a confirmation link is for, and the frequency it asks for; `LinkProblem` if
    the link is forged, expired, or used already."""
    try:
        found = _confirming().loads(token, max_age=CONFIRMATION_LIFETIME.total_seconds())
    except SignatureExpired:
        raise LinkProblem(EXPIRED) from None
    except BadSignature:
        raise LinkProblem(NOT_WORKING) from None
    if not (
        isinstance(found, list)
        and len(found) == 3
        and isinstance(found[0], int)
        and found[1] in FREQUENCIES
    ):
        raise LinkProblem(NOT_WORKING)
    row_id, frequency, stamp = found
    subscription = db.session.get(AlertSubscription, row_id)
    if subscription is None:
        raise LinkProblem(EXPIRED)
    if subscription.requested_at is None or _stamp(subscription.requested_at) != stamp:
        # Used already, or a newer link was sent since.
        raise LinkProblem(USED)
    if aware(subscription.requested_at) < now - CONFIRMATION_LIFETIME:
        raise LinkProblem(EXPIRED)
    return subscription, frequency


def confirm(token: str, now: datetime) -> AlertSubscription:
    """Confirm the subscription a link is for, and commit; `LinkProblem` if it does not work.
    Changes are told from now on."""
    subscription, frequency = confirmation_for(token, now)
    subscription.frequency = frequency
    subscription.requested_at = None
    if subscription.confirmed_at is None:
        subscription.confirmed_at = now
        subscription.told_until = now
    db.session.commit()
    return subscription


def unsubscribe_link(subscription: AlertSubscription) -> str:
    """The address that unsubscribes from `subscription`, for its emails."""
    token = _unsubscribing().dumps([subscription.id, _stamp(subscription.confirmed_at)])
    return absolute_url("alerts.unsubscribe", token=token)


def unsubscribing(token: str) -> AlertSubscription | None:
    """The subscription an unsubscribe link is for, or None if it is gone already;
    `LinkProblem` if the link is not one the register made."""
    try:
        found = _unsubscribing().loads(token)
    except BadSignature:
        raise LinkProblem(NOT_WORKING) from None
    if not (isinstance(found, list) and len(found) == 2 and isinstance(found[0], int)):
        raise LinkProblem(NOT_WORKING)
    subscription = db.session.get(AlertSubscription, found[0])
    if subscription is None or _stamp(subscription.confirmed_at) != found[1]:
        return None
    return subscription


def unsubscribe(token: str) -> FollowedSearch | None:
    """Delete the subscription an unsubscribe link is for, and commit; the search it
    followed, or None if it was gone already. `LinkProblem` for a link the register did not
    make. Doing it twice is the same as doing it once."""
    subscription = unsubscribing(token)
    if subscription is None:
        return None
    search = followed(subscription.search)
    db.session.execute(delete(AlertSubscription).where(AlertSubscription.id == subscription.id))
    db.session.commit()
    return search


def delete_unconfirmed(now: datetime) -> int:
    """Delete what was asked for but never confirmed within `CONFIRMATION_LIFETIME`, and
    commit; how many rows."""
    result = db.session.execute(
        delete(AlertSubscription).where(
            AlertSubscription.confirmed_at.is_(None),
            AlertSubscription.requested_at < now - CONFIRMATION_LIFETIME,
        )
    )
    db.session.commit()
    return result.rowcount or 0
