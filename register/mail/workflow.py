"""Telling people when work on an entry moves: submitted, sent back, published, withdrawn.

The workflow (`register.publishing`) says what happened with `tell` as it changes an entry.
The emails are written when that transaction commits, and join the outbox in it, so that
an email goes if and only if the change is kept, and one step taken for many entries at
once (a bulk publish, an import's batch) sends each person one email listing them rather
than one per entry. Nobody is emailed about their own action, and each person may turn
each kind off on their account page (`turned_off`, `choose`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import partial

from flask import current_app, has_request_context
from sqlalchemy import delete, event, select
from sqlalchemy.orm import Session, SessionTransaction, selectinload

from ..extensions import db
from ..formatting import N_
from ..models import AuditEvent, EmailTurnedOff, Entry, Membership, User
from ..permissions import PUBLISHER, can_edit
from . import send
from .workflow_letters import (
    PUBLISHED,
    SENT_BACK,
    SUBMITTED,
    WITHDRAWN,
    Moved,
    letter,
)

# Told by the link check (`register.links.checks`), not by the workflow, but chosen with the rest.
BROKEN_LINKS = "broken_links"
# Each kind, as the account page offers it.
KINDS = {
    SUBMITTED: N_("An entry of my organisation is submitted for review (sent to publishers)"),
    SENT_BACK: N_("An entry I worked on is sent back with changes requested"),
    PUBLISHED: N_("An entry I worked on or review is published"),
    WITHDRAWN: N_("An entry I worked on or review is withdrawn"),
    BROKEN_LINKS: N_(
        "A link in a published entry of my organisation has stopped working (sent to publishers)"
    ),
}
# Who hears of each kind besides the entry's authors.
_TO_PUBLISHERS = {SUBMITTED, PUBLISHED, WITHDRAWN}
_TO_AUTHORS = {SENT_BACK, PUBLISHED, WITHDRAWN}
_PENDING = "workflow_emails"
# The audit log's actions that show who worked on a version.
_WORK = ("created", "saved", "revision_started", "submitted")


def tell(kind: str, entry: Entry, actor: User | None, words: str = "") -> None:
    """Note that `entry` moved, for the emails written when the transaction commits."""
    db.session.info.setdefault(_PENDING, []).append(Moved(kind, entry, actor, words))


# When the transaction commits ------------------------------------------------------------


def _before_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint: the emails wait for the transaction itself
    moved = session.info.pop(_PENDING, None)
    if moved:
        queue_emails(moved)


def _after_transaction(session: Session, transaction: SessionTransaction) -> None:
    # Rolled back (or the session closed): what was noted never happened.
    if transaction.parent is None:
        session.info.pop(_PENDING, None)


event.listen(db.session, "before_commit", _before_commit)
event.listen(db.session, "after_transaction_end", _after_transaction)


def queue_emails(moved: list[Moved]) -> int:
    """Queue the emails about these steps in the current transaction: one per person and
    kind, listing that person's entries; how many were queued."""
    # Authors only where they are told: an import may submit thousands of entries at once.
    authors = authors_of(
        list({item.entry.id: item.entry for item in moved if item.kind in _TO_AUTHORS}.values())
    )
    publishers = _publishers_of(
        {item.entry.organisation_id for item in moved if item.kind in _TO_PUBLISHERS}
    )
    letters: dict[tuple[User, str, User | None], list[Moved]] = defaultdict(list)
    for item in moved:
        people: dict[int, User] = {}
        if item.kind in _TO_AUTHORS:
            people.update(authors.get(item.entry.id, {}))
        if item.kind in _TO_PUBLISHERS:
            people.update(publishers.get(item.entry.organisation_id, {}))
        for person in people.values():
            if item.actor is None or person.id != item.actor.id:
                letters[(person, item.kind, item.actor)].append(item)
    off = _turned_off_among({person.id for person, _, _ in letters})
    sent = 0
    with _addresses():
        for (person, kind, actor), items in letters.items():
            if (person.id, kind) not in off:
                # In the language of the page the person last signed in on.
                send(person.email, person.language, partial(letter, kind, items, actor))
                sent += 1
    return sent


def authors_of(entries: list[Entry]) -> dict[int, dict[int, User]]:
    """The people who wrote each entry's version now moving, by entry id: who created or
    saved it, started the revision or submitted it, since the publication before its last
    submission. Only active people who may still edit the entry are counted. The one place
    that says who an entry's authors are, for these emails."""
    if not entries:
        return {}
    events = db.session.execute(
        select(AuditEvent.entry_id, AuditEvent.action, AuditEvent.actor_id)
        .where(
            AuditEvent.entry_id.in_([entry.id for entry in entries]),
            AuditEvent.action.in_((*_WORK, "published")),
        )
        .order_by(AuditEvent.id)
    ).all()
    by_entry: dict[int, list[tuple[str, int | None]]] = defaultdict(list)
    for entry_id, action, actor_id in events:
        by_entry[entry_id].append((action, actor_id))
    wanted = {entry.id: _workers(by_entry[entry.id]) | {entry.submitted_by_id} for entry in entries}
    ids = {person_id for found in wanted.values() for person_id in found if person_id}
    people = db.session.scalars(
        select(User)
        .where(User.id.in_(ids), User.is_active.is_(True))
        .options(selectinload(User.memberships))
    ).all()
    by_id = {person.id: person for person in people}
    return {
        entry.id: {
            person_id: by_id[person_id]
            for person_id in wanted[entry.id]
            if person_id in by_id and can_edit(by_id[person_id], entry)
        }
        for entry in entries
    }


def _workers(events: list[tuple[str, int | None]]) -> set[int | None]:
    """Who worked on the version last submitted: everyone since the publication before it."""
    submissions = [number for number, (action, _) in enumerate(events) if action == "submitted"]
    last_submission = submissions[-1] if submissions else len(events)
    published = [
        number
        for number, (action, _) in enumerate(events[:last_submission])
        if action == "published"
    ]
    start = published[-1] + 1 if published else 0
    return {actor for action, actor in events[start:] if action in _WORK}


def _publishers_of(organisation_ids: set[int]) -> dict[int, dict[int, User]]:
    """The active publishers of each organisation, by organisation id."""
    found: dict[int, dict[int, User]] = defaultdict(dict)
    rows = db.session.execute(
        select(Membership.organisation_id, User)
        .join(User, User.id == Membership.user_id)
        .where(
            Membership.organisation_id.in_(organisation_ids),
            Membership.role == PUBLISHER,
            User.is_active.is_(True),
        )
        .order_by(User.email)
    ).all()
    for organisation_id, person in rows:
        found[organisation_id][person.id] = person
    return found


def publishers_to_tell(organisation_ids: set[int], kind: str) -> dict[int, list[User]]:
    """The active publishers of each organisation who have not turned `kind` off."""
    publishers = _publishers_of(organisation_ids)
    off = _turned_off_among({person for people in publishers.values() for person in people})
    return {
        organisation_id: [person for person in people.values() if (person.id, kind) not in off]
        for organisation_id, people in publishers.items()
    }


def _turned_off_among(user_ids: set[int]) -> set[tuple[int, str]]:
    if not user_ids:
        return set()
    rows = db.session.execute(
        select(EmailTurnedOff.user_id, EmailTurnedOff.kind).where(
            EmailTurnedOff.user_id.in_(user_ids)
        )
    )
    return {(user_id, kind) for user_id, kind in rows}


@contextmanager
def _addresses() -> Iterator[None]:
    """Where links can be built: a request's own, or (from the command line, or a test
    without a request) one made for REGISTER_BASE_URL, never for a Host header."""
    if has_request_context():
        yield
        return
    app = current_app._get_current_object()
    with app.test_request_context("/", base_url=app.config["REGISTER_BASE_URL"] or None):
        yield


# Each person's choice --------------------------------------------------------------------


def turned_off(person: User) -> set[str]:
    """The kinds of workflow email `person` has turned off."""
    return set(
        db.session.scalars(select(EmailTurnedOff.kind).where(EmailTurnedOff.user_id == person.id))
    )


def choose(person: User, wanted: Iterable[str]) -> None:
    """Keep the kinds in `wanted` on and turn every other kind off, for `person`."""
    wanted = set(wanted)
    unknown = wanted - set(KINDS)
    if unknown:
        raise ValueError(f"Unknown kinds of email: {', '.join(sorted(unknown))}")
    db.session.execute(delete(EmailTurnedOff).where(EmailTurnedOff.user_id == person.id))
    for kind in KINDS:
        if kind not in wanted:
            db.session.add(EmailTurnedOff(user_id=person.id, kind=kind))
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
