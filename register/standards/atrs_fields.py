"""The UK Algorithmic Transparency Recording Standard, version 4.0 (July 2025): its tiers,
sections and fields, and which of the register's answers fills each.

Tier 1 is one section, Summary Information; tier 2 has eight (owner and responsibility,
description and rationale, deployment context, tool, model, development data and
operational data specifications, and risks, mitigations and impact assessments). The fields
are version 3.0's published field table as version 4.0's change log and guidance change it:
third parties instead of external suppliers, the scope merged into the detailed
description, the decision-making process renamed the deployment context (its integration
and provided information merged, "Human decisions and review" now "Human review"),
system-level input and output added, datasets and their purposes merged, and the data
specification split into development and operational data. Version 4.0 dropped the
metadata fields (ID, function, capability and the dates), which GOV.UK now sets itself.

Each field's register source is a field whose name the ATRS importers read back into that
same field: the crosswalk's "atrs" name, or an alias the importer declares for a later
version's name (`importing.formats.atrs_record.ALIASES`), so an exported record imports as
the entry it came from. Two fields the importer reads by name into the register's answers
(system-level output into outputs, model architecture into the model) are declared in
`READ_BY_NAME`, and the one it keeps in Other information in `KEPT_AS_OTHER_INFORMATION`;
`tests/test_standards_atrs.py` holds every source to this.

A field with no source in the register, or one the entry left unanswered, has no value:
`answers` gives the reason instead. The standard asks teams to write "N/A" in such fields;
that is a team's statement about its tool, so the register never writes it for them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .. import schema
from ..schema import Kind
from .shape import Record

STANDARD = "Algorithmic Transparency Recording Standard"
STANDARD_VERSION = "4.0"
SOURCE = "atrs"

# Why a field has no value.
NO_SOURCE = "The register does not ask for this."
UNANSWERED = "The entry does not answer this."
DATA_SOURCES_ELSEWHERE = (
    "The register does not record which data sources the tool was built with and which it "
    "uses in operation: all of them are given under development data."
)
SHARING_ELSEWHERE = (
    "The register asks for sharing, access and retention in one answer, given under data "
    "access and storage."
)


@dataclass(frozen=True)
class AtrsField:
    """One field of the standard: its reference number (blank where the template gives
    none), its name, its attribute (the name as a snake_case key), and the register's field
    it is answered from ("group.field" for a repeating group's), or None with `reason`."""

    reference: str
    name: str
    source: str | None = None
    reason: str = NO_SOURCE

    @property
    def attribute(self) -> str:
        return "_".join("".join(c if c.isalnum() else " " for c in self.name.lower()).split())


@dataclass(frozen=True)
class AtrsSection:
    """A section of the template: a sheet of the workbook, an object of the JSON."""

    key: str
    title: str
    tier: int
    fields: tuple[AtrsField, ...]


F = AtrsField

SECTIONS: tuple[AtrsSection, ...] = (
    AtrsSection(
        "summary_information",
        "Summary Information",
        1,
        (
            F("1.1", "Name", "title"),
            F("1.2", "Description", "summary"),
            F("1.3", "Website URL", "web_page"),
            F("1.4", "Contact email", "contact_email"),
            F("", "Phase", "status"),
            F("", "Region"),
        ),
    ),
    AtrsSection(
        "owner_and_responsibility",
        "Owner and Responsibility",
        2,
        (
            F("2.1.1", "Organisation or department", "organisation"),
            F("2.1.2", "Team", "team"),
            F("2.1.3", "Senior responsible owner", "senior_responsible_owner"),
            F("2.1.4", "Third party involvement", "built_by"),
            F("2.1.4.1", "Third party", "supplier_name"),
            F("2.1.4.2", "Companies House Number", "supplier_company_number"),
            F("2.1.4.3", "Third party role"),
            F("2.1.4.4", "Procurement procedure type"),
            F("2.1.4.5", "Third party data access terms"),
        ),
    ),
    AtrsSection(
        "description_and_rationale",
        "Description and Rationale",
        2,
        (
            F("2.2.1", "Detailed description", "purpose"),
            F("2.2.2", "Benefits", "benefits"),
            F("2.2.3", "Previous process"),
            F("2.2.4", "Alternatives considered", "alternatives_considered"),
        ),
    ),
    AtrsSection(
        "deployment_context",
        "Deployment Context",
        2,
        (
            F("2.3.1", "Integration into broader operational process"),
            F("2.3.2", "Human review", "oversight_description"),
            F("2.3.3", "Frequency and scale of usage", "scale"),
            F("2.3.4", "Required training", "staff_training"),
            F("2.3.5", "Appeals and review", "appeal_process"),
        ),
    ),
    AtrsSection(
        "tool_specification",
        "Tool Specification",
        2,
        (
            F("2.4.1.1", "System architecture"),
            F("2.4.1.2", "System-level input"),
            F("2.4.1.3", "System-level output", "outputs"),
            F("2.4.1.4", "Maintenance", "monitoring"),
            F("2.4.1.5", "Models"),
        ),
    ),
    AtrsSection(
        "model_specification",
        "Model Specification",
        2,
        (
            F("2.4.2.1", "Model name"),
            F("2.4.2.2", "Model version"),
            F("2.4.2.3", "Model task"),
            F("2.4.2.4", "Model input"),
            F("2.4.2.5", "Model output"),
            F("2.4.2.6", "Model architecture", "model_description"),
            F("2.4.2.7", "Model performance", "performance"),
            F("2.4.2.8", "Datasets and their purposes", None, DATA_SOURCES_ELSEWHERE),
        ),
    ),
    AtrsSection(
        "development_data_specification",
        "Development Data Specification",
        2,
        (
            F("2.4.3.1", "Source data name", "data_sources.name"),
            F("2.4.3.2", "Data modality"),
            F("2.4.3.3", "Development data description", "data_sources.description"),
            F("2.4.3.4", "Data quantities"),
            F("2.4.3.5", "Sensitive attributes", "demographic_features"),
            F("2.4.3.6", "Data completeness and representativeness"),
            F("2.4.3.7", "Source data URL", "data_sources.link"),
            F("2.4.3.8", "Data collection", "data_sources.collection_method"),
            F("2.4.3.9", "Data cleaning"),
            F("2.4.3.10", "Data sharing agreements", None, SHARING_ELSEWHERE),
            F("2.4.3.11", "Data access and storage", "data_sources.sharing_access_retention"),
        ),
    ),
    AtrsSection(
        "operational_data_specification",
        "Operational Data Specification",
        2,
        (
            F("2.4.4.1", "Operational data description", None, DATA_SOURCES_ELSEWHERE),
            F("2.4.4.2", "Sensitive attributes", None, DATA_SOURCES_ELSEWHERE),
            F("2.4.4.3", "Data access and storage", None, DATA_SOURCES_ELSEWHERE),
        ),
    ),
    AtrsSection(
        "risks_mitigations_and_impact_assessments",
        "Risks, Mitigations and Impact Assessments",
        2,
        (
            F("2.5.1", "Impact assessment", "impact_assessments"),
            F("2.5.2", "Risks and mitigations", "risks"),
        ),
    ),
)

# The fields the ATRS importer reads into a register field by their own name rather than as
# the field's crosswalk name or an alias: what the tool produces is its system-level
# output, and the model the register describes is what the standard calls its architecture.
READ_BY_NAME = {"system_level_output": "outputs", "model_architecture": "model_description"}
# The demographic features the register records are the sensitive attributes the standard
# asks for; the importer has no field to read them into, and keeps them in Other information.
KEPT_AS_OTHER_INFORMATION = frozenset({"demographic_features"})

_FIELDS = {item.name: item for item in schema.all_fields()}
_GROUPS = {group.name: group for group in schema.groups()}


@dataclass(frozen=True)
class Answer:
    """A field of the standard for one entry: its value, or None and why there is none."""

    section: AtrsSection
    field: AtrsField
    value: str | None
    reason: str = ""
    # The label of the register's question it answers, for a reader of the workbook.
    asked_as: str = ""


def answers(record: Record) -> Iterator[Answer]:
    """Every field of the standard, in the template's order, answered from `record`."""
    for section in SECTIONS:
        for item in section.fields:
            if item.source is None:
                yield Answer(section, item, None, item.reason)
                continue
            value = _value(record, item.source)
            asked_as = _label(item.source)
            if value:
                yield Answer(section, item, value, "", asked_as)
            else:
                yield Answer(section, item, None, UNANSWERED, asked_as)


def _label(source: str) -> str:
    group_name, _, field_name = source.partition(".")
    if group_name in _GROUPS:
        group = _GROUPS[group_name]
        return f"{group.label}: {group.get(field_name).label}" if field_name else group.label
    return _FIELDS[source].label


def _value(record: Record, source: str) -> str | None:
    group_name, _, field_name = source.partition(".")
    if group_name in _GROUPS:
        rows = record.get(group_name) or []
        if field_name:
            return _joined_rows(rows, _GROUPS[group_name], field_name)
        return _described_rows(rows, _GROUPS[group_name])
    item = _FIELDS[source]
    value = record.get(source)
    if value in (None, "", []):
        return None
    if item.kind is Kind.ORGANISATION:
        return value["name"]
    if source == "built_by":
        # The standard asks only whether a third party was involved.
        return "No" if value == "in_house" else "Yes"
    if item.vocabulary is not None:
        choice = next(c for c in item.vocabulary.choices if c.code == value)
        return choice.crosswalk.get(SOURCE) or choice.label
    return str(value)


def _joined_rows(rows: list[dict[str, Any]], group: schema.Group, field_name: str) -> str | None:
    """One field of every row as one text: a row's own value when there is one row; with
    several, each row's value after its name, so the text says which row it is about."""
    name_field = next(item.name for item in group.fields if item.kind is Kind.TEXT)
    filled = [row for row in rows if row.get(field_name)]
    if not filled:
        return None
    if len(rows) == 1 or field_name == name_field:
        return "\n".join(str(row[field_name]) for row in filled)
    return "\n\n".join(f"{row[name_field]}: {row[field_name]}" for row in filled)


def _described_rows(rows: list[dict[str, Any]], group: schema.Group) -> str | None:
    """Every row of a group as paragraphs of text, since the standard asks for the risks,
    and the impact assessments, in one text each: a row's fields each on a line, labelled,
    choices by their labels."""
    paragraphs = []
    for row in rows:
        lines = []
        for item in group.fields:
            value = row.get(item.name)
            if value in (None, ""):
                continue
            if item.vocabulary is not None:
                value = item.vocabulary.label_for(value)
            lines.append(f"{item.label}: {value}")
        if lines:
            paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs) or None
