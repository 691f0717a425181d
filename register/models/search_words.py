"""The words a text is found by: one rule, in Python, for the index and for the search box.

Each database engine would split and stem text its own way (PostgreSQL's parser keeps
`well-being` whole as well as in parts, SQLite's Porter stemmer is not PostgreSQL's
Snowball), so the same search would find different entries on each. Instead, the register
reduces text to words here, once, and both engines index those words as they are (FTS5's
`unicode61` tokenizer without a stemmer, PostgreSQL's `simple` configuration): both then
hold exactly the same words, and a search made of the same words finds the same entries.

How a text becomes words:

- letters lose their accents and case (`Café` is `cafe`), compatibility forms become plain
  ones (`ﬁ` is `fi`, `²` is `2`), and every script's digits are written 0 to 9;
- a word is letters and digits; an apostrophe inside one joins it (`don't` is `dont`), and a
  final `'s` is dropped, so `children's`, `children’s` and `childrens` are all `children`;
- a hyphen inside a word joins two parts: the parts are words in their place, and the parts
  written together are added after the text, so `well-being` is found by `well`, `being`,
  `well-being` and `wellbeing`, and phrases still read the parts in order;
- each word is reduced to its English stem by the Snowball stemmer (`predicting` and
  `prediction` are `predict`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

from ..schema.fields import WELSH_SUFFIX

APOSTROPHES = "'’‘ʼ`′"
HYPHENS = "-‐‑"
_PART = rf"[^\W_]+(?:[{APOSTROPHES}][^\W_]+)*"
# A word as written: parts joined by hyphens, each part letters and digits with apostrophes.
WORD = re.compile(rf"{_PART}(?:[{HYPHENS}]{_PART})*")
_HYPHEN = re.compile(f"[{HYPHENS}]")
_POSSESSIVE = re.compile(f"[{APOSTROPHES}]s$")
_APOSTROPHE = re.compile(f"[{APOSTROPHES}]")

MAX_WORD_LENGTH = 100  # longer "words" are not words anyone searches for, so none is kept
# PostgreSQL numbers a document's words up to 16,383; eight fields of at most this many
# words stay below it, so phrases are found alike on both engines however long a text is.
MAX_WORDS_PER_FIELD = 2000

_stemmer = snowballstemmer.stemmer("english")


@dataclass(frozen=True)
class Word:
    """One word of a text: as written (`written`, folded), the stems of its parts in order
    (one part unless it has hyphens), and the stem of its parts written together."""

    written: str
    parts: tuple[str, ...]
    joined: str

    @property
    def is_compound(self) -> bool:
        return len(self.parts) > 1


def fold(text: str) -> str:
    """`text` without case, accents or compatibility forms (the soft hyphen goes too), its
    digits written 0 to 9."""
    folded = text.casefold().replace("\u00ad", "")
    if folded.isascii():
        # Most text: nothing to decompose, drop or write otherwise, and already lower case.
        return folded
    decomposed = unicodedata.normalize("NFKD", folded)
    # Folded again: a compatibility form may be a capital (`ℍ` is `H`) or a final sigma,
    # and casefolding leaves Cherokee in capitals, which the engines would lower themselves.
    return decomposed.translate(_PLAIN).casefold().lower()


def _plain(character: str) -> str:
    if unicodedata.combining(character):
        return ""
    kind = unicodedata.category(character)
    if kind == "Nd":
        return str(unicodedata.decimal(character))
    # Other numbers left by NFKD (Tibetan half digits, dingbat numbers) are not letters or
    # digits to PostgreSQL's parser, so they separate words here too.
    return " " if kind == "No" else character


_MOST_CHARACTERS_KEPT = 20_000


class _PlainCharacters(dict[int, str]):
    """`_plain` of each character, by code point, as `str.translate` reads it: worked out
    the first time a character is met, then looked up (up to a bound, as text is anyone's)."""

    def __missing__(self, code: int) -> str:
        plain = _plain(chr(code))
        if len(self) < _MOST_CHARACTERS_KEPT:
            self[code] = plain
        return plain


_PLAIN = _PlainCharacters()


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A folded word's English stem (cached: the register's vocabulary is small)."""
    return _stemmer.stemWord(word)


def _part(written: str) -> str:
    return _APOSTROPHE.sub("", _POSSESSIVE.sub("", written))


@lru_cache(maxsize=65536)
def read(folded: str) -> Word | None:
    """One word of folded text (a match of `WORD` in `fold(text)`), or None if it is too
    long to be a word."""
    parts = tuple(_part(p) for p in _HYPHEN.split(folded))
    written = "".join(parts)
    if not written or len(written) > MAX_WORD_LENGTH:
        return None
    return Word(written, tuple(stem(p) for p in parts), stem(written))


def words_of(text: str) -> Iterator[Word]:
    """The words of `text`, in order. The text is folded before it is split, as folding can
    bring in what separates words (`⑴` is `(1)`)."""
    for match in WORD.finditer(fold(text)):
        word = read(match.group())
        if word is not None:
            yield word


def indexed(text: str | None) -> str:
    """What the index holds of one field's text: the stems of every part in order, then the
    joined stems of hyphenated words, separated by spaces."""
    text = text or ""
    return _indexed_again(text) if len(text) <= _MOST_CACHED_LENGTH else _indexed(text)


def _indexed(text: str) -> str:
    words = list(words_of(text))
    stems = [part for word in words for part in word.parts]
    stems += [word.joined for word in words if word.is_compound]
    return " ".join(stems[:MAX_WORDS_PER_FIELD])


# Many versions share a short text (a supplier's name, a team, wording written in bulk), so
# the words of those are kept; a long text is seldom repeated, and would take more room.
_MOST_CACHED_LENGTH = 1000
_indexed_again = lru_cache(maxsize=8192)(_indexed)


def indexed_fields(values: Mapping[str, object], names: tuple[str, ...]) -> dict[str, str]:
    """The indexed words of each field in `names` of a version's `values`, followed by
    those of its Welsh version (`summary_cy` for `summary`), if it has one: the index holds
    a field's words in both languages, so a search in either finds the entry alike on both
    engines."""
    return {name: indexed(_in_both_languages(values, name)) for name in names}


def _in_both_languages(values: Mapping[str, object], name: str) -> str | None:
    texts = (_text(values.get(name)), _text(values.get(name + WELSH_SUFFIX)))
    return "\n\n".join(text for text in texts if text) or None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None
