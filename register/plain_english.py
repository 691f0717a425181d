"""Plain-English advice on the answers the public reads first: the summary and the purpose.

The advice is a nudge, never a rule: it is shown beside the question after a save and as a
score on the check-your-answers page, and it never stops an answer being saved or published.
It looks for what makes a public-sector text hard to read: long sentences, a high reading
age, words that say little ("leverage", "going forward"), and abbreviations a reader is
never told the meaning of. The reading age comes from `textstat` (Flesch-Kincaid grade,
counted with its bundled hyphenation dictionary, so nothing is fetched while it runs).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# The questions the advice is given on: what a reader sees first of an entry.
CHECKED_FIELDS = ("summary", "purpose")

# Most readers manage sentences of up to 25 words; past that, understanding drops.
LONGEST_SENTENCE = 25
# A reading age above this asks more of a reader than a public summary should.
HIGHEST_READING_AGE = 14
# A UK reading age is the US school grade plus five.
_GRADE_TO_AGE = 5

# Words that hide the meaning of a sentence, with plainer words to use instead.
JARGON: Mapping[str, str] = {
    "leverage": "use",
    "leveraging": "using",
    "utilise": "use",
    "utilising": "using",
    "utilisation": "use",
    "facilitate": "help, make possible",
    "facilitates": "helps, makes possible",
    "going forward": "from now on, in future",
    "robust": "strong, well tested",
    "streamline": "simplify, speed up",
    "streamlines": "simplifies, speeds up",
    "stakeholder": "the people or groups meant",
    "stakeholders": "the people or groups meant",
    "deliver": "make, provide, give",
    "delivers": "makes, provides, gives",
    "empower": "let, allow",
    "empowers": "lets, allows",
    "holistic": "whole, complete",
    "synergy": "working together",
    "synergies": "working together",
    "ecosystem": "the organisations or systems meant",
    "best-in-class": "say what makes it good",
    "cutting-edge": "new",
    "state-of-the-art": "new",
    "paradigm": "model, approach",
    "operationalise": "start using",
    "actionable": "useful, practical",
    "impactful": "say what effect it has",
    "in order to": "to",
    "with regard to": "about",
    "commence": "start",
    "endeavour": "try",
}
# Abbreviations so well known that readers need no expansion.
WELL_KNOWN = frozenset({"AI", "EU", "GP", "ID", "NHS", "UK", "US"})

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9]{1,}(?=s?\b)")


@dataclass(frozen=True)
class Advice:
    """What could make one answer easier to read: its reading age and each suggestion."""

    reading_age: int
    suggestions: tuple[str, ...]

    @property
    def score(self) -> str:
        """The advice in a few words, for the check-your-answers page."""
        count = len(self.suggestions)
        return f"Reading age {self.reading_age}; {count} suggestion{'' if count == 1 else 's'}"


def advise(text: str | None) -> Advice | None:
    """Advice on `text`, or None when there is nothing written to advise on."""
    if not text or not _WORD.search(text):
        return None
    # Imported when a text is first advised on, not with the register: with its hyphenation
    # dictionaries it adds 16 MB to every web worker, and the public pages never use it.
    import textstat

    reading_age = round(textstat.flesch_kincaid_grade(text)) + _GRADE_TO_AGE
    suggestions = [
        *_reading_age_advice(reading_age),
        *_long_sentences(text),
        *_jargon(text),
        *_acronyms(text),
    ]
    return Advice(max(reading_age, _GRADE_TO_AGE), tuple(suggestions))


def advice_for(values: Mapping[str, Any]) -> dict[str, Advice]:
    """Advice on each checked answer in `values` (a version's answers by field name)."""
    found = {name: advise(values.get(name)) for name in CHECKED_FIELDS}
    return {name: advice for name, advice in found.items() if advice is not None}


def _reading_age_advice(reading_age: int) -> list[str]:
    if reading_age <= HIGHEST_READING_AGE:
        return []
    return [
        f"It needs a reading age of about {reading_age}. Shorter sentences and everyday "
        f"words would make it easier to read."
    ]


def _long_sentences(text: str) -> list[str]:
    advice = []
    for sentence in _SENTENCE_END.split(text.strip()):
        words = _WORD.findall(sentence)
        if len(words) > LONGEST_SENTENCE:
            opening = " ".join(words[:4])
            advice.append(
                f"The sentence starting “{opening}” has {len(words)} words. Try to keep "
                f"sentences to {LONGEST_SENTENCE} words or fewer."
            )
    return advice


def _jargon(text: str) -> list[str]:
    lowered = text.lower()
    return [
        f"Instead of “{word}”, try “{plainer}”."
        for word, plainer in JARGON.items()
        if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", lowered)
    ]


def _acronyms(text: str) -> list[str]:
    seen = dict.fromkeys(_ACRONYM.findall(text))
    return [
        f"Say what “{acronym}” stands for the first time you use it, for example "
        f"“full name ({acronym})”."
        for acronym in seen
        if acronym not in WELL_KNOWN and not _spelled_out(acronym, text)
    ]


def _spelled_out(acronym: str, text: str) -> bool:
    """Whether the text explains `acronym`: "Full name (FN)" or "FN (full name)"."""
    explained = (rf"\({re.escape(acronym)}\)", rf"\b{re.escape(acronym)}\s*\([^)]*[a-z][^)]*\)")
    return any(re.search(pattern, text) for pattern in explained)
