"""Opening a file for import: is it what it claims, what encoding is it, and its records
one at a time.

Files are read as streams: a CSV row or a JSON record at a time, so a large file needs
little memory. The stream must be seekable (a file on disk, or an upload held in memory),
because finding the encoding reads it once before the records are read.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

import ijson

# What some kinds of file that are not text start with, to name them in the error.
_SIGNATURES = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a zip archive or a spreadsheet (save it as CSV first)"),
    (b"\xd0\xcf\x11\xe0", "an old-style Excel or Word file (save it as CSV first)"),
    (b"\x1f\x8b", "a gzip archive"),
)
_SAMPLE = 64 * 1024
# A CSV cell may be long (a whole document pasted in), but not without limit.
MAX_CELL = 1024 * 1024
# Where cells beyond the header's last column are kept, so nothing is lost unseen.
UNNAMED = "Cells with no column name"


class FileRefused(Exception):
    """The file cannot be read as the format it was given as; nothing was imported."""


@dataclass(frozen=True)
class SourceRecord:
    """One record of a file: a CSV row (numbered as a spreadsheet numbers it, the header
    being row 1) or a JSON record (numbered from 1), as column -> raw value."""

    number: int
    cells: dict[str, Any]
    where: str  # "row 12" or "record 3"


class CountingReader(io.RawIOBase):
    """Passes a binary stream through, counting the bytes read, for a progress bar."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._stream.read(len(buffer))
        buffer[: len(data)] = data
        self.count += len(data)
        return len(data)


def check_kind(stream: IO[bytes], *, expected: str) -> None:
    """Refuse an empty file, or one that is plainly not text (an image renamed .csv)."""
    start = stream.tell()
    sample = stream.read(_SAMPLE)
    stream.seek(start)
    if not sample.strip():
        raise FileRefused(f"The file is empty. Choose a {expected} file with entries in it.")
    for signature, kind in _SIGNATURES:
        if sample.startswith(signature):
            raise FileRefused(f"The file is {kind}, not a {expected} file.")
    if b"\x00" in sample and not sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FileRefused(f"The file is not a {expected} file: it is not text.")


def encoding_of(stream: IO[bytes]) -> str:
    """The file's encoding: UTF-8 (with or without a byte order mark), UTF-16 with a byte
    order mark, or else Windows-1252, which spreadsheet programs write."""
    start = stream.tell()
    head = stream.read(4)
    stream.seek(start)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := stream.read(_SAMPLE):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1252"
    finally:
        stream.seek(start)
    return "utf-8"


def text_of(stream: IO[bytes], *, expected: str) -> io.TextIOWrapper:
    """The file as text in its own encoding. Windows-1252 leaves five bytes undefined; they
    are read as Latin-1 rather than refusing the file."""
    check_kind(stream, expected=expected)
    encoding = encoding_of(stream)
    errors = "strict"
    if encoding == "cp1252":
        codecs.register_error("cp1252-latin1", _latin1_fallback)
        errors = "cp1252-latin1"
    return io.TextIOWrapper(stream, encoding=encoding, errors=errors, newline="")


def _latin1_fallback(error: UnicodeDecodeError) -> tuple[str, int]:
    bad = error.object[error.start : error.end]
    return bad.decode("latin-1"), error.end


def csv_records(stream: IO[bytes]) -> Iterator[SourceRecord]:
    """The rows of a CSV file as records keyed by the header's column names."""
    text = text_of(stream, expected="CSV")
    csv.field_size_limit(MAX_CELL)
    sample = text.read(_SAMPLE)
    text.seek(0)
    reader = csv.reader(text, dialect=_dialect(sample))
    try:
        header = next(reader, None)
        columns = [(name or "").strip() for name in header or []]
        if not any(columns):
            raise FileRefused("The file has no header row naming its columns.")
        columns = _distinct(columns)
        for number, row in enumerate(reader, start=2):
            if not any(cell.strip() for cell in row):
                continue
            cells = {name: cell for name, cell in zip(columns, row, strict=False) if name}
            extra = [cell for cell in row[len(columns) :] if cell.strip()]
            if extra:
                cells[UNNAMED] = " | ".join(extra)
            yield SourceRecord(number, cells, f"row {number}")
    except csv.Error as error:
        raise FileRefused(f"The file is not a CSV file that can be read: {error}.") from None
    except UnicodeDecodeError:
        raise FileRefused("The file is not text in an encoding the register can read.") from None
    finally:
        # Leave the file open for the caller, who may read it again to import it.
        text.detach()


def _distinct(columns: list[str]) -> list[str]:
    """The header's names, each repeat named after the column before it, so no value is lost:
    the US 2024 inventory asks “If Other, please explain.” after nine different questions."""
    named: list[str] = []
    for position, name in enumerate(columns):
        if name and name in columns[:position]:
            before = columns[position - 1] if position else ""
            name = f"{name} (after “{before}”)" if before else f"{name} ({position + 1})"
            while name in named:
                name = f"{name} ({position + 1})"
        named.append(name)
    return named


def _dialect(sample: str) -> type[csv.Dialect] | csv.Dialect:
    """Commas unless the header is plainly separated by semicolons or tabs."""
    first_line = sample.splitlines()[0] if sample else ""
    counts = {delimiter: first_line.count(delimiter) for delimiter in ",;\t"}
    delimiter = max(counts, key=counts.get)
    if counts[delimiter] == 0 or delimiter == ",":
        return csv.excel
    return csv.excel_tab if delimiter == "\t" else _Semicolons


class _Semicolons(csv.excel):
    delimiter = ";"


def json_records(stream: IO[bytes]) -> Iterator[SourceRecord]:
    """The records of a JSON file: an array of objects, read one at a time, or one object."""
    check_kind(stream, expected="JSON")
    encoding = encoding_of(stream)
    if encoding != "utf-8":
        stream = io.BytesIO(stream.read().decode(encoding).encode("utf-8"))
    start = stream.read(_SAMPLE).lstrip()[:1]
    stream.seek(0)
    try:
        if start == b"{":
            yield _json_record(1, json.loads(stream.read().decode("utf-8")))
            return
        if start != b"[":
            raise FileRefused("The file is not JSON: it should be an array of records.")
        for number, item in enumerate(ijson.items(stream, "item", use_float=True), start=1):
            yield _json_record(number, item)
    except (ijson.JSONError, json.JSONDecodeError, UnicodeDecodeError) as error:
        raise FileRefused(f"The file is not JSON that can be read: {error}.") from None


def _json_record(number: int, item: Any) -> SourceRecord:
    if not isinstance(item, dict):
        raise FileRefused(
            f"Record {number} of the file is not a JSON object with the fields of an entry."
        )
    return SourceRecord(number, item, f"record {number}")
