"""The whole register as a Frictionless Data Package: one CSV per table and a descriptor.

`TABLES` lists the tables with their columns (from `columns.py`), keys and rows. The zip is
written as it is sent: each table's rows are compressed into it batch by batch, so neither
the zip nor any table is ever held in memory.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, func, select

from .. import published, schema
from . import supplier_tables
from .columns import (
    Column,
    coverage_columns,
    entry_columns,
    group_columns,
    organisation_columns,
    organisation_name_columns,
    source_columns,
    version_columns,
    withdrawal_columns,
)
from .records import (
    BATCH,
    ENTRY,
    FORMER_NAME,
    GROUP_FIELDS,
    GROUP_TABLES,
    ORGANISATION,
    VERSION,
    stream_records,
    timestamp,
)
from .withheld import withheld_answer_columns, withheld_answer_rows
from .writers import csv_chunks

PACKAGE_NAME = "public-sector-ai-register"
KEYWORDS = ("artificial intelligence", "algorithmic transparency", "public sector")
DESCRIPTION = (
    "Every AI and algorithmic tool that public bodies have published on the register, with "
    "its data sources, risks, impact assessments and published versions."
)
# The package's version is the record schema's version, then the revision of the package's
# layout (its tables and their columns) under that schema. A change to the layout changes
# `layout_fingerprint()`, and a test fails until the revision moves on and the new
# fingerprint is written here, so a reader can tell from the version that the files changed.
LAYOUT_REVISION = 8
LAYOUT_FINGERPRINT = "cc9db7b8c1b49f67"
ZIP_COMPRESSION_LEVEL = 6
# Where the record's JSON Schema is in the zip.
RECORD_SCHEMA_PATH = "schema/record.schema.json"


@dataclass(frozen=True)
class Table:
    """One CSV of the package."""

    name: str
    title: str
    description: str
    columns: list[Column]
    primary_key: list[str]
    rows: Callable[[Connection], Iterator[dict[str, Any]]] = field(repr=False)
    foreign_keys: list[dict[str, Any]] = field(default_factory=list)

    @property
    def path(self) -> str:
        return f"{self.name}.csv"


def _entries(connection: Connection) -> Iterator[dict[str, Any]]:
    return stream_records(connection, published.current_version_ids())


def _versions(connection: Connection) -> Iterator[dict[str, Any]]:
    # The newest published version of an entry is always its current one, and versions
    # come in order of entry and number: a version is current when the next is another's.
    previous = None
    for record in stream_records(connection, published.published_version_ids(), groups=False):
        if previous is not None:
            previous["is_current"] = previous["reference"] != record["reference"]
            yield previous
        previous = record
    if previous is not None:
        previous["is_current"] = True
        yield previous


def _group_rows(name: str, *, history: bool) -> Callable[[Connection], Iterator[dict[str, Any]]]:
    """The rows of one repeating group: of each entry's current version, or (`history`) of
    every published version, with its number."""
    table = GROUP_TABLES[name]
    names = GROUP_FIELDS[name]
    which = (
        and_(VERSION.c.number.is_not(None), published.is_public_entry())
        if history
        else published.current()
    )

    def rows(connection: Connection) -> Iterator[dict[str, Any]]:
        query = (
            select(
                ENTRY.c.reference,
                VERSION.c.number,
                table.c.position,
                *(table.c[n] for n in names),
            )
            .join_from(table, VERSION, VERSION.c.id == table.c.version_id)
            .join(ENTRY, ENTRY.c.id == VERSION.c.entry_id)
            .where(which)
            .order_by(VERSION.c.entry_id, VERSION.c.number, table.c.position, table.c.id)
        )
        result = connection.execution_options(stream_results=True, yield_per=2000).execute(query)
        owner, position = None, 0
        for row in result:
            # Positions are renumbered 1, 2, ... so gaps left by removed rows do not show.
            position = position + 1 if row[:2] == owner else 1
            owner = row[:2]
            found = {"reference": row[0], "version": row[1], "position": position}
            if not history:
                del found["version"]
            yield {**found, **dict(zip(names, row[3:], strict=True))}

    return rows


def _organisations(connection: Connection) -> Iterator[dict[str, Any]]:
    query = published.organisations_with_entries().order_by(ORGANISATION.c.slug)
    for row in connection.execute(query):
        yield dict(row._mapping)


def _coverage(connection: Connection) -> Iterator[dict[str, Any]]:
    counts = (
        select(VERSION.c.organisation_id, func.count().label("entries"))
        .where(published.current())
        .group_by(VERSION.c.organisation_id)
        .subquery()
    )
    query = (
        select(
            ORGANISATION.c.slug,
            ORGANISATION.c.name,
            ORGANISATION.c.type,
            ORGANISATION.c.identifier,
            func.nullif(ORGANISATION.c.identifier_scheme, "").label("identifier_scheme"),
            func.coalesce(counts.c.entries, 0).label("published_entries"),
        )
        .outerjoin(counts, counts.c.organisation_id == ORGANISATION.c.id)
        .order_by(ORGANISATION.c.slug)
    )
    for row in connection.execute(query):
        yield dict(row._mapping)


def _organisation_names(connection: Connection) -> Iterator[dict[str, Any]]:
    """Each name of each organisation with entries, oldest first: its former names, each
    used from the end of the one before (or from when the organisation was added), then
    its name now."""
    listed = published.organisations_with_entries().subquery()
    organisations = connection.execute(
        select(
            ORGANISATION.c.id, ORGANISATION.c.slug, ORGANISATION.c.name, ORGANISATION.c.created_at
        )
        .join(listed, listed.c.slug == ORGANISATION.c.slug)
        .order_by(ORGANISATION.c.slug)
    ).all()
    former: dict[int, list[Any]] = {}
    for row in connection.execute(
        select(FORMER_NAME.c.organisation_id, FORMER_NAME.c.name, FORMER_NAME.c.used_until)
        .where(FORMER_NAME.c.organisation_id.in_([row.id for row in organisations]))
        .order_by(FORMER_NAME.c.used_until, FORMER_NAME.c.id)
    ):
        former.setdefault(row.organisation_id, []).append(row)
    for organisation in organisations:
        used_from = organisation.created_at
        for name in former.get(organisation.id, []):
            yield {
                "slug": organisation.slug,
                "name": name.name,
                "used_from": timestamp(used_from),
                "used_until": timestamp(name.used_until),
            }
            used_from = name.used_until
        yield {
            "slug": organisation.slug,
            "name": organisation.name,
            "used_from": timestamp(used_from),
            "used_until": None,
        }


def _sources(connection: Connection) -> Iterator[dict[str, Any]]:
    """Each source of public entries, with its latest import's link and format."""
    counts = dict(
        connection.execute(
            select(ENTRY.c.source, func.count())
            .join_from(VERSION, ENTRY, ENTRY.c.id == VERSION.c.entry_id)
            .where(published.current(), ENTRY.c.source.is_not(None))
            .group_by(ENTRY.c.source)
        ).all()
    )
    if not counts:
        return
    latest = select(func.max(BATCH.c.id)).where(BATCH.c.source.in_(counts)).group_by(BATCH.c.source)
    batches = connection.execute(
        select(BATCH.c.source, BATCH.c.source_url, BATCH.c.format).where(BATCH.c.id.in_(latest))
    )
    last_imported = dict(
        connection.execute(
            select(BATCH.c.source, func.max(BATCH.c.imported_at))
            .where(BATCH.c.source.in_(counts))
            .group_by(BATCH.c.source)
        ).all()
    )
    for name, link, format_name in sorted(batches, key=lambda row: row.source):
        yield {
            "name": name,
            "link": link,
            "format": format_name,
            "entries": counts[name],
            "last_imported_at": timestamp(last_imported[name]),
        }


def _withdrawals(connection: Connection) -> Iterator[dict[str, Any]]:
    # Oldest first, as the versions are: a later copy of the table only adds rows at the end.
    query = published.withdrawals().order_by(None).order_by(ENTRY.c.withdrawn_at, ENTRY.c.reference)
    for row in connection.execute(query):
        yield {
            "reference": row.reference,
            "withdrawn_at": timestamp(row.withdrawn_at),
            "reason": row.reason,
        }


def _reference_key() -> dict[str, Any]:
    return {"fields": ["reference"], "reference": {"resource": "entries", "fields": ["reference"]}}


def tables() -> list[Table]:
    """Every table of the package, in the order they are written."""
    group_tables = [
        Table(
            group.name,
            group.label,
            f"The {group.label.lower()} of each entry's current version, one row each.",
            group_columns(group),
            ["reference", "position"],
            _group_rows(group.name, history=False),
            [_reference_key()],
        )
        for group in schema.groups()
    ]
    history_tables = [
        Table(
            f"{group.name}_history",
            f"{group.label}: every version",
            f"The {group.label.lower()} of every published version of each entry, one row "
            "each, so that what a version said can be read as it was published.",
            group_columns(group, history=True),
            ["reference", "version", "position"],
            _group_rows(group.name, history=True),
            [
                {
                    "fields": ["reference", "version"],
                    "reference": {"resource": "versions", "fields": ["reference", "version"]},
                }
            ],
        )
        for group in schema.groups()
    ]
    return [
        Table(
            "entries",
            "Entries",
            "One row per entry on the register: its current published version.",
            entry_columns(),
            ["reference"],
            _entries,
            [
                {
                    "fields": ["organisation_slug"],
                    "reference": {"resource": "organisations", "fields": ["slug"]},
                },
                {"fields": ["source"], "reference": {"resource": "sources", "fields": ["name"]}},
            ],
        ),
        *group_tables,
        Table(
            "organisations",
            "Organisations",
            "Every organisation with an entry on the register.",
            organisation_columns(),
            ["slug"],
            _organisations,
        ),
        Table(
            "coverage",
            "Coverage",
            "Every organisation the register knows of, with how many entries it has published: "
            "those that have recorded nothing have 0.",
            coverage_columns(),
            ["slug"],
            _coverage,
        ),
        Table(
            "organisation_names",
            "Organisation names",
            "Every name each organisation with entries has gone by, oldest first, so that a "
            "version published under an earlier name can be matched to the organisation.",
            organisation_name_columns(),
            ["slug", "used_from"],
            _organisation_names,
            [{"fields": ["slug"], "reference": {"resource": "organisations", "fields": ["slug"]}}],
        ),
        Table(
            "sources",
            "Sources",
            "Every register or inventory that entries on the register were imported from, "
            "with its latest import.",
            source_columns(),
            ["name"],
            _sources,
        ),
        Table(
            "suppliers",
            "Suppliers",
            "Every supplier whose tools public entries use, found by its company number or "
            "else its name, with how many entries and organisations use it.",
            supplier_tables.supplier_columns(),
            ["slug"],
            supplier_tables.supplier_rows,
        ),
        Table(
            "products",
            "Products",
            "Every product of a supplier that public entries name, with how many use it.",
            supplier_tables.product_columns(),
            ["supplier", "slug"],
            supplier_tables.product_rows,
            [{"fields": ["supplier"], "reference": {"resource": "suppliers", "fields": ["slug"]}}],
        ),
        Table(
            "entry_suppliers",
            "Entries' suppliers",
            "The supplier and product each entry's current version was linked to when it was "
            "published, for entries that name a supplier.",
            supplier_tables.entry_supplier_columns(),
            ["reference"],
            supplier_tables.entry_supplier_rows,
            [
                _reference_key(),
                {
                    "fields": ["supplier"],
                    "reference": {"resource": "suppliers", "fields": ["slug"]},
                },
            ],
        ),
        Table(
            "versions",
            "Versions",
            "Every published version of every entry on the register, oldest first.",
            version_columns(),
            ["reference", "version"],
            _versions,
            [_reference_key()],
        ),
        *history_tables,
        Table(
            "withheld_answers",
            "Withheld answers",
            "Every answer a published version withholds from the public, with the reason: "
            "its cell in the other tables is empty. A repeating group withheld as a whole "
            "is named in `field` by its table's name, and has no rows there.",
            withheld_answer_columns(),
            ["reference", "version", "field"],
            withheld_answer_rows,
            [
                {
                    "fields": ["reference", "version"],
                    "reference": {"resource": "versions", "fields": ["reference", "version"]},
                }
            ],
        ),
        Table(
            "withdrawals",
            "Withdrawals",
            "Every entry withdrawn from the register after it was published, oldest first. A "
            "withdrawn entry's versions leave the other tables; this table keeps the trace.",
            withdrawal_columns(),
            ["reference"],
            _withdrawals,
        ),
    ]


def layout_fingerprint() -> str:
    """A short hash of every table's name, key and columns (names and types)."""
    layout = [
        [table.name, table.primary_key, [[c.name, c.type] for c in table.columns]]
        for table in tables()
    ]
    return hashlib.sha256(json.dumps(layout).encode("utf-8")).hexdigest()[:16]


def package_version() -> str:
    return f"{schema.SCHEMA_VERSION}.{LAYOUT_REVISION}.0"


def table_named(name: str) -> Table:
    for table in tables():
        if table.name == name:
            return table
    raise KeyError(name)


def spdx_licence(name: str) -> str | None:
    """The SPDX identifier of the licence called `name`, where the register knows it."""
    return "OGL-UK-3.0" if "Open Government Licence v3.0" in name else None


def _licence(name: str, url: str) -> dict[str, str]:
    licence = {"title": name}
    if url:
        licence["path"] = url
    if spdx_licence(name):
        licence["name"] = spdx_licence(name)
    elif not url:
        licence["name"] = re.sub(r"[^a-z0-9._/-]+", "-", name.lower()).strip("-") or "licence"
    return licence


def descriptor(
    *,
    title: str,
    licence_name: str,
    licence_url: str,
    homepage: str,
    last_changed: datetime,
    table_url: Callable[[Table], str] | None = None,
    record_schema: str | None = None,
) -> dict[str, Any]:
    """The `datapackage.json` of the register. Resource paths are the file names in the zip,
    or what `table_url` gives for each table when the descriptor is served on its own; the
    record's JSON Schema likewise, at `record_schema` when served on its own."""
    return {
        "name": PACKAGE_NAME,
        "title": title,
        "description": DESCRIPTION,
        "homepage": homepage,
        "version": package_version(),
        "schema_version": schema.SCHEMA_VERSION,
        # The record schema the JSON records follow (the tables' own schemas are below).
        "record_schema": {
            "path": record_schema or RECORD_SCHEMA_PATH,
            "version": schema.SCHEMA_VERSION,
            "mediatype": "application/schema+json",
        },
        "created": last_changed.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "keywords": list(KEYWORDS),
        "licenses": [_licence(licence_name, licence_url)],
        "resources": [
            {
                "name": table.name,
                "title": table.title,
                "description": table.description,
                "path": table_url(table) if table_url else table.path,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {"delimiter": ",", "doubleQuote": True, "lineTerminator": "\r\n"},
                "schema": {
                    "fields": [column.table_schema_field() for column in table.columns],
                    "primaryKey": table.primary_key,
                    "foreignKeys": table.foreign_keys,
                    "missingValues": [""],
                },
            }
            for table in tables()
        ],
    }


def table_chunks(connection: Connection, table: Table) -> Iterator[bytes]:
    """One table as CSV, in chunks."""
    return csv_chunks(table.columns, table.rows(connection))


class Outbox(io.RawIOBase):
    """Collects what a file writer (the zip's, a Parquet file's) writes until the response
    takes it. Not seekable, so the zip is written with data descriptors, in one pass."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        return data


def zip_chunks(
    connection: Connection,
    package: dict[str, Any],
    modified: datetime,
    record_schema: dict[str, Any],
) -> Iterator[bytes]:
    """The package as a zip: every table's CSV, the record's JSON Schema, then
    `datapackage.json`, written as sent."""
    outbox = Outbox()
    stamp = modified.timetuple()[:6]
    with zipfile.ZipFile(
        outbox, "w", zipfile.ZIP_DEFLATED, compresslevel=ZIP_COMPRESSION_LEVEL
    ) as archive:
        for table in tables():
            member = zipfile.ZipInfo(table.path, date_time=stamp)
            member.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(member, "w", force_zip64=True) as stream:
                for chunk in table_chunks(connection, table):
                    stream.write(chunk)
                    if len(outbox.parts) > 8:
                        yield outbox.take()
            yield outbox.take()
        member = zipfile.ZipInfo(RECORD_SCHEMA_PATH, date_time=stamp)
        member.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(member, json.dumps(record_schema, indent=2, ensure_ascii=False) + "\n")
        member = zipfile.ZipInfo("datapackage.json", date_time=stamp)
        member.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(member, json.dumps(package, indent=2, ensure_ascii=False) + "\n")
    yield outbox.take()
