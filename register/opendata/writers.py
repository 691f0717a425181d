"""Writing records as CSV and JSON, a chunk at a time, so a download never sits in memory.

CSV follows RFC 4180 (comma separated, fields with commas, quotes or line breaks quoted,
quotes doubled, CRLF line ends), in UTF-8 without a byte order mark. A cell that a
spreadsheet would run as a formula is guarded by the rule in `schema.cells`.
JSON is one array with one record per line; NDJSON is one record a line, without the array.
NUL characters, which the register refuses at input, are never written.
"""

from __future__ import annotations

import csv
import io
import json
import zlib
from collections.abc import Iterable, Iterator, Sequence
from operator import itemgetter
from typing import Any

from ..schema.cells import GUARDED_STARTS, neutralise
from .columns import CODE_SEPARATOR, Column

CHUNK_SIZE = 64 * 1024


def cell(value: Any) -> str | int:
    """How one value is written in a CSV cell."""
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, int):
        return value
    if isinstance(value, list | tuple):
        return neutralise(CODE_SEPARATOR.join(value))
    return neutralise(str(value))


def csv_chunks(
    columns: Sequence[Column], records: Iterable[dict[str, Any]], *, header: bool = True
) -> Iterator[bytes]:
    """`records` as CSV in UTF-8, one row each, in chunks of about 64 KiB."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if header:
        writer.writerow([column.name for column in columns])
    # Most columns are read straight from the record, all at once; the few derived ones
    # (the organisation's parts, the summaries of repeating rows) are worked out after.
    placeholder = next(column.key for column in columns if column.key)
    pick = itemgetter(*(column.key or placeholder for column in columns))
    derived = [(i, column.value) for i, column in enumerate(columns) if column.key is None]
    # A text cell can be written as it is unless it starts with one of these or holds a NUL.
    needs_care = GUARDED_STARTS
    rows = []
    for record in records:
        values = list(pick(record)) if len(columns) > 1 else [pick(record)]
        for position, value in derived:
            values[position] = value(record)
        rows.append(
            [
                v
                if v.__class__ is str and v[:1] not in needs_care and "\x00" not in v
                else ""
                if v is None
                else cell(v)
                for v in values
            ]
        )
        if len(rows) >= 200:
            writer.writerows(rows)
            rows.clear()
            if buffer.tell() >= CHUNK_SIZE:
                yield buffer.getvalue().encode("utf-8")
                buffer.seek(0)
                buffer.truncate()
    writer.writerows(rows)
    if buffer.tell():
        yield buffer.getvalue().encode("utf-8")


def json_line(record: dict[str, Any]) -> str:
    """One record as a line of JSON, without NUL characters."""
    line = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    if "\\u0000" in line:
        line = line.replace("\\u0000", "")
    return line


def json_array_chunks(records: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    """`records` as one JSON array, a record per line, in chunks of about 64 KiB."""
    return json_array_of_lines(map(json_line, records))


def json_array_of_lines(lines: Iterable[str]) -> Iterator[bytes]:
    """Records already written as lines of JSON (`json_line`), as `json_array_chunks`
    writes them."""
    parts = ["["]
    size = 1
    separator = "\n"
    for line in lines:
        parts.append(separator)
        parts.append(line)
        separator = ",\n"
        size += len(line) + 2
        if size >= CHUNK_SIZE:
            yield "".join(parts).encode("utf-8")
            parts, size = [], 0
    parts.append("\n]\n")
    yield "".join(parts).encode("utf-8")


def json_lines_chunks(records: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    """`records` as newline-delimited JSON: one record a line, each line ending LF, in chunks
    of about 64 KiB. Line breaks inside a value are escaped, so a line is always a record."""
    return json_lines_of_lines(map(json_line, records))


def json_lines_of_lines(lines: Iterable[str]) -> Iterator[bytes]:
    """Records already written as lines of JSON (`json_line`), as `json_lines_chunks`
    writes them."""
    parts: list[str] = []
    size = 0
    for line in lines:
        parts.append(line)
        parts.append("\n")
        size += len(line) + 1
        if size >= CHUNK_SIZE:
            yield "".join(parts).encode("utf-8")
            parts, size = [], 0
    if parts:
        yield "".join(parts).encode("utf-8")


def csv_of_lines(header: Sequence[str], lines: Iterable[str]) -> Iterator[bytes]:
    """A CSV of rows already written as lines (without their line ends), under a header of
    these column names, in chunks of about 64 KiB, as `csv_chunks` writes it."""
    parts = [",".join(header)] if header else []
    size = sum(map(len, parts))
    for line in lines:
        parts.append(line)
        size += len(line)
        if size >= CHUNK_SIZE:
            parts.append("")
            yield "\r\n".join(parts).encode("utf-8")
            parts, size = [], 0
    if parts:
        parts.append("")
        yield "\r\n".join(parts).encode("utf-8")


def gzip_chunks(chunks: Iterable[bytes], level: int = 5) -> Iterator[bytes]:
    """`chunks` compressed as one gzip stream, as they come."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    for chunk in chunks:
        compressed = compressor.compress(chunk)
        if compressed:
            yield compressed
    yield compressor.flush()
