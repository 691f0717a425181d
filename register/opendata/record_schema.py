"""The register's record as a JSON Schema (draft 2020-12), derived from the record
definition: every field with its title, description, kind and vocabulary, what is required
to publish, the sections and repeating groups. Served at /api/v1/schema.json and shipped in
the data package, so anyone can check a record (from the API, /entries.json or a download)
without reading this code.

A record always has every key; an answer nobody gave is null, and a question required to
publish may be null too in an entry imported from another register's file, published as its
source recorded it. So "required to publish" is said in each property's description and in
the `x-required-to-publish` annotation (`x-needed-when` where it depends on another answer),
not as a validation rule; `x-section` and `x-group` say where a field sits in the form.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from .. import schema
from ..schema import Field, Group, KeptField, Kind, Vocabulary
from ..schema.changelog import CHANGES
from ..schema.vocabularies import ORGANISATION_TYPE, WITHHELD_REASON
from .columns import ALWAYS_ANSWERED, PARTIAL_DATE_PATTERN, welsh_description
from .serialisers import WITHHELD_DESCRIPTION

DIALECT = "https://json-schema.org/draft/2020-12/schema"
NULL = {"type": "null"}
# Where the fields the register keeps itself sit: no section of the form.
REGISTER_SECTION = "register"
# The JSON Schema shape of each kind whose values are not free text.
_SHAPES: dict[Kind, dict[str, Any]] = {
    Kind.EMAIL: {"type": "string", "format": "email"},
    Kind.URL: {"type": "string", "format": "uri"},
    Kind.PARTIAL_DATE: {"type": "string", "pattern": f"^{PARTIAL_DATE_PATTERN}$"},
    Kind.BOOLEAN: {"type": "boolean"},
    Kind.INTEGER: {"type": "integer"},
    Kind.DATE: {"type": "string", "format": "date"},
    Kind.DATETIME: {"type": "string", "format": "date-time"},
}


def _vocabulary(vocabulary: Vocabulary) -> dict[str, Any]:
    """A vocabulary as a definition: each code a constant titled with its label."""
    return {
        "title": vocabulary.label,
        "type": "string",
        "oneOf": [
            {"const": choice.code, "title": choice.label, **_hint(choice.hint)}
            for choice in vocabulary.choices
        ],
    }


def _hint(text: str) -> dict[str, str]:
    return {"description": text} if text else {}


def _description(item: Field) -> str:
    """What the field holds, and when it must be answered to publish."""
    if isinstance(item, KeptField):
        return item.description
    hint = welsh_description(item) if item.welsh_of else item.hint
    text = f"{item.label}. {hint}" if hint else item.label
    if item.required:
        text += " Required to publish."
    elif item.needed_when:
        text += f" Required to publish when {item.needed_when}."
    return text


def _value(item: Field) -> dict[str, Any]:
    """The shape of an answer to `item`, without null."""
    if item.vocabulary is not None:
        code = {"$ref": f"#/$defs/{item.vocabulary.name}"}
        if item.kind is Kind.CHOICES:
            return {"type": "array", "items": code, "uniqueItems": True}
        return code
    if item.kind is Kind.ORGANISATION:
        return {"$ref": "#/$defs/organisation"}
    shape = dict(_SHAPES.get(item.kind, {"type": "string"}))
    if item.pattern:
        shape["pattern"] = f"^(?:{item.pattern})$"
    if item.max_length:
        shape["maxLength"] = item.max_length
    return shape


def _may_be_null(item: Field) -> bool:
    if isinstance(item, KeptField):
        return item.may_be_empty
    return item.kind not in (Kind.CHOICES, Kind.ORGANISATION) and item.name not in ALWAYS_ANSWERED


def property_for(item: Field, section: str) -> dict[str, Any]:
    """One field as a property: its title, description, shape and where it sits."""
    value = _value(item)
    described: dict[str, Any] = {"title": item.label, "description": _description(item)}
    described |= {"anyOf": [value, NULL]} if _may_be_null(item) else value
    if item.required:
        described["x-required-to-publish"] = True
    elif item.required_if:
        other, codes = item.required_if
        described["x-needed-when"] = {other: list(codes)}
    described["x-section"] = section
    return described


def _group(group: Group, section: str) -> dict[str, Any]:
    """A repeating group: a list of rows, each with every field of the group."""
    row = {
        "type": "object",
        "title": group.item_label.capitalize(),
        "properties": {item.name: property_for(item, section) for item in group.fields},
        "required": [item.name for item in group.fields],
        "additionalProperties": False,
    }
    return {
        "title": group.label,
        "description": group.hint or group.label,
        "type": "array",
        "items": row,
        "x-section": section,
        "x-group": group.item_label,
    }


def _organisation() -> dict[str, Any]:
    return {
        "title": "Organisation",
        "type": "object",
        "properties": {
            "name": {"type": "string", "description": "The organisation's name."},
            "slug": {
                "type": "string",
                "description": "The short name in the organisation's address.",
            },
            "type": {"$ref": f"#/$defs/{ORGANISATION_TYPE.name}"},
        },
        "required": ["name", "slug", "type"],
    }


def _withheld() -> dict[str, Any]:
    """The answers a version withholds: which field, and why."""
    return {
        "title": "Withheld answers",
        "description": WITHHELD_DESCRIPTION,
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                "field": {
                    "title": "Question",
                    "description": "The field whose answer is withheld, or the repeating "
                    "group withheld as a whole.",
                    "type": "string",
                },
                "reason": {
                    "title": "Reason",
                    "description": "Why the answer is withheld.",
                    "$ref": f"#/$defs/{WITHHELD_REASON.name}",
                },
                "reason_text": {
                    "title": "Reason in words",
                    "anyOf": [{"type": "string"}, NULL],
                    "description": "The publisher's own words when the reason is other.",
                },
            },
            "required": ["field", "reason", "reason_text"],
            "additionalProperties": False,
        },
        "x-section": REGISTER_SECTION,
    }


def _definitions() -> dict[str, Any]:
    """Every vocabulary the record uses, and the organisation."""
    items = [*schema.all_fields(), *(item for group in schema.groups() for item in group.fields)]
    vocabularies = {item.vocabulary.name: item.vocabulary for item in items if item.vocabulary}
    vocabularies[ORGANISATION_TYPE.name] = ORGANISATION_TYPE
    vocabularies[WITHHELD_REASON.name] = WITHHELD_REASON
    return {
        "organisation": _organisation(),
        **{name: _vocabulary(vocabulary) for name, vocabulary in vocabularies.items()},
    }


def _properties() -> dict[str, Any]:
    """Every key of a record in its order: the register's own, where it came from, then the
    form's fields and groups."""
    properties = {
        item.name: property_for(item, REGISTER_SECTION)
        for item in (*schema.RECORD_FIELDS, *schema.PROVENANCE_FIELDS)
    }
    for section in schema.SECTIONS:
        for item in section.items:
            if isinstance(item, Group):
                properties[item.name] = _group(item, section.slug)
            else:
                properties[item.name] = property_for(item, section.slug)
    properties["withheld"] = _withheld()
    return properties


@cache
def record_schema(schema_id: str, register_name: str) -> dict[str, Any]:
    """The record as a JSON Schema whose `$id` is `schema_id` (an address naming the
    version). Built once for each; treat it as read-only."""
    properties = _properties()
    return {
        "$schema": DIALECT,
        "$id": schema_id,
        "title": f"An entry of the {register_name}",
        "description": "One published version of an entry: one AI or algorithmic tool in one "
        f"organisation, as the register's record schema version {schema.SCHEMA_VERSION} "
        "defines it. Choice fields hold codes; their labels are in `$defs`.",
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
        "$defs": _definitions(),
        "x-schema-version": schema.SCHEMA_VERSION,
        "x-sections": {
            REGISTER_SECTION: "Kept by the register",
            **{section.slug: section.title for section in schema.SECTIONS},
        },
        "x-changelog": [change.as_dict() for change in CHANGES],
    }
