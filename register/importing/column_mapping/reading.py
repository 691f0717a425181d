"""Reading a file to map: a CSV file, or the first sheet of an Excel workbook (.xlsx) that has
a header row, one record per row, within the same `ReadLimits` as every import; and the
file's columns, each with a few of its values, for a person to map.
"""

from __future__ import annotations

import io
from collections.abc import Generator
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import IO, Any

from ...schema.texts import N_
from ..files import (
    DEFAULT_LIMITS,
    ONLY_A_HEADER,
    UNNAMED,
    FileRefused,
    ReadLimits,
    SourceRecord,
    csv_records,
    distinct_names,
    row_of,
)
from ..values import clean
from ..workbooks import workbook_rows

_WORKBOOK = b"PK\x03\x04"
# Records read to show a column's values and suggest where it goes; the rest of a long
# file says little more about its columns.
RECORDS_LOOKED_AT = 500
SAMPLES_SHOWN = 3
SAMPLE_LENGTH = 80
VALUES_KEPT = 100  # of each column, to judge what its values look like


@dataclass
class FileColumn:
    """One column of a file: its name, a few of its values to show, and more to judge by."""

    name: str
    samples: list[str] = field(default_factory=list)
    values: list[str] = field(default_factory=list)


def table_records(
    stream: IO[bytes], limits: ReadLimits = DEFAULT_LIMITS
) -> Generator[SourceRecord]:
    """The file's rows as records keyed by its header's names: a workbook's (by its first
    bytes, whatever the file is called) or else a CSV file's."""
    start = stream.tell()
    head = stream.read(len(_WORKBOOK))
    stream.seek(start)
    if head == _WORKBOOK:
        return _workbook_records(stream, limits)
    return csv_records(stream, limits)


def _workbook_records(stream: IO[bytes], limits: ReadLimits) -> Generator[SourceRecord]:
    """The rows of the first sheet with anything in it, the first of them its header."""
    rows = workbook_rows(stream, limits)
    try:
        header = next(rows, None)
        if header is None:
            raise FileRefused(N_("The workbook has nothing in it."))
        columns = distinct_names([_text(value).strip() for value in header.values])
        for row in rows:
            if row.sheet != header.sheet:
                return
            values = [_text(value) for value in row.values]
            cells = {name: value for name, value in zip(columns, values, strict=False) if name}
            extra = [value for value in values[len(columns) :] if value.strip()]
            if extra:
                cells[UNNAMED] = " | ".join(extra)
            yield SourceRecord(row.number, cells, row_of(row.number))
    finally:
        rows.close()


def _text(value: Any) -> str:
    """A cell's value as the text a CSV file would hold: a date as the date, a whole number
    without ".0", nothing as ""."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_columns(content: bytes, limits: ReadLimits = DEFAULT_LIMITS) -> list[FileColumn]:
    """The file's columns in its order, each with its first different values. Raises
    `FileRefused` for a file that is neither CSV nor a workbook, has no header naming its
    columns, has nothing under its header, or goes beyond `limits`."""
    columns: dict[str, FileColumn] = {}
    count = 0
    with closing(table_records(io.BytesIO(content), limits)) as records:
        for record in records:
            count += 1
            for name, raw in record.cells.items():
                _look_at(columns.setdefault(name, FileColumn(name)), clean(raw))
            if count >= RECORDS_LOOKED_AT:
                break
    if not count:
        raise FileRefused(ONLY_A_HEADER)
    return list(columns.values())


def _look_at(column: FileColumn, value: str) -> None:
    if not value:
        return
    if len(column.values) < VALUES_KEPT:
        column.values.append(value)
    shown = " ".join(value.split())
    if len(shown) > SAMPLE_LENGTH:
        shown = shown[: SAMPLE_LENGTH - 1].rstrip() + "…"
    if len(column.samples) < SAMPLES_SHOWN and shown not in column.samples:
        column.samples.append(shown)
