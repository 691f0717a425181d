"""The US federal AI use case inventory's 2025 columns: one CSV row per entry, with the
inventory's own column names, in its order, and its values as the consolidated file writes
them (the data dictionary's shorthand codes: "Deployed", "Classical ML", "Yes").

Which field fills a column is read from the record definition's crosswalk for "us", the same
names the importer (`--format us-2025`) reads; the few columns answered from the register's
own keeping (the identifier, whether answers are withheld) are declared here. A column the
record has no source for stays blank, the inventory's own "not reported"; `docs/standards.md`
says why for each. The file is the inventory's shape and nothing else, so readers and the
importer take it as it is: the record schema version it follows is named in the shape's
summary and the documentation, not in the file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from .. import schema
from ..opendata.columns import Column
from ..opendata.writers import csv_chunks
from ..schema import Field, Kind
from .shape import Record, Shape, Writing

SOURCE = "us"

# The 2025 consolidated file's 36 columns, in its order (its data dictionary, 1 to 36).
INVENTORY_COLUMNS: tuple[str, ...] = (
    "agency",
    "agency_name",
    "id",
    "use_case_name",
    "agency_bureau",
    "contact_email",
    "is_withheld",
    "development_stage",
    "is_high_impact",
    "HI_justification",
    "topic_area",
    "classification",
    "problem_solved",
    "benefits",
    "system_outputs",
    "operational_date",
    "contracting_usage",
    "vendor_name",
    "have_ato",
    "system_name_ato",
    "data_description",
    "link_to_data",
    "has_pii",
    "pia_url",
    "demographic_features",
    "has_custom_code",
    "code_url",
    "hi_testing_conducted",
    "hi_assessment_completed",
    "hi_potential_impacts",
    "hi_independent_review",
    "hi_ongoing_monitoring",
    "hi_training_established",
    "hi_failsafe_presence",
    "hi_appeal_process",
    "hi_public_consultation",
)

# The consolidated file writes who built the tool by its shorthand codes; the vocabulary's
# crosswalk keeps the data dictionary's full answers, which the importer reads too.
CONTRACTING_USAGE = {
    "in_house": "In-house Development",
    "external_supplier": "Vendor Purchased",
    "both": "Contracting and In House",
}
# M-25-21's high-impact use is the 2024 rights- or safety-impacting use (the importer's
# reading, in `us_derived`): an effect on rights, safety or both is high-impact.
HIGH_IMPACT = {
    "rights": "High-impact",
    "safety": "High-impact",
    "both": "High-impact",
    "neither": "Not High-impact",
}
# An entry that withholds answers (its record's "withheld" list) is, in part, withheld from
# public reporting; the answers themselves are blank, as the inventory leaves them then.
NOT_WITHHELD = "No"
WITHHELD = "Yes"
# How the file writes a select-multiple question nobody answered.
NO_SELECTION = "[]"
# The classification for a technique the inventory does not list (rule-based, deep learning,
# speech, forecasting, optimisation): the data dictionary's own "Other".
OTHER_CLASSIFICATION = "Other"


def _crosswalked() -> dict[str, tuple[str | None, Field]]:
    """Each inventory column a field's crosswalk names: (its group or None, the field)."""
    found: dict[str, tuple[str | None, Field]] = {}
    for item in schema.all_fields():
        if SOURCE in item.crosswalk:
            found[item.crosswalk[SOURCE]] = (None, item)
    for group in schema.groups():
        for item in group.fields:
            if SOURCE in item.crosswalk:
                found[item.crosswalk[SOURCE]] = (group.name, item)
    return found


def _inventory_values(item: Field) -> dict[str, str]:
    """Each code of the field's vocabulary as the inventory writes it, where it has one."""
    choices = item.vocabulary.choices if item.vocabulary else ()
    return {
        choice.code: choice.crosswalk[SOURCE] for choice in choices if SOURCE in choice.crosswalk
    }


def _choice(item: Field) -> Callable[[Record], str]:
    """A vocabulary answer as the inventory's value; blank where the inventory has none."""
    values = CONTRACTING_USAGE if item.name == "built_by" else _inventory_values(item)
    return lambda record: values.get(record.get(item.name) or "", "")


def _classification(item: Field) -> Callable[[Record], str]:
    """Every technique as the inventory classifies it, in the file's list separator."""
    values = _inventory_values(item)

    def value(record: Record) -> str:
        named = [values.get(code) or OTHER_CLASSIFICATION for code in record.get(item.name, [])]
        return "; ".join(dict.fromkeys(named))

    return value


def _yes_no(name: str) -> Callable[[Record], str]:
    return lambda record: {True: "Yes", False: "No"}.get(record.get(name), "")


def select_multiple(text: str | None) -> str:
    """Free text listing answers ("Age; Sex") as the file writes a select-multiple cell: a
    Python-style list (['Age', 'Sex']). An answer holding both kinds of quote cannot be
    quoted so that the importer reads it back, so such text is written as it is."""
    answers = [" ".join(part.split()) for part in (text or "").split(";")]
    answers = [answer for answer in answers if answer]
    if any("'" in answer and '"' in answer for answer in answers):
        return "; ".join(answers)
    quoted = (f'"{answer}"' if "'" in answer else f"'{answer}'" for answer in answers)
    return f"[{', '.join(quoted)}]"


def _data_description(record: Record) -> str:
    """What the data sources are: one source's description (or its name), or, for several,
    each named, a line each."""
    sources = record.get("data_sources") or []
    if len(sources) == 1:
        return sources[0].get("description") or sources[0].get("name") or ""
    return "\n".join(
        ": ".join(part for part in (source.get("name"), source.get("description")) if part)
        for source in sources
    )


def _links(group: str, name: str, kind: str | None = None) -> Callable[[Record], str]:
    """The rows' links, space-separated as the file writes several; `kind` keeps only the
    impact assessments of that kind (a privacy impact assessment is a data protection one)."""

    def value(record: Record) -> str:
        rows = record.get(group) or []
        return " ".join(
            row[name] for row in rows if row.get(name) and (kind is None or row.get("kind") == kind)
        )

    return value


def _field_value(group: str | None, item: Field) -> Column:
    """The column a crosswalked field fills, written as the inventory writes its kind."""
    name = item.crosswalk[SOURCE]
    if group == "data_sources" and item.name == "description":
        return Column(name, name, value=_data_description)
    if group == "impact_assessments":
        return Column(name, name, value=_links(group, item.name, "data_protection"))
    if group is not None:
        return Column(name, name, value=_links(group, item.name))
    if item.kind is Kind.ORGANISATION:
        return Column(name, name, value=lambda record: (record.get(item.name) or {}).get("name"))
    if item.kind is Kind.CHOICE:
        return Column(name, name, value=_choice(item))
    if item.kind is Kind.CHOICES:
        return Column(name, name, value=_classification(item))
    if item.kind is Kind.BOOLEAN:
        return Column(name, name, value=_yes_no(item.name))
    if item.name == "demographic_features":
        return Column(name, name, value=lambda record: select_multiple(record.get(item.name)))
    return Column(name, name, key=item.name)


# The columns answered from what the register keeps rather than from a field's crosswalk.
KEPT: dict[str, Callable[[Record], Any]] = {
    "id": lambda record: record.get("reference"),
    "is_withheld": lambda record: WITHHELD if record.get("withheld") else NOT_WITHHELD,
    "is_high_impact": lambda record: HIGH_IMPACT.get(record.get("rights_safety_effect") or ""),
    "hi_public_consultation": lambda record: NO_SELECTION,
}


CROSSWALKED = _crosswalked()
# The columns no record fills: the documentation says why each stays blank.
NEVER_FILLED = tuple(name for name in INVENTORY_COLUMNS if name not in {*CROSSWALKED, *KEPT})


def _column(name: str) -> Column:
    """One inventory column with where its value comes from; blank if from nowhere."""
    if name in CROSSWALKED:
        return _field_value(*CROSSWALKED[name])
    if name in KEPT:
        return Column(name, name, value=KEPT[name])
    return Column(name, name)


COLUMNS = tuple(_column(name) for name in INVENTORY_COLUMNS)


def many(records: Iterable[Record]) -> Iterator[bytes]:
    """The records as one inventory CSV, streamed (the register's CSV rules: RFC 4180,
    UTF-8, cells that could run as a formula guarded)."""
    return csv_chunks(COLUMNS, records)


def one(record: Record) -> bytes:
    """One entry as an inventory CSV of one row."""
    return b"".join(many([record]))


SHAPE = Shape(
    code="us-inventory-2025",
    label="US federal AI use case inventory (2025 columns)",
    summary="One row per entry with the 36 columns of the US federal inventory of 2025, "
    "its codes as the consolidated file writes them; columns the register has no answer "
    f"for are blank. Follows the register's record schema version {schema.SCHEMA_VERSION}.",
    writings=(
        Writing(
            extension="csv",
            media_type="text/csv",
            label="CSV",
            one=one,
            many=many,
        ),
    ),
    import_format="us-2025",
    docs_anchor="us-federal-ai-use-case-inventory-2025-columns",
)
