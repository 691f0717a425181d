"""What the public may read of an entry: its published versions, and nothing else.

Drafts (versions without a number) never leave this module. Each function loads what a page
needs in a fixed number of statements, however many rows or versions an entry has.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.interfaces import LoaderOption

from . import schema
from .extensions import db
from .models import Entry, EntryVersion


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


def find_entry(reference: str) -> Entry | None:
    """The entry with this public reference, typed in any case, with its organisation.

    Entries that were never published are found too: callers decide what to show.
    """
    wanted = {reference, reference.upper()}
    return db.session.scalar(
        select(Entry).where(Entry.reference.in_(wanted)).options(joinedload(Entry.organisation))
    )


def _whole_version() -> list[LoaderOption]:
    """Load a version's chosen codes and repeating rows with it, one statement each."""
    return [selectinload(EntryVersion.choices)] + [
        selectinload(getattr(EntryVersion, group.name)) for group in schema.groups()
    ]


def current_version(entry: Entry) -> EntryVersion | None:
    """The published version the public sees now, whole; None if there is none."""
    return db.session.scalar(
        select(EntryVersion)
        .where(EntryVersion.entry_id == entry.id, EntryVersion.is_current.is_(True))
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
    """The newest published version's number and title: the current version's, unless the
    entry was withdrawn (a withdrawn entry is still called by its last title)."""
    row = db.session.execute(
        select(EntryVersion.number, EntryVersion.title)
        .where(EntryVersion.entry_id == entry.id, EntryVersion.number.is_not(None))
        .order_by(EntryVersion.number.desc())
        .limit(1)
    ).first()
    if row is None:
        return Latest(0, entry.reference)
    return Latest(row.number, row.title or entry.reference)
