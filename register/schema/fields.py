"""The building blocks of the record definition: fields, repeating groups and sections."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from types import MappingProxyType

from ..languages import WELSH
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
        "eu": "EU database of high-risk AI systems (AI Act Annex VIII, section C)",
    }
)


# Full-text weights run from 1 to this; PostgreSQL has four weight classes, A to D.
MAX_SEARCH_WEIGHT = 4


def _empty() -> Mapping[str, str]:
    return MappingProxyType({})


def _with_welsh(items: tuple) -> tuple:
    """`items` with each bilingual field's Welsh version right after it."""
    return tuple(
        part
        for item in items
        for part in ((item, item.in_welsh()) if getattr(item, "welsh", False) else (item,))
    )


@dataclass(frozen=True)
class Messages:
    """What a person is told about one question's answer, written for that question in the
    GOV.UK error message style ("Enter …", "Select …").

    `missing` is shown when the question must be answered and is not. `invalid` when the
    answer is not in the form the question takes (an email or web address, a date, a
    pattern); choices use `missing` for a code that is not offered. `name` is what the
    answer is called at the start of a sentence ("Title" in "Title must be 120 characters
    or fewer"); text and date questions need it.
    """

    missing: str
    invalid: str = ""
    name: str = ""


@dataclass(frozen=True)
class Rule:
    """A check of a date answer against another answer of the same record (or of the same
    row of a repeating group) or against today, shown next to the question that carries it.

    `not_before` names another date question this answer may not be earlier than;
    `not_after_today` says the answer may not be later than today. With `when`, the rule
    holds only while another question has one of the given codes ("a tool in use cannot
    have gone into use next year", where a planned tool may give its planned date).
    """

    message: str
    not_before: str = ""
    not_after_today: bool = False
    when: tuple[str, tuple[str, ...]] | None = None

    def __post_init__(self) -> None:
        if bool(self.not_before) == self.not_after_today:
            raise ValueError(f"{self.message}: a rule checks one thing: not_before or today")


@dataclass(frozen=True)
class Guidance:
    """A link to the public page that explains a term a question uses, shown with its hint."""

    text: str
    href: str


# Text questions that allow this many characters or more show GOV.UK's character count.
COUNTED_FROM = 100
# Kinds whose answers must take a particular form, so they need an `invalid` message.
_FORMATTED = frozenset({Kind.EMAIL, Kind.URL, Kind.PARTIAL_DATE})
_NAMED = frozenset({Kind.TEXT, Kind.LONG_TEXT, Kind.EMAIL, Kind.URL, Kind.PARTIAL_DATE})

# The register is in English and Welsh: a prose answer may be given in both. Its Welsh
# version is a field of its own, named with this suffix after the English one's (BCP 47
# `cy`), so every column, key and export that holds it says which language it is in.
WELSH_SUFFIX = f"_{WELSH}"
WELSH_MISSING = "Enter the answer in Welsh"


@dataclass(frozen=True, eq=False)
class Field:
    """One question of the record.

    `required` means required to publish (drafts may leave it empty); `required_if` makes it
    required only when another field of the same record has one of the given codes.
    `needed_when` says in words when `required_if` applies ("the tool is in use or
    retired"), for the form and the data dictionary. `recommended` fields count towards the
    completeness indicator. `filter` fields are indexed
    columns the public listing filters on. `search_weight` puts a text field in the full-text
    index: 0 leaves it out, and 1 to 4 say how much a match there counts, 4 the most (the four
    classes PostgreSQL can weigh).

    What a valid answer is: `max_length` for text; `pattern` (a regular expression the
    whole answer matches, told with `messages.invalid`) for one-line text; for dates,
    `not_after_today` for things that have happened, and `rules` comparing the answer with
    others. `messages` are this question's own error messages; `guidance` links to the page
    that explains a term the question uses.
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
    messages: Messages | None = None
    pattern: str = ""
    not_after_today: bool = False
    rules: tuple[Rule, ...] = ()
    needed_when: str = ""
    guidance: Guidance | None = None
    welsh: bool = False
    welsh_of: str = ""

    def __post_init__(self) -> None:
        self._check_kind()
        self._check_checks()
        if self.welsh and self.kind not in (Kind.TEXT, Kind.LONG_TEXT):
            raise ValueError(f"{self.name}: only text answers are given in Welsh too")

    def in_welsh(self) -> Field:
        """The optional Welsh version of this answer: the same kind and length, asked, kept
        and exported right after it; searched with it (search_words.py), never on its own."""
        label = f"{self.label} in Welsh"
        return replace(
            self,
            name=self.name + WELSH_SUFFIX,
            label=label,
            hint="",
            required=False,
            required_if=None,
            recommended=False,
            filter=False,
            search_weight=0,
            crosswalk=_empty(),
            # Never needed, so `missing` is never said; one text serves every Welsh answer.
            messages=Messages(WELSH_MISSING, name=label),
            needed_when="",
            guidance=None,
            welsh=False,
            welsh_of=self.name,
        )

    def _check_kind(self) -> None:
        needs_vocabulary = self.kind in (Kind.CHOICE, Kind.CHOICES)
        if needs_vocabulary != (self.vocabulary is not None):
            raise ValueError(f"{self.name}: a vocabulary goes with choice fields only")
        if self.kind in (Kind.TEXT, Kind.LONG_TEXT, Kind.EMAIL, Kind.URL) and not self.max_length:
            raise ValueError(f"{self.name}: text fields need a max_length")
        if self.search_weight and self.kind not in (Kind.TEXT, Kind.LONG_TEXT):
            raise ValueError(f"{self.name}: only text fields can be searched")
        if self.search_weight not in range(MAX_SEARCH_WEIGHT + 1):
            raise ValueError(f"{self.name}: search_weight goes from 0 to {MAX_SEARCH_WEIGHT}")

    def _check_checks(self) -> None:
        if bool(self.required_if) != bool(self.needed_when):
            raise ValueError(f"{self.name}: required_if needs needed_when to say it in words")
        if self.pattern and self.kind is not Kind.TEXT:
            raise ValueError(f"{self.name}: only one-line text takes a pattern")
        if (self.not_after_today or self.rules) and self.kind is not Kind.PARTIAL_DATE:
            raise ValueError(f"{self.name}: only dates are checked against today or each other")
        if self.messages is None:
            return  # kept by the register: the questions of the form are checked in tests
        if self.kind in _NAMED and not self.messages.name:
            raise ValueError(f"{self.name}: text and dates need messages.name")
        if (self.kind in _FORMATTED or self.pattern) and not self.messages.invalid:
            raise ValueError(f"{self.name}: an answer of a set form needs messages.invalid")

    @property
    def is_optional(self) -> bool:
        """Whether publishing can do without an answer, whatever the other answers are."""
        return not self.required and not self.required_if

    @property
    def is_counted(self) -> bool:
        """Whether the text question shows GOV.UK's character count."""
        return self.kind is Kind.LONG_TEXT or (
            self.kind is Kind.TEXT and (self.max_length or 0) >= COUNTED_FROM
        )

    @property
    def is_multiple(self) -> bool:
        return self.kind is Kind.CHOICES

    @property
    def welsh_name(self) -> str:
        """The name of this answer's Welsh version, or "" if it has none."""
        return self.name + WELSH_SUFFIX if self.welsh else ""

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

    def __post_init__(self) -> None:
        object.__setattr__(self, "fields", _with_welsh(self.fields))

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

    def __post_init__(self) -> None:
        object.__setattr__(self, "items", _with_welsh(self.items))

    @property
    def fields(self) -> tuple[Field, ...]:
        return tuple(item for item in self.items if isinstance(item, Field))

    @property
    def groups(self) -> tuple[Group, ...]:
        return tuple(item for item in self.items if isinstance(item, Group))
