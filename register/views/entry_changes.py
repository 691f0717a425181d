"""How a version's changes read on the public changes page and the publisher's review:
each changed answer before and after, long text word by word, and the repeating rows added,
removed or changed (see `register/comparison.py`, which finds them).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .. import schema
from ..comparison import ADDED, EQUAL, REMOVED, Comparison, FieldChange, Piece, RowChange
from ..schema import Kind
from ..schema.texts import choice_label, shown
from ..validation import is_blank
from .entry_display import PARAGRAPH_BREAK, Answer, Shown, show
from .entry_summary import row_title


@dataclass(frozen=True)
class ShownChange:
    """A changed answer: before and after as people read them, and for long text the words
    added and removed; for a multiple choice, every choice marked kept, added or removed."""

    label: str
    before: Shown
    after: Shown
    paragraphs: tuple[tuple[Piece, ...], ...] = ()
    choices: tuple[Piece, ...] = ()
    lang: str = ""  # a Welsh answer's words are marked as Welsh


@dataclass(frozen=True)
class ShownRowChange:
    kind: str
    title: str
    changes: list[ShownChange] = field(default_factory=list)
    answers: list[Answer] = field(default_factory=list)


def show_change(change: FieldChange) -> ShownChange:
    item = change.field
    choices: tuple[Piece, ...] = ()
    if item.kind is Kind.CHOICES:
        before, after = list(change.before or []), list(change.after or [])
        choices = tuple(
            Piece(EQUAL if code in before else ADDED, choice_label(item.vocabulary, code))
            for code in after
        ) + tuple(
            Piece(REMOVED, choice_label(item.vocabulary, code))
            for code in before
            if code not in after
        )
    return ShownChange(
        shown(item.label),
        show(item, change.before),
        show(item, change.after),
        marked_paragraphs(change.words),
        choices,
        schema.WELSH if item.welsh_of else "",
    )


def marked_paragraphs(pieces: Sequence[Piece]) -> tuple[tuple[Piece, ...], ...]:
    """Compared text cut into its paragraphs, each a run of kept, added and removed words."""
    paragraphs: list[list[Piece]] = [[]]
    for piece in pieces:
        for number, part in enumerate(PARAGRAPH_BREAK.split(piece.text)):
            if number:
                paragraphs.append([])
            if part:
                paragraphs[-1].append(Piece(piece.kind, part.replace("\n", " ")))
    return tuple(tuple(p) for p in paragraphs if any(piece.text.strip() for piece in p))


def show_row_change(group: schema.Group, change: RowChange) -> ShownRowChange:
    title = row_title(group, change.row, change.number)
    if change.kind in (ADDED, REMOVED):
        values = [(c.field, c.after if change.kind == ADDED else c.before) for c in change.changes]
        answers = [
            Answer(shown(item.label), show(item, value))
            for item, value in values
            # Every question of the row, but a Welsh version only when it was given.
            if not (item.welsh_of and is_blank(value))
        ]
        return ShownRowChange(change.kind, title, answers=answers)
    return ShownRowChange(change.kind, title, [show_change(c) for c in change.changes])


@dataclass(frozen=True)
class ShownSection:
    """A section's changed answers, and its repeating groups' changed rows."""

    section: schema.Section
    changes: list[ShownChange]
    groups: list[tuple[schema.Group, list[ShownRowChange]]]


def show_comparison(comparison: Comparison) -> tuple[list[ShownSection], list[schema.Section]]:
    """The sections with changes, as people read them, and the sections without any."""
    changed = [
        ShownSection(
            s.section,
            [show_change(c) for c in s.fields],
            [(g.group, [show_row_change(g.group, r) for r in g.rows]) for g in s.groups],
        )
        for s in comparison.sections
        if s.changed
    ]
    return changed, [s.section for s in comparison.sections if not s.changed]
