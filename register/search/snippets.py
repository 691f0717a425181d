"""A short extract of each result's text, with the words the search found marked.

Made in Python from the rows of the page being shown (never more than a page), by the same
rule that found them (`models/search_words.py`), so the words marked are the words matched
and an extract reads the same on either engine. The index holds words, not text, so it
could not make one anyway. Each row's stored words say which field has a match, so only
that field's text is read word by word.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from .. import schema
from ..languages import DEFAULT_LANGUAGE, in_page_language
from ..models import EntryVersion
from ..models.search_words import WORD, words_of
from .text import Terms

# Around each match in an extract: characters nobody types, replaced by <mark> once escaped.
MARK_START, MARK_END = "\ue000", "\ue001"
SNIPPET_WORDS = 24
LEAD_WORDS = 6  # words shown before the first match, for context
ELLIPSIS = "…"


@cache
def _fields() -> tuple[str, ...]:
    """The fields an extract comes from, weightiest first. Not the title, which is shown
    above the extract anyway."""
    fields = [f for f in schema.searchable_fields() if f.name != "title"]
    return tuple(f.name for f in sorted(fields, key=lambda f: -f.search_weight))


@dataclass(frozen=True)
class Extract:
    """An extract of one text (raw: see `snippet`) and the language that text is in."""

    text: str
    lang: str


def _texts(version: EntryVersion, name: str) -> tuple[str, str]:
    """A field's text, then its Welsh version's, whose words its stored words hold too."""
    return (getattr(version, name) or "", getattr(version, name + schema.WELSH_SUFFIX, "") or "")


def _in_order(texts: tuple[str, str], language: str) -> list[tuple[str, str]]:
    """A field's texts with their languages, the page's language first."""
    both = [(texts[0], DEFAULT_LANGUAGE), (texts[1], schema.WELSH)]
    return sorted(both, key=lambda pair: pair[1] != language)


class _Matcher:
    """Whether a word of the text is one the search looks for."""

    def __init__(self, terms: Terms) -> None:
        exact = {part for phrase in terms.phrases for part in phrase}
        exact |= {part for _, parts in terms.compounds for part in parts}
        starts = [*terms.words, *(joined for joined, _ in terms.compounds)]
        exact |= {word for word in starts if not Terms.is_prefix(word)}
        self.exact = frozenset(exact)
        self.starts = tuple(word for word in starts if Terms.is_prefix(word))

    def any_in(self, indexed: str) -> bool:
        """Whether a field's words, as the index holds them, have a match: a quick look
        before the field's text is read word by word."""
        words = indexed.split()
        return not self.exact.isdisjoint(words) or any(w.startswith(self.starts) for w in words)

    def __call__(self, written: str) -> bool:
        stems = _stems(written)
        return not self.exact.isdisjoint(stems) or any(s.startswith(self.starts) for s in stems)


@lru_cache(maxsize=65536)
def _stems(written: str) -> frozenset[str]:
    """Every stem a word of the text is found by (cached: texts share their words)."""
    return frozenset(stem for word in words_of(written) for stem in (*word.parts, word.joined))


def _extract(text: str, spans: list[tuple[int, int, bool]]) -> str:
    """At most `SNIPPET_WORDS` words of `text` from a little before its first match, the
    matches marked."""
    first = next((i for i, (_, _, found) in enumerate(spans) if found), 0)
    start = max(0, min(first - LEAD_WORDS, len(spans) - SNIPPET_WORDS))
    end = min(len(spans), start + SNIPPET_WORDS)
    pieces = [ELLIPSIS] if start else []
    position = spans[start][0] if start else 0
    for begin, finish, found in spans[start:end]:
        pieces.append(text[position:begin])
        word = text[begin:finish]
        pieces.append(f"{MARK_START}{word}{MARK_END}" if found else word)
        position = finish
    pieces.append(text[position:] if end == len(spans) else ELLIPSIS)
    return "".join(pieces).strip()


def snippet(
    version: EntryVersion, terms: Terms, language: str = DEFAULT_LANGUAGE
) -> Extract | None:
    """An extract of the weightiest field of `version` with a match (or else of the
    weightiest field with text), as raw text with the matches between MARK_START and
    MARK_END, to be escaped before it is shown; None without words to look for. Of a field
    answered in English and Welsh, the text in `language` (the page's) is read first."""
    if not terms or terms.reference:
        return None
    matches = _Matcher(terms)
    stored = version.search_words or {}
    fallback = Extract("", language)
    for name in _fields():
        texts = _texts(version, name)
        if matches.any_in(stored.get(name, "")):
            for text, lang in _in_order(texts, language):
                spans = [(m.start(), m.end(), matches(m.group())) for m in WORD.finditer(text)]
                if any(found for _, _, found in spans):
                    return Extract(_extract(text, spans), lang)
        if not fallback.text:
            said = in_page_language(*texts, language)
            fallback = Extract(said, said.lang or language)
    spans = [(m.start(), m.end(), False) for m in WORD.finditer(fallback.text)]
    return Extract(_extract(fallback.text, spans), fallback.lang) if spans else None


def snippets(
    versions: Sequence[EntryVersion], terms: Terms, language: str = DEFAULT_LANGUAGE
) -> dict[int, Extract]:
    """The extract of each version with one, by id, read first in `language`."""
    made = {version.id: snippet(version, terms, language) for version in versions}
    return {version_id: text for version_id, text in made.items() if text is not None}
