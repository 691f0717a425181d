"""CSV rows written by the database itself, for downloads of many entries.

(The SQL is built as text from the schema's table and column names and from literals
quoted here; nothing a person sends is ever part of it.)

Reading every record into Python and passing it through the `csv` module costs several
times what the database needs to produce the same text. So the database writes each row
of `/entries.csv` as one line of CSV (kept with the version by `documents`), by the rules of
`writers.py` (formula neutralisation, RFC 4180 quoting, the same cell for every type), from
the same columns (`columns.py`), and Python only joins the lines into chunks.

A few rows are not the database's to write: a repeating row's name that `writers` would
tidy (tabs, line breaks, runs of spaces, spaces at either end) marks its line with
`NEEDS_PYTHON`, and such a row is written by `writers.csv_chunks` from its record instead.
The output is the same either way, byte for byte, as tests compare. The one exception is a
NUL character, which the register refuses at every input and PostgreSQL cannot store: in
SQLite, written there by hand, it ends its cell (`writers` drops it alone); either way no
NUL is ever written.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Iterable, Iterator, Sequence

from sqlalchemy import Boolean, Connection, Date, DateTime, Integer, Select, literal_column
from sqlalchemy.sql.elements import ColumnElement

from ..schema.cells import GUARDED_STARTS, NEUTRALISING_PREFIX
from .columns import CODE_SEPARATOR, NAME_SEPARATOR, Column
from .records import (
    BATCH,
    CHOICE,
    CHOICES_FIELDS,
    ENTRY,
    GROUP_TABLES,
    ORGANISATION,
    PROVENANCE,
    VERSION,
    latest_import_columns,
    load_records,
    record_column,
)
from .writers import csv_chunks, csv_of_lines

# Marks a line the database could not write as `writers` would: a character that a line
# never needs, so finding it in one otherwise only costs that row the slower way.
NEEDS_PYTHON = "\x01"
ENTRY_ALIAS, ORGANISATION_ALIAS = "csv_entry", "csv_organisation"
# Rows fetched at a time: enough to keep the database busy, few enough to stay small.
FETCH_SIZE = 1000
# A cell holding any of these is quoted (the `csv` module's minimal quoting, CRLF lines).
_NEEDS_QUOTES = ',"\r\n'
# Functions take at most this many arguments on some engines (PostgreSQL allows 100).
_MOST_ARGUMENTS = 90


@functools.cache
def _whitespace() -> str:
    """Whitespace that `" ".join(text.split())` would change, besides single inner spaces.
    Found when first needed: searching all of Unicode takes a noticeable part of a second,
    which every process would otherwise spend as it starts."""
    return "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace() and c != " ")


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


class _Dialect:
    """What differs between the engines: how to test text, join rows, and write each type."""

    def __init__(self, name: str) -> None:
        self.sqlite = name == "sqlite"

    def contains_any(self, value: str, characters: str, *, short: bool = False) -> str:
        if self.sqlite and not short:
            # instr is the quickest search SQLite has, one character at a time; GLOB tests
            # them all in one call but reads the text slowly, which only short text affords.
            return "(" + " OR ".join(f"instr({value}, {_literal(c)})" for c in characters) + ")"
        if self.sqlite:
            return f"{value} GLOB {_literal('*[' + characters + ']*')}"
        return f"{value} ~ {_literal('[' + characters + ']')}"

    def starts_with_any(self, value: str, characters: Iterable[str]) -> str:
        # "-" last, where it stands for itself rather than a range.
        listed = "".join(sorted(characters, key=lambda c: c == "-"))
        if self.sqlite:
            return f"{value} GLOB {_literal('[' + listed + ']*')}"
        return f"{value} ~ {_literal('^[' + listed + ']')}"

    def untidy(self, joined: str, count: str) -> str:
        """Whether `writers` would tidy any of the `count` names in `joined` (joined by the
        name separator): whitespace besides single spaces inside a name. Tested once on the
        joined names; a name with a line break of its own shows as one separator too many."""
        separator = _literal(NAME_SEPARATOR)
        others = _whitespace().replace(NAME_SEPARATOR, "")
        breaks = f"length({joined}) - length(replace({joined}, {separator}, '')) <> {count} - 1"
        if self.sqlite:
            # Other whitespace is outside printable ASCII, which is quick to test for; only
            # names with such characters are searched for it.
            return (
                f"(instr({joined}, '  ') OR {joined} GLOB ' *' OR substr({joined}, -1) = ' ' "
                f"OR instr({joined}, {_literal(' ' + NAME_SEPARATOR)}) "
                f"OR instr({joined}, {_literal(NAME_SEPARATOR + ' ')}) "
                f"OR ({joined} GLOB {_literal('*[^' + NAME_SEPARATOR + ' -~]*')} "
                f"AND {joined} GLOB {_literal('*[' + others + ']*')}) OR {breaks})"
            )
        spaces = f"  |^ | $| {NAME_SEPARATOR}|{NAME_SEPARATOR} "
        return f"({joined} ~ {_literal('[' + others + ']|' + spaces)} OR {breaks})"

    def joined(self, value: str, separator: str, order: str) -> str:
        """An aggregate joining `value` over rows read in `order` (SQLite keeps the order of
        the subquery the rows come from; PostgreSQL is told)."""
        if self.sqlite:
            return f"group_concat({value}, {_literal(separator)})"
        return f"string_agg({value}, {_literal(separator)} ORDER BY {order})"

    def boolean(self, value: str) -> str:
        if self.sqlite:
            return f"CASE {value} WHEN 1 THEN 'true' WHEN 0 THEN 'false' ELSE '' END"
        return f"CASE WHEN {value} THEN 'true' WHEN NOT {value} THEN 'false' ELSE '' END"

    def timestamp(self, value: str) -> str:
        # SQLite keeps times as UTC text, "2025-03-01 09:30:00.000000"; Python's strftime
        # drops the fraction rather than rounding it, and so does this.
        if self.sqlite:
            return f"substr({value}, 1, 10) || 'T' || substr({value}, 12, 8) || 'Z'"
        return f"""to_char({value} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')"""

    def day(self, value: str) -> str:
        return value if self.sqlite else f"to_char({value}, 'YYYY-MM-DD')"

    def integer(self, value: str) -> str:
        return f"CAST({value} AS TEXT)"

    def format(self, parts: Sequence[str], separator: str = ",") -> str:
        """`parts` joined by `separator` in one call (NULL parts as empty), rather than a
        chain of `||` that copies the line once for every cell."""
        if len(parts) > _MOST_ARGUMENTS:
            half = len(parts) // 2
            parts = [self.format(parts[:half], separator), self.format(parts[half:], separator)]
        template = _literal(separator.join(["%s"] * len(parts)))
        name = "printf" if self.sqlite else "format"
        return f"{name}({template}, {', '.join(parts)})"

    def cell(self, value: str, *, short: bool = False) -> str:
        """`value` (text, or NULL) as a CSV cell: neutralised as a formula, then quoted if it
        holds a comma, a quote or a line break. NULL stays NULL, which `format` writes as
        nothing. Each test is one quick call, and the usual cell takes three."""
        quote = NEUTRALISING_PREFIX
        neutralise = self.starts_with_any(value, GUARDED_STARTS)
        if self.sqlite:
            # printf's %w doubles double quotes.
            quoted = f"""printf({_literal('"' + quote + '%w"')}, {value})"""
            plain_quoted = f"""printf('"%w"', {value})"""
        else:
            doubled = f"""replace({value}, '"', '""')"""
            quoted = f"""{_literal('"' + quote)} || {doubled} || '"'"""
            plain_quoted = f"""'"' || {doubled} || '"'"""
        return (
            f"CASE WHEN {self.contains_any(value, _NEEDS_QUOTES, short=short)} "
            f"THEN CASE WHEN {neutralise} THEN {quoted} ELSE {plain_quoted} END "
            f"WHEN {neutralise} THEN {_literal(quote)} || {value} ELSE {value} END"
        )


def _value(column: Column, dialect: _Dialect, *, as_cell: bool) -> str:
    """The SQL for one column's value (as written in the CSV, if `as_cell`)."""
    version = VERSION.name
    if column.key is not None:
        if column.key in CHOICES_FIELDS:
            # Built from the schema's table and field names, values quoted by _literal.
            return _ordered_codes(
                f"SELECT code, id FROM {CHOICE.name} WHERE {CHOICE.name}.version_id = "  # noqa: S608  # nosec B608
                f"{version}.id AND {CHOICE.name}.field = {_literal(column.key)}",
                "id",
                dialect,
                as_cell=as_cell,
            )
        if column.key in _IMPORT_COLUMNS:
            return _latest_import(column.key, dialect, as_cell=as_cell)
        found = record_column(column.key)
        table = ENTRY_ALIAS if found.table is ENTRY else version
        value = f"{table}.{found.name}"
        if not as_cell:
            return value
        if isinstance(found.type, Boolean):
            return dialect.boolean(value)
        if isinstance(found.type, Integer):
            return f"coalesce({dialect.integer(value)}, '')"
        if isinstance(found.type, DateTime):
            return f"coalesce({dialect.timestamp(value)}, '')"
        if isinstance(found.type, Date):
            return f"coalesce({dialect.day(value)}, '')"
        return dialect.cell(value, short=_is_short(found))
    kind, *names = column.derivation or ("unknown",)
    if kind == "organisation":
        value = f"{ORGANISATION_ALIAS}.{names[0]}"
        if names[0] == "name":
            # A version published before a rename keeps the name it was published under.
            value = f"coalesce({version}.organisation_name, {value})"
        found = ORGANISATION.c[names[0]]
        return dialect.cell(value, short=_is_short(found)) if as_cell else value
    group = GROUP_TABLES[names[0]].name if kind in ("count", "names", "codes") else None
    rows = f"FROM {group} WHERE {group}.version_id = {version}.id"
    if kind == "count":
        value = f"(SELECT count(*) {rows})"
        return dialect.integer(value) if as_cell else value
    if kind == "names":
        return _names(group, names[1], rows, dialect, as_cell=as_cell)
    if kind == "codes":
        field = names[1]
        # Each code once, in the order of the row that first uses it.
        first = f"SELECT {field} AS code, min(position * 1099511627776 + id) AS id {rows} "
        first += f"AND {field} <> '' GROUP BY {field}"
        return _ordered_codes(first, "id", dialect, as_cell=as_cell)
    raise ValueError(f"The database cannot write column {column.name}.")


_IMPORT_COLUMNS = latest_import_columns()


def _latest_import(key: str, dialect: _Dialect, *, as_cell: bool) -> str:
    """One provenance value of the entry's latest import (see `records.latest_import_columns`),
    looked up only for imported entries: those written here have no source, and no import."""
    read = _IMPORT_COLUMNS[key]
    value = str(read.compile(compile_kwargs={"literal_binds": True}))
    if as_cell:
        written = dialect.timestamp if isinstance(read.type, DateTime) else dialect.cell
        value = written(value)
    provenance, batch = PROVENANCE.name, BATCH.name
    # Built from the tables' own names; nothing a person typed.
    latest = (
        f"(SELECT {value} FROM {provenance} JOIN {batch} ON {batch}.id = {provenance}.batch_id "  # noqa: S608  # nosec B608
        f"WHERE {provenance}.entry_id = {ENTRY_ALIAS}.id ORDER BY {provenance}.id DESC LIMIT 1)"
    )
    return f"CASE WHEN {ENTRY_ALIAS}.source IS NULL THEN NULL ELSE {latest} END"


def _names(
    group: str, name: str, rows: str, dialect: _Dialect, *, as_cell: bool, count: bool = False
) -> str:
    """The names of a version's rows of `group`, one per line, in order (after the number of
    rows and a comma, if `count`: one subquery for both cells)."""
    joined = dialect.joined(f"nullif({name}, '')", NAME_SEPARATOR, "position, id")
    if dialect.sqlite:
        rows = f"FROM (SELECT {name}, position, id {rows} ORDER BY position, id)"
    if not as_cell:
        return f"(SELECT {joined} {rows})"
    untidy = dialect.untidy(joined, f"count(nullif({name}, ''))")
    cell = f"coalesce({dialect.cell(joined)}, '')"
    if count:
        cell = f"{dialect.integer('count(*)')} || ',' || {cell}"
    return f"(SELECT {cell} || CASE WHEN {untidy} THEN {_literal(NEEDS_PYTHON)} ELSE '' END {rows})"


def _line_parts(columns: Sequence[Column], dialect: _Dialect) -> list[str]:
    """Each column's cell, except that a group's count and names, side by side, are one."""
    parts = []
    position = 0
    while position < len(columns):
        column = columns[position]
        after = columns[position + 1] if position + 1 < len(columns) else None
        kind, *names = column.derivation or ("",)
        if kind == "count" and after and after.derivation[:2] == ("names", names[0]):
            group = GROUP_TABLES[names[0]].name
            rows = f"FROM {group} WHERE {group}.version_id = {VERSION.name}.id"
            parts.append(
                _names(group, after.derivation[2], rows, dialect, as_cell=True, count=True)
            )
            position += 2
        else:
            parts.append(_value(column, dialect, as_cell=True))
            position += 1
    return parts


def _is_short(column: ColumnElement) -> bool:
    length = getattr(column.type, "length", None)
    return length is not None and length <= 200


def _ordered_codes(rows: str, order: str, dialect: _Dialect, *, as_cell: bool) -> str:
    """The codes of `rows` (a SELECT of code and `order`) joined by the code separator. The
    cell is made inside the subquery, where the aggregate is worked out once."""
    joined = dialect.joined("code", CODE_SEPARATOR, order)
    if as_cell:
        joined = dialect.cell(joined, short=True)
    # Only SQL this module built from the schema's names; nothing a person typed.
    if dialect.sqlite:
        return f"(SELECT {joined} FROM ({rows} ORDER BY {order}))"  # noqa: S608  # nosec B608
    return f"(SELECT {joined} FROM ({rows}) AS codes)"  # noqa: S608  # nosec B608


def can_write(columns: Sequence[Column]) -> bool:
    """Whether the database can write every one of `columns`."""
    return all(column.key is not None or column.derivation for column in columns)


def _joined(statement: Select, expressions: list[ColumnElement]) -> Select:
    entry = ENTRY.alias(ENTRY_ALIAS)
    organisation = ORGANISATION.alias(ORGANISATION_ALIAS)
    return (
        statement.with_only_columns(VERSION.c.id, *expressions)
        .join_from(VERSION, entry, entry.c.id == VERSION.c.entry_id)
        .join_from(VERSION, organisation, organisation.c.id == VERSION.c.organisation_id)
    )


def line_statement(columns: Sequence[Column], versions: Select, dialect_name: str) -> Select:
    """`versions` (a SELECT over entry_version, in order) as (version id, CSV line) rows."""
    dialect = _Dialect(dialect_name)
    line = dialect.format(_line_parts(columns, dialect))
    return _joined(versions, [literal_column(line).label("line")])


def value_statement(columns: Sequence[Column], versions: Select, dialect_name: str) -> Select:
    """`versions` with every column's value as stored, unformatted: what a database shell
    would write as CSV (the benchmark's floor)."""
    dialect = _Dialect(dialect_name)
    values = [
        literal_column(_value(column, dialect, as_cell=False)).label(column.name)
        for column in columns
    ]
    return _joined(versions, values)


def csv_line_chunks(
    connection: Connection, columns: Sequence[Column], versions: Select, *, header: bool = True
) -> Iterator[bytes]:
    """The versions `versions` selects as CSV, as `writers.csv_chunks` would write their
    records, in chunks of about 64 KiB."""
    names = [column.name for column in columns] if header else []
    return csv_of_lines(names, (line for _, line in csv_lines(connection, columns, versions)))


def csv_lines(
    connection: Connection, columns: Sequence[Column], versions: Select
) -> Iterator[tuple[int, str]]:
    """(version id, CSV line without its line end) for each version `versions` selects, in
    its order: the row `writers.csv_chunks` would write of its record."""
    statement = line_statement(columns, versions, connection.dialect.name)
    # Options of this statement alone: the connection may be a session's, in use after.
    result = connection.execute(
        statement, execution_options={"stream_results": True, "yield_per": FETCH_SIZE}
    )
    try:
        for partition in result.partitions():
            for version_id, line in partition:
                if NEEDS_PYTHON in line:
                    line = _written_by_python(connection, columns, version_id)
                yield version_id, line
    finally:
        result.close()


def _written_by_python(connection: Connection, columns: Sequence[Column], version_id: int) -> str:
    records = load_records(connection, [version_id])
    text = b"".join(csv_chunks(columns, records, header=False)).decode("utf-8")
    return text.removesuffix("\r\n")
