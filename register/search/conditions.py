"""The WHERE conditions of a search: current versions, its text, and its filters.

SQLite plans each statement without knowing how many rows a condition keeps, and given a
column's own index it will read the wide rows through it even when most of them match. So
the statements that count or pick a page can ask for a column "unindexed" (SQLite's unary
`+`), which leaves it the narrow covering index of current versions' filter columns, or the
index that gives the order wanted. PostgreSQL keeps statistics and needs no such help.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, exists, literal_column, or_, select

from .. import published
from ..models import Entry, EntryVersion, Organisation, Supplier, VersionChoice
from . import fulltext
from .query import FILTERS_BY_NAME, WRITTEN_HERE, SearchQuery, month_bounds


def column(name: str, unindexed: bool = False) -> ColumnElement:
    """A column of entry_version, which SQLite may not look up by its own index if `unindexed`."""
    found = getattr(EntryVersion, name)
    if unindexed and fulltext.is_sqlite():
        return literal_column(f"+entry_version.{name}", found.type)
    return found


def current(unindexed: bool = False) -> ColumnElement:
    """Published versions the public sees now (`published.current`), its column read as
    `unindexed` says."""
    return published.current(column("is_current", unindexed))


def from_sources(codes: Collection[str]) -> ColumnElement[bool]:
    """The condition on entry for entries from any of these sources (names, or
    `WRITTEN_HERE` for entries with none): by the index of sources, as for reviews, and
    versions by entry id."""
    names = [code for code in codes if code != WRITTEN_HERE]
    chosen = [Entry.source.in_(names)] if names else []
    if WRITTEN_HERE in codes:
        chosen.append(Entry.source.is_(None))
    return or_(*chosen)


def changed_since(moment: datetime, unindexed: bool = False) -> ColumnElement[bool]:
    """The condition on entry_version for versions published at or after `moment`, or whose
    organisation's public details (name, type, website) changed then: what such a client
    holds of them is out of date."""
    changed = select(Organisation.id).where(Organisation.changed_at >= moment)
    return or_(
        column("published_at", unindexed) >= moment,
        column("organisation_id", unindexed).in_(changed),
    )


# How SQLite should find the rows (PostgreSQL decides for itself):
PLAIN = "plain"  # as it sees fit
BY_INDEX = "by_index"  # through the covering index of current versions' filter columns
BY_MATCHES = "by_matches"  # from the full-text matches, when there are few of them


def conditions(
    query: SearchQuery,
    *,
    leave_out: Collection[str] = (),
    drive: str = PLAIN,
    text: bool = True,
    matched: Select | None = None,
) -> list[ColumnElement]:
    """Conditions on entry_version for current versions, `query`'s words (unless `text` is
    false: the caller ranks them), and its filters except those in `leave_out`. On SQLite,
    `matched` is the words' matches as the caller found them already (`fulltext.found_once`)."""
    filters_unindexed = drive != PLAIN
    found = [current(unindexed=drive == BY_MATCHES)]
    if text and query.terms:
        if fulltext.is_sqlite():
            ids = column("id", unindexed=drive == BY_INDEX)
            if matched is None:
                matched = fulltext.matching_ids(query.terms)
            found.append(ids.in_(matched))
        else:
            found.append(fulltext.condition(query.terms))
    for name, codes in query.filters:
        if name in leave_out:
            continue
        item = FILTERS_BY_NAME[name]
        if item.kind == "column":
            values = [item.value_of(code) for code in codes]
            found.append(column(name, filters_unindexed).in_(values))
        elif item.kind == "choices":
            chosen = select(VersionChoice.version_id).where(
                VersionChoice.field == name, VersionChoice.code.in_(codes)
            )
            found.append(column("id", filters_unindexed).in_(chosen))
        elif item.kind == "review":
            # Overdue entries are found by the index of review dates, and their versions by
            # the index of entry ids: never through the covering index, which lacks entry_id.
            overdue_now = published.overdue_condition(query.today)
            if drive == BY_MATCHES:
                # From few matches, each one's entry is looked up by its id instead.
                its_entry = exists().where(Entry.id == EntryVersion.entry_id, overdue_now)
                found.append(its_entry.correlate_except(Entry))
            else:
                found.append(EntryVersion.entry_id.in_(select(Entry.id).where(overdue_now)))
        elif item.kind == "month":
            # As for reviews: entries by the index of first publication, versions by entry id.
            first = Entry.first_published_at
            months = [
                and_(first >= start, first < after) for start, after in map(month_bounds, codes)
            ]
            found.append(EntryVersion.entry_id.in_(select(Entry.id).where(or_(*months))))
        elif item.kind == "source":
            found.append(EntryVersion.entry_id.in_(select(Entry.id).where(from_sources(codes))))
        elif item.kind == "supplier":
            # By the index of versions' suppliers, as for reviews by entry.
            chosen = select(Supplier.id).where(Supplier.slug.in_(codes))
            found.append(EntryVersion.supplier_id.in_(chosen))
        else:
            wanted = Organisation.slug if item.kind == "organisation" else Organisation.type
            ids = select(Organisation.id).where(wanted.in_(codes))
            found.append(column("organisation_id", filters_unindexed).in_(ids))
    if query.changed_since is not None:
        found.append(changed_since(query.changed_since, filters_unindexed))
    return found
