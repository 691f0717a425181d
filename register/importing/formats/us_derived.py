"""What the US inventories say without being asked, derived faithfully: the summary the
record requires, from the agency's own first sentences, and (2025) the effect on rights or
safety where the agency found a use not high-impact. Nothing is invented; what a file does
not say stays not recorded. docs/importing.md, "What is derived from the US inventories",
says why each derivation is faithful.
"""

from __future__ import annotations

import re

from ...schema.vocabularies import RIGHTS_SAFETY_EFFECT
from ..mapping import Mapper, shortened
from ..values import read_code

# The letter the files put before a chosen option: "c) Not high-impact".
OPTION_LETTER = re.compile(r"^\(?[a-z]\)\s+", re.IGNORECASE)

# Where one sentence ends and the next begins: a full stop, question or exclamation mark,
# then space and a capital letter, digit or opening quote or bracket.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“(])")
SUMMARY_LENGTH = 500


def first_sentence(text: str) -> str:
    """The first sentence of `text`, on one line."""
    return _SENTENCE_END.split(" ".join(text.split()), maxsplit=1)[0] if text else ""


def derived_summary(problem: str, outputs: str) -> str:
    """A summary in the agency's own words: the first sentence of the problem the tool
    solves, then the first sentence of what it produces, as far as 500 characters hold them.
    Nothing is added; a first sentence too long for a summary is cut at a word, with an
    ellipsis, as a long title is."""
    sentences = [first_sentence(text) for text in (problem, outputs) if text]
    summary = ""
    for sentence in sentences:
        joined = f"{summary} {sentence}".strip()
        if len(joined) > SUMMARY_LENGTH:
            break
        summary = joined
    if not summary and sentences:
        summary = shortened(sentences[0], SUMMARY_LENGTH)
    return summary


def summary(mapper: Mapper, purpose: str, outputs: str) -> None:
    """The summary the inventories do not ask for, from the answers they do (see
    `derived_summary`). The answers stay whole in purpose and outputs."""
    problem_column, problem = mapper.peek(*mapper.columns_for("purpose"), purpose)
    outputs_column, output = mapper.peek(*mapper.columns_for("outputs"), outputs)
    text = derived_summary(problem, output)
    if text:
        column = problem_column if problem else outputs_column
        mapper.set("summary", text, column or "", problem or output)


# M-25-21's "high-impact" use is the 2024 guidance's rights-impacting and safety-impacting
# uses in one: the same test (an output that is the principal basis of a decision or action
# with a legal, material, binding or similarly significant effect on rights or safety).
# An agency that finds a use not high-impact has found it neither, as the 2024 "Neither"
# says; a high-impact use affects rights, safety or both, and the file does not say which,
# so that answer stays not recorded. The cell is kept in Other information either way.
NEITHER = read_code(RIGHTS_SAFETY_EFFECT, "Neither", source="us")


def is_not_high_impact(answer: str) -> bool:
    """Whether an `is_high_impact` answer says the use is not high-impact ("Not
    High-impact", "Presumed High-Impact, but Not High-impact", "c) Not high-impact", "b)
    Presumed high-impact, but determined not high impact")."""
    words = re.sub(r"[^a-z]+", "", OPTION_LETTER.sub("", answer).casefold())
    return words.replace("determined", "") in (
        "nothighimpact",
        "presumedhighimpactbutnothighimpact",
    )


def rights_safety_effect(mapper: Mapper) -> None:
    """Neither, where the agency found the use not high-impact; the cell is not marked
    used, so it stays in Other information as the agency wrote it."""
    column, value = mapper.peek("is_high_impact")
    if column is not None and is_not_high_impact(value):
        mapper.set("rights_safety_effect", NEITHER, column, value)
