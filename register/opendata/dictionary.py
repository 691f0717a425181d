"""The data dictionary, generated from the record definition: every field, its type, whether
publishing needs it, its vocabulary, and what other registers call it.

The open-data page shows `sections()`; `markdown()` writes `docs/data-dictionary.md`
(`flask register data-dictionary > docs/data-dictionary.md`), and a test fails when the
committed file is out of date.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import schema
from ..schema import CROSSWALK_SOURCES, Field, Group, KeptField, Kind, Vocabulary
from ..schema.cells import FORMULA_STARTS, NEUTRALISING_PREFIX
from ..schema.vocabularies import ORGANISATION_TYPE
from .columns import CODE_SEPARATOR, welsh_description
from .package import tables

KIND_NAMES = {
    Kind.TEXT: "Text",
    Kind.LONG_TEXT: "Long text",
    Kind.EMAIL: "Email address",
    Kind.URL: "Web address",
    Kind.PARTIAL_DATE: "Partial date: YYYY, YYYY-MM or YYYY-MM-DD",
    Kind.CHOICE: "One code",
    Kind.CHOICES: "One or more codes",
    Kind.BOOLEAN: "Yes or no (true or false)",
    Kind.ORGANISATION: "Organisation",
    Kind.INTEGER: "Whole number",
    Kind.DATE: "Date: YYYY-MM-DD",
    Kind.DATETIME: "Date and time, UTC: YYYY-MM-DDThh:mm:ssZ",
}


@dataclass(frozen=True)
class DictionaryField:
    code: str
    label: str
    type: str
    required: str
    description: str
    vocabulary: Vocabulary | None = None
    crosswalk: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class DictionarySection:
    title: str
    description: str
    fields: list[DictionaryField]


def _type(item: Field) -> str:
    name = KIND_NAMES[item.kind]
    if item.kind in (Kind.TEXT, Kind.LONG_TEXT) and item.max_length:
        return f"{name}, up to {item.max_length:,} characters"
    if item.vocabulary is not None:
        return f"{name} from the {item.vocabulary.label.lower()} vocabulary"
    return name


def _required(item: Field) -> str:
    if item.required:
        return "Required"
    if item.required_if:
        other_name, codes = item.required_if
        other = next(f for f in schema.all_fields() if f.name == other_name)
        labels = " or ".join(other.vocabulary.label_for(code) for code in codes)
        return f"Required when {other.label.lower()} is {labels}"
    return "Optional"


ORGANISATION_NOTE = (
    "In CSV, three columns: organisation (the name), organisation_slug and organisation_type; "
    "in JSON, an object with name, slug and type. The type is a code from the organisation "
    "type vocabulary below."
)


def _checks(item: Field) -> str:
    """What the register checks of an answer besides its type, as a reader of the files
    needs it: the rules of `schema.Field`, written with field codes."""
    found = []
    if item.pattern:
        found.append(f"Letters and digits, with at least one digit (the pattern {item.pattern})")
    if item.not_after_today:
        found.append("Not in the future")
    for rule in item.rules:
        said = (
            "Not in the future" if rule.not_after_today else f"Not earlier than {rule.not_before}"
        )
        if rule.when:
            said += f" when {rule.when[0]} is {' or '.join(rule.when[1])}"
        found.append(said)
    return ". ".join(found)


def _entry(item: Field, code: str | None = None) -> DictionaryField:
    description = welsh_description(item) if item.welsh_of else item.hint
    if item.kind is Kind.ORGANISATION:
        description = f"{description}. {ORGANISATION_NOTE}"
    checks = _checks(item)
    if checks:
        description = f"{description.rstrip('.')}. {checks}." if description else f"{checks}."
    return DictionaryField(
        code=code or item.name,
        label=item.label,
        type=_type(item),
        required=_required(item),
        description=description,
        vocabulary=item.vocabulary,
        crosswalk=dict(item.crosswalk),
    )


def _kept(item: KeptField, where: str = "") -> DictionaryField:
    """A field the register keeps; `where` it is found, if not in every table of entries."""
    description = item.description
    if where:
        description = f"{description.rstrip('.')}; {where}."
    return DictionaryField(
        code=item.name,
        label=item.label,
        # The register writes its own text, so its length is no concern of a reader's.
        type="Text" if item.kind in (Kind.TEXT, Kind.LONG_TEXT) else KIND_NAMES[item.kind],
        required="Always" if item.always else "",
        description=description,
    )


def sections() -> list[DictionarySection]:
    """The dictionary: the register's own fields, then each section and repeating group."""
    kept = DictionarySection(
        "Kept by the register",
        "Set by the register when an entry is published; never typed in.",
        [
            *(_kept(item) for item in schema.REGISTER_FIELDS),
            _kept(schema.PUBLISHED_AT, "in JSON records and versions.csv"),
        ],
    )
    provenance = DictionarySection(
        "Where the entry came from",
        "For entries imported from another register's file: the latest import. Empty for "
        "entries written on this register. The data package's sources table says more of "
        "each source.",
        [_kept(item) for item in schema.PROVENANCE_FIELDS],
    )
    found = [kept, provenance]
    for section in schema.SECTIONS:
        found.append(
            DictionarySection(
                section.title,
                section.description,
                [_entry(item) for item in section.fields],
            )
        )
        for group in section.groups:
            found.append(_group_section(group))
    return found


def _group_section(group: Group) -> DictionarySection:
    crosswalk = ", ".join(
        f"{CROSSWALK_SOURCES[source]}: {name}" for source, name in group.crosswalk.items()
    )
    description = f"{group.hint}. Repeating: any number of rows, in their own table."
    if crosswalk:
        description += f" Elsewhere: {crosswalk}."
    return DictionarySection(
        f"{group.label} (repeating)",
        description,
        [_entry(item, f"{group.name}[].{item.name}") for item in group.fields],
    )


def vocabularies() -> list[Vocabulary]:
    """Every vocabulary the record uses, in the order fields first use them, then the
    organisation type that each entry's organisation carries."""
    used: dict[str, Vocabulary] = {}
    for item in [*schema.all_fields(), *(f for g in schema.groups() for f in g.fields)]:
        if item.vocabulary is not None:
            used.setdefault(item.vocabulary.name, item.vocabulary)
    used.setdefault(ORGANISATION_TYPE.name, ORGANISATION_TYPE)
    return list(used.values())


def conventions() -> list[str]:
    """How the files are written, one point each, in Markdown."""
    starts = ", ".join(
        {"\t": "a tab", "\r": "a carriage return"}.get(c, f"`{c}`") for c in sorted(FORMULA_STARTS)
    )
    return [
        "CSV files follow RFC 4180: comma separated, a header row, fields quoted when they "
        "hold a comma, a quote or a line break, quotes doubled, lines ending CRLF. They are "
        "UTF-8 without a byte order mark; in a spreadsheet, open them with its import "
        "command and choose UTF-8.",
        "Column names are the field codes below. Vocabulary fields hold codes, not labels; "
        "the labels are listed below and at `/api/v1/vocabularies`.",
        f"Fields with several codes (such as techniques) join them with `{CODE_SEPARATOR}`.",
        f"The register is in English and Welsh. A field whose code ends `{schema.WELSH_SUFFIX}` "
        f"(BCP 47 language tag `{schema.WELSH}`, Welsh) holds the Welsh version of the answer "
        f"in the field of the same code without it (`summary{schema.WELSH_SUFFIX}` beside "
        "`summary`), in the same place in every file; every other text field is in English, "
        "or as the organisation wrote it. Names, references and addresses are not translated.",
        "In entries.csv each repeating group is summarised in its own columns: how many rows "
        "(`_count`), each row's name or title one per line, and the codes its rows use. The "
        "rows themselves are in their own tables of the data package.",
        "Yes-or-no fields are `true` or `false`; an empty cell means not answered.",
        f"A cell that would start with {starts} gets a single quote (`{NEUTRALISING_PREFIX}`) "
        "in front, so a spreadsheet cannot run it as a formula (as OWASP advises against CSV "
        "injection). So that the rule can always be undone, a value that itself starts with a "
        "single quote gets one more too: whenever a cell starts with a single quote, remove "
        "exactly that one to get the text as it was written. JSON is never changed this way, "
        "and importing the register's own CSV undoes it.",
        "JSON downloads are one array with a record per line; a record has every field "
        "(repeating groups as lists of objects) and is exactly what the API and "
        "`flask register import --format native` use.",
        "NDJSON downloads (`/entries.ndjson`, which takes the same search and filters) hold "
        "the records of the JSON download, one a line, each line ending LF; a line break "
        "inside a value is escaped, so every line is a whole record.",
        "Each table is also a Parquet file, `/download/<table>.parquet`, with the CSV's "
        "columns in the same order. Columns the package types as integer, boolean, date or "
        "datetime are Parquet 64-bit integers, booleans, dates and timestamps to the second "
        "in UTC; every other column is text, as in the CSV (several codes joined by "
        f"`{CODE_SEPARATOR}`), kept as it was written: without the quote the CSV puts in "
        "front of what a spreadsheet would run.",
        "`/download/catalogue.jsonld` describes the register, every download and the API in "
        "DCAT-AP 3.0 (JSON-LD), for data portals to harvest.",
        "Entries imported from another register's file are published as their source "
        "recorded them: a question required to publish may be empty there (the entry page "
        "says “Not recorded” in that source). Their `source` columns say where each came "
        "from, and the data package's sources table describes each source.",
        "`/entries.csv`, `/entries.json` and `/entries.atom` take the listing's search and "
        "filters, `source` among them (a source's name, or `written_here` for entries "
        "written on this register). A value that is not known is refused with a JSON error "
        "naming the parameter, rather than left out.",
    ]


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())


def markdown() -> str:
    """The data dictionary as Markdown, for `docs/data-dictionary.md`."""
    sources = list(CROSSWALK_SOURCES)
    lines = [
        "# Data dictionary",
        "",
        "<!-- Generated by `flask register data-dictionary`; do not edit by hand. -->",
        "",
        f"Schema version {schema.SCHEMA_VERSION}. Every entry on the register follows this "
        "record. The same definition produces the forms, the entry pages, the API, the "
        "downloads and this page.",
        "",
        "## How the files are written",
        "",
        *(f"- {point}" for point in conventions()),
        "",
        "## Fields",
        "",
        "Crosswalk columns give the name of the same field in "
        + ", ".join(f"{CROSSWALK_SOURCES[s]} ({s.upper()})" for s in sources)
        + ".",
    ]
    header = ["Code", "Label", "Type", "Publishing", "Description", *(s.upper() for s in sources)]
    for section in sections():
        lines += ["", f"### {section.title}", ""]
        if section.description:
            lines += [section.description, ""]
        lines += ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
        for item in section.fields:
            description = item.description
            if item.vocabulary is not None:
                codes = ", ".join(f"`{code}`" for code in item.vocabulary.codes)
                sentence = f"{description.rstrip('.')}. " if description else ""
                description = f"{sentence}Codes: {codes}."
            cells = [
                f"`{item.code}`",
                item.label,
                item.type,
                item.required,
                description,
                *(item.crosswalk.get(source, "") for source in sources),
            ]
            lines.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
    lines += ["", "## Vocabularies"]
    for vocabulary in vocabularies():
        lines += ["", f"### {vocabulary.label} (`{vocabulary.name}`)", ""]
        lines += ["| Code | Label | Hint |", "| --- | --- | --- |"]
        for choice in vocabulary.choices:
            lines.append(f"| `{choice.code}` | {_cell(choice.label)} | {_cell(choice.hint)} |")
    lines += [
        "",
        "## Tables of the data package",
        "",
        "`/download/register.zip` holds these tables as CSV files and a `datapackage.json` "
        "describing them (Frictionless Data Package, with a Table Schema for each). Each "
        "table is also at `/download/<name>.csv` and, typed, `/download/<name>.parquet`.",
    ]
    for table in tables():
        lines += ["", f"### {table.path}", "", table.description, ""]
        lines.append(
            f"Primary key: {', '.join(f'`{k}`' for k in table.primary_key)}. Columns: "
            + ", ".join(f"`{column.name}`" for column in table.columns)
            + "."
        )
    return "\n".join(lines) + "\n"
