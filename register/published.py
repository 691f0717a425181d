"""What the public may read, and nothing else: the one home of the register's first rule.

The public reads an entry that was published at some time and was not withdrawn, and of it
only its published versions (a draft has no number); the version it sees now is marked
`is_current`, by `versions` when a version is published and cleared on withdrawal. Every
public surface (entry pages, the listing and search, the API, downloads and the data
package, feeds, sitemaps, statistics and organisation pages) starts from a condition or a
query here, and none states the rule itself.

Each function that loads an entry's versions does so in a fixed number of statements,
however many rows or versions the entry has.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, Row, Select, and_, func, select, true
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.interfaces import LoaderOption

from . import schema
from .extensions import db
from .models import Entry, EntryVersion, Organisation
from .models.entry import WITHDRAWN

# The rule --------------------------------------------------------------------------------


def current(flag: ColumnElement[bool] | None = None) -> ColumnElement[bool]:
    """The condition on entry_version for the versions the public sees now, one per public
    entry. Written `is_current = 1` on SQLite, the condition of its partial indexes, so they
    can be used. `flag` is the is_current column as the caller wants it read (the search
    steers SQLite's choice of index with it)."""
    return (EntryVersion.is_current if flag is None else flag) == true()


def is_public_entry() -> ColumnElement[bool]:
    """The condition on entry for entries the public may read: published at some time and
    not withdrawn. A revision in progress (a draft or a submission) leaves it public."""
    return and_(Entry.first_published_at.is_not(None), Entry.state != WITHDRAWN)


def was_published(entry: Entry) -> bool:
    """Whether `entry` was published at some time (it may have been withdrawn since)."""
    return entry.first_published_at is not None


def is_public(entry: Entry) -> bool:
    """Whether the public may read `entry` (the condition above, for an entry in hand)."""
    return was_published(entry) and entry.state != WITHDRAWN


def is_withdrawn(entry: Entry) -> bool:
    """Whether `entry` was published and then withdrawn: its pages say so, and nothing more."""
    return was_published(entry) and entry.state == WITHDRAWN


def is_published_version(version: EntryVersion) -> bool:
    """Whether `version` was published (a working copy has no number)."""
    return version.number is not None


def overdue_condition(today: date) -> ColumnElement[bool]:
    """The condition on entry for public entries whose next review date is before `today`
    (the listing's filter, the statistics, and the reminders)."""
    return and_(Entry.next_review_due < today, is_public_entry())


def is_overdue(entry: Entry, today: date) -> bool:
    """Whether the entry's public version is past its review date."""
    due = entry.next_review_due
    return is_public(entry) and due is not None and due < today


# What the public surfaces start from ----------------------------------------------------


def current_versions(organisation: Organisation | None = None) -> Select:
    """The versions the public sees now (of one organisation's entries, if given)."""
    query = select(EntryVersion).where(current())
    if organisation is not None:
        query = query.where(EntryVersion.organisation_id == organisation.id)
    return query


def current_version_ids() -> Select:
    """The id of every version the public sees now (one per public entry), by entry."""
    return select(EntryVersion.id).where(current()).order_by(EntryVersion.entry_id)


def published_version_ids() -> Select:
    """The id of every published version of every public entry, by entry and number."""
    return (
        select(EntryVersion.id)
        .join(Entry, Entry.id == EntryVersion.entry_id)
        .where(EntryVersion.number.is_not(None), is_public_entry())
        .order_by(EntryVersion.entry_id, EntryVersion.number)
    )


def public_entries() -> Select:
    """The entries the public may read."""
    return select(Entry).where(is_public_entry())


def organisations_with_entries() -> Select:
    """Each organisation with an entry the public sees, with how many (slug, name, type,
    website and entries; unordered)."""
    counts = (
        select(EntryVersion.organisation_id, func.count().label("entries"))
        .where(current())
        .group_by(EntryVersion.organisation_id)
        .subquery()
    )
    return select(
        Organisation.slug,
        Organisation.name,
        Organisation.type,
        Organisation.website,
        counts.c.entries,
    ).join(counts, counts.c.organisation_id == Organisation.id)


def entries_by_id(first: int, after: int) -> list[tuple[str, datetime | None]]:
    """The reference and last publication of each public entry whose id is from `first` to
    before `after`, in id order (a sitemap's block)."""
    rows = db.session.execute(
        select(Entry.reference, Entry.last_published_at)
        .join(EntryVersion, EntryVersion.entry_id == Entry.id)
        .where(current(), Entry.id >= first, Entry.id < after)
        .order_by(Entry.id)
    )
    return [(reference, modified) for reference, modified in rows]


def announcements(version_ids: Sequence[int]) -> list[Row]:
    """What a feed says of each of these versions (chosen from those above), in their order:
    its title and summary (in English and Welsh), number, publication and change note, and its
    entry's reference, first publication and organisation's name."""
    if not version_ids:
        return []
    rows = db.session.execute(
        select(
            EntryVersion.id,
            EntryVersion.title,
            EntryVersion.title_cy,
            EntryVersion.summary,
            EntryVersion.summary_cy,
            EntryVersion.number,
            EntryVersion.published_at,
            EntryVersion.change_note,
            Entry.reference,
            Entry.first_published_at,
            Organisation.name,
        )
        .join(Entry, Entry.id == EntryVersion.entry_id)
        .join(Organisation, Organisation.id == EntryVersion.organisation_id)
        .where(EntryVersion.id.in_(version_ids))
    ).all()
    by_id = {row.id: row for row in rows}
    return [by_id[version_id] for version_id in version_ids if version_id in by_id]


def last_withdrawn_at() -> datetime | None:
    """When an entry last left the public register by being withdrawn."""
    return db.session.scalar(select(func.max(Entry.withdrawn_at)).where(Entry.state == WITHDRAWN))


def withdrawals(organisation: Organisation | None = None) -> Select:
    """Each entry that was public and has been withdrawn, newest withdrawal first: its
    reference, when, the public reason, and the number of its last published version (which
    feeds named it by). Withdrawal cannot be undone, so this only ever grows."""
    last_version = (
        select(func.max(EntryVersion.number))
        .where(EntryVersion.entry_id == Entry.id, EntryVersion.published_at.is_not(None))
        .scalar_subquery()
    )
    query = select(
        Entry.reference,
        Entry.withdrawn_at,
        Entry.withdrawn_reason.label("reason"),
        last_version.label("last_version"),
    ).where(Entry.state == WITHDRAWN, Entry.first_published_at.is_not(None))
    if organisation is not None:
        query = query.where(Entry.organisation_id == organisation.id)
    return query.order_by(Entry.withdrawn_at.desc(), Entry.reference)


def version_id(entry: Entry, number: int | None = None) -> int | None:
    """The id of the entry's current version, or of its published version `number`."""
    which = current() if number is None else EntryVersion.number == number
    return db.session.scalar(
        select(EntryVersion.id).where(EntryVersion.entry_id == entry.id, which)
    )


# One entry -------------------------------------------------------------------------------


@dataclass(frozen=True)
class VersionSummary:
    """One line of an entry's public history."""

    number: int
    published_at: datetime | None
    change_note: str
    is_current: bool


@dataclass(frozen=True)
class Latest:
    number: int
    title: str
    title_cy: str = ""


def find_entry(reference: str) -> Entry | None:
    """The entry with this public reference, typed in any case, with its organisation, if it
    was ever published. A withdrawn entry is found too (`is_withdrawn` says so), for its
    pages to say it was withdrawn; an entry never published is not found."""
    wanted = {reference, reference.upper()}
    return db.session.scalar(
        select(Entry)
        .where(Entry.reference.in_(wanted), Entry.first_published_at.is_not(None))
        .options(joinedload(Entry.organisation))
    )


def _whole_version() -> list[LoaderOption]:
    """Load a version's chosen codes, withheld answers and repeating rows with it, one
    statement each."""
    return [selectinload(EntryVersion.choices), selectinload(EntryVersion.withheld)] + [
        selectinload(getattr(EntryVersion, group.name)) for group in schema.groups()
    ]


def current_version(entry: Entry) -> EntryVersion | None:
    """The published version the public sees now, whole; None if there is none."""
    return db.session.scalar(
        select(EntryVersion)
        .where(EntryVersion.entry_id == entry.id, current())
        .options(*_whole_version())
    )


def published_versions(entry: Entry, numbers: Sequence[int]) -> dict[int, EntryVersion]:
    """The published versions with these numbers, whole, keyed by number (missing ones left out)."""
    versions = db.session.scalars(
        select(EntryVersion)
        .where(EntryVersion.entry_id == entry.id, EntryVersion.number.in_(list(numbers)))
        .options(*_whole_version())
    )
    return {version.number: version for version in versions}


def history(entry: Entry) -> list[VersionSummary]:
    """Every published version of the entry, newest first."""
    rows = db.session.execute(
        select(
            EntryVersion.number,
            EntryVersion.published_at,
            EntryVersion.change_note,
            EntryVersion.is_current,
        )
        .where(EntryVersion.entry_id == entry.id, EntryVersion.number.is_not(None))
        .order_by(EntryVersion.number.desc())
    )
    return [
        VersionSummary(number, published_at, change_note or "", bool(is_current))
        for number, published_at, change_note, is_current in rows
    ]


def latest(entry: Entry) -> Latest:
    """The newest published version's number and title (in English and Welsh): the current
    version's, unless the entry was withdrawn (a withdrawn entry is still called by its last
    title)."""
    row = db.session.execute(
        select(EntryVersion.number, EntryVersion.title, EntryVersion.title_cy)
        .where(EntryVersion.entry_id == entry.id, EntryVersion.number.is_not(None))
        .order_by(EntryVersion.number.desc())
        .limit(1)
    ).first()
    if row is None:
        return Latest(0, entry.reference)
    return Latest(row.number, row.title or entry.reference, row.title_cy or "")
