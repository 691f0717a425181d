"""The record definition's crosswalk is the single truth for the importers: every column it
names for a source is read, into that field, by the source's importer; and every column an
importer reads into a field is the one the crosswalk names, or an alias the format declares
(other names real files use). Repeating groups' fields are held to the same, as
"group.field". Nothing here needs the database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

import pytest

from register import schema
from register.importing.files import SourceRecord
from register.importing.formats import FORMATS, Format
from register.importing.mapping import Mapper
from register.schema import Field, Kind

CROSSWALKED = [item for item in FORMATS.values() if item.source and item.crosswalk]
OWN_HEADINGS = [item for item in FORMATS.values() if item.source and not item.crosswalk]
# One column answers either field: a link is the source code's address, words instead of
# one say why the code is not published.
SAME_COLUMN_AS = {"source_code_withheld_reason": "source_code_url"}


def _fields() -> dict[str, Field]:
    """Every field an importer fills, by name: the record's, and its groups' as group.field."""
    found = {item.name: item for item in schema.all_fields()}
    for group in schema.groups():
        found.update({f"{group.name}.{item.name}": item for item in group.fields})
    return found


FIELDS = _fields()


def _columns(spec: str | tuple[str, ...]) -> tuple[str, ...]:
    return (spec,) if isinstance(spec, str) else spec


class ReadingMapper(Mapper):
    """A mapper that notes the columns each field (and group.field) is read from."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.read: dict[str, set[str]] = defaultdict(set)

    def _note(self, field_name: str, columns: Iterable[str]) -> None:
        self.read[field_name].update(column for column in columns if column)

    def columns_for(self, field_name: str) -> tuple[str, ...]:
        columns = super().columns_for(field_name)
        self._note(field_name, columns)
        return columns

    def row_columns(self, group_name: str) -> dict[str, str | tuple[str, ...]]:
        columns = super().row_columns(group_name)
        for name, spec in columns.items():
            self._note(f"{group_name}.{name}", _columns(spec))
        return columns

    def text(self, field_name: str, *columns: str, **options: Any) -> None:
        self._note(field_name, columns)
        super().text(field_name, *columns, **options)

    def choice(self, field_name: str, *columns: str, **options: Any) -> None:
        self._note(field_name, columns)
        super().choice(field_name, *columns, **options)

    def choice_where_known(self, field_name: str, *columns: str, **options: Any) -> None:
        self._note(field_name, columns)
        super().choice_where_known(field_name, *columns, **options)

    def choices(self, field_name: str, *columns: str, **options: Any) -> None:
        self._note(field_name, columns)
        super().choices(field_name, *columns, **options)

    def date(self, field_name: str, *columns: str) -> None:
        self._note(field_name, columns)
        super().date(field_name, *columns)

    def yes_no(self, field_name: str, *columns: str) -> None:
        self._note(field_name, columns)
        super().yes_no(field_name, *columns)

    def organisation(self, name_column: str = "", abbreviation_column: str = "") -> None:
        self._note("organisation", [name_column])
        super().organisation(name_column, abbreviation_column)

    def row(
        self,
        group_name: str,
        cells: Mapping[str, str | tuple[str, ...]] | None = None,
        **options: Any,
    ) -> None:
        for name, spec in (cells or {}).items():
            self._note(f"{group_name}.{name}", _columns(spec))
        if options.get("link"):
            self._note(f"{group_name}.link", [options["link"]])
        super().row(group_name, cells, **options)


def _expected(item: Format, name: str) -> set[str]:
    """The columns `item` may read field `name` from: its crosswalk's, and its aliases."""
    expected = set(item.aliases.get(name, ()))
    if item.crosswalk and item.source in FIELDS[name].crosswalk:
        expected.add(FIELDS[name].crosswalk[item.source])
    return expected


def _read(item: Format) -> dict[str, set[str]]:
    """What the format's importer reads into each field, from a record with a value in
    every column the crosswalk and the format name."""
    named = {column for name in FIELDS for column in _expected(item, name)}
    cells = {column: "Some words" for column in named | set(item.columns)}
    mapper = ReadingMapper(
        SourceRecord(2, cells, "row 2"),
        source=item.source,
        day_first=item.day_first,
        crosswalk=item.crosswalk,
        aliases=item.aliases,
    )
    item.map(mapper)
    return mapper.read


@pytest.mark.parametrize("item", CROSSWALKED, ids=lambda item: item.name)
def test_every_column_the_crosswalk_names_is_read_into_its_field(item):
    read = _read(item)
    for name, field in FIELDS.items():
        named = field.crosswalk.get(item.source)
        if named:
            assert named in read.get(name, set()), f"{item.name} does not read {named} into {name}"


@pytest.mark.parametrize("item", [*CROSSWALKED, *OWN_HEADINGS], ids=lambda item: item.name)
def test_every_column_an_importer_reads_into_a_field_is_its_crosswalk_name_or_an_alias(item):
    read = _read(item)
    for name in FIELDS:
        expected = _expected(item, name)
        if name in SAME_COLUMN_AS:
            expected |= _expected(item, SAME_COLUMN_AS[name])
        unexpected = read.get(name, set()) - expected
        assert not unexpected, (
            f"{item.name} reads {name} from {sorted(unexpected)}: name it in the "
            "field's crosswalk, or declare it among the format's aliases"
        )


def test_every_alias_a_format_declares_is_for_a_field_of_the_record():
    for item in FORMATS.values():
        assert set(item.aliases) <= set(FIELDS), item.name


def test_a_repeating_groups_crosswalk_sums_up_its_fields():
    """The group's own crosswalk ("risk_*", "data_description/link_to_data") is what the
    data dictionary shows; its fields' names must fit it."""
    for group in schema.groups():
        for source, summary in group.crosswalk.items():
            named = [f.crosswalk[source] for f in group.fields if source in f.crosswalk]
            for column in named:
                assert any(
                    column.startswith(part[:-1]) if part.endswith("*") else column == part
                    for part in summary.split("/")
                ), (group.name, source, column)


def test_the_registers_own_files_are_read_by_the_fields_own_names():
    native = next(item for item in FORMATS.values() if item.source is None)
    cells = {field.name: "Some words" for field in schema.all_fields()}
    mapper = ReadingMapper(SourceRecord(2, cells, "row 2"), source=None, day_first=True)
    native.map(mapper)
    for field in schema.all_fields():
        if field.kind is not Kind.ORGANISATION:
            assert mapper.read.get(field.name) == {field.name}, field.name
