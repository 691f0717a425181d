"""The register's change log: every public event, oldest first, read from what the register
keeps anyway, so the log needs no table of its own and cannot disagree with the entries.

- an entry published (its version 1), revised (a later version) or retired (the first
  version whose status is retired): `entry_version.published_at` and `number`;
- an entry withdrawn: `published.withdrawals()`;
- an organisation renamed: its former names (`organisation_former_name.used_until`).

Only what the public may read is told: versions of entries still public (a withdrawn entry
is told only by its withdrawal), and renames of organisations with public entries.

Events are in order of time, then of kind (versions, withdrawals, renames), then of row id,
an order in which every event has its own place. A page is read by keyset: each of the three
sources gives the events after the last place shown, by its time, and the page takes the
first of them, so events told later never move those already told.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import aliased

from .. import published
from ..cursors import CursorError, read_cursor, write_cursor
from ..extensions import db
from ..models import Entry, EntryVersion, FormerName, Organisation
from .records import utc

PUBLISHED, REVISED, RETIRED, WITHDRAWN, RENAMED = (
    "published",
    "revised",
    "retired",
    "withdrawn",
    "organisation_renamed",
)
KINDS = (PUBLISHED, REVISED, RETIRED, WITHDRAWN, RENAMED)
# Each source's rank in the order of events at the same moment.
_VERSIONS, _WITHDRAWALS, _RENAMES = 0, 1, 2
_PURPOSE = "changes"
# The times a page's events are taken from: at or after the first (if any), before the second.
Window = tuple[datetime | None, datetime]


@dataclass(frozen=True)
class Place:
    """Where an event stands in the log's order."""

    at: datetime
    source: int
    id: int

    def cursor(self) -> str:
        """This place as an opaque token for the next page."""
        return write_cursor([self.at.isoformat(), self.source, self.id], _PURPOSE)


def place_of(cursor: str) -> Place:
    """The place a cursor from `Place.cursor` holds; raises `CursorError` for anything else."""
    at, source, row_id = read_cursor(cursor, _PURPOSE, 3)
    if not (isinstance(at, str) and isinstance(source, int) and isinstance(row_id, int)):
        raise CursorError(cursor)
    try:
        moment = datetime.fromisoformat(at)
    except ValueError:
        raise CursorError(cursor) from None
    if moment.tzinfo is None or source not in (_VERSIONS, _WITHDRAWALS, _RENAMES):
        raise CursorError(cursor)
    return Place(moment.astimezone(UTC), source, row_id)


@dataclass(frozen=True)
class Change:
    """One public event. `reference` and `version` are None where the event is not about
    an entry's version (a rename); `note` is a version's change note or the public reason
    for a withdrawal; `former_name` and `name` are an organisation's names either side of a
    rename."""

    kind: str
    at: datetime
    organisation: str  # its slug
    place: Place
    reference: str | None = None
    version: int | None = None
    note: str | None = None
    former_name: str | None = None
    name: str | None = None


def _after(
    at: Any, row_id: Any, source: int, window: Window, after: Place | None
) -> list[ColumnElement[bool]]:
    """Conditions for a source's events in the window (at or after its start, if any, and
    before its end) and after the place `after`."""
    since, until = window
    found: list[ColumnElement[bool]] = [at < until]
    if since is not None:
        found.append(at >= since)
    if after is not None:
        if after.source < source:
            found.append(at >= after.at)
        elif after.source == source:
            found.append(or_(at > after.at, and_(at == after.at, row_id > after.id)))
        else:
            found.append(at > after.at)
    return found


def _versions(window: Window, after: Place | None) -> Select:
    previous = aliased(EntryVersion)
    return (
        select(
            EntryVersion.id,
            EntryVersion.published_at.label("at"),
            EntryVersion.number,
            EntryVersion.status,
            EntryVersion.change_note,
            previous.status.label("previous_status"),
            Entry.reference,
            Organisation.slug,
        )
        .join(Entry, Entry.id == EntryVersion.entry_id)
        .join(Organisation, Organisation.id == EntryVersion.organisation_id)
        .outerjoin(
            previous,
            and_(
                previous.entry_id == EntryVersion.entry_id,
                previous.number == EntryVersion.number - 1,
            ),
        )
        .where(
            EntryVersion.number.is_not(None),
            EntryVersion.published_at.is_not(None),
            published.is_public_entry(),
            *_after(EntryVersion.published_at, EntryVersion.id, _VERSIONS, window, after),
        )
        .order_by(EntryVersion.published_at, EntryVersion.id)
    )


def _version_change(row: Any) -> Change:
    if row.number == 1:
        kind = PUBLISHED
    elif row.status == RETIRED and row.previous_status != RETIRED:
        kind = RETIRED
    else:
        kind = REVISED
    return Change(
        kind,
        utc(row.at),
        row.slug,
        Place(utc(row.at), _VERSIONS, row.id),
        reference=row.reference,
        version=row.number,
        note=row.change_note or None,
    )


def _withdrawals(window: Window, after: Place | None) -> Select:
    return (
        published.withdrawals()
        .add_columns(Entry.id, Organisation.slug)
        .join(Organisation, Organisation.id == Entry.organisation_id)
        .where(*_after(Entry.withdrawn_at, Entry.id, _WITHDRAWALS, window, after))
        .order_by(None)
        .order_by(Entry.withdrawn_at, Entry.id)
    )


def _withdrawal(row: Any) -> Change:
    return Change(
        WITHDRAWN,
        utc(row.withdrawn_at),
        row.slug,
        Place(utc(row.withdrawn_at), _WITHDRAWALS, row.id),
        reference=row.reference,
        version=row.last_version,
        note=row.reason,
    )


def _renames(window: Window, after: Place | None) -> Select:
    later = aliased(FormerName)
    next_name = (
        select(later.name)
        .where(
            later.organisation_id == FormerName.organisation_id,
            later.used_until > FormerName.used_until,
        )
        .order_by(later.used_until)
        .limit(1)
        .scalar_subquery()
    )
    has_entries = (
        select(EntryVersion.id)
        .where(EntryVersion.organisation_id == Organisation.id, published.current())
        .exists()
    )
    return (
        select(
            FormerName.id,
            FormerName.used_until,
            FormerName.name.label("former_name"),
            func.coalesce(next_name, Organisation.name).label("name"),
            Organisation.slug,
        )
        .join(Organisation, Organisation.id == FormerName.organisation_id)
        .where(
            has_entries,
            *_after(FormerName.used_until, FormerName.id, _RENAMES, window, after),
        )
        .order_by(FormerName.used_until, FormerName.id)
    )


def _rename(row: Any) -> Change:
    return Change(
        RENAMED,
        utc(row.used_until),
        row.slug,
        Place(utc(row.used_until), _RENAMES, row.id),
        former_name=row.former_name,
        name=row.name,
    )


@dataclass(frozen=True)
class ChangePage:
    """A page of the log, and whether more events follow it now."""

    changes: tuple[Change, ...]
    more: bool


def changes(
    since: datetime | None, after: Place | None, size: int, *, until: datetime
) -> ChangePage:
    """The first `size` public events at or after `since` (any time, if None), before
    `until`, and after the place `after` (the start, if None), oldest first."""
    window = (since, until)
    found: list[Change] = []
    for statement, change in (
        (_versions, _version_change),
        (_withdrawals, _withdrawal),
        (_renames, _rename),
    ):
        rows = db.session.execute(statement(window, after).limit(size + 1))
        found += [change(row) for row in rows]
    found.sort(key=lambda event: (event.place.at, event.place.source, event.place.id))
    return ChangePage(tuple(found[:size]), len(found) > size)
