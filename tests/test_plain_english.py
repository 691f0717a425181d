"""Plain-English advice on the summary and the purpose: what it finds, shown beside the
question after a save and as a score on check your answers, never stopping a save."""

from __future__ import annotations

import socket

import pytest

from register import plain_english, schema
from register.plain_english import Advice, advise

from .manage_world import WORLD, form_data

world = WORLD

PLAIN = "The council sorts pothole reports. It sends each one to the right team."
WORDY = (
    "We leverage NLP to deliver robust outcomes for stakeholders going forward, and the "
    "Driver and Vehicle Licensing Agency (DVLA) and the NHS agree."
)


def test_plain_writing_gets_a_low_reading_age_and_no_suggestions():
    assert advise(PLAIN) == Advice(reading_age=6, suggestions=())
    assert advise(PLAIN).score == "Reading age 6; 0 suggestions"


def test_jargon_and_acronyms_never_spelled_out_are_pointed_out():
    suggestions = advise(WORDY).suggestions
    assert suggestions[0].startswith("It needs a reading age of about 18.")
    assert suggestions[1:] == (
        "Instead of “leverage”, try “use”.",
        "Instead of “going forward”, try “from now on, in future”.",
        "Instead of “robust”, try “strong, well tested”.",
        "Instead of “stakeholders”, try “the people or groups meant”.",
        "Instead of “deliver”, try “make, provide, give”.",
        "Say what “NLP” stands for the first time you use it, for example “full name (NLP)”.",
    )


@pytest.mark.parametrize(
    "text",
    [
        "Natural language processing (NLP) reads letters.",
        "NLP (natural language processing) reads letters.",
        "The NHS and the UK use AI.",
    ],
)
def test_an_acronym_spelled_out_either_way_or_known_to_everyone_is_fine(text):
    assert [s for s in advise(text).suggestions if "stands for" in s] == []


def test_a_sentence_over_25_words_and_a_high_reading_age_are_pointed_out():
    long = (
        "Consequently, the organisation's comprehensive algorithmic prioritisation methodology "
        "systematically evaluates infrastructural deterioration indicators, environmental "
        "considerations, historical maintenance documentation, and anticipated utilisation "
        "patterns, determining appropriate interventions whenever operational circumstances "
        "necessitate immediate remedial consideration by engineers."
    )
    advice = advise(long)
    assert advice.reading_age > plain_english.HIGHEST_READING_AGE
    assert advice.suggestions[0].startswith(
        f"It needs a reading age of about {advice.reading_age}."
    )
    assert advice.suggestions[1] == (
        "The sentence starting “Consequently the organisation's comprehensive” has 33 words. "
        "Try to keep sentences to 25 words or fewer."
    )


@pytest.mark.parametrize("text", [None, "", "   ", "2024 – 2025"])
def test_nothing_written_gets_no_advice(text):
    assert advise(text) is None


def test_the_checked_questions_are_questions_of_the_record():
    names = {field.name for field in schema.all_fields()}
    assert set(plain_english.CHECKED_FIELDS) <= names


def test_the_advice_never_reaches_the_network(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the advice tried to connect")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    assert advise(WORDY + " It was built quickly by a small team.").reading_age > 0


SECTION = "/manage/entries/AIR-00001/about"


def _save_summary(world, summary: str) -> None:
    editor = world.client("editor")
    data = form_data(editor.get(SECTION))
    data.update(summary=summary, save_as_draft="y")
    editor.post(SECTION, data, 302)


def test_advice_is_shown_beside_the_saved_summary_and_never_stops_the_save(world):
    world.entry()
    assert world.client("editor").get(SECTION).select_one("#summary-advice") is None
    _save_summary(world, WORDY)
    assert world.draft_values("AIR-00001")["summary"] == WORDY

    page = world.client("editor").get(SECTION)
    advice = page.select_one("#summary-advice")
    assert advice.select_one("p").text == "Reading age 18; 7 suggestions (from your saved answer)."
    assert [item.text for item in advice.select("li")][1] == "Instead of “leverage”, try “use”."
    # Advice, not an error: the page has no error summary and the question no error.
    assert page.select_one(".govuk-error-summary") is None
    assert page.select_one("#summary-error") is None


def test_check_your_answers_scores_the_checked_answers_with_a_link_to_change_them(world):
    world.entry()
    _save_summary(world, PLAIN)
    page = world.client("editor").get("/manage/entries/AIR-00001/check")
    scores = {link.text: link["href"] for link in page.select("a[href$='-advice']")}
    assert scores == {
        "Plain English: Reading age 6; 0 suggestions for summary": f"{SECTION}#summary-advice"
    }
