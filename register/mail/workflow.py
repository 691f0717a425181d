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
from dataclasses import dataclass
from functools import partial

from flask import current_app, has_request_context
from flask_babel import gettext, ngettext
from sqlalchemy import delete, event, select
from sqlalchemy.orm import Session, SessionTransaction, selectinload

from ..addresses import absolute_url
from ..extensions import db
from ..formatting import N_
from ..models import AuditEvent, EmailTurnedOff, Entry, Membership, User
from ..permissions import PUBLISHER, can_edit
from . import send, signed_off

SUBMITTED, SENT_BACK, PUBLISHED, WITHDRAWN = "submitted", "sent_back", "published", "withdrawn"
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
# The most entries one email lists; a longer list ends with how many more there are.
LISTED = 50
_PENDING = "workflow_emails"
# The audit log's actions that show who worked on a version.
_WORK = ("created", "saved", "revision_started", "submitted")


@dataclass(frozen=True)
class Moved:
    """One entry's step: what happened, who did it, and their words (the reviewer's comment
    for a send back, the public reason for a withdrawal)."""

    kind: str
    entry: Entry
    actor: User | None
    words: str = ""


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
                send(person.email, person.language, partial(_letter, kind, items, actor))
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


# The emails ------------------------------------------------------------------------------


def _name(person: User | None) -> str:
    return (person.name or person.email) if person else gettext("The register")


def _letter(kind: str, items: list[Moved], actor: User | None) -> tuple[str, str]:
    return compose(kind, items, _name(actor))


def _title(item: Moved) -> str:
    entry = item.entry
    if item.kind == WITHDRAWN and entry.published_versions:
        version = entry.published_versions[-1]
    else:
        version = entry.draft or entry.current_version
    return (version.title if version else None) or gettext("Untitled entry")


def _named(item: Moved) -> str:
    return f"{item.entry.reference}: {_title(item)}"


def _with_link(text: str, endpoint: str, **values: str) -> str:
    """A paragraph ending with a link to one of the register's pages."""
    return f"{text}\n{absolute_url(endpoint, **values)}"


def _listed(items: list[Moved], endpoint: str) -> str:
    """One line per entry with its link, at most `LISTED` of them."""
    lines = [
        f"- {_named(item)}\n  {absolute_url(endpoint, reference=item.entry.reference)}"
        for item in items[:LISTED]
    ]
    if len(items) > LISTED:
        more = len(items) - LISTED
        lines.append("- " + gettext("and %(count)s more, listed on your dashboard", count=more))
    return "\n".join(lines)


def compose(kind: str, items: list[Moved], actor: str) -> tuple[str, str]:
    """The subject and body of the email telling one person about `items`, all of `kind`
    and taken by the person named `actor`, in the language being written in."""
    paragraphs = _PARAGRAPHS[kind](items, actor)
    one = items[0]
    if len(items) == 1:
        subject = _subject(kind, f"{one.entry.reference} {_title(one)}")
    else:
        subject = _many_subject(kind, len(items))
    paragraphs.append(
        _with_link(
            gettext("You can choose which emails you get about entries on your account page:"),
            "account.emails",
        )
    )
    return subject, signed_off(paragraphs)


def _subject(kind: str, entry: str) -> str:
    if kind == SUBMITTED:
        return gettext("Waiting for your review: %(entry)s", entry=entry)
    if kind == SENT_BACK:
        return gettext("Changes requested: %(entry)s", entry=entry)
    if kind == PUBLISHED:
        return gettext("Published: %(entry)s", entry=entry)
    return gettext("Withdrawn: %(entry)s", entry=entry)


def _many_subject(kind: str, count: int) -> str:
    if kind == SUBMITTED:
        return ngettext(
            "%(num)s entry waiting for your review",
            "%(num)s entries waiting for your review",
            count,
        )
    if kind == SENT_BACK:
        return ngettext(
            "%(num)s entry sent back with changes requested",
            "%(num)s entries sent back with changes requested",
            count,
        )
    if kind == PUBLISHED:
        return ngettext("%(num)s entry published", "%(num)s entries published", count)
    return ngettext("%(num)s entry withdrawn", "%(num)s entries withdrawn", count)


def _submitted(items: list[Moved], actor: str) -> list[str]:
    if len(items) == 1:
        entry = items[0].entry
        return [
            gettext(
                "%(actor)s has submitted this entry of %(organisation)s for review:",
                actor=actor,
                organisation=entry.organisation.name,
            )
            + "\n"
            + _named(items[0]),
            _with_link(
                gettext("Check it, then publish it or send it back with a comment:"),
                "manage.review",
                reference=entry.reference,
            ),
        ]
    return [
        ngettext(
            "%(actor)s has submitted %(num)s entry for review. Check each one, then publish it "
            "or send it back with a comment:",
            "%(actor)s has submitted %(num)s entries for review. Check each one, then publish "
            "it or send it back with a comment:",
            len(items),
            actor=actor,
        ),
        _listed(items, "manage.review"),
    ]


def _sent_back(items: list[Moved], actor: str) -> list[str]:
    return _each_with_words(
        items,
        gettext("%(actor)s has sent this entry back to you with changes requested:", actor=actor),
        gettext("Their comment:"),
        gettext("Make the changes, then submit the entry for review again:"),
    )


def _published(items: list[Moved], actor: str) -> list[str]:
    if len(items) == 1:
        version = items[0].entry.current_version
        if version and version.number:
            said = gettext(
                "%(actor)s has published version %(number)s of this entry:",
                actor=actor,
                number=version.number,
            )
        else:
            said = gettext("%(actor)s has published this entry:", actor=actor)
        return [
            said + "\n" + _named(items[0]),
            _with_link(
                gettext("The public can read it now:"),
                "entry_pages.entry",
                reference=items[0].entry.reference,
            ),
        ]
    return [
        ngettext(
            "%(actor)s has published %(num)s entry. The public can read it now:",
            "%(actor)s has published %(num)s entries. The public can read them now:",
            len(items),
            actor=actor,
        ),
        _listed(items, "entry_pages.entry"),
    ]


def _withdrawn(items: list[Moved], actor: str) -> list[str]:
    return _each_with_words(
        items,
        gettext(
            "%(actor)s, a register administrator, has withdrawn this entry from the public "
            "register:",
            actor=actor,
        ),
        gettext("The reason shown to the public:"),
        gettext("The entry’s page, with its history:"),
    )


def _each_with_words(items: list[Moved], said: str, heading: str, link: str) -> list[str]:
    """For each entry: what was done to it, the words given with it under `heading`, and a
    link to its task list introduced by `link`."""
    paragraphs = []
    for item in items:
        paragraphs += [
            said + "\n" + _named(item),
            heading + "\n" + item.words,
            _with_link(link, "manage.task_list", reference=item.entry.reference),
        ]
    return paragraphs


_PARAGRAPHS = {
    SUBMITTED: _submitted,
    SENT_BACK: _sent_back,
    PUBLISHED: _published,
    WITHDRAWN: _withdrawn,
}


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
