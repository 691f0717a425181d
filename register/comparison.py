"""What changed between two versions of an entry, field by field, derived from the schema.

Takes the plain answers of two versions (as `publishing.values_of` and `rows_of` give them)
and returns plain results: for each section the questions answered differently, long text
compared word by word, and the repeating rows that were added, removed or changed.

Also what two people's answers to one draft have in conflict, when one saved after the
other opened the form, and how the person settles each clash.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from . import schema, validation
from .schema import Kind

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
    return None if validation.is_blank(value) else value


# Two people's answers to one draft -------------------------------------------------------
#
# When a save is refused because someone else saved first, the person chooses, question by
# question, between the other's answer and theirs. Which questions to ask about needs the
# answers the person started from; their form carries a fingerprint of each (`fingerprints`),
# not the answers themselves, so nothing they could not see before travels with the form.

THEIRS = "theirs"
MINE = "mine"
MERGED = "merged"
# Answers written in words can be merged by hand; a choice is one or the other.
MERGEABLE = (Kind.TEXT, Kind.LONG_TEXT)


@dataclass(frozen=True)
class Clash:
    """A question someone else answered differently since the person opened the form.
    `you_changed` is False when the person's answer is still the one they started from."""

    field: schema.Field
    theirs: Any
    yours: Any
    you_changed: bool

    @property
    def mergeable(self) -> bool:
        return self.field.kind in MERGEABLE


def _same_form(value: Any) -> Any:
    """An answer as compared for a clash: blank is None, chosen codes in no particular order."""
    value = _answer(value)
    return sorted(value) if isinstance(value, list | tuple) else value


def _fingerprint(value: Any) -> str:
    text = json.dumps(_same_form(value), sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def fingerprints(fields: Sequence[schema.Field], values: Values) -> str:
    """A short text that tells whether each of `fields` is still answered as in `values`."""
    return ",".join(f"{field.name}={_fingerprint(values.get(field.name))}" for field in fields)


def rows_fingerprint(rows: Sequence[Mapping[str, Any]]) -> str:
    """A short text that tells whether a repeating group still has exactly these rows."""
    text = json.dumps([dict(row) for row in rows], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _read_fingerprints(text: str | None) -> dict[str, str] | None:
    """The fingerprints `fingerprints` wrote, or None if `text` is not theirs."""
    if not text:
        return None
    found = dict(part.partition("=")[::2] for part in text.split(","))
    return found if all(found.values()) else None


def clashes(
    fields: Sequence[schema.Field], started_from: str | None, saved: Values, yours: Values
) -> list[Clash]:
    """The questions answered differently now than in the person's form that someone else
    changed since the person started from the answers `started_from` fingerprints. Without
    those fingerprints every question answered differently clashes: better asked than lost."""
    started = _read_fingerprints(started_from)
    found = []
    for field in fields:
        theirs, mine = saved.get(field.name), yours.get(field.name)
        if _same_form(theirs) == _same_form(mine):
            continue
        before = started.get(field.name) if started else None
        if before is not None and _fingerprint(theirs) == before:
            continue  # only this person changed it: theirs is the answer
        found.append(Clash(field, _answer(theirs), _answer(mine), _fingerprint(mine) != before))
    return found


def merge(
    found: Sequence[Clash], yours: Values, choices: Mapping[str, str], merged: Mapping[str, str]
) -> tuple[dict[str, Any], dict[str, str]]:
    """The person's answers with each clash settled as they chose (`choices` and `merged`
    keyed by field name), and the problems, by field name, of the clashes not settled."""
    answers = dict(yours)
    problems: dict[str, str] = {}
    for clash in found:
        name = clash.field.name
        choice = choices.get(name)
        if choice == THEIRS:
            answers[name] = clash.theirs
        elif choice == MINE:
            answers[name] = clash.yours
        elif choice == MERGED and clash.mergeable:
            text = (merged.get(name) or "").replace("\r\n", "\n").strip()
            problem = validation.check_value(clash.field, text)
            if problem:
                problems[name] = problem
            answers[name] = text or None
        else:
            problems[name] = f"Choose which answer to save for {clash.field.label.lower()}"
    return answers, problems
