"""The register's record, defined once: fields, sections, vocabularies and crosswalks."""

from __future__ import annotations

import functools

from .fields import (
    CROSSWALK_SOURCES,
    WELSH,
    WELSH_SUFFIX,
    Field,
    Group,
    Guidance,
    Kind,
    Messages,
    Rule,
    Section,
)
from .kept import (
    CHANGE_NOTE,
    IS_CURRENT,
    PROVENANCE_FIELDS,
    PUBLISHED_AT,
    RECORD_FIELDS,
    REGISTER_FIELDS,
    KeptField,
)
from .record import SCHEMA_VERSION, SECTIONS
from .vocabularies import VOCABULARIES, Choice, Vocabulary

__all__ = [
    "CHANGE_NOTE",
    "CROSSWALK_SOURCES",
    "IS_CURRENT",
    "PROVENANCE_FIELDS",
    "PUBLISHED_AT",
    "RECORD_FIELDS",
    "REGISTER_FIELDS",
    "SCHEMA_VERSION",
    "SECTIONS",
    "VOCABULARIES",
    "WELSH",
    "WELSH_SUFFIX",
    "Choice",
    "Field",
    "Group",
    "Guidance",
    "KeptField",
    "Kind",
    "Messages",
    "Rule",
    "Section",
    "Vocabulary",
    "all_fields",
    "column_fields",
    "english_name",
    "groups",
    "searchable_fields",
    "section",
]


@functools.cache
def all_fields() -> tuple[Field, ...]:
    """Every top-level field of the record, in form order."""
    return tuple(item for sec in SECTIONS for item in sec.fields)


def column_fields() -> tuple[Field, ...]:
    """Fields stored as one column each on a version (multi-choice and organisation are not)."""
    return tuple(f for f in all_fields() if f.kind not in (Kind.CHOICES, Kind.ORGANISATION))


def searchable_fields() -> tuple[Field, ...]:
    """The text fields in the full-text index, in form order (the index's column order)."""
    return tuple(f for f in all_fields() if f.search_weight)


@functools.cache
def groups() -> tuple[Group, ...]:
    """The repeating groups (data sources, risks, impact assessments), in form order."""
    return tuple(group for sec in SECTIONS for group in sec.groups)


@functools.cache
def _english_versions() -> dict[str, str]:
    every = (*all_fields(), *(f for group in groups() for f in group.fields))
    return {f.name: f.welsh_of for f in every if f.welsh_of}


def english_name(name: str) -> str:
    """The field whose Welsh version is called `name` (`summary` for `summary_cy`), in the
    record or in a row; any other name as it is."""
    return _english_versions().get(name, name)


def section(slug: str) -> Section:
    for sec in SECTIONS:
        if sec.slug == slug:
            return sec
    raise KeyError(slug)
