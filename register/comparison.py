"""What changed between two versions of an entry, field by field, derived from the schema.

Takes the plain answers of two versions (as `publishing.values_of` and `rows_of` give them)
and returns plain results: for each section the questions answered differently, long text
compared word by word, and the repeating rows that were added, removed or changed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from . import schema
from .schema import Kind
from .validation import is_blank

EQUAL = "equal"
ADDED = "added"
REMOVED = "removed"
CHANGED = "changed"

Values = Mapping[str, Any]
Rows = Mapping[str, Sequence[Mapping[str, Any]]]

# A word with the spaces after it: words are compared, the spaces kept for reading.
_WORD = re.compile(r"\S+\s*")


@dataclass(frozen=True)
class Piece:
    """A run of text that is in both versions (`equal`), only the new one (`added`), or only
    the old one (`removed`)."""

    kind: str
    text: str


@dataclass(frozen=True)
class FieldChange:
    """One question answered differently. `words` compares long text word by word."""

    field: schema.Field
    before: Any
    after: Any
    words: tuple[Piece, ...] = ()


@dataclass(frozen=True)
class RowChange:
    """A repeating row added, removed or changed; `number` is its place in the version it is
    shown from (the new one, or the old one for a removed row)."""

    kind: str
    number: int
    row: Mapping[str, Any]
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True)
class GroupChanges:
    group: schema.Group
    rows: tuple[RowChange, ...]


@dataclass(frozen=True)
class SectionChanges:
    section: schema.Section
    fields: tuple[FieldChange, ...]
    groups: tuple[GroupChanges, ...]

    @property
    def changed(self) -> bool:
        return bool(self.fields or self.groups)


@dataclass(frozen=True)
class Comparison:
    """Every section, with what changed in it; `unchanged` counts the questions (fields and
    repeating groups) answered the same in both versions."""

    sections: tuple[SectionChanges, ...]
    unchanged: int

    @property
    def changed(self) -> int:
        return sum(len(s.fields) + len(s.groups) for s in self.sections)


def compare(before: Values, before_rows: Rows, after: Values, after_rows: Rows) -> Comparison:
    """What changed from one version's answers to another's."""
    sections = []
    unchanged = 0
    for section in schema.SECTIONS:
        fields = []
        groups = []
        for item in section.items:
            if isinstance(item, schema.Group):
                rows = tuple(
                    compare_rows(
                        item, before_rows.get(item.name, ()), after_rows.get(item.name, ())
                    )
                )
                if rows:
                    groups.append(GroupChanges(item, rows))
                else:
                    unchanged += 1
            elif item.kind is Kind.ORGANISATION:
                continue  # an entry never moves to another organisation
            else:
                change = compare_field(item, before.get(item.name), after.get(item.name))
                if change:
                    fields.append(change)
                else:
                    unchanged += 1
        sections.append(SectionChanges(section, tuple(fields), tuple(groups)))
    return Comparison(tuple(sections), unchanged)


def compare_field(field: schema.Field, before: Any, after: Any) -> FieldChange | None:
    """How one answer changed, or None if it reads the same in both versions."""
    before, after = _answer(before), _answer(after)
    if field.kind is Kind.CHOICES:
        if list(before or []) == list(after or []):
            return None
    elif before == after:
        return None
    words = ()
    if field.kind is Kind.LONG_TEXT:
        words = compare_words(before or "", after or "")
    return FieldChange(field, before, after, words)


def compare_words(before: str, after: str) -> tuple[Piece, ...]:
    """The new text with the words it added, and the words it removed from the old one, marked."""
    old, new = _WORD.findall(before), _WORD.findall(after)
    matcher = SequenceMatcher(
        None, [w.strip() for w in old], [w.strip() for w in new], autojunk=False
    )
    pieces: list[Piece] = []
    for operation, old_from, old_to, new_from, new_to in matcher.get_opcodes():
        if operation == "equal":
            _add(pieces, EQUAL, new[new_from:new_to])
            continue
        _add(pieces, REMOVED, old[old_from:old_to])
        _add(pieces, ADDED, new[new_from:new_to])
    return tuple(pieces)


def _add(pieces: list[Piece], kind: str, words: Sequence[str]) -> None:
    if not words:
        return
    text = "".join(words)
    if kind == EQUAL:
        if pieces and pieces[-1].kind == EQUAL:
            text = pieces.pop().text + text
        pieces.append(Piece(EQUAL, text))
        return
    if kind == ADDED and pieces and pieces[-1].kind == REMOVED:
        pieces.append(Piece(EQUAL, " "))  # words replaced at the very end of the text
    # The spaces after the last changed word stay outside the mark, which holds words only.
    marked = text.rstrip()
    pieces.append(Piece(kind, marked))
    if marked != text:
        pieces.append(Piece(EQUAL, text[len(marked) :]))


def compare_rows(
    group: schema.Group,
    before: Sequence[Mapping[str, Any]],
    after: Sequence[Mapping[str, Any]],
) -> Iterator[RowChange]:
    """The rows added, removed and changed, in the new version's order.

    Rows are matched by name (their first one-line answer), so removing the first risk does
    not make every later risk look changed; rows whose names changed are matched by position.
    """
    matcher = SequenceMatcher(
        None, [_row_key(group, r) for r in before], [_row_key(group, r) for r in after], False
    )
    for operation, old_from, old_to, new_from, new_to in matcher.get_opcodes():
        pairs = min(old_to - old_from, new_to - new_from)
        for offset in range(pairs):
            old, new = before[old_from + offset], after[new_from + offset]
            changes = tuple(
                change
                for field in group.fields
                if (change := compare_field(field, old.get(field.name), new.get(field.name)))
            )
            if changes:
                yield RowChange(CHANGED, new_from + offset + 1, new, changes)
        if operation == "equal":
            continue
        for index in range(old_from + pairs, old_to):
            yield RowChange(
                REMOVED, index + 1, before[index], _whole_row(group, before[index], REMOVED)
            )
        for index in range(new_from + pairs, new_to):
            yield RowChange(ADDED, index + 1, after[index], _whole_row(group, after[index], ADDED))


def _whole_row(group: schema.Group, row: Mapping[str, Any], kind: str) -> tuple[FieldChange, ...]:
    """Every answer of a row that was added or removed whole."""
    return tuple(
        FieldChange(field, None, row.get(field.name))
        if kind == ADDED
        else FieldChange(field, row.get(field.name), None)
        for field in group.fields
    )


def _row_key(group: schema.Group, row: Mapping[str, Any]) -> str:
    for field in group.fields:
        if field.kind is Kind.TEXT and row.get(field.name):
            return str(row[field.name]).strip().casefold()
    return ""


def _answer(value: Any) -> Any:
    """Blank answers (None, "", []) are all the same "not provided"."""
    return None if is_blank(value) else value
