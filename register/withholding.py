"""Answers withheld from the public, with a reason from a controlled list.

A publisher may hold back any answer of an entry (the US inventory marks use cases
withheld; the UK standard allows exemptions). A withheld answer stores no value and counts
as answered for publishing and completeness: the record says plainly that it is withheld
and why, rather than leaving the question blank.

A repeating group (the risks, say) is withheld as a whole, by its name, and only while it
has no rows: nothing given is ever thrown away by withholding, and adding a row to a
withheld group stops withholding it (`versions.set_rows`).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext

from . import schema
from .models import EntryVersion, WithheldAnswer
from .models.withheld_answer import REASON_TEXT_LENGTH
from .schema import Kind
from .schema.texts import N_, Composed, choice_label, shown
from .schema.vocabularies import WITHHELD_OTHER, WITHHELD_REASON
from .validation import is_blank

# What the record shows in place of a withheld answer: the open data keep the English.
SHOWN = N_("Withheld: %(reason)s")
MISSING_REASON = N_("Select why the answer cannot be published")
UNKNOWN_REASON = N_("Select a reason from the list")
MISSING_TEXT = N_("Enter why the answer cannot be published")
LONG_TEXT = Composed(
    N_("Why the answer cannot be published must be %(max)s characters or fewer"),
    max=str(REASON_TEXT_LENGTH),
)


@dataclass(frozen=True)
class Withholding:
    """Why one answer is withheld: a reason code, and words of its own for "other"."""

    reason: str
    reason_text: str | None = None

    @property
    def label(self) -> str:
        """The reason as people read it, in the page's language: the words given for
        "other", else its label."""
        if self.reason == WITHHELD_OTHER and self.reason_text:
            return self.reason_text
        return choice_label(WITHHELD_REASON, self.reason)

    @property
    def shown(self) -> str:
        """What the record shows where the answer would be, such as "Withheld: Personal data",
        in the page's language (the reason's own words for "other" as they were written)."""
        return gettext(SHOWN, reason=self.label)


# What names the entry wherever it is listed (search, feeds, downloads): never withheld.
NEVER_WITHHELD = frozenset({"title"})


def may_withhold(field: schema.Field) -> bool:
    """Whether an answer to `field` may be withheld: any of the entry's own answers but its
    title and organisation, which say what and whose the entry is. A Welsh answer is
    withheld with its English one, never on its own."""
    return (
        field.kind is not Kind.ORGANISATION
        and field.name not in NEVER_WITHHELD
        and not field.welsh_of
    )


@functools.cache
def withholdable() -> tuple[str, ...]:
    """The names of everything that may be withheld, in form order: the questions
    `may_withhold` allows, and every repeating group as a whole."""
    return tuple(
        item.name
        for section in schema.SECTIONS
        for item in section.items
        if isinstance(item, schema.Group) or may_withhold(item)
    )


def withholdable_names() -> frozenset[str]:
    return frozenset(withholdable())


def _groups() -> dict[str, schema.Group]:
    return {group.name: group for group in schema.groups()}


def rows_in_the_way(
    version: EntryVersion,
    changes: Mapping[str, Withholding | None],
    rows: Mapping[str, Sequence[object]] | None = None,
) -> dict[str, str]:
    """For each repeating group `changes` would withhold while it still has rows (those in
    `rows`, the group's new rows if given, else the version's own), why it cannot be."""
    groups = _groups()
    problems = {}
    for name, withholding in changes.items():
        if withholding is None or name not in groups:
            continue
        kept = rows[name] if rows is not None and name in rows else getattr(version, name)
        if kept:
            group = groups[name]
            # In the language of the page that asks (English in the API).
            problems[name] = gettext(
                "Remove every %(item)s before withholding the %(group)s",
                item=shown(group.item_label),
                group=shown(group.label).lower(),
            )
    return problems


def check(reason: str | None, reason_text: str | None) -> tuple[str, str] | None:
    """What is wrong with a reason, as (which part, message), or None if nothing is: the
    part is "reason" or "reason_text"."""
    if not reason:
        return "reason", MISSING_REASON
    if reason not in WITHHELD_REASON:
        return "reason", UNKNOWN_REASON
    if reason == WITHHELD_OTHER:
        if not (reason_text or "").strip():
            return "reason_text", MISSING_TEXT
        if len(reason_text.strip()) > REASON_TEXT_LENGTH:
            return "reason_text", LONG_TEXT
    return None


def blanks_withheld(values: Mapping[str, Any], reason_text: str) -> dict[str, Withholding]:
    """Every answer `values` leaves blank, withheld for "other" with `reason_text`: for an
    entry its source withheld as a whole (an agency withholding a use case from public
    reporting), so its blank answers say why rather than look forgotten."""
    return {
        field.name: Withholding(WITHHELD_OTHER, reason_text[:REASON_TEXT_LENGTH])
        for field in schema.all_fields()
        if may_withhold(field) and is_blank(values.get(field.name))
    }


def withheld_of(version: EntryVersion) -> dict[str, Withholding]:
    """The version's withheld answers, keyed by field name."""
    return {row.field: Withholding(row.reason, row.reason_text) for row in version.withheld}


def set_withheld(version: EntryVersion, changes: Mapping[str, Withholding | None]) -> None:
    """Withhold (a `Withholding`) or stop withholding (None) the answers named; a withheld
    answer's value is cleared, so nothing of it is kept on the version. A repeating group is
    withheld only without rows (`rows_in_the_way` says which have some)."""
    unknown = set(changes) - withholdable_names()
    if unknown:
        raise ValueError(f"Answers that cannot be withheld: {sorted(unknown)}")
    rows = {row.field: row for row in version.withheld}
    kept = [row for row in version.withheld if row.field not in changes]
    for name, withholding in changes.items():
        if withholding is None:
            continue
        text = (withholding.reason_text or "").strip() or None
        if withholding.reason != WITHHELD_OTHER:
            text = None
        row = rows.get(name) or WithheldAnswer(field=name)
        row.reason, row.reason_text = withholding.reason, text
        kept.append(row)
        if name in _groups():
            if getattr(version, name):
                raise ValueError(f"{name} has rows: they are never thrown away by withholding")
            continue
        field = next(f for f in schema.all_fields() if f.name == name)
        if field.kind is Kind.CHOICES:
            version.choices = [c for c in version.choices if c.field != name]
        else:
            setattr(version, name, None)
        if field.welsh:
            setattr(version, field.welsh_name, None)
    version.withheld = kept
