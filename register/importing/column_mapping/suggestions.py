"""Suggesting where each column of a file goes, from its name and its values.

A column's name is compared, word by word, with every name a field goes by: its name and
label in the record definition, the other registers' names for it in the crosswalk, and the
names the formats know for it (their aliases). Words are compared without case, plural or
punctuation, with a few words that name the same thing in registers' files ("agency" and
"organisation", "vendor" and "supplier", "desc" and "description"). Then the column's values
must suit the field: dates for a date, yes or no for a yes-or-no question, an address for
an email or a link, a vocabulary's codes or labels for a choice, text short enough for a
text. A column whose name says nothing may still be suggested by its values alone, where
they can mean only one field (email addresses, a vocabulary's values). Each field is
suggested for one column at most, the one that fits it best; every other column goes to
Other information. These are suggestions only: the person sees and changes them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Sequence

from ...schema import Kind
from ...validation import check_value
from ..formats import FORMATS
from ..values import (
    Unreadable,
    looks_like_link,
    read_code,
    read_codes,
    read_date,
    read_yes_no,
    squeeze,
)
from .definition import IDENTIFIER, ORGANISATION, OTHER, TARGETS, ColumnMapping, Target
from .reading import FileColumn

# Below this a name says too little to suggest anything.
GOOD_ENOUGH = 0.6
# A name matches the column's words, but the values do not suit the field.
WRONG_VALUES = 0.3
# Values that can mean only one field, whatever the column is called.
BY_VALUES_ALONE = 0.65
# Values looked at to suggest a field by its values alone: enough to be sure.
VALUES_ALONE_LOOKED_AT = 20
# A field's label is a question for people; its names in files count for a little more.
LABEL_WEIGHT = 0.95

# Words that say nothing about which field a column holds.
_UNSAID = frozenset(
    "a an and any are be by do does doe for from has have how if in is it its of on or the "
    "this to was what which with tool tools ai algorithm algorithmic system".split()
)
# Words registers' files use for the same thing, as one word.
_SAME = {
    "agency": "organisation",
    "organization": "organisation",
    "department": "organisation",
    "dept": "organisation",
    "org": "organisation",
    "vendor": "supplier",
    "contractor": "supplier",
    "provider": "supplier",
    "desc": "description",
    "descr": "description",
    "brief": "summary",
    "short": "summary",
    "overview": "summary",
    "url": "link",
    "e": "",
    "mail": "email",
    "id": "identifier",
    "ref": "reference",
    "stage": "status",
    "phase": "status",
    "goal": "purpose",
    "objective": "purpose",
}
# The register's own word for a file's identifier, besides the crosswalks' names.
_IDENTIFIER_NAMES = ("identifier", "id", "reference", "ref", "use case id", "record id")


def words(name: str) -> frozenset[str]:
    """The words of a name that say what it holds, without their endings: "Tool_Desc_Brief"
    is description and summary."""
    found = set()
    for word in squeeze(name).split():
        if word in _UNSAID:
            continue
        word = _stem(word)
        word = _SAME.get(word, word)
        if word:
            found.add(word)
    return frozenset(found)


def _stem(word: str) -> str:
    """A word without the endings English adds to it: "outputs", "detailed", "training"."""
    for ending in ("ing", "ed"):
        if len(word) > 5 and word.endswith(ending):
            return word[: -len(ending)]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _same_word(ours: str, theirs: str) -> bool:
    """Equal, or one a short form of the other ("info", "information"); not a word that
    merely starts another ("data", "dataset")."""
    if ours == theirs:
        return True
    shorter, longer = sorted((ours, theirs), key=len)
    return len(shorter) >= 4 and len(longer) >= 2 * len(shorter) and longer.startswith(shorter)


def name_score(column: frozenset[str], name: frozenset[str]) -> float:
    """How well a column's words match one of a field's names: 1 when they are the same
    words; less for each of the name's words the column lacks, and a little less for each
    word of the column's that the name does not have."""
    if not column or not name:
        return 0.0
    covered = sum(1 for word in name if any(_same_word(word, other) for other in column))
    used = sum(1 for word in column if any(_same_word(word, other) for other in name))
    return covered / len(name) * (0.75 + 0.25 * used / len(column))


@functools.cache
def _names() -> dict[str, tuple[tuple[frozenset[str], float], ...]]:
    """Every target's names, as words, each with its weight."""
    aliases: dict[str, list[str]] = {}
    for file_format in FORMATS.values():
        for target, columns in file_format.aliases.items():
            aliases.setdefault(target, []).extend(columns)
    names = {}
    for target in TARGETS:
        if target.value == OTHER:
            continue
        own: list[str] = list(aliases.get(target.value, []))
        labels: list[str] = []
        if target.value == IDENTIFIER:
            own += _IDENTIFIER_NAMES
        elif target.group is not None:
            # A group's field is named with its group: a bare "description" or "date" says
            # too little to tell a data source's from a risk's.
            field = target.field
            own += [f"{target.group.name} {field.name}", *field.crosswalk.values()]
            labels += [f"{target.group.item_label} {field.label}", target.label]
        else:
            own += [target.field.name, *target.field.crosswalk.values()]
            labels.append(target.field.label)
        weighted = [(words(name), 1.0) for name in own] + [
            (words(name), LABEL_WEIGHT) for name in labels
        ]
        names[target.value] = tuple((found, weight) for found, weight in weighted if found)
    return names


def first_mapping(
    columns: Sequence[FileColumn], saved: ColumnMapping | None = None
) -> tuple[ColumnMapping, dict[str, tuple[str, str]]]:
    """The mapping a person starts from, and why each column goes where it does ("name" or
    "values" for a suggestion). From a saved mapping, each column it names goes where it
    says ("saved"); a column it does not name is "new", and goes to Other information
    until the person says otherwise. Otherwise, the suggestions, and the date order the
    values show (day first if they show none)."""
    if saved is None:
        suggested = suggest(columns)
        targets = {column.name: suggested.get(column.name, (OTHER, ""))[0] for column in columns}
        return ColumnMapping(targets, dates_day_first(columns) is not False), suggested
    named = {squeeze(name): target for name, target in saved.columns.items()}
    targets: dict[str, str | None] = {}
    why: dict[str, tuple[str, str]] = {}
    for column in columns:
        key = squeeze(column.name)
        targets[column.name] = named.get(key, OTHER)
        why[column.name] = (named[key] or "", "saved") if key in named else ("", "new")
    return ColumnMapping(targets, saved.day_first, saved.organisation), why


def suggest(columns: Sequence[FileColumn]) -> dict[str, tuple[str, str]]:
    """For each column, where it should go and why ("name" or "values"), for the columns a
    field is suggested for; the others go to Other information."""
    candidates: list[tuple[float, int, str, str, str]] = []
    for position, column in enumerate(columns):
        for target, score, why in _scores(column):
            candidates.append((score, -position, column.name, target, why))
    chosen: dict[str, tuple[str, str]] = {}
    taken: set[str] = set()
    for score, _position, column, target, why in sorted(candidates, reverse=True):
        if score < GOOD_ENOUGH or column in chosen or target in taken:
            continue
        chosen[column] = (target, why)
        taken.add(target)
    return chosen


def _scores(column: FileColumn) -> Iterable[tuple[str, float, str]]:
    """Each target's score for the column, and whether its name or its values earned it."""
    by_name = _name_scores(words(column.name))
    for target in TARGETS:
        score = by_name.get(target.value, 0.0)
        if score >= GOOD_ENOUGH:
            suits = _suits(target, column.values)
            yield target.value, score * (1.0 if suits else WRONG_VALUES), "name"
        elif _only_this(target, column.values):
            yield target.value, BY_VALUES_ALONE, "values"


def _name_scores(said: frozenset[str]) -> dict[str, float]:
    """The best score of each target with a name sharing a word with the column's: only
    those are compared, so a file of a thousand columns is suggested for in moments."""
    index = _names_by_word()
    candidates: set[tuple[str, frozenset[str], float]] = set()
    for word in said:
        for known in _known_words_like(word):
            candidates.update(index[known])
    best: dict[str, float] = {}
    for target, name, weight in candidates:
        score = name_score(said, name) * weight
        if score > best.get(target, 0.0):
            best[target] = score
    return best


@functools.cache
def _names_by_word() -> dict[str, tuple[tuple[str, frozenset[str], float], ...]]:
    """Each word of the targets' names, with the names (and their targets) it is in."""
    found: dict[str, list[tuple[str, frozenset[str], float]]] = {}
    for target, names in _names().items():
        for name, weight in names:
            for word in name:
                found.setdefault(word, []).append((target, name, weight))
    return {word: tuple(names) for word, names in found.items()}


@functools.lru_cache(maxsize=4096)
def _known_words_like(word: str) -> tuple[str, ...]:
    """The words of the targets' names that `word` matches (see `_same_word`)."""
    return tuple(known for known in _names_by_word() if _same_word(word, known))


def _share(values: Sequence[str], test: Callable[[str], bool]) -> float:
    return sum(1 for value in values if test(value)) / len(values) if values else 0.0


def _readable(read: Callable[[str], object]) -> Callable[[str], bool]:
    def test(value: str) -> bool:
        try:
            read(value)
        except Unreadable:
            return False
        return True

    return test


def _date(value: str) -> bool:
    """Whether the value is a date written either way round."""
    return _readable(lambda text: read_date(text, day_first=True))(value) or _readable(
        lambda text: read_date(text, day_first=False)
    )(value)


def _suits(target: Target, values: Sequence[str]) -> bool:
    """Whether most of the column's values could be the target's answers (a column with no
    values suits anything)."""
    if not values:
        return True
    item = target.field
    if item is None or item.kind is Kind.ORGANISATION or target.value == ORGANISATION:
        return _share(values, lambda value: len(value) <= 200) >= 0.8
    if item.kind is Kind.PARTIAL_DATE:
        return _share(values, _date) >= 0.5
    if item.kind is Kind.BOOLEAN:
        return _share(values, _readable(read_yes_no)) >= 0.8
    if item.kind is Kind.EMAIL:
        return _share(values, lambda value: "@" in value) >= 0.5
    if item.kind is Kind.URL:
        return _share(values, looks_like_link) >= 0.5
    if item.kind is Kind.CHOICE:
        return _share(values, _readable(lambda v: read_code(item.vocabulary, v))) >= 0.5
    if item.kind is Kind.CHOICES:
        return _share(values, lambda v: bool(read_codes(item.vocabulary, v)[0])) >= 0.5
    enough = 0.5 if item.kind is Kind.LONG_TEXT else 0.8
    return _share(values, lambda value: len(value) <= (item.max_length or len(value))) >= enough


def _only_this(target: Target, values: Sequence[str]) -> bool:
    """Whether the values can only be this target's, whatever the column is called: email
    addresses for the contact email, or a vocabulary's values (two different ones at least,
    so a lone "Other" or "Yes" does not decide) for a top-level choice."""
    item = target.field
    if item is None or target.group is not None or len(values) < 2:
        return False
    values = values[:VALUES_ALONE_LOOKED_AT]
    if item.kind is Kind.EMAIL:
        return "@" in values[0] and _share(values, lambda v: check_value(item, v) is None) >= 0.8
    if item.kind is Kind.CHOICE:
        codes = set()
        for value in values:
            try:
                codes.add(read_code(item.vocabulary, value))
            except Unreadable:
                return False
        return len(codes) >= 2
    return False


_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-]\d{2,4}\b")


def dates_day_first(columns: Iterable[FileColumn]) -> bool | None:
    """Whether the file writes dates day first (31/12/2024) or month first (12/31/2024), where
    a day after the 12th shows it; None if nothing shows it."""
    day_first = month_first = 0
    for column in columns:
        for value in column.values:
            match = _DAY_MONTH_YEAR.match(value)
            if match is None:
                continue
            first, second = int(match[1]), int(match[2])
            day_first += first > 12
            month_first += second > 12
    if day_first == month_first:
        return None
    return day_first > month_first
