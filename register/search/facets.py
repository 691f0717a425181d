"""Counting: how many entries a search finds, and how many each filter's codes would find.

Each filter's counts are taken with every other filter applied, but not its own, so a
person sees what choosing one more code would give. Counts are the expensive part of a
page: one grouped statement per filter over an index, so they are kept in a small cache
keyed by the search and by the register's generation, a number the database itself moves
on in the transaction that changes anything the public sees (see index.py), and by the day,
since which entries are overdue for review changes with the date alone.
"""

from __future__ import annotations

import json
import threading
from collections import Counter, OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from types import MappingProxyType
from typing import Any

from sqlalchemy import (
    Column,
    Integer,
    MetaData,
    Select,
    Table,
    case,
    false,
    func,
    literal_column,
    select,
    update,
)

from .. import published
from ..extensions import db
from ..models import Entry, EntryVersion, Organisation, VersionChoice
from ..models.entry import FILTERS_FOLLOWING, FILTERS_LEADING
from . import fulltext
from .conditions import BY_INDEX, BY_MATCHES, column, conditions, current
from .index import GENERATION_TABLE
from .query import FILTERS, WRITTEN_HERE, SearchQuery

CACHE_SIZE = 256
# With fewer full-text matches than this, SQLite counts from the matches; with more, from
# the covering index of every current version.
FEW_MATCHES = 5000


@dataclass(frozen=True)
class Counts:
    """`total` entries found; `everything` current entries in the register; `matches` the
    full-text matches before filtering (SQLite only, else None); for each filter, code ->
    entries found with that code and the other filters (organisations by id)."""

    total: int
    everything: int
    matches: int | None
    by_filter: Mapping[str, Mapping[object, int]]
    key: tuple = ()  # what they were cached by: the database, the generation and the search


class Cache:
    """A small least-recently-used cache, safe to share between threads."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[tuple, Any] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple) -> Any:
        with self.lock:
            found = self.items.get(key)
            if found is not None:
                self.items.move_to_end(key)
            return found

    def put(self, key: tuple, value: Any) -> None:
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.items.clear()


cached_counts = Cache(CACHE_SIZE)
_generation = Table(
    GENERATION_TABLE, MetaData(), Column("id", Integer, primary_key=True), Column("value", Integer)
)


@dataclass(frozen=True)
class OrganisationInfo:
    id: int
    slug: str
    name: str
    type: str


def directory() -> dict[int, OrganisationInfo]:
    """Every organisation, by id, in one statement (there are hundreds, not thousands)."""
    rows = db.session.execute(
        select(Organisation.id, Organisation.slug, Organisation.name, Organisation.type)
    )
    return {row.id: OrganisationInfo(*row) for row in rows}


def entries_per_organisation(organisations: Mapping[int, OrganisationInfo]) -> Mapping[object, int]:
    """How many published entries each organisation has now (those with none left out)."""
    return counts(SearchQuery(), organisations).by_filter["organisation"]


def generation() -> int:
    """The register's generation: it moves on with every change the public can see."""
    return db.session.scalar(select(_generation.c.value).where(_generation.c.id == 1)) or 0


def bump_generation() -> None:
    """Move the generation on in the session's transaction, for a public change the database
    does not notice itself (an entry's review date, which is not in a version). Pending
    changes are written first, so the counter's row lock is taken last, as at commit."""
    db.session.flush()
    db.session.execute(update(_generation).values(value=_generation.c.value + 1))


def counts(
    query: SearchQuery, organisations: Mapping[int, OrganisationInfo], *, facets: bool = True
) -> Counts:
    """The counts for `query`, from the cache if nothing has changed since they were taken;
    without `facets`, only the totals (`by_filter` is then empty).

    `organisations` is the register's organisations by id (see `directory`).
    """
    key = (
        db.engine.url.render_as_string(hide_password=True),
        generation(),
        query.today,  # every search counts the entries overdue for review
        query.terms,
        query.filters,
        query.changed_since,
        # An organisation's type or slug is not part of the generation.
        hash(tuple((o.id, o.slug, o.type) for o in organisations.values())),
    )
    # Whole counts serve a search that wants only the totals, too.
    found = cached_counts.get((*key, True))
    if found is None and not facets:
        found = cached_counts.get((*key, False))
    if found is None:
        found = replace(_count(query, organisations, facets, key), key=key)
        cached_counts.put((*key, facets), found)
    return found


def _count(
    query: SearchQuery, organisations: Mapping[int, OrganisationInfo], facets: bool, key: tuple
) -> Counts:
    drive, matches, matched, matched_ids = BY_INDEX, None, None, None
    if query.terms and fulltext.is_sqlite():
        # The index is asked once; every count below reads the matches from their list.
        matches, matched, matched_ids = fulltext.found_once(query.terms)
        drive = BY_MATCHES if matches < FEW_MATCHES else BY_INDEX

    def number(*where) -> int:
        return db.session.scalar(select(func.count()).select_from(EntryVersion).where(*where))

    # Every current version: the same for every search until the register changes.
    everything_key = ("everything", *key[:2])
    everything = cached_counts.get(everything_key)
    if everything is None:
        everything = number(current())
        cached_counts.put(everything_key, everything)
    if matches is not None and not query.filtered:
        total = matches  # SQLite's full-text index holds current versions only
    elif query.terms or query.filtered:
        total = number(*conditions(query, drive=drive, matched=matched))
    else:
        total = everything
    by_filter: dict[str, Mapping[object, int]] = {}
    if not facets:
        return Counts(total, everything, matches, MappingProxyType(by_filter))
    by_column, per_organisation = _column_counts(query, drive, matched)
    for item in FILTERS:
        if item.kind == "column":
            by_filter[item.name] = by_column[item.name]
        elif item.kind == "choices" and query.finds_everything:
            by_filter[item.name] = _choices_of_everything(item.name, item.codes)
        elif item.kind == "choices":
            if matched is not None and not query.without(item.name).filtered:
                # The words' matches alone, which are current versions already (SQLite's
                # index holds no others): not each looked up again (a third of the count).
                chosen = matched
            else:
                chosen = select(EntryVersion.id).where(
                    *conditions(query, leave_out={item.name}, drive=drive, matched=matched)
                )
            # From few matches, SQLite should look each one's codes up by version.
            field = VersionChoice.field
            if drive == BY_MATCHES:
                field = literal_column("+version_choice.field", field.type)
            rows = db.session.execute(
                select(VersionChoice.code, func.count())
                .where(field == item.name, VersionChoice.version_id.in_(chosen))
                .group_by(VersionChoice.code)
            )
            found = {code: number for code, number in rows}
            by_filter[item.name] = MappingProxyType({c: found.get(c, 0) for c in item.codes})
        elif item.kind == "review":
            # One code: how many the search finds with it chosen.
            chosen = query.with_codes(item.name, item.codes)
            if chosen.filters == query.filters:
                number_found = total
            elif matched_ids is not None and matches >= FEW_MATCHES and not query.filtered:
                # Many matches and nothing else: the overdue versions found in their list,
                # where SQLite would read each match's row for its entry.
                overdue = _overdue_versions(query.today, key)
                number_found = len(overdue.intersection(json.loads(matched_ids)))
            else:
                number_found = number(*conditions(chosen, drive=drive, matched=matched))
            by_filter[item.name] = MappingProxyType({item.codes[0]: number_found})
        elif item.kind == "source" and not query.codes(item.name):
            by_filter[item.name] = _sources_of_found(query, total, matched)
        elif item.kind == "source":
            by_filter[item.name] = _source_counts(query, drive, matched)
    if per_organisation is None:
        per_organisation = _per_organisation(query, drive, matched)
    by_filter.update(_organisation_counts(query, organisations, per_organisation))
    return Counts(total, everything, matches, MappingProxyType(by_filter))


def _overdue_versions(today: date, key: tuple) -> frozenset[int]:
    """The ids of the current versions of entries overdue for review on `today`, kept with
    the counts of the generation in `key`."""
    overdue_key = ("overdue", *key[:2], today)
    found = cached_counts.get(overdue_key)
    if found is None:
        entries = select(Entry.id).where(published.overdue_condition(today))
        found = frozenset(
            db.session.scalars(
                select(EntryVersion.id).where(current(), EntryVersion.entry_id.in_(entries))
            )
        )
        cached_counts.put(overdue_key, found)
    return found


def _column_counts(
    query: SearchQuery, drive: str, matched: Select | None
) -> tuple[dict[str, Mapping[object, int]], dict[object, int] | None]:
    """The counts of every filter on a column of entry_version and, when the search applies
    neither organisation filter, the entries of each organisation (else None). Those the
    search does not apply are all counted under the same conditions, so in one pass over
    the covering index: grouped by the organisation and the columns after it in the index,
    and a count per code of the others, rather than a grouped statement each; one it
    applies is counted with itself left out. A search that narrows nothing counts the
    others grouped together, by their own index, in under half the time of a count per
    code over every current version."""
    items = [item for item in FILTERS if item.kind == "column"]
    shared = [item for item in items if not query.codes(item.name)]
    by_organisation: dict[object, int] | None = None
    grouped: list[str] = []
    if not query.codes("organisation") and not query.codes("organisation_type"):
        by_organisation = {}
        grouped = ["organisation_id"]
        names = {item.name for item in shared}
        # Grouped by a prefix of the covering index's leading columns, SQLite walks it in
        # order, where any other grouping sorts every row first.
        for name in FILTERS_LEADING[1:]:
            if name not in names:
                break
            grouped.append(name)
    together: list[str] = []
    if query.finds_everything:  # that index holds no other condition's columns
        together = [name for name in FILTERS_FOLLOWING if name not in grouped]
    found: dict[str, dict[object, int]] = {item.name: {} for item in items}
    if shared or grouped:
        counted = [
            (item, code)
            for item in shared
            if item.name not in grouped and item.name not in together
            for code in item.codes
        ]
        # From few matches the rows are sorted anyway; SQLite must not walk another index.
        keys = [column(name, unindexed=drive == BY_MATCHES) for name in grouped]
        per_code = [
            func.count(case((column(item.name, unindexed=True) == item.value_of(code), 1)))
            for item, code in counted
        ]
        where = conditions(query, drive=drive, matched=matched)
        statement = select(*keys, func.count(), *per_code).where(*where)
        per_group: dict[str, dict[object, int]] = {}
        rows = db.session.execute(statement.group_by(*keys) if keys else statement).all()
        per_group.update(_add_up(rows, grouped))
        # Each code's column added up whole (thousands of rows, dozens of codes).
        columns = list(zip(*rows, strict=True))[len(keys) + 1 :] if rows else []
        totals = [sum(values) for values in columns] or [0] * len(counted)
        if together:
            others = [column(name) for name in together]
            rows = db.session.execute(
                select(*others, func.count()).where(*where).group_by(*others)
            ).all()
            per_group.update(_add_up(rows, together))
        for (item, code), number_found in zip(counted, totals, strict=True):
            found[item.name][code] = number_found
        for item in shared:
            if item.name in per_group:
                values = per_group[item.name]
                found[item.name] = {c: values.get(item.value_of(c), 0) for c in item.codes}
        if by_organisation is not None:
            by_organisation.update((key, n) for key, n in per_group["organisation_id"].items() if n)
    for item in items:
        if query.codes(item.name):
            value = column(item.name, unindexed=True)
            rows = db.session.execute(
                select(value, func.count())
                .where(*conditions(query, leave_out={item.name}, drive=drive, matched=matched))
                .group_by(value)
            )
            by_value = dict(rows.all())
            found[item.name] = {c: by_value.get(item.value_of(c), 0) for c in item.codes}
    by_column = {name: MappingProxyType(by_code) for name, by_code in found.items()}
    return by_column, by_organisation


def _add_up(rows: list, names: list[str]) -> dict[str, dict[object, int]]:
    """For rows of grouped counts (a value of each of `names`, then the number), the number
    with each value of each name: thousands of rows at 100,000 entries, so added up with a
    plain dictionary per name rather than a counter per value."""
    found: dict[str, dict[object, int]] = {}
    at = len(names)
    for position, name in enumerate(names):
        by_value: dict[object, int] = {}
        for row in rows:
            value = row[position]
            by_value[value] = by_value.get(value, 0) + row[at]
        found[name] = by_value
    return found


def _source_counts(query: SearchQuery, drive: str, matched: Select | None) -> Mapping[object, int]:
    """Entries per source name (`WRITTEN_HERE` for those written on the register), with every
    other filter applied; sources with none are left out."""
    rows = db.session.execute(
        select(Entry.source, func.count())
        .select_from(EntryVersion)
        .join(Entry, Entry.id == EntryVersion.entry_id)
        .where(*conditions(query, leave_out={"source"}, drive=drive, matched=matched))
        .group_by(Entry.source)
    )
    return MappingProxyType({source or WRITTEN_HERE: number for source, number in rows})


def _sources_of_found(
    query: SearchQuery, total: int, matched: Select | None
) -> Mapping[object, int]:
    """`_source_counts` for a search that does not filter by source, so finds `total`
    entries with every filter applied: the current versions it finds of entries imported
    from each source, found from the index of sources and each such entry's version looked
    up by its entry (so the cost is that of the imported entries alone, where joining every
    version found to its entry took a tenth of a second for a broad search at 100,000
    entries), and those written on the register as every other one."""
    # Each imported entry's version is found by its entry (the index of current versions by
    # entry), its columns and id checked rather than walked.
    versions = (
        select(func.count())
        .select_from(EntryVersion)
        .where(
            EntryVersion.entry_id == Entry.id, *conditions(query, drive=BY_INDEX, matched=matched)
        )
        .correlate(Entry)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(Entry.source, func.sum(versions))
        .where(Entry.source.is_not(None), Entry.source != "")
        .group_by(Entry.source)
    ).all()
    # PostgreSQL adds counts up as numerics.
    found = {source: int(number) for source, number in rows if number}
    written_here = total - sum(found.values())
    return MappingProxyType({**found, WRITTEN_HERE: written_here} if written_here else found)


def _choices_of_everything(name: str, codes: tuple[str, ...]) -> Mapping[object, int]:
    """Current versions by each code of multiple-choice field `name`: the codes of every
    version, read from the index of codes alone, less those of the versions that are not
    current (old versions and working copies, a tenth of all versions in the demo data),
    found from those versions. Checking every code against the list of current versions
    took about twice as long on SQLite at 100,000 entries, and PostgreSQL hashed that list.
    Each code is counted as a range of that index, in one statement, which costs half as
    much as grouping the field's rows by code."""
    field = VersionChoice.field
    per_code = [
        select(func.count())
        .select_from(VersionChoice)
        .where(field == name, VersionChoice.code == code)
        .scalar_subquery()
        for code in codes
    ]
    every = db.session.execute(select(*per_code)).one() if codes else ()
    found = Counter(dict(zip(codes, every, strict=True)))
    if fulltext.is_sqlite():
        # From the versions: SQLite would otherwise walk every code and look its version up.
        field = literal_column("+version_choice.field", field.type)
    not_current = db.session.execute(
        select(VersionChoice.code, func.count())
        .select_from(EntryVersion)
        .join(VersionChoice, VersionChoice.version_id == EntryVersion.id)
        .where(EntryVersion.is_current == false(), field == name)
        .group_by(VersionChoice.code)
    )
    found.subtract({code: number for code, number in not_current})
    return MappingProxyType({code: found.get(code, 0) for code in codes})


def _per_organisation(query: SearchQuery, drive: str, matched: Select | None) -> dict[object, int]:
    """Entries per organisation with neither organisation filter applied."""
    value = column("organisation_id", unindexed=True)
    rows = db.session.execute(
        select(value, func.count())
        .where(
            *conditions(
                query, leave_out={"organisation", "organisation_type"}, drive=drive, matched=matched
            )
        )
        .group_by(value)
    )
    return {organisation_id: number for organisation_id, number in rows}


def _organisation_counts(
    query: SearchQuery,
    organisations: Mapping[int, OrganisationInfo],
    per_organisation: Mapping[object, int],
) -> dict[str, Mapping[object, int]]:
    """Both organisation filters from the entries per organisation with neither applied:
    each applied to the other in Python."""
    types = set(query.codes("organisation_type"))
    slugs = set(query.codes("organisation"))
    by_organisation: dict[object, int] = {}
    by_type: Counter[object] = Counter()
    for organisation_id, number in per_organisation.items():
        organisation = organisations.get(organisation_id)
        if organisation is None:  # added since the directory was read
            continue
        if not types or organisation.type in types:
            by_organisation[organisation_id] = number
        if not slugs or organisation.slug in slugs:
            by_type[organisation.type] += number
    return {
        "organisation": MappingProxyType(by_organisation),
        "organisation_type": MappingProxyType(dict(by_type)),
    }
