"""Writing demo entries fast: Core inserts of whole batches, with ids assigned here.

Ids are handed out from above both the largest id in each table and the table's sequence,
so child rows can point at their parents without a round trip and no id (so no entry's
public reference) is ever reused. Each batch is one transaction; on PostgreSQL the
sequences are moved past the new ids in the same transaction, and on SQLite inserting an
explicit id into an AUTOINCREMENT table moves `sqlite_sequence` on by itself.

Versions are written as they are published: linked to their suppliers (found beforehand)
and with their answers counted (`completeness`). The full-text index reads a current
version again on every change to its row, so the current versions are written as not
current, counted, then made current, all in the batch's transaction: each is indexed once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import timedelta

from sqlalchemy import Connection, Engine, Table, func, insert, select, text, update

from .. import completeness
from ..models import Entry, EntryVersion, VersionChoice
from ..models.entry import GROUP_MODELS, PUBLISHED, reference_for
from ..models.organisation import Organisation
from ..schema import SCHEMA_VERSION
from .history import Draft

ORGANISATION: Table = Organisation.__table__
ENTRY: Table = Entry.__table__
VERSION: Table = EntryVersion.__table__
CHOICE: Table = VersionChoice.__table__
GROUP_TABLES: dict[str, Table] = {name: model.__table__ for name, model in GROUP_MODELS.items()}
# In the order rows must be inserted: parents before children.
TABLES: tuple[Table, ...] = (ORGANISATION, ENTRY, VERSION, CHOICE, *GROUP_TABLES.values())
CURRENT_TOGETHER = 1000  # current versions counted and made current in one statement


def _floor(connection: Connection, table: Table) -> int:
    """The highest id `table` has used: its largest id, or its sequence if that is higher."""
    highest = connection.scalar(select(func.coalesce(func.max(table.c.id), 0)))
    dialect = connection.dialect.name
    sequence = None
    if dialect == "postgresql":
        sequence = connection.scalar(
            text(
                "SELECT pg_sequence_last_value("
                "CAST(pg_get_serial_sequence(:table, 'id') AS regclass))"
            ),
            {"table": table.name},
        )
    elif dialect == "sqlite" and table.dialect_options["sqlite"]["autoincrement"]:
        sequence = connection.scalar(
            text("SELECT seq FROM sqlite_sequence WHERE name = :table"), {"table": table.name}
        )
    return max(highest, sequence or 0)


class BulkWriter:
    """Hands out ids and inserts organisations and drafts, one transaction per call."""

    def __init__(self, engine: Engine, reference_prefix: str = "AIR") -> None:
        self.engine = engine
        self.prefix = reference_prefix
        with engine.connect() as connection:
            self.next_id = {table.name: _floor(connection, table) + 1 for table in TABLES}

    def take(self, table: Table) -> int:
        """A new id for a row of `table`."""
        value = self.next_id[table.name]
        self.next_id[table.name] = value + 1
        return value

    def add_organisations(self, rows: list[dict[str, object]]) -> None:
        """Insert organisations whose ids came from `take(ORGANISATION)`."""
        self._insert({ORGANISATION: rows})

    def add_entries(self, drafts: Iterable[Draft]) -> list[str]:
        """Insert `drafts` as published entries; returns their references in order."""
        rows: dict[Table, list[dict[str, object]]] = {table: [] for table in TABLES[1:]}
        current_ids: list[int] = []
        references = []
        for draft in drafts:
            entry_id = self.take(ENTRY)
            reference = reference_for(entry_id, self.prefix)
            references.append(reference)
            first, current = draft.versions[0], draft.versions[-1]
            organisation_id = draft.organisation.id
            rows[ENTRY].append(
                {
                    "id": entry_id,
                    "reference": reference,
                    "organisation_id": organisation_id,
                    "state": PUBLISHED,
                    "created_at": draft.created_at,
                    "updated_at": current.published_at,
                    "created_by_id": None,
                    "first_published_at": first.published_at,
                    "last_published_at": current.published_at,
                    "last_reviewed_on": draft.last_reviewed_on,
                    "next_review_due": draft.next_review_due,
                    "withdrawn_at": None,
                    "withdrawn_reason": None,
                }
            )
            started = draft.created_at
            for number, version in enumerate(draft.versions, start=1):
                version_id = self.take(VERSION)
                published_at = version.published_at
                assert published_at is not None  # for the type checker  # nosec B101
                created_at = max(started, published_at - timedelta(days=14))
                started = published_at
                rows[VERSION].append(
                    {
                        **version.record,
                        "id": version_id,
                        "entry_id": entry_id,
                        "organisation_id": organisation_id,
                        "number": number,
                        "is_current": False,  # until counted (see above)
                        "schema_version": SCHEMA_VERSION,
                        "change_note": version.change_note,
                        "created_at": created_at,
                        "updated_at": published_at,
                        "updated_by_id": None,
                        "published_at": published_at,
                        "published_by_id": None,
                        "lock_version": 1,
                        "supplier_id": version.supplier_id,
                        "product_id": version.product_id,
                    }
                )
                if version is current:
                    current_ids.append(version_id)
                rows[CHOICE].extend(
                    {
                        "id": self.take(CHOICE),
                        "version_id": version_id,
                        "field": "techniques",
                        "code": code,
                    }
                    for code in version.techniques
                )
                for name, group_rows in version.groups.items():
                    table = GROUP_TABLES[name]
                    rows[table].extend(
                        {**row, "id": self.take(table), "version_id": version_id, "position": i}
                        for i, row in enumerate(group_rows)
                    )
        self._insert(rows, current_ids)
        return references

    def _insert(
        self, rows: dict[Table, list[dict[str, object]]], current_ids: Sequence[int] = ()
    ) -> None:
        with self.engine.begin() as connection:
            for table in TABLES:
                if rows.get(table):
                    connection.execute(insert(table), rows[table])
            for start in range(0, len(current_ids), CURRENT_TOGETHER):
                these = VERSION.c.id.in_(current_ids[start : start + CURRENT_TOGETHER])
                completeness.count(connection, these)
                connection.execute(
                    update(VERSION)
                    .where(these)
                    .values(is_current=True, updated_at=VERSION.c.updated_at)
                )
            if connection.dialect.name == "postgresql":
                for table in (table for table, table_rows in rows.items() if table_rows):
                    connection.execute(
                        text("SELECT setval(pg_get_serial_sequence(:table, 'id'), :value)"),
                        {"table": table.name, "value": self.next_id[table.name] - 1},
                    )
