"""The record's own texts in the page's language, and their gathering for the catalogue.

The schema is written, stored and exported in English: the open data, the API, the data
dictionary and the importers read it as it is. Pages translate its texts when they show
them, with `shown` (a label, a hint, an error message) and `choice_label` (a stored code).

`make translations` gathers the texts by walking the schema's objects (babel.cfg maps this
module to `extract`), so every label, hint and message of a new field reaches the catalogue
without marking each one, and tests/test_translations.py fails until it has its Welsh.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from typing import IO, Any

from babel.messages.extract import extract_python

from ..languages import translations
from .fields import Field, Group, Section
from .kept import PROVENANCE_FIELDS, REGISTER_FIELDS
from .record import SECTIONS
from .registries import REGISTRIES
from .vocabularies import VOCABULARIES, Vocabulary


def N_(text: str) -> str:  # the name gettext's extractor looks for
    """Mark an English text kept in a constant for the catalogue; `shown` translates it."""
    return text


class Composed(str):
    """An English sentence made from a marked text and values (`name` in "Title must be 120
    characters or fewer"). It is the English everywhere a plain text goes (the API, imports,
    what is kept); `shown` says it again in the page's language, its values too."""

    template: str
    values: dict[str, str]

    def __new__(cls, template: str, **values: str) -> Composed:
        composed = super().__new__(cls, template % values)
        composed.template, composed.values = template, values
        return composed


class Given(str):
    """A value from outside, put into a `Composed` sentence (a file's cell, a column's name,
    a number): `shown` leaves it as it is, even where it reads like one of the register's
    texts."""


class Lowered(str):
    """One of the register's texts (a label) in lower case within a sentence ("is not a
    status"); `shown` lowers it in the page's language too."""

    text: str

    def __new__(cls, text: str) -> Lowered:
        lowered = super().__new__(cls, text.lower())
        lowered.text = text
        return lowered


class Listed(str):
    """Several texts in a sentence, joined by commas; `shown` says each in the page's
    language (a `Given` one as it is)."""

    texts: tuple[str, ...]

    def __new__(cls, texts: Iterable[str]) -> Listed:
        texts = tuple(texts)
        listed = super().__new__(cls, ", ".join(texts))
        listed.texts = texts
        return listed


def shown(text: str) -> str:
    """One of the record's texts in the page's language (English outside a request)."""
    if isinstance(text, Given):
        return text
    if isinstance(text, Lowered):
        return shown(text.text).lower()
    if isinstance(text, Listed):
        return ", ".join(shown(item) for item in text.texts)
    if isinstance(text, Composed):
        values = {key: shown(value) for key, value in text.values.items()}
        said = translations().ugettext(text.template)
        return said % values if values else said
    return translations().ugettext(text) if text else text


def choice_label(vocabulary: Vocabulary, code: str | None) -> str:
    """The label of a stored code in the page's language; an unknown code as it is."""
    label = vocabulary.label_for(code)
    return shown(label) if code in vocabulary else label


def answer_label(field: Field, value: object) -> str:
    """How a stored value reads on a page in its language (`Field.label_for` in English)."""
    if value is None or value == "":
        return ""
    if field.vocabulary is not None:
        codes = value if isinstance(value, list | tuple) else (str(value),)
        return ", ".join(choice_label(field.vocabulary, code) for code in codes)
    return shown(field.label_for(value)) if isinstance(value, bool) else str(value)


def _field_texts(item: Field) -> Iterator[str]:
    yield from (item.label, item.hint, item.needed_when)
    if item.messages is not None:
        yield from (item.messages.missing, item.messages.invalid, item.messages.name)
    yield from (rule.message for rule in item.rules)
    if item.guidance is not None:
        yield item.guidance.text


def _section_texts(section: Section) -> Iterator[str]:
    yield from (section.title, section.description)
    for item in section.items:
        if isinstance(item, Group):
            yield from (item.label, item.item_label, item.hint)
            for row_field in item.fields:
                yield from _field_texts(row_field)
        else:
            yield from _field_texts(item)


def texts() -> Iterator[str]:
    """Every text of the record a page may show, in the schema's order, once each."""

    def every() -> Iterator[str]:
        for section in SECTIONS:
            yield from _section_texts(section)
        for kept in (*REGISTER_FIELDS, *PROVENANCE_FIELDS):
            yield kept.label
        for vocabulary in VOCABULARIES.values():
            yield vocabulary.label
            for choice in vocabulary.choices:
                yield from (choice.label, choice.hint)
        for registry in REGISTRIES.values():
            yield from (registry.label, registry.invalid)

    seen: set[str] = set()
    for text in every():
        if text and text not in seen:
            seen.add(text)
            yield text


def extract(
    fileobj: IO[bytes], keywords: Collection[str], comment_tags: Collection[str], options: Any
) -> Iterator[tuple[int, str, str, list[str]]]:
    """Babel's extractor for this module: its own marked texts, then the record's."""
    yield from extract_python(fileobj, keywords, comment_tags, options)
    for text in texts():
        yield 1, "gettext", text, []
