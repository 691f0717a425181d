"""Reading published versions as plain records, in batches, for every export.

A record is a dictionary: the register's own fields (reference, version, dates), where an
imported entry came from (its latest import: see `schema.PROVENANCE_FIELDS`), the
organisation, every field of the record definition keyed by its code (vocabulary fields as
codes, multi-choice fields as lists of codes), each repeating group as a list of rows, and
last the answers the version withholds (`withheld.py`).

The exports read with Core queries rather than ORM objects, a batch of versions at a time
with their choices and rows fetched alongside ("eager loading" by hand): a download of the
whole register then holds one batch in memory, whatever the size of the register.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Column, Connection, Select, func, null, select

from .. import schema
from ..models import Entry, EntryVersion, FormerName, Organisation, VersionChoice
from ..models.entry import GROUP_MODELS
from ..models.provenance import EntryProvenance, ImportBatch
from ..schema import Kind
from .withheld import RECORD_KEY as WITHHELD_KEY
from .withheld import withheld_by_version

BATCH_SIZE = 500

VERSION = EntryVersion.__table__
ENTRY = Entry.__table__
ORGANISATION = Organisation.__table__
FORMER_NAME = FormerName.__table__
CHOICE = VersionChoice.__table__
PROVENANCE = EntryProvenance.__table__
BATCH = ImportBatch.__table__
GROUP_TABLES = {name: model.__table__ for name, model in GROUP_MODELS.items()}

FIELD_NAMES = tuple(field.name for field in schema.column_fields())
GROUP_FIELDS = {group.name: tuple(f.name for f in group.fields) for group in schema.groups()}

# How each item of the form reaches a record, in form order.
_COLUMN, _CHOICES, _ORGANISATION, _GROUP = "column", "choices", "organisation", "group"
_FORM_ITEMS: tuple[tuple[str, str], ...] = tuple(
    (
        item.name,
        _GROUP
        if isinstance(item, schema.Group)
        else _CHOICES
        if item.kind is Kind.CHOICES
        else _ORGANISATION
        if item.kind is Kind.ORGANISATION
        else _COLUMN,
    )
    for section in schema.SECTIONS
    for item in section.items
)

CHOICES_FIELDS = tuple(name for name, how in _FORM_ITEMS if how is _CHOICES)
_ORGANISATION_FIELD = next(name for name, how in _FORM_ITEMS if how is _ORGANISATION)
_KEPT_FIELDS = (*schema.RECORD_FIELDS, *schema.PROVENANCE_FIELDS)
_TIMESTAMPS = tuple(item.name for item in _KEPT_FIELDS if item.kind is Kind.DATETIME)
_DAYS = tuple(item.name for item in _KEPT_FIELDS if item.kind is Kind.DATE)


def _kept_column(name: str) -> Column:
    """Where the register keeps one of its fields: the entry's column of that name if it has
    one, else the version's; the version is the version's number."""
    stored = "number" if name == "version" else name
    return ENTRY.c[stored] if stored in ENTRY.c else VERSION.c[stored]


# The keys of a record in order: the register's own fields, the entry's source, then the
# form's items.
_REGISTER_COLUMNS = {item.name: _kept_column(item.name) for item in schema.RECORD_FIELDS}
_SOURCE = schema.PROVENANCE_FIELDS[0].name  # the entry's own column; the rest are its import's
_IMPORT_KEYS = tuple(item.name for item in schema.PROVENANCE_FIELDS[1:])
RECORD_KEYS: tuple[str, ...] = (
    *_REGISTER_COLUMNS,
    _SOURCE,
    *_IMPORT_KEYS,
    *(name for name, _ in _FORM_ITEMS),
)
_SOURCE_POSITION = RECORD_KEYS.index(_SOURCE)
# What the database reads for each key: a column, or a placeholder filled in afterwards.
_RECORD_COLUMNS = (
    *_REGISTER_COLUMNS.values(),
    ENTRY.c[_SOURCE],
    *(null().label(name) for name in _IMPORT_KEYS),
    *(VERSION.c[name] if how is _COLUMN else null().label(name) for name, how in _FORM_ITEMS),
)


def record_column(key: str) -> Column:
    """The table column a record's `key` is read from as it is (not for the organisation,
    multi-choice fields or repeating groups, which are gathered from other tables)."""
    if key in _REGISTER_COLUMNS:
        return _REGISTER_COLUMNS[key]
    if key == _SOURCE:
        return ENTRY.c[key]
    return VERSION.c[key]


def latest_import_columns() -> dict[str, Any]:
    """How each provenance key but the source is read from an entry's latest import: the
    row of `PROVENANCE` (joined to its `BATCH`) with the entry's highest id. The row's own
    link stands first; the source's page stands in where the row has none."""
    return {
        "source_link": func.coalesce(PROVENANCE.c.source_link, BATCH.c.source_url),
        "source_identifier": PROVENANCE.c.source_identifier,
        "imported_at": BATCH.c.imported_at,
    }


def _latest_imports(connection: Connection, entry_ids: set[int]) -> dict[int, dict[str, Any]]:
    """The provenance keys of each of these entries' latest import."""
    if not entry_ids:
        return {}
    latest = (
        select(func.max(PROVENANCE.c.id))
        .where(PROVENANCE.c.entry_id.in_(entry_ids))
        .group_by(PROVENANCE.c.entry_id)
    )
    read = latest_import_columns()
    rows = connection.execute(
        select(PROVENANCE.c.entry_id, *(read[key] for key in _IMPORT_KEYS))
        .join_from(PROVENANCE, BATCH, BATCH.c.id == PROVENANCE.c.batch_id)
        .where(PROVENANCE.c.id.in_(latest))
    )
    return {row[0]: dict(zip(_IMPORT_KEYS, row[1:], strict=True)) for row in rows}


def utc(moment: datetime | None) -> datetime | None:
    """`moment` in UTC; SQLite gives back times without a zone, and they were stored in UTC."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def timestamp(moment: datetime | None) -> str | None:
    """A time as exported: ISO 8601 in UTC to the second, such as 2025-03-01T09:30:00Z."""
    moment = utc(moment)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


def day(value: date | None) -> str | None:
    return value.isoformat() if value else None


# What a record shows of its organisation.
ORGANISATION_KEYS = ("name", "slug", "type")


class Organisations:
    """Organisations by id, fetched as batches first mention them (there are few)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.known: dict[int, dict[str, Any]] = {}

    def fetch(self, ids: Iterable[int]) -> None:
        missing = set(ids) - self.known.keys()
        if missing:
            rows = self.connection.execute(
                select(
                    ORGANISATION.c.id, *(ORGANISATION.c[key] for key in ORGANISATION_KEYS)
                ).where(ORGANISATION.c.id.in_(missing))
            )
            for row in rows:
                self.known[row[0]] = dict(zip(ORGANISATION_KEYS, row[1:], strict=True))

    def __getitem__(self, organisation_id: int) -> dict[str, Any]:
        return self.known[organisation_id]


def load_records(
    connection: Connection,
    version_ids: Sequence[int],
    organisations: Organisations | None = None,
    *,
    groups: bool = True,
) -> list[dict[str, Any]]:
    """The records of these versions, in the order of `version_ids`.

    With `groups=False` the repeating rows are left out (for tables that do not show them).
    """
    if not version_ids:
        return []
    organisations = organisations or Organisations(connection)
    rows = connection.execute(
        select(
            *_RECORD_COLUMNS,
            VERSION.c.id,
            VERSION.c.organisation_id,
            VERSION.c.entry_id,
            VERSION.c.organisation_name,
        )
        .join_from(VERSION, ENTRY, ENTRY.c.id == VERSION.c.entry_id)
        .where(VERSION.c.id.in_(version_ids))
    ).all()
    size = len(RECORD_KEYS)
    organisations.fetch(row[size + 1] for row in rows)
    # Only imported entries (those with a source) have imports to read.
    imports = _latest_imports(
        connection, {row[size + 2] for row in rows if row[_SOURCE_POSITION] is not None}
    )
    chosen: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for version_id, field_name, code in connection.execute(
        select(CHOICE.c.version_id, CHOICE.c.field, CHOICE.c.code)
        .where(CHOICE.c.version_id.in_(version_ids))
        .order_by(CHOICE.c.id)
    ):
        chosen[version_id][field_name].append(code)
    group_rows: dict[str, dict[int, list[dict[str, Any]]]] = {}
    if groups:
        for name, table in GROUP_TABLES.items():
            by_version: dict[int, list[dict[str, Any]]] = defaultdict(list)
            names = GROUP_FIELDS[name]
            for row in connection.execute(
                select(table.c.version_id, *(table.c[n] for n in names))
                .where(table.c.version_id.in_(version_ids))
                .order_by(table.c.version_id, table.c.position, table.c.id)
            ):
                by_version[row[0]].append(dict(zip(names, row[1:], strict=True)))
            group_rows[name] = by_version
    withheld = withheld_by_version(connection, version_ids)

    records = {}
    for row in rows:
        version_id, organisation_id, entry_id = row[size], row[size + 1], row[size + 2]
        # The select lists every key in order, placeholders included, so the dict is built
        # in one go and the placeholders filled in place (keys keep their order).
        record = dict(zip(RECORD_KEYS, row, strict=False))
        if record[_SOURCE] is not None and entry_id in imports:
            record.update(imports[entry_id])
        for name in _TIMESTAMPS:
            record[name] = timestamp(record[name])
        for name in _DAYS:
            record[name] = day(record[name])
        organisation = organisations[organisation_id]
        if row[size + 3] is not None:
            # Published before the organisation was renamed: under the name it had then.
            organisation = {**organisation, "name": row[size + 3]}
        record[_ORGANISATION_FIELD] = organisation
        choices = chosen.get(version_id, {})
        for name in CHOICES_FIELDS:
            record[name] = choices.get(name, [])
        for name in GROUP_TABLES:
            if groups:
                record[name] = group_rows[name].get(version_id, [])
            else:
                del record[name]
        # Which answers are empty because the publisher withholds them, and why.
        record[WITHHELD_KEY] = withheld.get(version_id, [])
        records[version_id] = record
    return [records[version_id] for version_id in version_ids if version_id in records]


def stream_records(
    connection: Connection,
    version_ids: Select,
    *,
    batch_size: int = BATCH_SIZE,
    groups: bool = True,
) -> Iterator[dict[str, Any]]:
    """Every record whose version id `version_ids` selects, in its order, a batch at a time."""
    organisations = Organisations(connection)
    result = connection.execution_options(stream_results=True, yield_per=batch_size).execute(
        version_ids
    )
    try:
        for partition in result.partitions():
            ids = [row[0] for row in partition]
            yield from load_records(connection, ids, organisations, groups=groups)
    finally:
        result.close()
