"""What a person typed in the search box, as the words the register searches for.

Only letters and digits are kept: quotes mark phrases, and everything else (operators, brackets,
stars, colons, minus signs, SQL) separates words. Words are read by the same rule as the text
in the index (`models/search_words.py`: accents, apostrophes, hyphens, English stems), so a
search finds the same entries on either engine. The engines' own query languages are built
from these terms alone (`fulltext.py`), so nothing typed is ever read as query syntax.

A search that is only an entry's public reference (`AIR-00042`, `air-00042`, `AIR 00042` or
`AIR00042`, with the register's own prefix) looks for that entry alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from flask import current_app, has_app_context
from flask_babel import LazyString
from flask_babel import lazy_gettext as _

from ..models.entry import reference_for
from ..models.search_words import MAX_WORD_LENGTH, WORD, Word, fold, read

QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "＂": '"'})
# A reference as the register writes it (at least five digits), in any case, with a hyphen,
# a space or nothing after the prefix: shorter numbers are more likely words ("air 2024").
REFERENCE = re.compile(r"\s*([A-Za-z]+)[-‐‑\s]?([0-9]{5,12})\s*")

MAX_TEXT_LENGTH = 1000  # characters of the search box that are read
MAX_TERMS = 32  # words searched for, counting the words of phrases and the parts of compounds
PREFIX_FROM = 3  # shorter words match whole words only, as "a*" would match nearly everything

# Words too common to narrow a search, left out unless inside a phrase (where every word
# counts). The index keeps them, for phrases.
STOP_WORDS = frozenset(
    "a an and are as at be been but by for from had has have he her his i if in into is it its "
    "me my no not of on or our she so such than that the their them then there these they this "
    "to was we were what when where which who will with you your".split()
)


@dataclass(frozen=True)
class Terms:
    """What to look for, in the index's own words (stems): `words` (each found as itself,
    and as the start of longer words once it has `PREFIX_FROM` letters), `compounds`
    (hyphenated words: their parts written together, found as `words` are, or their parts
    in order, as joined, parts), `phrases` (words in this order), or else `reference` (an
    entry's public reference)."""

    words: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    compounds: tuple[tuple[str, tuple[str, ...]], ...] = ()
    reference: str = ""

    def __bool__(self) -> bool:
        return bool(self.words or self.phrases or self.compounds or self.reference)

    @staticmethod
    def is_prefix(word: str) -> bool:
        return len(word) >= PREFIX_FROM


def tidy(text: str) -> str:
    """The search text as it is kept and shown again: one line, single spaces, not too long."""
    return " ".join(text.split())[:MAX_TEXT_LENGTH]


def reference_prefix() -> str:
    """The register's prefix for public references (AIR unless configured otherwise)."""
    if has_app_context():
        return current_app.config.get("REGISTER_REFERENCE_PREFIX", "AIR")
    return "AIR"


def reference_in(text: str, prefix: str) -> str:
    """The public reference `text` is, written the register's way, or "" if it is not one."""
    found = REFERENCE.fullmatch(text)
    if not found or found.group(1).casefold() != prefix.casefold():
        return ""
    return reference_for(int(found.group(2)), prefix)


class _Reading:
    """Terms gathered from the segments of a search, within the budget of `MAX_TERMS`."""

    def __init__(self) -> None:
        self.words: list[str] = []
        self.compounds: list[tuple[str, tuple[str, ...]]] = []
        self.phrases: list[tuple[str, ...]] = []
        self.budget = MAX_TERMS
        self.too_long = self.common = self.cut = False

    def words_in(self, segment: str) -> list[Word]:
        found = []
        for match in WORD.finditer(fold(segment)):
            word = read(match.group())
            self.too_long = self.too_long or word is None
            if word is not None:
                found.append(word)
        return found

    def add_word(self, word: Word) -> None:
        if not word.is_compound:
            if word.joined not in self.words:
                self.cut = self.cut or self.budget == 0
                if self.budget:
                    self.words.append(word.joined)
                    self.budget -= 1
            return
        compound = (word.joined, word.parts)
        if compound not in self.compounds:
            self.cut = self.cut or self.budget < len(word.parts)
            if self.budget >= len(word.parts):
                self.compounds.append(compound)
                self.budget -= len(word.parts)

    def add_phrase(self, words: list[Word]) -> None:
        if len(words) == 1:
            self.add_word(words[0])
            return
        stems = [part for word in words for part in word.parts]
        phrase = tuple(stems[: self.budget])
        self.cut = self.cut or len(phrase) < len(stems)
        self.budget -= len(phrase)
        if len(phrase) > 1 and phrase not in self.phrases:
            self.phrases.append(phrase)
        elif len(phrase) == 1 and phrase[0] not in self.words:
            self.words.append(phrase[0])

    def terms(self) -> Terms:
        return Terms(tuple(self.words), tuple(self.phrases), tuple(self.compounds))


@lru_cache(maxsize=512)
def terms_of(text: str, prefix: str = "AIR") -> tuple[Terms, tuple[LazyString, ...]]:
    """The terms to search for in `text`, and notices about anything left out. `prefix` is
    the register's prefix for public references."""
    reference = reference_in(text, prefix)
    if reference:
        return Terms(reference=reference), ()
    segments = text.translate(QUOTES).split('"')
    if len(segments) % 2 == 0:
        # A quote left open: read what follows it as words, not as a phrase.
        segments[-2:] = [segments[-2] + " " + segments[-1]]
    reading = _Reading()
    for position, segment in enumerate(segments):
        words = reading.words_in(segment)
        if position % 2:  # inside quotes
            if words:
                reading.add_phrase(words)
            continue
        for word in words:
            if word.written in STOP_WORDS:
                reading.common = True
            else:
                reading.add_word(word)
    return reading.terms(), _notices(text, reading)


def _notices(text: str, reading: _Reading) -> tuple[LazyString, ...]:
    # Lazy texts: kept in the cache above, and written in the language of the page that
    # shows them (English for the API).
    notices = []
    if reading.cut:
        notices.append(
            _("Only the first %(count)s words of your search were used.", count=MAX_TERMS)
        )
    if reading.too_long:
        notices.append(
            _("Words longer than %(count)s characters were left out.", count=MAX_WORD_LENGTH)
        )
    if not reading.terms() and text.strip():
        if reading.common:
            notices.append(
                _(
                    "Your search has only very common words, so it was not used: "
                    "add a more specific word."
                )
            )
        else:
            notices.append(_("Your search has no letters or numbers, so it was not used."))
    elif reading.common:
        notices.append(_("Very common words such as “the” and “of” were left out of your search."))
    return tuple(notices)
