"""What a person typed in the search box, as words and phrases the register searches for.

Only letters and digits are kept: quotes mark phrases, and everything else (operators, brackets,
stars, colons, minus signs, SQL) separates words. The engines' own query languages are built
from these terms alone (`fulltext.py`), so nothing typed is ever read as query syntax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

WORD = re.compile(r"[^\W_]+")
QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "＂": '"'})

MAX_TEXT_LENGTH = 1000  # characters of the search box that are read
MAX_TERMS = 32  # words searched for, counting the words of phrases
MAX_WORD_LENGTH = 100  # longer "words" are not words anyone searches for
PREFIX_FROM = 3  # shorter words match whole words only, as "a*" would match nearly everything

# Words too common to narrow a search. PostgreSQL leaves out its own list of such words, so
# SQLite leaves out these, which keeps the two engines' results alike. Inside a phrase every
# word counts.
STOP_WORDS = frozenset(
    "a an and are as at be been but by for from had has have he her his i if in into is it its "
    "me my no not of on or our she so such than that the their them then there these they this "
    "to was we were what when where which who will with you your".split()
)


@dataclass(frozen=True)
class Terms:
    """Words (each found by its stem, and as the start of longer words once it has
    `PREFIX_FROM` letters) and phrases (words in this order, each found by its stem)."""

    words: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.words or self.phrases)

    @staticmethod
    def is_prefix(word: str) -> bool:
        return len(word) >= PREFIX_FROM


def tidy(text: str) -> str:
    """The search text as it is kept and shown again: one line, single spaces, not too long."""
    return " ".join(text.split())[:MAX_TEXT_LENGTH]


@lru_cache(maxsize=512)
def terms_of(text: str) -> tuple[Terms, tuple[str, ...]]:
    """The terms to search for in `text`, and notices about anything left out."""
    notices: list[str] = []
    segments = text.translate(QUOTES).split('"')
    if len(segments) % 2 == 0:
        # A quote left open: read what follows it as words, not as a phrase.
        segments[-2:] = [segments[-2] + " " + segments[-1]]
    words: list[str] = []
    phrases: list[tuple[str, ...]] = []
    budget = MAX_TERMS
    too_long = common = cut = False
    for position, segment in enumerate(segments):
        found = [word.lower() for word in WORD.findall(segment)]
        too_long = too_long or any(len(word) > MAX_WORD_LENGTH for word in found)
        found = [word for word in found if len(word) <= MAX_WORD_LENGTH]
        if position % 2:  # inside quotes
            phrase = tuple(found[:budget])
            cut = cut or len(phrase) < len(found)
            budget -= len(phrase)
            if len(phrase) > 1 and phrase not in phrases:
                phrases.append(phrase)
            elif len(phrase) == 1 and phrase[0] not in words:
                words.append(phrase[0])
            continue
        for word in found:
            if word in STOP_WORDS:
                common = True
            elif word not in words:
                cut = cut or budget == 0
                if budget:
                    words.append(word)
                    budget -= 1
    if cut:
        notices.append(f"Only the first {MAX_TERMS} words of your search were used.")
    if too_long:
        notices.append(f"Words longer than {MAX_WORD_LENGTH} characters were left out.")
    terms = Terms(tuple(words), tuple(phrases))
    if not terms and text.strip():
        if common:
            notices.append(
                "Your search has only very common words, so it was not used: "
                "add a more specific word."
            )
        else:
            notices.append("Your search has no letters or numbers, so it was not used.")
    elif common:
        notices.append("Very common words such as “the” and “of” were left out of your search.")
    return terms, tuple(notices)
