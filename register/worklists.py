"""What a signed-in person has to look at: their organisations' entries by state, the
submissions waiting for their review, entries overdue for review, imported entries with
questions their source did not record, entries with broken links, and an entry's history.

Plain arguments in, plain results out, like `publishing`: no request objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Select, case, func, literal, or_, select, true
from sqlalchemy.orm import joinedload, selectinload

from .extensions import db
from .models import (
    AnswerChange,
    AuditEvent,
    Entry,
    EntryVersion,
    LinkCheck,
    Organisation,
    User,
)
from .models.entry import DRAFT, IN_REVIEW, STATES, WITHDRAWN
from .permissions import can_edit
from .published import is_public_entry, overdue_condition
from .statistics import required_unanswered

# How many entries of one state the dashboard lists; the count says how many there are.
LISTED_PER_STATE = 50


@dataclass(frozen=True)
class EntriesInState:
    state: str
    total: int
    entries: list[Entry]


def find_entry(user: User, reference: str) -> Entry | None:
    """The entry with `reference` if `user` may see it in the management pages, else None.

    Members of the entry's organisation and administrators may; for anyone else it does not
    exist, so references of unpublished drafts are not revealed.
    """
    # The pages about an entry name its organisation and who submitted it: loaded here, so
    # that no template has to.
    entry = db.session.scalar(
        select(Entry)
        .where(Entry.reference == reference)
        .options(joinedload(Entry.organisation), joinedload(Entry.submitted_by))
    )
    if entry is None:
        return None
    return entry if can_edit(user, entry) else None


def find_entries(user: User, references: list[str]) -> dict[str, Entry]:
    """The entries with these references that `user` may see in the management pages, by
    reference (others are left out, as `find_entry` leaves them), with their versions and
    organisation loaded."""
    if not references:
        return {}
    found = db.session.scalars(
        _visible(select(Entry), user)
        .where(Entry.reference.in_(references))
        .options(selectinload(Entry.versions), selectinload(Entry.organisation))
    )
    return {entry.reference: entry for entry in found}


def organisations_for_new_entries(user: User) -> list[Organisation]:
    """The organisations `user` may create entries for: their own, or every one for an
    administrator, by name."""
    query = select(Organisation).order_by(Organisation.name)
    if not user.is_admin:
        query = query.where(Organisation.id.in_([m.organisation_id for m in user.memberships]))
    return list(db.session.scalars(query))


def _visible(query: Select, user: User) -> Select:
    if user.is_admin:
        return query
    return query.where(Entry.organisation_id.in_([m.organisation_id for m in user.memberships]))


def entries_by_state(user: User, limit: int = LISTED_PER_STATE) -> list[EntriesInState]:
    """Entries of `user`'s organisations (every entry for an administrator), per state,
    most recently changed first."""
    counts = dict(
        db.session.execute(
            _visible(select(Entry.state, func.count()).group_by(Entry.state), user)
        ).all()
    )
    listing = []
    for state in STATES:
        entries = (
            list(
                db.session.scalars(
                    _visible(select(Entry), user)
                    .where(Entry.state == state)
                    .options(selectinload(Entry.versions), selectinload(Entry.organisation))
                    .order_by(Entry.updated_at.desc(), Entry.id.desc())
                    .limit(limit)
                )
            )
            if counts.get(state)
            else []
        )
        listing.append(EntriesInState(state, counts.get(state, 0), entries))
    return listing


def waiting_for_review_by(user: User) -> list[Entry]:
    """Submitted entries `user` can publish: in organisations where they are a publisher,
    leaving out their own submissions, and those whose answers they changed, unless the
    organisation allows self-publishing (the two-person rule of `authorship`)."""
    publisher_of = [m.organisation_id for m in user.memberships if m.role == "publisher"]
    if not publisher_of:
        return []
    query = (
        select(Entry)
        .join(Organisation, Organisation.id == Entry.organisation_id)
        .where(Entry.state == IN_REVIEW, Entry.organisation_id.in_(publisher_of))
        .where(
            or_(
                Organisation.allows_self_publishing.is_(True),
                (or_(Entry.submitted_by_id.is_(None), Entry.submitted_by_id != user.id))
                & ~_changed_by(user),
            )
        )
        .options(selectinload(Entry.versions), selectinload(Entry.organisation))
        .order_by(Entry.submitted_at, Entry.id)
    )
    return list(db.session.scalars(query))


def _changed_by(user: User):
    """In SQL: whether `user` changed any answer of the entry's working copy."""
    return (
        select(AnswerChange.id)
        .join(EntryVersion, EntryVersion.id == AnswerChange.version_id)
        .where(
            EntryVersion.entry_id == Entry.id,
            EntryVersion.number.is_(None),
            AnswerChange.changed_by_id == user.id,
        )
        .exists()
    )


def overdue_for_review(user: User, today: date, limit: int = LISTED_PER_STATE) -> list[Entry]:
    """Public entries of `user`'s organisations whose next review date has passed, the most
    overdue first. A revision in progress does not stop the published version being overdue."""
    query = (
        select(Entry)
        .where(overdue_condition(today))
        .options(selectinload(Entry.versions), selectinload(Entry.organisation))
        .order_by(Entry.next_review_due, Entry.id)
        .limit(limit)
    )
    return list(db.session.scalars(_visible(query, user)))


def broken_links(user: User, limit: int = LISTED_PER_STATE) -> dict[Entry, list[LinkCheck]]:
    """Public entries of `user`'s organisations with a link the last check found broken,
    with those links, the longest broken first."""
    query = (
        select(LinkCheck)
        .join(Entry, Entry.id == LinkCheck.entry_id)
        .where(LinkCheck.working.is_(False), is_public_entry())
        .options(joinedload(LinkCheck.entry).selectinload(Entry.versions))
        .options(joinedload(LinkCheck.entry).joinedload(Entry.organisation))
        .order_by(LinkCheck.failing_since, LinkCheck.id)
    )
    found: dict[Entry, list[LinkCheck]] = {}
    for row in db.session.scalars(_visible(query, user)):
        if row.entry in found or len(found) < limit:
            found.setdefault(row.entry, []).append(row)
    return found


def due_for_review_soon(
    user: User, today: date, within: timedelta, limit: int = LISTED_PER_STATE
) -> list[Entry]:
    """Public entries of `user`'s organisations whose review is due from `today` to `within`
    days from now, the soonest first."""
    query = (
        select(Entry)
        .where(
            Entry.next_review_due >= today,
            Entry.next_review_due <= today + within,
            is_public_entry(),
        )
        .options(selectinload(Entry.versions), selectinload(Entry.organisation))
        .order_by(Entry.next_review_due, Entry.id)
        .limit(limit)
    )
    return list(db.session.scalars(_visible(query, user)))


@dataclass(frozen=True)
class NotRecorded:
    """An imported entry with required questions its source did not answer: how many are
    still unanswered where the work is done (the working copy if there is one, else the
    published version)."""

    entry: Entry
    unanswered: int


@dataclass(frozen=True)
class NotRecordedList:
    total: int
    items: list[NotRecorded]


def not_recorded(user: User, limit: int = LISTED_PER_STATE) -> NotRecordedList:
    """Imported entries of `user`'s organisations (every one for an administrator) with a
    required question unanswered on their current published version or their working copy,
    most recently changed first. Completing them is an ordinary revision: an entry leaves
    the list once the version it shows, and any working copy, answer every one."""
    gaps = required_unanswered()
    number = sum((case((gap, 1), else_=0) for gap in gaps), literal(0))
    where_work_is = or_(EntryVersion.is_current == true(), EntryVersion.number.is_(None))
    with_gaps = select(EntryVersion.entry_id).where(where_work_is, or_(*gaps))
    query = _visible(
        select(Entry).where(
            Entry.source.is_not(None), Entry.state != WITHDRAWN, Entry.id.in_(with_gaps)
        ),
        user,
    )
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    entries = list(
        db.session.scalars(
            query.options(selectinload(Entry.versions), selectinload(Entry.organisation))
            .order_by(Entry.updated_at.desc(), Entry.id.desc())
            .limit(limit)
        )
    )
    counted: dict[int, dict[bool, int]] = {}
    if entries:
        rows = db.session.execute(
            select(EntryVersion.entry_id, EntryVersion.number.is_(None), number).where(
                EntryVersion.entry_id.in_([entry.id for entry in entries]), where_work_is
            )
        )
        for entry_id, is_draft, unanswered in rows:
            counted.setdefault(entry_id, {})[bool(is_draft)] = unanswered
    items = []
    for entry in entries:
        found = counted.get(entry.id, {})
        items.append(NotRecorded(entry, found.get(True, found.get(False, 0))))
    return NotRecordedList(total, items)


def history_of(entry: Entry) -> list[AuditEvent]:
    """Every audit log line about `entry`, oldest first."""
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.entry_id == entry.id)
            .options(selectinload(AuditEvent.actor))
            .order_by(AuditEvent.at, AuditEvent.id)
        )
    )


@dataclass(frozen=True)
class ChangesRequested:
    """What a publisher asked to change when they sent an entry back: who, when, and their
    comment, as its editors see it until they submit the entry again."""

    by: str
    at: datetime | None
    comment: str


def is_sent_back(entry: Entry) -> bool:
    """Whether a publisher sent the entry back and it waits to be submitted again
    (submitting clears the comment)."""
    return entry.state == DRAFT and bool(entry.review_comment)


def changes_requested(entry: Entry) -> ChangesRequested | None:
    """The publisher's request for changes, while a sent-back entry waits to be submitted
    again; None for any other entry."""
    if not is_sent_back(entry):
        return None
    sent_back = db.session.scalar(
        select(AuditEvent)
        .where(AuditEvent.entry_id == entry.id, AuditEvent.action == "sent_back")
        .order_by(AuditEvent.id.desc())
        .limit(1)
        .options(joinedload(AuditEvent.actor))
    )
    actor = sent_back.actor if sent_back else None
    return ChangesRequested(
        by=(actor.name or actor.email) if actor else "A publisher",
        at=sent_back.at if sent_back else None,
        comment=entry.review_comment,
    )


# What an organisation's own systems work on, through the submission API --------------------


def entry_of(organisation_id: int, reference: str) -> Entry | None:
    """The organisation's entry with `reference`; another organisation's is not found."""
    return db.session.scalar(
        select(Entry).where(Entry.reference == reference, Entry.organisation_id == organisation_id)
    )


def submissions_of(organisation_id: int) -> list[Entry]:
    """The organisation's drafts and entries waiting for review, recently changed first."""
    return list(
        db.session.scalars(
            select(Entry)
            .where(Entry.organisation_id == organisation_id, Entry.state.in_((DRAFT, IN_REVIEW)))
            .options(selectinload(Entry.versions))
            .order_by(Entry.updated_at.desc(), Entry.id.desc())
        )
    )
