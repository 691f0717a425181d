"""Searches never asked before, for the bench's cold search run.

The register keeps each search's counts and page until the register changes, so a search
that wrk repeats is served from memory after its first request; a person's search is
usually new to the register. So the cold run sends a different search with each request,
made from the demo data's own words: single words, then two words taken from the text of
one entry (so each search finds at least that entry), never two searches the index would
read alike (the same stems). `fresh.lua` sends them one a request. Both tools get the same
searches: the register as typed, Datasette as its index holds the words (`run.as_indexed`).
"""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

from register import schema
from register.models.search_words import indexed, words_of
from register.search.text import PREFIX_FROM, STOP_WORDS

# Current versions whose text the words are taken from: enough for the demo data's whole
# vocabulary, few enough to read in a second or two at any size.
SAMPLED_VERSIONS = 3000


def entry_words(database: Path) -> list[list[str]]:
    """The searchable words of a sample of the current versions in the SQLite `database`,
    as written (folded), one list per version. Stop words (left out of searches), short
    words (matched whole only), numbers and hyphenated words are left out."""
    names = ", ".join(field.name for field in schema.searchable_fields())
    with sqlite3.connect(database) as connection:
        (current,) = connection.execute(
            "SELECT count(*) FROM entry_version WHERE is_current = 1"
        ).fetchone()
        step = max(1, current // SAMPLED_VERSIONS)
        rows = connection.execute(
            f"SELECT {names} FROM entry_version WHERE is_current = 1 AND id % ? = 0",  # noqa: S608 - the schema's column names
            (step,),
        ).fetchall()
    found = []
    for row in rows:
        text = " ".join(value for value in row if value)
        words = {
            word.written
            for word in words_of(text)
            if not word.is_compound
            and word.written.isalpha()
            and len(word.written) >= PREFIX_FROM
            and word.written not in STOP_WORDS
        }
        if words:
            found.append(sorted(words))
    return found


def _key(search: str) -> tuple[str, ...]:
    """What the register caches a search by, near enough: its stems, in any order."""
    return tuple(sorted(set(indexed(search).split())))


def searches(
    entries: list[list[str]], count: int, *, seed: int, asked: tuple[str, ...] = ()
) -> list[str]:
    """`count` searches (fewer if the words run out), each read differently by the index
    from every other and from those `asked` already: every word of `entries` alone, in a
    random order, then pairs of words of one entry."""
    rng = random.Random(seed)  # noqa: S311 - a repeatable sample, not a secret
    seen = {_key(search) for search in asked}
    found: list[str] = []

    def add(search: str) -> None:
        key = _key(search)
        if key and key not in seen:
            seen.add(key)
            found.append(search)

    vocabulary = sorted({word for words in entries for word in words})
    rng.shuffle(vocabulary)
    for word in vocabulary[:count]:
        add(word)
    pairs = [words for words in entries if len(words) > 1]
    attempts = 0
    while pairs and len(found) < count and attempts < count * 20:
        attempts += 1
        add(" ".join(rng.sample(rng.choice(pairs), 2)))
    return found
