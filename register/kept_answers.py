"""Keeping the answers a person sent after their session ended, until they sign in again.

A form sent once the session has gone (idle too long, signed out in another tab or on another
device) cannot be saved: nobody is signed in to save it. Rather than lose what the person
typed, the form's fields are kept here, encrypted, for the person and the browser that sent
them, and handed back once: when that person, signed in again on that browser, opens the form.
Nothing kept is ever saved to an entry; the person checks the answers and saves them as usual.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from .extensions import db
from .models import KeptAnswers, User
from .models.kept_answers import PATH_LENGTH
from .sealing import seal, unseal

PURPOSE = "kept answers"
# Forms kept for one person at a time; keeping another forgets their oldest.
MOST_PER_PERSON = 10
# No form of the register has this many fields; a post with more is not one of them.
MOST_FIELDS = 500

Answers = list[tuple[str, str]]


class NotKept(ValueError):
    """The answers were not kept; the message says why, for the person who sent them."""


def _digest(browser: str) -> str:
    return hashlib.sha256(browser.encode()).hexdigest()


def keep(
    user_id: int,
    browser: str,
    path: str,
    answers: Answers,
    *,
    now: datetime,
    hours: float,
    most_characters: int,
) -> None:
    """Keep `answers` (the form's fields and values, in order) sent to `path` for the person
    `user_id` on `browser`, for `hours`; answers kept earlier for the same form are replaced.
    Raises NotKept, keeping nothing, for a form too large to be one of the register's."""
    if len(path) > PATH_LENGTH:
        raise NotKept("The address of the form is too long.")
    if len(answers) > MOST_FIELDS:
        raise NotKept("The form had too many fields to keep.")
    if sum(len(name) + len(value) for name, value in answers) > most_characters:
        raise NotKept("Your answers were too long to keep.")
    if any("\x00" in name or "\x00" in value for name, value in answers):
        raise NotKept("Your answers held a character no form accepts.")
    person = db.session.get(User, user_id)
    if person is None or not person.is_active:
        # A cookie can outlive the account it names.
        raise NotKept("Your account can no longer sign in.")
    forget_expired(now)
    _forget(user_id, browser, path)
    payload = json.dumps({"user": user_id, "path": path, "answers": answers})
    db.session.add(
        KeptAnswers(
            user_id=user_id,
            browser=_digest(browser),
            path=path,
            sealed_answers=seal(payload, PURPOSE),
            kept_at=now,
            expires_at=now + timedelta(hours=hours),
        )
    )
    db.session.flush()
    older = db.session.scalars(
        select(KeptAnswers.id)
        .where(KeptAnswers.user_id == user_id)
        .order_by(KeptAnswers.kept_at.desc(), KeptAnswers.id.desc())
        .offset(MOST_PER_PERSON)
    ).all()
    if older:
        db.session.execute(delete(KeptAnswers).where(KeptAnswers.id.in_(older)))
    db.session.commit()


def take_back(user_id: int, browser: str, path: str, *, now: datetime) -> Answers | None:
    """The answers kept for `user_id` on `browser` for the form at `path`, if any, and not
    expired; they are forgotten as they are handed back (with any others past their time)."""
    sealed = db.session.scalar(
        select(KeptAnswers.sealed_answers)
        .where(
            KeptAnswers.user_id == user_id,
            KeptAnswers.browser == _digest(browser),
            KeptAnswers.path == path,
            KeptAnswers.expires_at > now,
        )
        .order_by(KeptAnswers.kept_at.desc(), KeptAnswers.id.desc())
        .limit(1)
    )
    if sealed is None:
        return None
    _forget(user_id, browser, path)
    forget_expired(now)
    db.session.commit()
    return _answers_in(unseal(sealed, PURPOSE), user_id, path)


def waiting_form(user_id: int, browser: str, *, now: datetime) -> str | None:
    """The address of the form whose answers were kept most recently for `user_id` on
    `browser`, if any are still kept."""
    return db.session.scalar(
        select(KeptAnswers.path)
        .where(
            KeptAnswers.user_id == user_id,
            KeptAnswers.browser == _digest(browser),
            KeptAnswers.expires_at > now,
        )
        .order_by(KeptAnswers.kept_at.desc(), KeptAnswers.id.desc())
        .limit(1)
    )


def forget_expired(now: datetime) -> int:
    """Delete every kept form past its time; how many there were."""
    result = db.session.execute(
        delete(KeptAnswers)
        .where(KeptAnswers.expires_at <= now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def delete_expired(now: datetime) -> int:
    """Delete every kept form past its time, for good (the daily `send-reminders` does); how
    many there were."""
    deleted = forget_expired(now)
    db.session.commit()
    return deleted


def _forget(user_id: int, browser: str, path: str) -> None:
    db.session.execute(
        delete(KeptAnswers)
        .where(
            KeptAnswers.user_id == user_id,
            KeptAnswers.browser == _digest(browser),
            KeptAnswers.path == path,
        )
        .execution_options(synchronize_session=False)
    )


def _answers_in(payload: str | None, user_id: int, path: str) -> Answers | None:
    """The answers sealed in `payload`, if it is what `keep` sealed for this person and form."""
    try:
        found = json.loads(payload or "")
    except ValueError:
        return None
    if not isinstance(found, dict) or found.get("user") != user_id or found.get("path") != path:
        return None
    answers = found.get("answers")
    if not isinstance(answers, list):
        return None
    return [
        (pair[0], pair[1])
        for pair in answers
        if isinstance(pair, list) and len(pair) == 2 and all(isinstance(part, str) for part in pair)
    ]
