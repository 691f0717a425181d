"""The Dutch national algorithm register's publication standard (Algoritmeregister
publicatiestandaard) version 1.0.0: each entry as one JSON object with the standard's
properties, the whole register as a JSON array of them.

Which field fills which property is read from the record definition's crosswalk for "nl",
and its vocabularies' crosswalks give the standard's values (themes, statuses, publication
categories): the same knowledge the importer (`--format nl-algoritmeregister`) reads. The
standard asks a few long texts where the record asks many questions, so several fields
share one: the crosswalk names each one's paragraph ("purpose_and_impact › Benefits"), the
field named by the bare property leading without a heading. The repeating rows (risks,
data sources, impact assessments) follow as blocks headed by their kind, a line each for
their answers, which the importer reads back field by field.

A property with no answer is the standard's empty text (shown by the Dutch register as
"Veld niet ingevuld"), an empty list of themes, or, where the standard allows no empty
value (a start month), null; `not_filled_in` says why for each, and `$comment` names the
register's record schema version. Both are keys the standard's schema lets a file add.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from flask import current_app

from .. import schema
from ..importing.formats.dutch import (
    GROUP_TEXTS,
    PARAGRAPH,
    SOURCE,
    crosswalked,
    item_heading,
    shared_texts,
)
from ..opendata.writers import json_array_chunks
from ..schema import Field, Group, Kind
from .shape import Record, Shape, Writing

STANDARD = "Algoritmeregister Publicatiestandaard"
STANDARD_VERSION = "1.0.0"
# The standard's empty text, which the Dutch register shows as "Veld niet ingevuld".
NOT_FILLED_IN = ""
# The longest text each property takes (its schema's maxLength).
MAX_LENGTHS = {
    "name": 99,
    "description_short": 399,
    "organization": 99,
    "purpose_and_impact": 2499,
    "considerations": 2499,
    "human_intervention": 2499,
    "risk_management": 2499,
    "legal_basis": 2499,
    "impact_assessment_explanation": 2499,
    "data": 2499,
    "data_source_title": 499,
    "technical_operation": 4999,
    "supplier": 199,
}
# The standard's properties the record has no question for: never filled in.
NO_SOURCE = {
    "legal_basis_link": "the register records the legal basis as text, without a link",
    "legal_basis_title": "the register records the legal basis as text, without a title",
    "processing_register_link": "the register does not record a link to the organisation's "
    "register of processing activities",
    "search_terms": "the Dutch register's own search terms; the register has none",
}
NO_MONTH = "the entry gives no month the tool went into use"
NO_RETIREMENT_MONTH = "the entry gives the year the tool was retired, not the month"
NO_THEME = "the tool's policy area has no theme in the standard's list"
UNANSWERED = "the entry does not answer the questions this property is made of"
SHORTENED = "shortened to the {limit} characters the standard allows; the entry has it in full"

_FIELDS = {item.name: item for item in schema.all_fields()}
_GROUPS = {group.name: group for group in schema.groups()}
_KIND = _GROUPS["impact_assessments"].get("kind")


def _value(item: Field, record: Record) -> str:
    """An answer as text: a choice by its label, yes or no, and text as it is."""
    value = record.get(item.name)
    if value is None or value == "" or value == []:
        return ""
    if item.kind is Kind.CHOICES:
        return "; ".join(item.vocabulary.label_for(code) for code in value)
    if item.kind is Kind.CHOICE:
        return item.vocabulary.label_for(value)
    if item.kind is Kind.BOOLEAN:
        return "Yes" if value else "No"
    return str(value)


def _row_block(group: Group, row: dict[str, Any]) -> str:
    """One repeating row: its kind and name on the first line, each other answer on a line
    of its own headed by its label."""
    name_field = next(item for item in group.fields if item.kind is Kind.TEXT)
    lines = [f"{item_heading(group)}: {row.get(name_field.name) or ''}".rstrip()]
    for item in group.fields:
        text = _value(item, row)
        if item is not name_field and text:
            lines.append(f"{item.label}: {text}")
    return "\n".join(lines)


def _rows_text(prop: str, record: Record) -> list[str]:
    """The blocks of the repeating rows the property holds, if any."""
    blocks = []
    for group_name, text in GROUP_TEXTS.items():
        if text == prop:
            group = _GROUPS[group_name]
            blocks += [_row_block(group, row) for row in record.get(group_name) or []]
    return blocks


def _shared_text(prop: str, fields: dict[str, Field], record: Record) -> str:
    """A text holding several fields' answers: the one the bare property names first, then
    each other under the heading its crosswalk gives it, then the repeating rows."""
    blocks = []
    # The unheaded answer must come first: whatever follows a heading belongs to it.
    for heading, item in sorted(fields.items(), key=lambda pair: pair[0] != ""):
        text = _value(item, record)
        if text:
            blocks.append(f"{heading}: {text}" if heading else text)
    return "\n\n".join(blocks + _rows_text(prop, record))


def _month(value: str | None) -> str | None:
    """A partial date as the standard's month (YYYY-MM), or None for a year alone."""
    return value[:7] if value and len(value) >= 7 else None


def _crosswalked(field_name: str, record: Record) -> str:
    """A choice's value in the standard's words, from the vocabulary's crosswalk."""
    item = _FIELDS[field_name]
    code = record.get(field_name)
    for choice in item.vocabulary.choices:
        if choice.code == code:
            return choice.crosswalk.get(SOURCE, "")
    return ""


def publication_category(record: Record) -> str:
    """The standard's category: A for a high-risk AI system under the EU AI Act; otherwise
    B or C as the effect on rights or safety says, or failing that the tool's role in
    decisions about people (the vocabularies' crosswalks)."""
    for field_name in ("eu_ai_act_category", "rights_safety_effect", "decision_role"):
        value = _crosswalked(field_name, record)
        if value:
            return value
    return ""


def _assessment_name(row: dict[str, Any]) -> str:
    """An impact assessment as the standard lists it: its title, or else its kind in the
    standard's words (the vocabulary's crosswalk) or the register's."""
    if row.get("title"):
        return row["title"]
    for choice in _KIND.vocabulary.choices:
        if choice.code == row.get("kind"):
            return choice.crosswalk.get(SOURCE) or choice.label
    return ""


def _first(rows: list[dict[str, Any]], name: str) -> str | None:
    return next((row[name] for row in rows if row.get(name)), None)


def _answer(item: Field, record: Record) -> Any:
    """A field's answer as the property its crosswalk names holds it."""
    value = record.get(item.name)
    if item.kind is Kind.ORGANISATION:
        return (value or {}).get("name") or NOT_FILLED_IN
    if item.name == "policy_area":
        # The standard's themes are a list; the register's policy area is one of them.
        return [theme for theme in [_crosswalked(item.name, record)] if theme]
    if item.name == "eu_ai_act_category":
        return publication_category(record) or None
    if item.name == "supplier_name" and not value and record.get("built_by") == "in_house":
        return _crosswalked("built_by", record)
    if item.kind is Kind.CHOICE:
        return _crosswalked(item.name, record) or None
    if item.kind is Kind.PARTIAL_DATE:
        return _month(value)
    return value


def _row_answer(group: Group, item: Field, record: Record) -> Any:
    """A repeating group's field as the property its crosswalk names holds it: every row
    in full where the rows are written as blocks, the impact assessments' names listed,
    and otherwise the first row's answer."""
    prop = item.crosswalk[SOURCE]
    rows = record.get(group.name) or []
    if GROUP_TEXTS.get(group.name) == prop:
        return "\n\n".join(_rows_text(prop, record))
    if group.name == "impact_assessments" and item.name == "title":
        return "; ".join(filter(None, map(_assessment_name, rows)))
    return _first(rows, item.name)


def _properties(record: Record) -> dict[str, Any]:
    """Every property the crosswalk names, with its answer."""
    found: dict[str, Any] = {}
    shared = shared_texts()
    for item in crosswalked():
        prop = item.crosswalk[SOURCE].partition(PARAGRAPH)[0]
        if prop not in shared:
            found[prop] = _answer(item, record)
    for group in schema.groups():
        for item in group.fields:
            if SOURCE in item.crosswalk:
                found[item.crosswalk[SOURCE]] = _row_answer(group, item, record)
    for prop, fields in shared.items():
        found[prop] = _shared_text(prop, fields, record)
    return found


def _reasons(record: Record, document: dict[str, Any]) -> dict[str, str]:
    """Why each property the standard requires (or the entry would have) is empty."""
    reasons: dict[str, str] = {}
    if record.get("policy_area") and not document["theme"]:
        reasons["theme"] = NO_THEME
    if document["start_date"] is None:
        reasons["start_date"] = NO_MONTH
    if record.get("retired_on") and document["end_date"] is None:
        reasons["end_date"] = NO_RETIREMENT_MONTH
    for key in PROPERTIES:
        if key in REQUIRED and document[key] in (None, "", []):
            reasons.setdefault(key, UNANSWERED)
    return reasons


def entry(record: Record, language: str) -> dict[str, Any]:
    """One entry as the standard's JSON object, in the order of the standard's schema;
    `language` is the language its texts are written in (ISO 639-3, as the standard names
    languages: its schema takes only Dutch, so only a register written in Dutch validates)."""
    answers = {
        **_properties(record),
        # Kept by the register: where it recorded the entry before, and its reference.
        "source_link": record.get("source_link"),
        "source_id": record.get("reference"),
        "language": language,
        "schema": STANDARD_VERSION,
    }
    document = {key: answers.get(key) for key in PROPERTIES if key not in NO_SOURCE}
    for key in REQUIRED - NOT_TEXTS:
        if document[key] is None:
            document[key] = NOT_FILLED_IN
    shortened = _fit(document)
    not_filled_in = {**_reasons(record, document), **NO_SOURCE}
    # Optional properties without an answer are left out, as the standard's files do.
    document = {
        key: value for key, value in document.items() if value not in (None, "") or key in REQUIRED
    }
    return {
        **document,
        "$comment": (
            f"An entry of the register in the shape of the Dutch {STANDARD} "
            f"{STANDARD_VERSION}, written in English from the register's record schema "
            f"version {schema.SCHEMA_VERSION}. not_filled_in says why a property is empty "
            "or left out."
        ),
        "not_filled_in": not_filled_in,
        **({"shortened": shortened} if shortened else {}),
    }


# The standard's properties, in its schema's order.
PROPERTIES = (
    "name",
    "description_short",
    "organization",
    "theme",
    "status",
    "start_date",
    "end_date",
    "contact",
    "link",
    "publication_category",
    "source_link",
    "purpose_and_impact",
    "considerations",
    "human_intervention",
    "risk_management",
    "legal_basis",
    "legal_basis_link",
    "legal_basis_title",
    "processing_register_link",
    "impact_assessments",
    "impact_assessment_link",
    "impact_assessment_explanation",
    "data",
    "data_source_link",
    "data_source_title",
    "technical_operation",
    "supplier",
    "source_code_link",
    "language",
    "schema",
    "source_id",
    "search_terms",
)
# Required properties that are not free text (a list, a code, a month): the empty text is
# not one of their values, so an unanswered one is null (or, for the themes, no theme).
NOT_TEXTS = frozenset({"theme", "status", "publication_category", "start_date"})
# The properties the standard requires, written even when empty.
REQUIRED = frozenset(
    {
        "name",
        "description_short",
        "organization",
        "theme",
        "status",
        "start_date",
        "contact",
        "publication_category",
        "purpose_and_impact",
        "considerations",
        "human_intervention",
        "risk_management",
        "impact_assessments",
        "data",
        "technical_operation",
        "supplier",
        "language",
        "schema",
    }
)


def _fit(document: dict[str, Any]) -> dict[str, str]:
    """Shorten texts longer than the standard allows; for each, why (the entry's own page
    has the whole text)."""
    shortened = {}
    for key, limit in MAX_LENGTHS.items():
        text = document.get(key)
        if isinstance(text, str) and len(text) > limit:
            document[key] = text[: limit - 1].rstrip() + "…"
            shortened[key] = SHORTENED.format(limit=limit)
    return shortened


def one(record: Record) -> bytes:
    """One entry as the standard's JSON object."""
    document = entry(record, current_app.config["REGISTER_LANGUAGE"])
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def many(records: Iterable[Record]) -> Iterator[bytes]:
    """The whole register as one JSON array of the standard's objects, streamed."""
    language = current_app.config["REGISTER_LANGUAGE"]
    return json_array_chunks(entry(record, language) for record in records)


SHAPE = Shape(
    code="nl-algoritmeregister",
    label="Dutch algorithm register (publication standard 1.0)",
    summary="Each entry as the Dutch national algorithm register's publication standard "
    "1.0.0 describes one algorithm (a JSON object; the whole register as a JSON array), its "
    "themes, statuses and publication categories in the standard's Dutch values and its "
    "texts in the register's own language. Follows the register's record schema version "
    f"{schema.SCHEMA_VERSION}.",
    writings=(Writing("json", "application/json", "JSON", one, many),),
    import_format="nl-algoritmeregister",
    docs_anchor="dutch-algorithm-register-publication-standard-10",
)
