"""The same search finds the same entries on SQLite and PostgreSQL: both index the register's
own reading of words (accents, apostrophes, hyphens, digits, English stems), and a search of
only a public reference finds that entry."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from sqlalchemy import select

from register import search
from register.extensions import db
from register.models import Entry, EntryVersion
from register.models.entry import SEARCHABLE
from register.models.search_words import fold, indexed, indexed_fields
from register.search.snippets import MARK_END, MARK_START, snippet
from register.search.text import terms_of

from .manage_world import WORLD
from .search_phrases import HARD_CASES, SEARCHES, built, expected

world = WORLD


@pytest.fixture
def published(world) -> dict[str, dict]:
    return built(world)


def found(app, text: str) -> set[str]:
    """The references of every entry a search for `text` finds, on this engine."""
    with app.app_context():
        query, _ = search.parse_query({"q": [text]})
        statement = select(Entry.reference).where(
            Entry.id.in_(select(search.matching(query).subquery().c.entry_id))
        )
        return set(db.session.scalars(statement))


def by_key(published: dict[str, dict]) -> dict[str, str]:
    """The reference of each hand-written hard case, by its key."""
    titles = {values["title"]: reference for reference, values in published.items()}
    return {key: titles[fields["title"]] for key, fields in HARD_CASES.items()}


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Children's, children’s and childrens", "children children and children"),
        ("Parents' evening; it's", "parent evening it"),
        ("Café naïve coördinatie ﬁnal", "cafe naiv coordinati final"),
        ("Staff well-being, AI-driven", "staff well be ai driven wellb aidriven"),
        ("GPT-4 since 2024", "gpt 4 sinc 2024 gpt4"),
        ("Predicting predictions", "predict predict"),
    ],
)
def test_text_is_indexed_as_the_register_reads_its_words(text, words):
    assert indexed(text) == words


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Plain ASCII, Mixed-Case 42", "plain ascii, mixed-case 42"),
        ("ℍilbert ＡＢＣ ﬁx", "hilbert abc fix"),
        ("ΟΔΥΣΣΕΥΣ", "οδυσσευσ"),
        ("ᏣᎳᎩ", "ꮳꮃꭹ"),
        ("⑴ x²", "(1) x2"),
        ("٣٤ ٥", "34 5"),
        ("wel\u00adsh", "welsh"),
        ("Ærø Straße", "ærø strasse"),
        ("Dŵr Cymru", "dwr cymru"),
        ("e\u0301 n\u0303", "e n"),
    ],
)
def test_text_loses_case_accents_and_compatibility_forms_in_any_script(text, folded):
    assert fold(text) == folded
    assert fold(text) == folded  # the same again, each character read as the first time


def test_every_search_of_real_phrases_finds_what_the_reading_of_words_says(app, published):
    wanted = {text: expected(published, text) for text in SEARCHES}
    differences = {}
    for text, want in wanted.items():
        got = found(app, text)
        if want != got:
            differences[text] = {"missing": want - got, "unexpected": got - want}
    assert differences == {}
    # The searches are worth comparing: most find something, and none finds everything.
    assert len([text for text, want in wanted.items() if want]) > len(SEARCHES) * 3 // 4
    assert all(len(want) < len(published) for want in wanted.values())


def test_children_s_finds_the_same_entries_as_childrens_and_children(app, published):
    key = by_key(published)
    children = {key[k] for k in ("apostrophe", "curly", "no_apostrophe", "plain")}
    results = [found(app, text) for text in ("children's", "children’s", "childrens", "children")]
    assert all(result == results[0] for result in results)
    assert children <= results[0]
    assert found(app, '"children\'s services"') == found(app, '"childrens services"')
    assert key["apostrophe"] in found(app, '"childrens services"')


def test_hyphenated_words_are_found_joined_apart_or_hyphenated(app, published):
    key = by_key(published)
    assert {key["hyphen"], key["joined"], key["apart"]} <= found(app, "well-being")
    assert {key["hyphen"], key["joined"]} <= found(app, "wellbeing")
    assert {key["hyphen"], key["apart"]} <= found(app, '"well being"')
    assert {key["joined"], key["apart"]} <= found(app, "e-mail") == found(app, "email")
    assert key["hyphen"] in found(app, "driven") & found(app, "AI-driven")
    assert {key["digits"], key["model"]} <= found(app, "GPT-4")
    assert key["digits"] in found(app, "2024")
    assert key["possessive"] in found(app, "parents") & found(app, "school")


def test_accents_and_very_common_words_make_no_difference(app, published):
    key = by_key(published)
    assert key["accents"] in found(app, "café") == found(app, "cafe")
    assert found(app, "coördinatie") == found(app, "coordinatie") == {key["accents"]}
    assert found(app, "the road") == found(app, "road")
    assert found(app, '"the end of the road"') == {key["common"]}


def test_a_search_of_only_a_reference_finds_that_entry(app, client, published):
    reference = sorted(published)[3]
    number = reference.split("-")[1]
    for text in (reference, reference.lower(), f"AIR {number}", f"air{number}"):
        with app.app_context():
            query, notices = search.parse_query({"q": [text]})
            results = search.run(query)
        assert ([item.reference for item in results.items], notices) == ([reference], [])
    assert found(app, "AIR-99999") == set()
    response = client.get(f"/api/v1/entries?q={quote('AIR-99999')}")
    assert response.status_code == 200
    assert response.get_json()["entries"] == []


def test_the_snippet_marks_the_words_found_as_they_are_written():
    summary = "Visits to children’s homes, for staff well-being, by e-mail."
    version = EntryVersion(
        summary=summary, search_words=indexed_fields({"summary": summary}, SEARCHABLE)
    )
    marked = {
        "childrens": "Visits to [children’s] homes",
        "wellbeing": "for staff [well-being], by",
        "email": "by [e-mail].",
        "homes staff": "to children’s [homes], for [staff] well-being",
    }
    for text, extract in marked.items():
        terms, _ = terms_of(text)
        found = snippet(version, terms)
        made = found.text if found else ""
        assert extract in made.replace(MARK_START, "[").replace(MARK_END, "]"), text
