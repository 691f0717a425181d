"""The columns of every exported table, derived from the record definition.

One `Column` says what a CSV column is called, what it holds (as a Table Schema type and
constraints, for `datapackage.json` and the data dictionary) and how to read its value from
a record (see `records.py`). Adding a field to the schema adds its column everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .. import schema
from ..schema import Field, Group, KeptField, Kind
from ..schema.vocabularies import ORGANISATION_TYPE

# Multi-choice cells list their codes joined by this (codes never contain it).
CODE_SEPARATOR = ";"
# Summary cells of repeating rows list each row's name on a line of its own.
NAME_SEPARATOR = "\n"
PARTIAL_DATE_PATTERN = r"\d{4}(-\d{2}(-\d{2})?)?"
# The only question every public entry answers. Entries imported from another register are
# published as their source recorded them, so any other question required to publish may be
# empty there; but an import refuses a row without a title (see importing/importer.py).
ALWAYS_ANSWERED = frozenset({"title"})
NOT_RECORDED_NOTE = (
    "Required to publish; empty where an entry imported from another register's file "
    "(see `source`) was not recorded there."
)

# The Table Schema type of each kind whose values are not strings.
TABLE_SCHEMA_TYPES: dict[Kind, str] = {
    Kind.BOOLEAN: "boolean",
    Kind.INTEGER: "integer",
    Kind.DATE: "date",
    Kind.DATETIME: "datetime",
}


@dataclass(frozen=True)
class Column:
    """One column of an exported table."""

    name: str
    title: str
    description: str = ""
    type: str = "string"  # a Table Schema type: string, integer, boolean, date, datetime
    format: str | None = None  # a Table Schema format, such as email or uri
    required: bool = False
    enum: tuple[str, ...] = ()
    pattern: str | None = None
    value: Callable[[dict[str, Any]], Any] = field(default=lambda record: None, repr=False)
    # The record key the value is read from, when it is read as it is (the fast path).
    key: str | None = None
    # What a column without a key holds, for rows the database writes itself (see
    # `csv_lines`): ("organisation", part), ("count", group), ("names", group, field) or
    # ("codes", group, field).
    derivation: tuple[str, ...] = ()

    def table_schema_field(self) -> dict[str, Any]:
        """This column as a field of a Frictionless Table Schema."""
        described: dict[str, Any] = {"name": self.name, "title": self.title, "type": self.type}
        if self.description:
            described["description"] = self.description
        if self.format:
            described["format"] = self.format
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.enum:
            constraints["enum"] = list(self.enum)
        if self.pattern:
            constraints["pattern"] = self.pattern
        if constraints:
            described["constraints"] = constraints
        return described


def _key(name: str) -> Callable[[dict[str, Any]], Any]:
    return lambda record: record.get(name)


def _keyed(name: str) -> dict[str, Any]:
    """The arguments of a column whose value is the record's `name` as it is."""
    return {"value": _key(name), "key": name}


def codes_pattern(codes: tuple[str, ...]) -> str:
    """A pattern matching one or more of `codes` joined by the code separator."""
    one = "(" + "|".join(codes) + ")"
    return f"{one}({CODE_SEPARATOR}{one})*"


def field_columns(
    item: Field, value: Callable[[dict[str, Any]], Any] | None = None
) -> list[Column]:
    """The column (or, for the organisation, columns) that hold one field."""
    reading = {"value": value} if value else _keyed(item.name)
    required = item.required and item.name in ALWAYS_ANSWERED
    if item.kind is Kind.ORGANISATION:
        return [
            Column(
                item.name,
                item.label,
                "The organisation's name.",
                required=True,
                value=lambda record: record["organisation"]["name"],
                derivation=("organisation", "name"),
            ),
            Column(
                f"{item.name}_slug",
                f"{item.label} identifier",
                "The organisation's short name in web addresses; links to organisations.csv.",
                required=True,
                value=lambda record: record["organisation"]["slug"],
                derivation=("organisation", "slug"),
            ),
            Column(
                f"{item.name}_type",
                f"{item.label} type",
                "The kind of public body.",
                required=True,
                enum=ORGANISATION_TYPE.codes,
                value=lambda record: record["organisation"]["type"],
                derivation=("organisation", "type"),
            ),
        ]
    description = welsh_description(item) if item.welsh_of else item.hint
    if item.required and not required:
        description = (
            f"{description.rstrip('.')}. {NOT_RECORDED_NOTE}" if description else NOT_RECORDED_NOTE
        )
    column = Column(item.name, item.label, description, required=required, **reading)
    if item.kind is Kind.EMAIL:
        return [_with(column, format="email")]
    if item.kind is Kind.URL:
        return [_with(column, format="uri")]
    if item.kind is Kind.PARTIAL_DATE:
        return [_with(column, pattern=PARTIAL_DATE_PATTERN)]
    if item.kind is Kind.CHOICE:
        return [_with(column, enum=item.vocabulary.codes)]
    if item.kind is Kind.CHOICES:
        return [_with(column, pattern=codes_pattern(item.vocabulary.codes))]
    if item.kind in TABLE_SCHEMA_TYPES:
        return [_with(column, type=TABLE_SCHEMA_TYPES[item.kind])]
    return [column]


def welsh_description(item: Field) -> str:
    """What a Welsh answer's column holds: its name ends `_cy`, the BCP 47 tag for Welsh."""
    return (
        f"The answer to {item.welsh_of} in Welsh (language tag {schema.WELSH}), where it "
        "was given in Welsh too; empty otherwise."
    )


def _with(column: Column, **changes: Any) -> Column:
    return Column(**{**column.__dict__, **changes})


def kept_column(item: KeptField) -> Column:
    """The column of one field the register keeps itself."""
    return Column(
        item.name,
        item.label,
        item.description,
        type=TABLE_SCHEMA_TYPES.get(item.kind, "string"),
        required=item.always,
        **_keyed(item.name),
    )


def register_columns(names: tuple[str, ...] | None = None) -> list[Column]:
    """Columns for the register's own fields (all of them, or those named)."""
    return [
        kept_column(item) for item in schema.REGISTER_FIELDS if names is None or item.name in names
    ]


def provenance_columns() -> list[Column]:
    """Columns saying where an imported entry came from (empty for entries written here)."""
    return [kept_column(item) for item in schema.PROVENANCE_FIELDS]


def summary_columns(group: Group) -> list[Column]:
    """Columns summarising a repeating group in one row: how many rows, their names, and the
    codes they use."""
    rows = _key(group.name)
    columns = [
        Column(
            f"{group.name}_count",
            f"Number of {group.label.lower()}",
            f"How many {group.label.lower()} the entry lists.",
            type="integer",
            required=True,
            value=lambda record: len(rows(record) or ()),
            derivation=("count", group.name),
        )
    ]
    name_field = next(f for f in group.fields if f.kind is Kind.TEXT)
    columns.append(
        Column(
            f"{group.name}_{name_field.name}",
            f"{group.label}: {name_field.label.lower()}s",
            f"The {name_field.label.lower()} of each of the {group.label.lower()}, one per line.",
            value=lambda record: NAME_SEPARATOR.join(
                " ".join(row[name_field.name].split())
                for row in rows(record) or ()
                if row.get(name_field.name)
            ),
            derivation=("names", group.name, name_field.name),
        )
    )
    for item in group.fields:
        if item.kind is Kind.CHOICE:
            columns.append(
                Column(
                    f"{group.name}_{item.name}",
                    f"{group.label}: {item.label.lower()}",
                    f"Every {item.label.lower()} used by the {group.label.lower()}, as codes.",
                    pattern=codes_pattern(item.vocabulary.codes),
                    value=lambda record, name=item.name: list(
                        dict.fromkeys(row[name] for row in rows(record) or () if row.get(name))
                    ),
                    derivation=("codes", group.name, item.name),
                )
            )
    return columns


def _form_columns(*, summaries: bool) -> list[Column]:
    columns: list[Column] = []
    for section in schema.SECTIONS:
        for item in section.items:
            if isinstance(item, Group):
                if summaries:
                    columns.extend(summary_columns(item))
            else:
                columns.extend(field_columns(item))
    return columns


def entry_columns() -> list[Column]:
    """entries.csv and every search download: one row per entry, its current version."""
    return [*register_columns(), *provenance_columns(), *_form_columns(summaries=True)]


def version_columns() -> list[Column]:
    """versions.csv: one row per published version of every entry on the register."""
    return [
        *register_columns(("reference", "version")),
        kept_column(schema.PUBLISHED_AT),
        kept_column(schema.IS_CURRENT),
        *register_columns(("schema_version", "change_note")),
        *_form_columns(summaries=False),
    ]


def group_columns(group: Group, *, history: bool = False) -> list[Column]:
    """The table of one repeating group: one row per row of each entry's current version,
    or (`history`) of each of its published versions."""
    version = Column(
        "version",
        "Version",
        "The published version the row belongs to; with the reference, links to versions.csv.",
        type="integer",
        required=True,
        **_keyed("version"),
    )
    return [
        Column(
            "reference",
            "Reference",
            "The entry the row belongs to; links to entries.csv.",
            required=True,
            **_keyed("reference"),
        ),
        *([version] if history else []),
        Column(
            "position",
            "Position",
            "The row's place in the entry: 1, 2, ...",
            type="integer",
            required=True,
            **_keyed("position"),
        ),
        *(column for item in group.fields for column in field_columns(item)),
    ]


def organisation_columns() -> list[Column]:
    """organisations.csv: every organisation with an entry on the register."""
    return [
        Column("slug", "Identifier", "The organisation's short name in web addresses.",
               required=True, **_keyed("slug")),
        Column("name", "Name", "The organisation's name now. Versions published before a "
               "rename keep the name they were published under; organisation_names.csv has "
               "every name it went by.", required=True, **_keyed("name")),
        Column("type", "Type", "The kind of public body.", required=True,
               enum=ORGANISATION_TYPE.codes, **_keyed("type")),
        Column("website", "Website", "The organisation's own website.", format="uri",
               **_keyed("website")),
        Column("entries", "Entries", "How many entries the organisation has on the register.",
               type="integer", required=True, **_keyed("entries")),
    ]  # fmt: skip


def coverage_columns() -> list[Column]:
    """coverage.csv: every organisation the register knows of, those with no entries too."""
    return [
        Column("slug", "Identifier", "The organisation's short name in web addresses.",
               required=True, **_keyed("slug")),
        Column("name", "Name", "The organisation's name now.", required=True, **_keyed("name")),
        Column("type", "Type", "The kind of public body.", required=True,
               enum=ORGANISATION_TYPE.codes, **_keyed("type")),
        Column("identifier", "Reference identifier", "The organisation's code in the "
               "reference list it was loaded from, where known.", **_keyed("identifier")),
        Column("identifier_scheme", "Identifier scheme", "Which list the identifier is from "
               "(such as govuk for a GOV.UK organisation slug, gss for an ONS code, oin for a "
               "Dutch organisation identification number).", **_keyed("identifier_scheme")),
        Column("published_entries", "Published entries", "How many entries the organisation "
               "has published that the public can read now; 0 if it has recorded nothing.",
               type="integer", required=True, **_keyed("published_entries")),
    ]  # fmt: skip


def source_columns() -> list[Column]:
    """sources.csv: every register or inventory that entries on the register came from."""
    return [
        Column("name", "Name", "The source's name, as entries.csv gives it in `source`.",
               required=True, **_keyed("name")),
        Column("link", "Link", "The source's own page, where it has one.", **_keyed("link")),
        Column("format", "Format", "The format of the source's file, as the register's "
               "importer names it (such as us-2025 or atrs).", required=True,
               **_keyed("format")),
        Column("entries", "Entries", "How many entries on the register came from it.",
               type="integer", required=True, **_keyed("entries")),
        Column("last_imported_at", "Last imported", "When the source was last imported (UTC).",
               type="datetime", required=True, **_keyed("last_imported_at")),
    ]  # fmt: skip


def withdrawal_columns() -> list[Column]:
    """withdrawals.csv: every entry taken off the register after it was published."""
    return [
        Column("reference", "Reference", "The withdrawn entry's reference; its versions are no "
               "longer in the other tables.", required=True, **_keyed("reference")),
        Column("withdrawn_at", "Withdrawn", "When it was withdrawn (UTC).", type="datetime",
               required=True, **_keyed("withdrawn_at")),
        Column("reason", "Reason", "Why it was withdrawn, as its publisher told the public.",
               **_keyed("reason")),
    ]  # fmt: skip


def organisation_name_columns() -> list[Column]:
    """organisation_names.csv: every name each organisation has gone by, and when."""
    return [
        Column("slug", "Organisation", "The organisation's identifier, as organisations.csv "
               "gives it.", required=True, **_keyed("slug")),
        Column("name", "Name", "A name the organisation went by.", required=True,
               **_keyed("name")),
        Column("used_from", "Used from", "When the register first knew it by this name (UTC).",
               type="datetime", required=True, **_keyed("used_from")),
        Column("used_until", "Used until", "When it was renamed (UTC); empty for its name "
               "now.", type="datetime", **_keyed("used_until")),
    ]  # fmt: skip
