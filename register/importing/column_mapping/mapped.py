"""A file read with a column mapping, as a `Format` made at run time: so the importer, its
report, the limits and the rules for which entry a row is apply to it as to every format.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import IO

from ... import schema
from ...schema import Kind
from ..formats import Format
from ..importer import ImportOptions, ImportReport, run
from ..mapping import Mapper
from .definition import IDENTIFIER, ORGANISATION, OTHER, ColumnMapping
from .reading import table_records

# Entries imported with any mapping are of this source: a later file mapped again (next
# year's, with the mapping saved this year) finds the entries it imported before.
MAPPED = "mapped"
LABEL = "column-mapped"

_FIELDS = {item.name: item for item in schema.all_fields()}


def mapped_format(mapping: ColumnMapping, label: str = LABEL) -> Format:
    """The format of files that `mapping` describes. A file without the columns that give
    the title (and the organisation, when no organisation is fixed) is refused whole."""
    needed = [mapping.column_for("title"), mapping.column_for(ORGANISATION)]
    aliases = {
        target: tuple(columns)
        for target, columns in mapping.targets().items()
        if target not in ("", OTHER, ORGANISATION, IDENTIFIER)
    }
    return Format(
        name=MAPPED,
        label=label,
        source=None,
        map=functools.partial(map_record, mapping),
        columns=tuple(column for column in needed if column),
        day_first=mapping.day_first,
        reads="CSV or Excel (.xlsx)",
        crosswalk=False,
        aliases=aliases,
        read=table_records,
    )


def map_record(mapping: ColumnMapping, mapper: Mapper) -> None:
    """Read one row as the mapping says: each field from its columns (`mapper.aliases`),
    the columns left out marked as read, and the rest kept in Other information by
    `Mapper.finish`, labelled with their column."""
    targets = mapping.targets()
    mapper.use(*targets.get("", ()))
    if ORGANISATION in targets:
        mapper.organisation(targets[ORGANISATION][0])
    if IDENTIFIER in targets:
        mapper.identifier(targets[IDENTIFIER][0])
    for name, item in _FIELDS.items():
        columns = mapper.aliases.get(name, ())
        if not columns or item.kind is Kind.ORGANISATION:
            continue
        if item.kind is Kind.LONG_TEXT:
            _joined_text(mapper, name, columns)
        elif item.kind is Kind.CHOICES:
            for column in columns:
                mapper.choices(name, column)
        elif item.kind is Kind.CHOICE:
            mapper.choice(name)
        elif item.kind is Kind.BOOLEAN:
            mapper.yes_no(name)
        elif item.kind is Kind.PARTIAL_DATE:
            mapper.date(name)
        else:
            mapper.text(name)
    for group in schema.groups():
        cells = mapper.row_columns(group.name)
        if cells:
            mapper.row(group.name, cells)


def _joined_text(mapper: Mapper, name: str, columns: tuple[str, ...]) -> None:
    """A long answer from one column, or from several, each under its column's name."""
    filled = [found for found, value in map(mapper.peek, columns) if found and value]
    if len(filled) == 1:
        mapper.text(name, filled[0])
    elif filled:
        first = filled[0]
        mapper.text(name, first, tidy=lambda text: f"{first}: {text}")
        for column in filled[1:]:
            mapper.append(name, column)


def import_with_mapping(
    stream: IO[bytes],
    mapping: ColumnMapping,
    options: ImportOptions,
    *,
    label: str = LABEL,
    valid_rows_only: bool = False,
) -> ImportReport:
    """Import the file `mapping` describes, as `importer.run` imports any file: reviewed
    first, then written in one transaction (nothing, if a row has a problem, unless
    `valid_rows_only`)."""
    options = dataclasses.replace(options, format=mapped_format(mapping, label))
    return run(stream, options, valid_rows_only=valid_rows_only)
