"""Each table of the data package as a Parquet file, typed from the package's columns.

A Parquet file holds the same rows and columns as the table's CSV, with the types the
package's Table Schema gives them: whole numbers as 64-bit integers, yes-or-no as booleans,
days as dates and moments as timestamps in UTC (to the second, as in the CSV). Every other
column is text, written as the CSV writes it, so the data dictionary holds for both files:
several codes joined by the code separator, partial dates as text. Text is kept as it was
written: no quote is added in front of what a spreadsheet would run as a formula, as
Parquet is never opened as a spreadsheet (JSON is not changed that way either).

Rows are written a batch at a time, each batch a row group, so neither the table nor the
file is held in memory: `parquet_file` writes to a path or an open file, and
`parquet_chunks` gives the file's bytes as they are written, for a download.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from itertools import islice
from os import PathLike
from typing import TYPE_CHECKING, Any, BinaryIO

from sqlalchemy import Connection

from .columns import CODE_SEPARATOR, Column
from .package import Outbox, Table
from .records import utc

if TYPE_CHECKING:
    import pyarrow as pa

# pyarrow is imported by the functions that write a file, not with this module: it adds
# 30 MB to every web worker, and few workers are ever asked for a Parquet file.

MEDIA_TYPE = "application/vnd.apache.parquet"
ROWS_PER_GROUP = 5000
# Zstandard: smaller than the default (Snappy), and read by every current Parquet reader.
COMPRESSION = "zstd"


def arrow_types() -> dict[str, pa.DataType]:
    """The Arrow type of each Table Schema type."""
    import pyarrow as pa

    return {
        "string": pa.string(),
        "integer": pa.int64(),
        "boolean": pa.bool_(),
        "date": pa.date32(),
        # The exports give moments to the second, in UTC; Parquet's coarsest unit is the
        # millisecond.
        "datetime": pa.timestamp("ms", tz="UTC"),
    }


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list | tuple):
        value = CODE_SEPARATOR.join(value)
    text = value if isinstance(value, str) else str(value)
    # The register refuses NUL at input and no export writes one.
    return text.replace("\x00", "") if "\x00" in text else text


def _day(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def _moment(value: Any) -> datetime | None:
    if value is None:
        return None
    return utc(value if isinstance(value, datetime) else datetime.fromisoformat(value))


def _as_is(value: Any) -> Any:
    return value


# How a record's value becomes the column's typed value, by Table Schema type.
_CONVERSIONS: dict[str, Callable[[Any], Any]] = {
    "string": _text,
    "integer": _as_is,
    "boolean": _as_is,
    "date": _day,
    "datetime": _moment,
}


def arrow_schema(table: Table) -> pa.Schema:
    """The Parquet schema of one table: a field per column, in the CSV's order, each with
    its title and description from the package."""
    import pyarrow as pa

    types = arrow_types()
    return pa.schema(
        [
            pa.field(
                column.name,
                types[column.type],
                metadata={"title": column.title, "description": column.description},
            )
            for column in table.columns
        ],
        metadata={"name": table.name, "title": table.title, "description": table.description},
    )


def _batches(
    columns: list[Column], records: Iterable[dict[str, Any]], schema: pa.Schema
) -> Iterator[pa.RecordBatch]:
    import pyarrow as pa

    readers = [(column.value, _CONVERSIONS[column.type]) for column in columns]
    records = iter(records)
    while batch := list(islice(records, ROWS_PER_GROUP)):
        yield pa.record_batch(
            [
                pa.array([convert(value(record)) for record in batch], type=field.type)
                for (value, convert), field in zip(readers, schema, strict=True)
            ],
            schema=schema,
        )


def _written(connection: Connection, table: Table, sink: Any) -> Iterator[None]:
    """Write the table to `sink`, pausing after each row group; the file is complete (its
    footer written) when the iterator ends."""
    import pyarrow.parquet as pq

    schema = arrow_schema(table)
    with pq.ParquetWriter(sink, schema, compression=COMPRESSION) as writer:
        for batch in _batches(table.columns, table.rows(connection), schema):
            writer.write_batch(batch)
            yield


def parquet_file(
    connection: Connection, table: Table, target: str | PathLike[str] | BinaryIO
) -> None:
    """Write one table as a Parquet file to `target`: a path, or a file open for writing."""
    for _ in _written(connection, table, target):
        pass


def parquet_chunks(connection: Connection, table: Table) -> Iterator[bytes]:
    """One table as a Parquet file, in chunks as it is written (about a row group each)."""
    outbox = Outbox()
    for _ in _written(connection, table, outbox):
        chunk = outbox.take()
        if chunk:
            yield chunk
    yield outbox.take()
