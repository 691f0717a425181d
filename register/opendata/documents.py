"""Each current version's CSV line and JSON record, written once and kept for downloads.

Writing a record costs far more than reading text back, so `/entries.csv`, `.json` and
`.ndjson` send what was written when the version was published, in the search's order,
rather than writing every record again on every download.

What a record shows that is not the version's own answers changes without a new version:
the entry's dates and source, its latest import, the organisation's name, identifier and
type. So the documents are not written by the workflow step by step but when a transaction
commits, for every entry, version, row, import or organisation it changed (`_Changed`), by
the ORM or by an UPDATE through the session: no writer can forget. Text kept for another
layout of the data package (`layout`) counts as missing; a download writes what is missing
(`fill`) and, should a change slip in between, writes it again as it streams (`texts`), so a
download is never out of date. Rows the demo data inserts in bulk have no documents until
the first download or `flask register build-documents`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Select, Table, and_, delete, event, exists, inspect, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import (
    InstanceState,
    ORMExecuteState,
    Session,
    SessionTransaction,
    UOWTransaction,
)

from .. import published
from ..extensions import db
from ..models import VersionDocument
from . import package
from .columns import entry_columns
from .csv_lines import csv_lines
from .records import (
    BATCH,
    CHOICE,
    ENTRY,
    GROUP_TABLES,
    ORGANISATION,
    ORGANISATION_KEYS,
    PROVENANCE,
    VERSION,
    load_records,
)
from .withheld import WITHHELD
from .writers import json_line

DOCUMENT = VersionDocument.__table__
CSV_LINE, JSON = "csv_line", "json"
# Versions written at a time: as many as `records.stream_records` reads at once.
BATCH_SIZE = 500
_PENDING = "version_documents"


@functools.cache
def layout() -> str:
    """The layout documents are written for: the data package's version and the
    fingerprint of its columns, which change whenever a column is added or changed."""
    return f"{package.package_version()}/{package.layout_fingerprint()}"


def _batches(ids: Iterable[int]) -> Iterator[list[int]]:
    ids = sorted(ids)
    for start in range(0, len(ids), BATCH_SIZE):
        yield ids[start : start + BATCH_SIZE]


def written(connection: Connection, version_ids: Sequence[int]) -> list[dict[str, Any]]:
    """The documents of these versions, as rows of `version_document`: the line the CSV
    download writes of each, and its record as a line of JSON."""
    if not version_ids:
        return []
    versions = select(VERSION.c.id).where(VERSION.c.id.in_(version_ids))
    lines = dict(csv_lines(connection, entry_columns(), versions))
    found = [version_id for version_id in version_ids if version_id in lines]
    records = load_records(connection, found)
    return [
        {"version_id": version_id, "layout": layout(), CSV_LINE: lines[version_id], JSON: line}
        for version_id, line in zip(found, map(json_line, records), strict=True)
    ]


def _with_kept(versions: Select) -> Select:
    """`versions` (a SELECT of entry_version ids) with each one's kept text, NULL where it
    has none written for this layout."""
    return versions.outerjoin_from(
        VERSION,
        DOCUMENT,
        and_(DOCUMENT.c.version_id == VERSION.c.id, DOCUMENT.c.layout == layout()),
    )


def _insert_missing(connection: Connection, rows: list[dict[str, Any]]) -> None:
    """Keep `rows`, replacing only documents of another layout: one written meanwhile for
    this layout came from a later look at the register, so it stays."""
    if not rows:
        return
    dialect = sqlite if connection.dialect.name == "sqlite" else postgresql
    statement = dialect.insert(DOCUMENT)
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=[DOCUMENT.c.version_id],
            set_={name: statement.excluded[name] for name in ("layout", CSV_LINE, JSON)},
            where=DOCUMENT.c.layout != statement.excluded.layout,
        ),
        rows,
    )


def fill(versions: Select) -> int:
    """Write and keep the documents `versions` (a SELECT of entry_version ids) lack, a
    batch to a transaction; how many were written. A batch that meets a writer in the
    middle of its own change is left for `texts` to write as it streams."""
    # NOT EXISTS, and the search's own order kept: SQLite then plans the search as it
    # would alone (without its order, a full-text search was planned a hundred times slower).
    has_one = exists().where(DOCUMENT.c.version_id == VERSION.c.id, DOCUMENT.c.layout == layout())
    missing = versions.with_only_columns(VERSION.c.id).where(~has_one)
    with db.engine.connect() as connection:
        ids = connection.scalars(missing).all()
    kept = 0
    for batch in _batches(ids):
        try:
            with db.engine.begin() as connection:
                rows = written(connection, batch)
                _insert_missing(connection, rows)
        except OperationalError:
            continue  # SQLite: another writer committed since this one read
        kept += len(rows)
    return kept


def texts(connection: Connection, versions: Select, kind: str) -> Iterator[str]:
    """The kept `kind` (CSV_LINE or JSON) of each version `versions` selects, in its order;
    written here, not kept, for any that has none."""
    statement = _with_kept(versions.with_only_columns(VERSION.c.id, DOCUMENT.c[kind]))
    result = connection.execute(
        statement, execution_options={"stream_results": True, "yield_per": BATCH_SIZE}
    )
    try:
        for partition in result.partitions():
            absent = [version_id for version_id, text in partition if text is None]
            extra = {row["version_id"]: row[kind] for row in written(connection, absent)}
            for version_id, text in partition:
                yield extra[version_id] if text is None else text
    finally:
        result.close()


# When the register changes ---------------------------------------------------------------


@dataclass
class _Changed:
    """What a transaction changed that a record shows, by id."""

    entries: set[int] = field(default_factory=set)
    versions: set[int] = field(default_factory=set)
    organisations: set[int] = field(default_factory=set)
    batches: set[int] = field(default_factory=set)
    # A change that says no more than "some rows": every document is forgotten.
    everything: bool = False

    def __bool__(self) -> bool:
        return bool(
            self.everything or self.entries or self.versions or self.organisations or self.batches
        )


# Each table a record reads, and the column that says which part of the register a change
# to one of its rows touches.
_KIND = {
    ENTRY: ("id", "entries"),
    VERSION: ("entry_id", "entries"),
    CHOICE: ("version_id", "versions"),
    **{table: ("version_id", "versions") for table in GROUP_TABLES.values()},
    WITHHELD: ("version_id", "versions"),
    ORGANISATION: ("id", "organisations"),
    PROVENANCE: ("entry_id", "entries"),
    BATCH: ("id", "batches"),
}


def _shows_change(table: Table, state: InstanceState) -> bool:
    """Whether a changed object could change a record: a working copy cannot, nor an
    organisation's details that records do not show."""
    if table is VERSION:
        return state.dict.get("number") is not None or state.dict.get("published_at") is not None
    if table is ORGANISATION and state.persistent:
        return any(state.attrs[key].history.has_changes() for key in ORGANISATION_KEYS)
    return True


def _note_flush(session: Session, _flush: UOWTransaction) -> None:
    changed = session.info.setdefault(_PENDING, _Changed())
    for instance in (*session.new, *session.dirty, *session.deleted):
        state = inspect(instance)
        table = state.mapper.local_table
        if table in _KIND and _shows_change(table, state):
            key, kind = _KIND[table]
            value = state.dict.get(key)
            if value is not None:
                getattr(changed, kind).add(value)


def _note_statement(execution: ORMExecuteState) -> None:
    """An INSERT, UPDATE or DELETE through the session, which the flush does not see."""
    if execution.is_select or execution.bind_mapper is None:
        return
    table = execution.bind_mapper.local_table
    if table not in _KIND:
        return
    key, kind = _KIND[table]
    changed = execution.session.info.setdefault(_PENDING, _Changed())
    parameters = execution.parameters or {}
    condition = execution.statement.whereclause
    rows = parameters if isinstance(parameters, list) else [parameters]
    inserted = {row.get(key) for row in rows} - {None} if execution.is_insert else set()
    if inserted:
        getattr(changed, kind).update(inserted)
    elif execution.is_insert or condition is None or isinstance(parameters, list):
        # Rows that do not say whose they are, the whole table, or rows by primary key (a
        # bulk UPDATE): rather than look each one up.
        changed.everything = True
    else:
        touched = select(table.c[key]).where(condition)
        getattr(changed, kind).update(execution.session.scalars(touched, parameters))


def _written_when_committed(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint: the documents wait for the transaction itself
    session.flush()
    changed = session.info.pop(_PENDING, None)
    if changed:
        rewrite(session.connection(), changed)


def _forget_pending(session: Session, transaction: SessionTransaction) -> None:
    # Rolled back (or the session closed): what was noted never happened.
    if transaction.parent is None:
        session.info.pop(_PENDING, None)


event.listen(db.session, "after_flush", _note_flush)
event.listen(db.session, "do_orm_execute", _note_statement)
event.listen(db.session, "before_commit", _written_when_committed)
event.listen(db.session, "after_transaction_end", _forget_pending)


def _entries_of(connection: Connection, changed: _Changed) -> set[int]:
    """Every entry whose record the change may show in."""
    entries = set(changed.entries)
    for batch in _batches(changed.versions):
        entries.update(
            connection.scalars(
                select(VERSION.c.entry_id).where(
                    VERSION.c.id.in_(batch), VERSION.c.number.is_not(None)
                )
            )
        )
    for batch in _batches(changed.batches):
        entries.update(
            connection.scalars(
                select(PROVENANCE.c.entry_id).where(PROVENANCE.c.batch_id.in_(batch))
            )
        )
    return entries


def rewrite(connection: Connection, changed: _Changed) -> None:
    """Forget the documents of every published version of the changed entries and
    organisations, and write those of their current versions again (or, after a change
    to every row, forget every document, for downloads to write them again)."""
    if changed.everything:
        connection.execute(delete(DOCUMENT))
        return
    entries = _entries_of(connection, changed)
    versions = []
    for batch in _batches(entries):
        versions.extend(_published_of(connection, VERSION.c.entry_id.in_(batch)))
    for batch in _batches(changed.organisations):
        versions.extend(_published_of(connection, VERSION.c.organisation_id.in_(batch)))
    for batch in _batches({version_id for version_id, _ in versions}):
        connection.execute(delete(DOCUMENT).where(DOCUMENT.c.version_id.in_(batch)))
    for batch in _batches({version_id for version_id, is_current in versions if is_current}):
        _insert_missing(connection, written(connection, batch))


def _published_of(connection: Connection, condition: Any) -> list[tuple[int, bool]]:
    """(id, whether current) of each published version meeting `condition`."""
    current = published.current(VERSION.c.is_current)
    rows = connection.execute(
        select(VERSION.c.id, current).where(condition, VERSION.c.number.is_not(None))
    )
    return [(version_id, bool(is_current)) for version_id, is_current in rows]
