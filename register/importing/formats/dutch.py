"""The Dutch national algorithm register's publication standard (Algoritmeregister
publicatiestandaard) version 1.0: one entry as a JSON object, or several as an array.

Property names come from the record definition's crosswalk for "nl" (the standard's JSON
Schema names them: `name`, `purpose_and_impact`, `human_intervention`, ...). The standard
asks a few long texts where the record asks many questions, so several fields share one
property: the crosswalk names each such field's paragraph ("purpose_and_impact › Benefits"
is the paragraph headed "Benefits:"), and a field named by the bare property takes its words
before any heading (the purpose, the model, how people oversee the tool), which is where a
Dutch organisation's own text goes. Repeating rows are written the same way, a block a row,
headed by the row's kind ("Risk: Unfair ranking"), a line headed by its label for each of
its other fields. Before a record is mapped, each shared text is cut into a cell per
paragraph, named as the crosswalk names it, so the fields are read like any other.

Suppliers and the register's own API still write the shape of the register's management
module (`goal`, `proportionality`, `provider`, `lawful_basis`, `publiccode`, ...): its
texts are read as the standard's (`TEXT_ALIASES`), its other names are the format's
`ALIASES`. Texts written as HTML are read as plain text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO, Any

from ... import schema
from ...schema import Field, Group, Kind
from ..files import DEFAULT_LIMITS, ReadLimits, SourceRecord, json_records
from ..html_pages import read_page
from ..mapping import Mapper, kept_unreadable, row_label
from ..values import Unreadable, read_code, read_date, read_yes_no
from . import Format

SOURCE = "nl"
# Between a property and the heading of a paragraph in it, in the crosswalk's names.
PARAGRAPH = " › "
# The cell holding the blocks of rows a property's text was written with.
ROWS = "rows"

# Where each repeating group's rows are written in full, a block a row.
GROUP_TEXTS = {
    "data_sources": "data",
    "risks": "risk_management",
    "impact_assessments": "impact_assessment_explanation",
}
# The shared texts no field leads: their words before any heading (a Dutch organisation's
# prose) go to a paragraph named as the standard names the property, which describes a risk
# or a data source of that name.
PROSE = {"risk_management": "Risicobeheer", "data": "Gegevens"}

# The management module's names (the register's API and the suppliers' templates) for the
# standard's properties.
ALIASES: dict[str, tuple[str, ...]] = {
    "policy_area": ("category",),
    "in_use_from": ("begin_date",),
    "contact_email": ("contact_email",),
    "web_page": ("website",),
    "alternatives_considered": ("proportionality",),
    "legal_basis": ("lawful_basis",),
    "techniques": ("type",),
    "supplier_name": ("provider",),
    "built_by": ("supplier", "provider"),
    "source_code_url": ("publiccode",),
    "data_sources.link": ("source_data_link",),
    "impact_assessments.title": ("impacttoetsen",),
    # The words of the data and risk management texts under no heading of the register's.
    "data_sources.description": ("data › Gegevens",),
    "risks.description": ("risk_management › Risicobeheer",),
}
# The management module's texts, read as the standard's.
TEXT_ALIASES = {
    "goal": "purpose_and_impact",
    "methods_and_models": "technical_operation",
    "risks": "risk_management",
    "source_data": "data",
}

# The themes of official publications the vocabulary's crosswalk does not name, as the
# function of government (UN COFOG) each falls under: roads and transport and labour are
# economic affairs (04.5, 04.1), spatial planning community development (06.2), public
# finance, administration and foreign affairs general public services (01.1), the courts
# public order and safety (03.3).
THEMES = {
    "Bestuur": "general_public_services",
    "Overheidsfinanciën": "general_public_services",
    "Internationaal": "general_public_services",
    "Verkeer": "economic_affairs",
    "Werk": "economic_affairs",
    "Ruimte en infrastructuur": "housing_community",
    "Recht": "public_order_safety",
}
# Several statuses of the register's share one of the standard's; reading, the likelier.
STATUSES = {"In ontwikkeling": "in_development", "In gebruik": "in_use"}
# The management module's kinds of algorithm.
TECHNIQUES = {"Op regels gebaseerd": "rule_based", "Zelflerend": "classical_ml"}
# The management module's publication category, without the standard's "(Categorie A)".
CATEGORIES = {"Hoog-risico AI-systeem": "high_risk"}
# What the file says of itself rather than of the tool: not answers.
OWN_KEYS = (
    "language",
    "schema",
    "lang",
    "standard_version",
    "$comment",
    "not_filled_in",
    "shortened",
    "uuid",
    "url",
    "source_link",
)

# A heading and the text under it; a text's words before any heading have none.
Block = tuple[str, str]
# How the management module's editor starts a text; "<info@gemeente.nl>" is no HTML.
_HTML = re.compile(r"<(?:p|div|span|ul|ol|h[1-6]|br|strong|em)\b", re.IGNORECASE)

_GROUPS = {group.name: group for group in schema.groups()}
_BUILT_BY = next(item for item in schema.all_fields() if item.name == "built_by")


def crosswalked() -> list[Field]:
    """The record's fields the standard has a property (or a paragraph of one) for."""
    return [item for item in schema.all_fields() if SOURCE in item.crosswalk]


def shared_texts() -> dict[str, dict[str, Field]]:
    """The standard's properties that hold several fields: for each, the heading of each
    field's paragraph ("" for the field that takes the words before any heading), in the
    form's order."""
    found: dict[str, dict[str, Field]] = {}
    for item in crosswalked():
        prop, _, heading = item.crosswalk[SOURCE].partition(PARAGRAPH)
        found.setdefault(prop, {})[heading] = item
    return {prop: fields for prop, fields in found.items() if len(fields) > 1}


def item_heading(group: Group) -> str:
    """What heads a block holding one row of the group: "Risk", "Data source"."""
    return group.item_label.capitalize()


def split_headed(text: str, headings: list[str]) -> tuple[str, list[Block]]:
    """The words before the first of `headings` to start a line, and each (heading, text)
    after, in order."""
    names = sorted({re.escape(heading) for heading in headings if heading}, key=len)
    if not names:
        return text.strip(), []
    # Longest first, so "Risk level" is not read as "Risk" followed by " level".
    pattern = re.compile(rf"^(?P<heading>{'|'.join(reversed(names))}): ?", re.MULTILINE)
    found = list(pattern.finditer(text))
    blocks = []
    for number, match in enumerate(found):
        end = found[number + 1].start() if number + 1 < len(found) else len(text)
        blocks.append((match["heading"], text[match.end() : end].strip()))
    return text[: found[0].start() if found else len(text)].strip(), blocks


def plain(raw: Any) -> Any:
    """A text as the file gives it, as plain text if it is written in HTML; any other value
    as it is."""
    if not isinstance(raw, str) or not _HTML.match(raw.lstrip()):
        return raw
    page = read_page(raw)
    parts = [page.title, *(f"{part.heading}\n{part.text}".strip() for part in page.sections)]
    return "\n\n".join(part for part in parts if part).strip()


def _texts() -> dict[str, tuple[str, ...]]:
    """Each property whose text holds paragraphs or rows, with the headings it may hold."""
    found: dict[str, list[str]] = {
        prop: [heading for heading in fields if heading] for prop, fields in shared_texts().items()
    }
    for group_name, prop in GROUP_TEXTS.items():
        found.setdefault(prop, []).append(item_heading(_GROUPS[group_name]))
    return {prop: tuple(headings) for prop, headings in found.items()}


def paragraphs(cells: dict[str, Any]) -> dict[str, Any]:
    """The record's cells with each shared text cut into its paragraphs, a cell each, named
    as the crosswalk names them ("purpose_and_impact › Benefits"); the words before any
    heading stay in the property's own cell (or go to its `PROSE` paragraph), and the
    blocks of rows go to its "› rows" cell."""
    cells = {key: plain(value) for key, value in cells.items()}
    for key, value in list(cells.items()):
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            # A list of themes, read as a cell listing several values.
            cells[key] = "; ".join(value)
    for alias, prop in TEXT_ALIASES.items():
        if prop not in cells and alias in cells:
            cells[prop] = cells.pop(alias)
    groups = {item_heading(_GROUPS[name]) for name in GROUP_TEXTS}
    for prop, headings in _texts().items():
        text = cells.get(prop)
        if not isinstance(text, str):
            continue
        words, blocks = split_headed(text, list(headings))
        if prop in PROSE:
            blocks.insert(0, (PROSE[prop], words))
            words = ""
        cells[prop] = words
        rows = [f"{heading}: {block}" for heading, block in blocks if heading in groups]
        if rows:
            cells[f"{prop}{PARAGRAPH}{ROWS}"] = "\n\n".join(rows)
        for heading, block in blocks:
            if heading not in groups:
                cell = f"{prop}{PARAGRAPH}{heading}"
                cells[cell] = f"{cells[cell]}\n\n{block}" if cells.get(cell) else block
    return cells


def read_records(stream: IO[bytes], limits: ReadLimits = DEFAULT_LIMITS) -> Iterator[SourceRecord]:
    """The file's JSON records, each with its shared texts cut into paragraphs."""
    for record in json_records(stream, limits):
        yield SourceRecord(record.number, paragraphs(record.cells), record.where)


def _rows(mapper: Mapper, group: Group) -> bool:
    """The group's rows written in full, a block each, as the register writes them; whether
    the file has any. A value a row cannot take is kept in Other information."""
    cell = f"{GROUP_TEXTS[group.name]}{PARAGRAPH}{ROWS}"
    text = mapper.cell(cell)
    if not text:
        return False
    fields = {item.label: item for item in group.fields}
    name_field = next(item for item in group.fields if item.kind is Kind.TEXT)
    _, blocks = split_headed(text, [item_heading(group)])
    for number, (_, block) in enumerate(blocks, start=1):
        first, _, rest = block.partition("\n")
        _, parts = split_headed(rest, list(fields))
        row: dict[str, Any] = {}
        for label, value in [(name_field.label, first.strip()), *parts]:
            item = fields[label]
            try:
                answer = _row_value(mapper, item, value)
            except Unreadable as unreadable:
                mapper.keep(
                    row_label(group, number, item.label), value, kept_unreadable(unreadable)
                )
                continue
            if answer not in ("", None):
                row[item.name] = answer
        if row:
            mapper.entry.rows.setdefault(group.name, []).append(row)
    # The standard's own properties for the group repeat the first row, for its readers.
    mapper.use(
        *(column for spec in mapper.row_columns(group.name).values() for column in _all(spec))
    )
    return True


def _row_value(mapper: Mapper, item: Field, text: str) -> Any:
    if item.kind is Kind.CHOICE:
        return read_code(item.vocabulary, text, source=SOURCE)
    if item.kind is Kind.BOOLEAN:
        return read_yes_no(text)
    if item.kind is Kind.PARTIAL_DATE:
        return read_date(text, day_first=mapper.day_first)
    return text


def _all(spec: str | tuple[str, ...]) -> tuple[str, ...]:
    return (spec,) if isinstance(spec, str) else spec


def _answer(mapper: Mapper, item: Field) -> None:
    """One field from the property (or paragraph) its crosswalk names, or an alias."""
    if item.name == "policy_area":
        mapper.choice_where_known(item.name, *mapper.columns_for(item.name), synonyms=THEMES)
    elif item.name == "eu_ai_act_category":
        mapper.choice_where_known(item.name, *mapper.columns_for(item.name), synonyms=CATEGORIES)
    elif item.name == "organisation":
        mapper.organisation()
    elif item.name == "supplier_name":
        _supplier(mapper)
    elif item.name == "built_by":
        # Its aliases name the supplier, read for it only as "Intern ontwikkeld".
        mapper.choice(item.name, item.crosswalk[SOURCE])
    elif item.name == "status":
        mapper.choice(item.name, synonyms=STATUSES)
    elif item.kind is Kind.CHOICES:
        mapper.choices(item.name, synonyms=TECHNIQUES)
    elif item.kind is Kind.CHOICE:
        mapper.choice(item.name)
    elif item.kind is Kind.BOOLEAN:
        mapper.yes_no(item.name)
    elif item.kind is Kind.PARTIAL_DATE:
        mapper.date(item.name)
    else:
        mapper.text(item.name)


def _supplier(mapper: Mapper) -> None:
    """The supplier's name; or the standard's "Intern ontwikkeld" (built in-house), which
    says who built the tool where the technical operation text does not."""
    if "built_by" not in mapper.entry.values:
        mapper.choice_where_known("built_by", *ALIASES["built_by"])
    _, value = mapper.peek(*mapper.columns_for("supplier_name"))
    try:
        in_house = read_code(_BUILT_BY.vocabulary, value, source=SOURCE) == "in_house"
    except Unreadable:
        in_house = False
    if in_house:
        mapper.use(*mapper.columns_for("supplier_name"))
    else:
        mapper.text("supplier_name")


def map_dutch(mapper: Mapper) -> None:
    # The management module's files name an entry by `id` and leave `source_id` empty.
    mapper.identifier(next((c for c in ("source_id", "id") if mapper.peek(c)[1]), "source_id"))
    mapper.use(*OWN_KEYS, "source_id", "id")
    for item in crosswalked():
        _answer(mapper, item)
    if not _rows(mapper, _GROUPS["risks"]):
        mapper.row("risks", name=PROSE["risk_management"])
    if not _rows(mapper, _GROUPS["data_sources"]):
        columns = mapper.row_columns("data_sources")
        mapper.row("data_sources", columns, name=PROSE["data"])
    if not _rows(mapper, _GROUPS["impact_assessments"]):
        mapper.row("impact_assessments")


FORMAT = Format(
    name="nl-algoritmeregister",
    label="Dutch algorithm register (publication standard 1.0, JSON)",
    source=SOURCE,
    map=map_dutch,
    columns=("name",),
    day_first=True,
    reads="json",
    aliases=ALIASES,
    read=read_records,
    source_name="Dutch national algorithm register",
    source_url="https://algoritmes.overheid.nl/",
)

FORMATS = (FORMAT,)
