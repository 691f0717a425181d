"""Opening a file for import: is it what it claims, what encoding is it, and its records
one at a time.

Files are read as streams: a CSV row or a JSON record at a time, so a large file needs
little memory. The stream must be seekable (a file on disk, or an upload held in memory),
because finding the encoding reads it once before the records are read.

Anyone who may import can send a hostile file, so `ReadLimits` bounds what reading one may
cost: nesting, columns, cell length, rows and time are checked while the file streams in,
before a row is split or a record built, and a file over a limit is refused with a
`FileRefused` saying which.
"""

from __future__ import annotations

import codecs
import csv
import io
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import IO, Any

import ijson

from ..schema.texts import N_, Composed, Given

# What some kinds of file that are not text start with, to name them in the error.
_SIGNATURES = (
    (b"\x89PNG", N_("a PNG image")),
    (b"\xff\xd8\xff", N_("a JPEG image")),
    (b"GIF8", N_("a GIF image")),
    (b"%PDF", N_("a PDF document")),
    (
        b"PK\x03\x04",
        N_(
            "a zip archive or a spreadsheet (save it as CSV first; a filled-in ATRS template "
            "has a format of its own)"
        ),
    ),
    (b"\xd0\xcf\x11\xe0", N_("an old-style Excel or Word file (save it as CSV first)")),
    (b"\x1f\x8b", N_("a gzip archive")),
)
_SAMPLE = 64 * 1024
NOT_DECODED = N_("The file is not text in an encoding the register can read.")
ONLY_A_HEADER = N_("The file has no entries in it, only a header.")
# A CSV cell may be long (a whole document pasted in), but not without limit.
MAX_CELL = 1024 * 1024
# Where cells beyond the header's last column are kept, so nothing is lost unseen.
UNNAMED = "Cells with no column name"
# Separators a CSV row's lines may hold, or values a JSON record may hold, per column allowed:
# room for prose full of commas in quoted cells and for lists in JSON answers, while one
# row or record stays a few megabytes however it is built.
_VALUES_PER_COLUMN = 100


class FileRefused(Exception):
    """The file cannot be read as the format it was given as; nothing was imported. `reason`
    says why, in English: a marked text, or a `Composed` sentence where it names values (each
    `Given` if it comes from the file), so that a page can say it in its own language."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ReadLimits:
    """How much reading one file may cost. The defaults are generous for real files (the US
    2024 inventory has about 60 columns and cells of several pages) and keep a hostile one
    to a few megabytes and the time set; `from_config` reads the register's settings."""

    depth: int = 32  # how deep JSON may nest arrays and objects
    columns: int = 1000  # cells in a CSV row, keys in a JSON record
    cell: int = MAX_CELL  # characters in one cell or JSON text
    rows: int = 100_000  # records in the file
    seconds: float | None = 1.5  # reading the whole file (None: no limit)
    # A workbook (.xlsx) is a zip archive: what it may unpack to, and how many parts it may
    # hold, are checked before it is opened. A filled-in template is well under a megabyte
    # in some forty parts; a zip bomb unpacks to gigabytes.
    unpacked: int = 8 * 1024 * 1024
    parts: int = 300

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> ReadLimits:
        return cls(
            depth=config["JSON_MAX_DEPTH"],
            columns=config["IMPORT_MAX_COLUMNS"],
            cell=config["IMPORT_MAX_CELL"],
            rows=config["IMPORT_MAX_ROWS"],
            seconds=config["IMPORT_MAX_SECONDS"],
        )

    @property
    def values_per_record(self) -> int:
        return self.columns * _VALUES_PER_COLUMN


class Deadline:
    """When reading must stop, checked once a record (and within long stretches of one)."""

    def __init__(self, limits: ReadLimits) -> None:
        self.seconds = limits.seconds
        self.ends = None if limits.seconds is None else time.monotonic() + limits.seconds

    def check(self) -> None:
        if self.ends is not None and time.monotonic() > self.ends:
            raise FileRefused(
                Composed(
                    N_(
                        "The file takes longer than %(seconds)s seconds to read, so it was not "
                        "imported. Split it into smaller files."
                    ),
                    seconds=Given(f"{self.seconds:g}"),
                )
            )


DEFAULT_LIMITS = ReadLimits()


def too_many_rows(limits: ReadLimits) -> FileRefused:
    return FileRefused(
        Composed(
            N_("The file has more than %(count)s records. Split it into smaller files."),
            count=Given(f"{limits.rows:,}"),
        )
    )


def too_long(where: str, limits: ReadLimits) -> FileRefused:
    """`where` (a marked text, such as "A cell in the file") is longer than a cell may be."""
    return FileRefused(
        Composed(
            N_("%(where)s is longer than %(count)s characters."),
            where=where,
            count=Given(f"{limits.cell:,}"),
        )
    )


@dataclass(frozen=True)
class SourceRecord:
    """One record of a file: a CSV row (numbered as a spreadsheet numbers it, the header
    being row 1) or a JSON record (numbered from 1), as column -> raw value."""

    number: int
    cells: dict[str, Any]
    where: str  # "row 12" or "record 3"


def row_of(number: int) -> str:
    """Where a row is, as a report names it: "row 12" (the page says it in its language)."""
    return Composed(N_("row %(number)s"), number=str(number))


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
    """Refuse an empty file, or one that is plainly not text (an image renamed .csv).
    `expected` names the format, marked for the catalogue (`N_("CSV")`)."""
    start = stream.tell()
    sample = stream.read(_SAMPLE)
    stream.seek(start)
    if not sample.strip():
        raise FileRefused(
            Composed(
                N_("The file is empty. Choose a %(expected)s file with entries in it."),
                expected=expected,
            )
        )
    for signature, kind in _SIGNATURES:
        if sample.startswith(signature):
            raise FileRefused(
                Composed(
                    N_("The file is %(kind)s, not a %(expected)s file."),
                    kind=kind,
                    expected=expected,
                )
            )
    if b"\x00" in sample and not sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FileRefused(
            Composed(N_("The file is not a %(expected)s file: it is not text."), expected=expected)
        )


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
    errors = _decoding_errors(encoding)
    return io.TextIOWrapper(stream, encoding=encoding, errors=errors, newline="")


def _decoding_errors(encoding: str) -> str:
    """How to decode `encoding`: strictly, but for Windows-1252's five undefined bytes,
    which are read as Latin-1."""
    if encoding != "cp1252":
        return "strict"
    codecs.register_error("cp1252-latin1", _latin1_fallback)
    return "cp1252-latin1"


def _latin1_fallback(error: UnicodeDecodeError) -> tuple[str, int]:
    bad = error.object[error.start : error.end]
    return bad.decode("latin-1"), error.end


def csv_records(stream: IO[bytes], limits: ReadLimits = DEFAULT_LIMITS) -> Iterator[SourceRecord]:
    """The rows of a CSV file as records keyed by the header's column names."""
    deadline = Deadline(limits)
    text = text_of(stream, expected=N_("CSV"))
    csv.field_size_limit(limits.cell)
    try:
        sample = text.read(_SAMPLE)
        text.seek(0)
        dialect = _dialect(sample)
        lines = _Lines(text, dialect.delimiter, limits)
        reader = csv.reader(lines, dialect=dialect)
        header = next(reader, None) or []
        if _width(header) > limits.columns:
            raise FileRefused(
                Composed(
                    N_("The file has %(count)s columns; at most %(most)s can be imported."),
                    count=Given(f"{_width(header):,}"),
                    most=Given(f"{limits.columns:,}"),
                )
            )
        columns = [(name or "").strip() for name in header]
        if not any(columns):
            raise FileRefused(N_("The file has no header row naming its columns."))
        columns = distinct_names(columns)
        records = 0
        for number, row in enumerate(reader, start=2):
            lines.separators = 0
            deadline.check()
            if not any(cell.strip() for cell in row):
                continue
            if _width(row) > limits.columns:
                raise FileRefused(
                    Composed(
                        N_("Row %(number)s of the file has more than %(most)s cells."),
                        number=Given(str(number)),
                        most=Given(f"{limits.columns:,}"),
                    )
                )
            records += 1
            if records > limits.rows:
                raise too_many_rows(limits)
            cells = {name: cell for name, cell in zip(columns, row, strict=False) if name}
            extra = [cell for cell in row[len(columns) :] if cell.strip()]
            if extra:
                cells[UNNAMED] = " | ".join(extra)
            yield SourceRecord(number, cells, row_of(number))
    except csv.Error as error:
        if "field limit" in str(error):
            raise too_long(N_("A cell in the file"), limits) from None
        raise FileRefused(
            Composed(
                N_("The file is not a CSV file that can be read: %(error)s."),
                error=Given(str(error)),
            )
        ) from None
    except UnicodeDecodeError:
        raise FileRefused(NOT_DECODED) from None
    finally:
        # Leave the file open for the caller, who may read it again to import it.
        text.detach()


class _Lines:
    """The text's lines for the CSV reader, refusing a row whose lines hold far more
    separators than a row may have cells before the reader splits it: 200,000 cells in
    2 MB of commas would take hundreds of megabytes as separate strings."""

    _NAMES = {",": N_("commas"), ";": N_("semicolons"), "\t": N_("tabs")}

    def __init__(self, text: io.TextIOWrapper, delimiter: str, limits: ReadLimits) -> None:
        self._lines = iter(text)
        self._delimiter = delimiter
        self._most = limits.values_per_record
        self.separators = 0  # in the lines of the row being read; the reader resets it

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.separators += line.count(self._delimiter)
        if self.separators > self._most:
            raise FileRefused(
                Composed(
                    N_("The file has a row too wide to read: more than %(count)s %(separators)s."),
                    count=Given(f"{self._most:,}"),
                    separators=self._NAMES.get(self._delimiter, N_("separators")),
                )
            )
        return line


def _width(row: list[str]) -> int:
    """How many cells the row has, leaving out blank ones at its end (spreadsheets often
    write those)."""
    width = len(row)
    while width and not row[width - 1].strip():
        width -= 1
    return width


def distinct_names(columns: list[str]) -> list[str]:
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


def json_records(
    stream: IO[bytes], limits: ReadLimits = DEFAULT_LIMITS, *, within: str | None = None
) -> Iterator[SourceRecord]:
    """The records of a JSON file: an array of objects, read one at a time, or one object,
    or (`within`) the array a top-level object holds under that key, as GOV.UK's search
    API holds its `results`. Each record is built from the parser's events once the limits
    allow it, never the file at once, so neither its nesting nor its size can exhaust the
    memory or the stack."""
    deadline = Deadline(limits)
    check_kind(stream, expected=N_("JSON"))
    try:
        encoding = encoding_of(stream)
        if encoding != "utf-8":
            text = stream.read().decode(encoding, _decoding_errors(encoding))
            stream = io.BytesIO(text.encode("utf-8"))
        start = stream.read(_SAMPLE).lstrip()[:1]
        stream.seek(0)
        if start not in (b"[", b"{"):
            raise FileRefused(N_("The file is not JSON: it should be an array of records."))
        events = json_events(stream, limits)
        if within and start == b"{":
            events = _items_under(events, within)
            start = b"["
        yield from _built_records(events, limits, deadline, single=start == b"{")
    except (ijson.JSONError, UnicodeError) as error:
        lines = str(error).splitlines()
        reason = Given(lines[0].rstrip(".")) if lines else N_("it cannot be read")
        raise FileRefused(
            Composed(N_("The file is not JSON that can be read: %(reason)s."), reason=reason)
        ) from None


def json_events(stream: IO[bytes], limits: ReadLimits) -> Iterator[tuple[str, Any]]:
    """The JSON parser's events, refusing nesting deeper than the limit and texts longer
    than a cell may be as they stream in, before anything is built from them."""
    depth = 0
    for event, value in ijson.basic_parse(stream, use_float=True):
        if event in ("start_map", "start_array"):
            depth += 1
            if depth > limits.depth:
                raise FileRefused(
                    Composed(
                        N_("The file nests arrays or objects more than %(depth)s deep."),
                        depth=Given(str(limits.depth)),
                    )
                )
        elif event in ("end_map", "end_array"):
            depth -= 1
        elif event in ("string", "map_key") and len(value) > limits.cell:
            raise too_long(N_("A text in the file"), limits)
        yield event, value


def nests_deeper_than(data: bytes, depth: int) -> bool:
    """Whether the JSON in `data` nests arrays or objects more than `depth` deep, read only
    as far as it takes to tell, without building anything (JSON that cannot be read at all
    is left for whoever parses it to explain)."""
    limits = ReadLimits(depth=depth, cell=len(data) + 1)
    try:
        for _event in json_events(io.BytesIO(data), limits):
            pass
    except FileRefused:
        return True
    except (ijson.JSONError, UnicodeError):
        return False
    return False


def _built_records(
    events: Iterator[tuple[str, Any]], limits: ReadLimits, deadline: Deadline, *, single: bool
) -> Iterator[SourceRecord]:
    """Each record built from the events: the whole document if `single`, else each item of
    the top-level array."""
    top = 0 if single else 1  # how deep each record starts
    depth = number = values = keys = 0
    builder: ijson.ObjectBuilder | None = None
    for count, (event, value) in enumerate(events):
        if count % 10_000 == 0:
            deadline.check()
        closes = event in ("end_map", "end_array")
        if builder is None and depth == top and not closes:
            number += 1
            if number > limits.rows:
                raise too_many_rows(limits)
            builder = ijson.ObjectBuilder()
            values = keys = 0
        if builder is not None:
            values += 1
            if values > limits.values_per_record:
                raise FileRefused(
                    Composed(
                        N_("Record %(number)s of the file holds more than %(count)s values."),
                        number=Given(str(number)),
                        count=Given(f"{limits.values_per_record:,}"),
                    )
                )
            if event == "map_key" and depth == top + 1:
                keys += 1
                if keys > limits.columns:
                    raise FileRefused(
                        Composed(
                            N_("Record %(number)s of the file has more than %(count)s fields."),
                            number=Given(str(number)),
                            count=Given(f"{limits.columns:,}"),
                        )
                    )
            builder.event(event, value)
        if event in ("start_map", "start_array"):
            depth += 1
        elif closes:
            depth -= 1
        if builder is not None and depth == top:
            yield _json_record(number, builder.value)
            builder = None
            deadline.check()


def _items_under(events: Iterator[tuple[str, Any]], key: str) -> Iterator[tuple[str, Any]]:
    """The events of the array a top-level object holds under `key`, as if that array were
    the whole file; the object's other members are read past."""
    depth = 0
    for event, value in events:
        if depth == 1 and event == "map_key" and value == key:
            first, _ = next(events, ("", None))
            if first != "start_array":
                raise FileRefused(
                    Composed(N_("“%(key)s” in the file is not a list of records."), key=Given(key))
                )
            yield first, None
            inside = 1
            for event, value in events:
                if event in ("start_map", "start_array"):
                    inside += 1
                elif event in ("end_map", "end_array"):
                    inside -= 1
                yield event, value
                if inside == 0:
                    return
            return
        if event in ("start_map", "start_array"):
            depth += 1
        elif event in ("end_map", "end_array"):
            depth -= 1
    raise FileRefused(Composed(N_("The file has no “%(key)s” list of records."), key=Given(key)))


def _json_record(number: int, item: Any) -> SourceRecord:
    if not isinstance(item, dict):
        raise FileRefused(
            Composed(
                N_(
                    "Record %(number)s of the file is not a JSON object with the fields of "
                    "an entry."
                ),
                number=Given(str(number)),
            )
        )
    return SourceRecord(number, item, Composed(N_("record %(number)s"), number=str(number)))
