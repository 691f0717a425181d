"""Each table of the data package as Parquet: the CSV's rows and columns, typed, as a
researcher reads them back with pyarrow."""

from __future__ import annotations

import io
from datetime import date, datetime

import pyarrow as pa
import pyarrow.parquet as pq

from register.extensions import db
from register.opendata import package
from register.opendata.parquet import parquet_file
from register.schema.cells import restore_cell
from register.withholding import Withholding

from .factories import publishable_values
from .manage_world import WORLD
from .opendata_world import AWKWARD_TITLE, csv_rows, fetch, publish_awkward
from .public_entries import revise, withdraw
from .test_opendata_renames import rename
from .test_source_filter import US, mark_imported

world = WORLD

PARQUET = "application/vnd.apache.parquet"
ARROW_TYPES = {
    "string": pa.string(),
    "integer": pa.int64(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
    "datetime": pa.timestamp("ms", tz="UTC"),
}


def _a_register_with_a_row_in_every_table(world) -> None:
    """Awkward text, a revised entry, a withdrawn one, a renamed organisation and an import."""
    reference = publish_awkward(world)
    revise(world, reference, {"team": "Roads"}, note="New team.")
    mark_imported(world, world.entry("published"), US, identifier="DOT-7")
    withdraw(world, world.entry("published"), "Published in error.")
    # A tool bought in, for the suppliers, their products and the entries using them.
    bought = publishable_values(
        built_by="external_supplier",
        supplier_name="Roadscan Vision Ltd",
        supplier_registry="gb_coh",
        supplier_company_number="SC123456",
        product_name="Roadscan Inspector",
    )
    world.entry("published", values=bought)
    # An answer withheld, with the publisher's own words for why.
    sealed = {"legal_basis": Withholding("other", "Sealed by the court")}
    revise(world, world.entry("published"), withheld=sealed, note="Legal basis withheld.")
    rename(world)


def _as_csv_writes_it(value) -> str:
    """A typed Parquet value as the CSV writes the same value (before its formula guard)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def test_every_table_as_parquet_holds_the_csv_rows_with_typed_values(world):
    _a_register_with_a_row_in_every_table(world)
    client = world.client(None).client
    for table in package.tables():
        response = fetch(client, f"/download/{table.name}.parquet")
        assert response.status_code == 200, table.name
        assert response.mimetype == PARQUET
        assert response.headers["Content-Disposition"].endswith(".parquet")
        read = pq.read_table(io.BytesIO(response.data))
        assert read.schema.names == [column.name for column in table.columns], table.name
        for column in table.columns:
            assert read.schema.field(column.name).type == ARROW_TYPES[column.type], column.name
        rows = csv_rows(fetch(client, f"/download/{table.name}.csv").data)
        assert rows, f"{table.name} has no rows to compare"
        typed = read.to_pylist()
        assert len(typed) == len(rows), table.name
        for parquet_row, csv_row in zip(typed, rows, strict=True):
            assert {name: _as_csv_writes_it(value) for name, value in parquet_row.items()} == {
                name: restore_cell(cell) for name, cell in csv_row.items()
            }, table.name


def test_parquet_keeps_text_as_written_and_moments_in_utc(world):
    reference = publish_awkward(world)
    data = fetch(world.client(None).client, "/download/entries.parquet").data
    [entry] = pq.read_table(io.BytesIO(data)).to_pylist()
    assert entry["reference"] == reference
    # No quote in front of what a spreadsheet would run: Parquet is not a spreadsheet.
    assert entry["title"] == AWKWARD_TITLE
    assert entry["team"] == "-Highways"
    assert entry["techniques"] == "computer_vision;classical_ml"
    assert entry["first_published_at"].isoformat() == "2025-03-01T09:30:00+00:00"
    assert entry["next_review_due"] == date(2026, 3, 1)
    assert entry["uses_personal_data"] is False
    assert entry["data_sources_count"] == 2
    field = pq.read_schema(io.BytesIO(data)).field("title")
    assert field.metadata[b"title"] == b"Title"


def test_an_empty_table_is_a_parquet_file_with_its_columns_and_no_rows(world):
    world.entry("published")
    data = fetch(world.client(None).client, "/download/withdrawals.parquet").data
    read = pq.read_table(io.BytesIO(data))
    assert read.num_rows == 0
    assert read.schema.names == ["reference", "withdrawn_at", "reason"]


def test_the_file_written_for_keeping_matches_the_download(world, tmp_path):
    publish_awkward(world)
    downloaded = fetch(world.client(None).client, "/download/risks.parquet").data
    target = tmp_path / "risks.parquet"
    with world.app.app_context(), db.engine.connect() as connection:
        parquet_file(connection, package.table_named("risks"), target)
    assert pq.read_table(target).equals(pq.read_table(io.BytesIO(downloaded)))


def test_a_parquet_download_is_validated_like_the_other_downloads(world):
    world.entry("published")
    client = world.client(None).client
    first = fetch(client, "/download/entries.parquet", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in first.headers
    assert first.headers["Cache-Control"] == "public, no-cache"
    etag = first.headers["ETag"]
    assert etag != fetch(client, "/download/entries.csv").headers["ETag"]
    again = fetch(client, "/download/entries.parquet", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    world.entry("published")
    changed = fetch(client, "/download/entries.parquet", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert pq.read_table(io.BytesIO(changed.data)).num_rows == 2


def test_a_table_that_is_not_in_the_package_is_not_found(world):
    assert fetch(world.client(None).client, "/download/passwords.parquet").status_code == 404
