"""What every importer of another register's format relies on: the formats are registered,
vocabulary values are read however the source's form wrote them, and a row is built from
the columns a format names. Pure functions: no database.
"""

from __future__ import annotations

import pytest

from register.importing.files import SourceRecord
from register.importing.formats import FORMATS
from register.importing.mapping import Mapper
from register.importing.values import explanations, looks_like_link, read_code, read_codes
from register.schema.vocabularies import BUILT_BY, STATUS, TECHNIQUE


def test_the_other_registers_formats_are_offered_by_name():
    assert {"atrs", "us-2024", "us-2025"} <= set(FORMATS)
    assert [FORMATS[name].day_first for name in ("atrs", "us-2024", "us-2025")] == [
        True,
        False,
        False,
    ]


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Pilot", "pilot"),
        ("b) Pilot", "pilot"),
        ("(b) Pilot", "pilot"),
        ("2. Pilot", "pilot"),
        ("Pilot – The use case has been deployed in a limited test", "pilot"),
        ("b)  Pilot - The use case has been deployed in a limited test", "pilot"),
        ("Retired: no longer used", "retired"),
    ],
)
def test_a_value_is_read_without_the_option_letter_or_explanation_the_form_added(written, code):
    assert read_code(STATUS, written, source="us") == code


def test_a_value_with_words_that_only_begin_like_a_code_is_not_read_as_it():
    with pytest.raises(ValueError, match="is not a status"):
        read_code(STATUS, "Piloting soon, if funded")


@pytest.mark.parametrize(
    ("cell", "codes", "unknown"),
    [
        ("Generative AI; NLP", ["generative_ai", "nlp"], []),
        ("Generative AI, NLP", ["generative_ai", "nlp"], []),
        ("Generative AI\nComputer Vision", ["generative_ai", "computer_vision"], []),
        # Commas inside one value's explanation do not split it.
        (
            "Computer Vision: AI that processes visual data (e.g., images and videos).",
            ["computer_vision"],
            [],
        ),
        # Free text with commas is kept whole, not in pieces.
        ("mostly statistics, some rules", [], ["mostly statistics, some rules"]),
        ("NLP, and some magic", ["nlp"], ["and some magic"]),
    ],
)
def test_a_cell_listing_codes_is_split_where_the_pieces_name_codes(cell, codes, unknown):
    assert read_codes(TECHNIQUE, cell, source="us") == (codes, unknown)


@pytest.mark.parametrize(
    ("vocabulary", "cell", "words"),
    [
        (TECHNIQUE, "Other: a fuzzy name matcher; NLP", ["a fuzzy name matcher"]),
        (STATUS, "b) Pilot", []),
        (STATUS, "Pilot – since May", ["since May"]),
        (TECHNIQUE, "Not a technique: at all", []),  # words after no code are kept otherwise
    ],
)
def test_the_words_written_after_a_code_are_found_so_they_can_be_kept(vocabulary, cell, words):
    assert explanations(vocabulary, cell) == words


def test_the_crosswalk_reads_the_us_inventorys_answers_for_who_built_a_tool():
    assert read_code(BUILT_BY, "a) Purchased from a vendor", source="us") == "external_supplier"
    assert read_code(BUILT_BY, "Developed in-house.", source="us") == "in_house"


@pytest.mark.parametrize(
    ("cell", "link"),
    [
        ("https://example.gov/data", True),
        ("http://example.gov", True),
        ("www.example.gov/data", True),
        ("code.example.org/agency/tool", True),
        ("Not publicly available", False),
        ("Available on request: email us", False),
        ("", False),
    ],
)
def test_a_link_is_told_from_words_about_one(cell, link):
    assert looks_like_link(cell) is link


def mapper(**cells: str) -> Mapper:
    return Mapper(SourceRecord(2, cells, "row 2"), source="atrs", day_first=True)


def test_a_row_joins_several_columns_into_one_field_under_their_names_and_can_be_named():
    reading = mapper(sharing="Shared with the police.", storage="Kept six years.", url="n/a")

    reading.row(
        "data_sources",
        {"sharing_access_retention": ("sharing", "storage", "retention")},
        name="Case files",
        link="url",
    )

    entry = reading.finish()
    assert entry.rows["data_sources"] == [
        {
            "name": "Case files",
            "sharing_access_retention": "sharing: Shared with the police.\n\n"
            "storage: Kept six years.",
        }
    ]
    assert entry.mapped[-1].column == "sharing, storage"  # the columns it was made from
    assert "other_information" not in entry.values


def test_a_row_from_one_of_several_columns_is_not_labelled():
    reading = mapper(storage="Kept six years.", link="https://example.gov/data")

    reading.row("data_sources", {"sharing_access_retention": ("sharing", "storage")}, link="link")

    assert reading.finish().rows["data_sources"] == [
        {
            "name": "storage",  # a nameless row is named after the column it came from
            "sharing_access_retention": "Kept six years.",
            "link": "https://example.gov/data",
        }
    ]


def test_a_choice_where_known_leaves_other_values_quietly_in_other_information():
    known, unknown = mapper(function="Education"), mapper(function="Cybersecurity")

    for reading in (known, unknown):
        reading.choice_where_known("policy_area", "function")

    assert known.finish().values == {"policy_area": "education"}
    quiet = unknown.finish()
    assert quiet.values == {"other_information": "function: Cybersecurity"}
    assert quiet.warnings == []


def test_text_can_be_tidied_and_an_answer_tidied_to_nothing_is_not_stored():
    reading = mapper(features="['Age', 'Sex']", appeal="b) Not applicable")

    reading.text("demographic_features", "features", tidy=lambda text: text.strip("[]"))
    reading.text("appeal_process", "appeal", tidy=lambda text: "")

    assert reading.finish().values == {"demographic_features": "'Age', 'Sex'"}
