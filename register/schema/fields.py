"""The building blocks of the record definition: fields, repeating groups and sections."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from .vocabularies import Vocabulary


class Kind(StrEnum):
    """What sort of value a field holds; decides its column, widget, validation and export."""

    TEXT = "text"  # one line
    LONG_TEXT = "long_text"  # paragraphs
    EMAIL = "email"
    URL = "url"
    PARTIAL_DATE = "partial_date"  # YYYY, YYYY-MM or YYYY-MM-DD
    CHOICE = "choice"  # one code from a vocabulary
    CHOICES = "choices"  # one or more codes from a vocabulary
    BOOLEAN = "boolean"  # yes or no
    ORGANISATION = "organisation"  # the entry's organisation, kept on the entry itself
    # Kept by the register only (see kept.py), never asked in the form:
    INTEGER = "integer"  # a whole number, such as a version number
    DATE = "date"  # a day, YYYY-MM-DD
    DATETIME = "datetime"  # a moment, kept in UTC


# Sources of records the register can read and write; the keys used in `crosswalk`.
CROSSWALK_SOURCES: Mapping[str, str] = MappingProxyType(
    {
        "atrs": "UK Algorithmic Transparency Recording Standard",
        "us": "US federal AI use case inventory",
        "nl": "Dutch national Algorithm Register",
    }
)


# Full-text weights run from 1 to this; PostgreSQL has four weight classes, A to D.
MAX_SEARCH_WEIGHT = 4


def _empty() -> Mapping[str, str]:
    return MappingProxyType({})


@dataclass(frozen=True, eq=False)
class Field:
    """One question of the record.

    `required` means required to publish (drafts may leave it empty); `required_if` makes it
    required only when another field of the same record has one of the given codes.
    `recommended` fields count towards the completeness indicator. `filter` fields are indexed
    columns the public listing filters on. `search_weight` puts a text field in the full-text
    index: 0 leaves it out, and 1 to 4 say how much a match there counts, 4 the most (the four
    classes PostgreSQL can weigh).
    """

    name: str
    label: str
    kind: Kind
    hint: str = ""
    max_length: int | None = None
    required: bool = False
    required_if: tuple[str, tuple[str, ...]] | None = None
    recommended: bool = False
    vocabulary: Vocabulary | None = None
    filter: bool = False
    search_weight: int = 0
    crosswalk: Mapping[str, str] = field(default_factory=_empty)

    def __post_init__(self) -> None:
        needs_vocabulary = self.kind in (Kind.CHOICE, Kind.CHOICES)
        if needs_vocabulary != (self.vocabulary is not None):
            raise ValueError(f"{self.name}: a vocabulary goes with choice fields only")
        if self.kind in (Kind.TEXT, Kind.LONG_TEXT, Kind.EMAIL, Kind.URL) and not self.max_length:
            raise ValueError(f"{self.name}: text fields need a max_length")
        if self.search_weight and self.kind not in (Kind.TEXT, Kind.LONG_TEXT):
            raise ValueError(f"{self.name}: only text fields can be searched")
        if self.search_weight not in range(MAX_SEARCH_WEIGHT + 1):
            raise ValueError(f"{self.name}: search_weight goes from 0 to {MAX_SEARCH_WEIGHT}")

    @property
    def is_multiple(self) -> bool:
        return self.kind is Kind.CHOICES

    def label_for(self, value: object) -> str:
        """How a stored value reads to a person."""
        if value is None or value == "":
            return ""
        if self.kind is Kind.BOOLEAN:
            return "Yes" if value else "No"
        if self.vocabulary is not None:
            if isinstance(value, list | tuple):
                return ", ".join(self.vocabulary.label_for(code) for code in value)
            return self.vocabulary.label_for(str(value))
        return str(value)


@dataclass(frozen=True, eq=False)
class Group:
    """A repeating set of fields, such as the data sources: zero or more rows per entry."""

    name: str
    label: str
    item_label: str
    fields: tuple[Field, ...]
    hint: str = ""
    recommended: bool = False
    crosswalk: Mapping[str, str] = field(default_factory=_empty)

    def get(self, name: str) -> Field:
        for item in self.fields:
            if item.name == name:
                return item
        raise KeyError(name)


@dataclass(frozen=True, eq=False)
class Section:
    """A part of the form's task list and of the entry page."""

    slug: str
    title: str
    items: tuple[Field | Group, ...] = field(default_factory=tuple)
    description: str = ""

    @property
    def fields(self) -> tuple[Field, ...]:
        return tuple(item for item in self.items if isinstance(item, Field))

    @property
    def groups(self) -> tuple[Group, ...]:
        return tuple(item for item in self.items if isinstance(item, Group))
