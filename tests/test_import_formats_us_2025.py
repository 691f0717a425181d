"""Reading the US federal AI use case inventory of 2025 into the register's answers.

Pure functions over files built in memory: no database. The files carry the mess the
published ones do: byte order marks or none, Windows-1252, option letters and explanations
in vocabulary cells, dates in several shapes, blanks written as "N/A".
"""

from __future__ import annotations

import pytest

from register.importing.files import FileRefused
from register.importing.formats.us import US_2025
from register.importing.importer import identity
from tests.import_files import (
    atrs_csv,
    entries_of,
    entry_of,
    mapped,
    us_2024_csv,
    us_2025_csv,
    warned,
)


def use_case(**cells: str) -> dict[str, str]:
    """A 2025 row with the answers every test needs, and `cells` on top."""
    return {
        "agency": "DHS",
        "agency_name": "Department of Homeland Security",
        "id": "DHS-0042",
        "use_case_name": "Cargo image triage",
        **cells,
    }


def test_a_2025_use_case_maps_onto_the_record_through_the_crosswalk():
    entry = entry_of(
        US_2025,
        us_2025_csv(
            [
                use_case(
                    agency_bureau="CBP",
                    contact_email="ai-inventory@dhs.gov",
                    development_stage="Deployed",
                    topic_area="Law Enforcement",
                    classification="Computer Vision",
                    problem_solved="Officers cannot look at every image.",
                    benefits="Faster, more consistent inspections.",
                    system_outputs="A box around anything unusual.",
                    operational_date="2024-10-01 00:00:00",
                    contracting_usage="Developed with both contracting and in-house resources",
                    vendor_name="Acme Imaging",
                    has_pii="No",
                    code_url="https://code.example.gov/dhs/cargo-triage",
                )
            ],
            bom=True,
        ),
    )

    assert entry.source_id == "DHS-0042"
    assert (entry.organisation, entry.organisation_abbreviation) == (
        "Department of Homeland Security",
        "DHS",
    )
    assert entry.values == {
        "title": "Cargo image triage",
        "team": "CBP",
        "contact_email": "ai-inventory@dhs.gov",
        "status": "in_use",
        "policy_area": "public_order_safety",
        "techniques": ["computer_vision"],
        "purpose": "Officers cannot look at every image.",
        "benefits": "Faster, more consistent inspections.",
        "outputs": "A box around anything unusual.",
        # Derived: the first sentences of the problem and of the outputs.
        "summary": "Officers cannot look at every image. A box around anything unusual.",
        "in_use_from": "2024-10-01",
        "built_by": "both",
        "supplier_name": "Acme Imaging",
        "uses_personal_data": False,
        "source_code_url": "https://code.example.gov/dhs/cargo-triage",
    }
    assert entry.warnings == [] and entry.problems == []
    assert mapped(entry, "development_stage") == ["Status: In use"]
    assert mapped(entry, "contracting_usage") == ["Built by: In-house and an external supplier"]


@pytest.mark.parametrize(
    ("stage", "status"),
    [
        ("  deployed \n", "in_use"),
        ("DEPLOYED", "in_use"),
        (
            "c)  Deployed – The use case is being actively authorized or utilized to support "
            "the functions or mission of an agency.",
            "in_use",
        ),
        ("b) Pilot - The use case has been deployed in a limited test or pilot capacity.", "pilot"),
        # Defined as "in a development or acquisition status".
        ("Pre-deployment", "in_development"),
        (
            "a) Pre-deployment – The use case is in a development or acquisition status.",
            "in_development",
        ),
        ("Retired", "retired"),
    ],
)
def test_a_development_stage_is_read_in_every_spelling_the_files_use(stage, status):
    entry = entry_of(US_2025, us_2025_csv([use_case(development_stage=stage)]))

    assert entry.values["status"] == status
    # The form's own explanation after the stage is kept, like any words the code lacks.
    words = " – " in stage or " - " in stage
    kept = f"development_stage: {stage.strip()}" if words else None
    assert entry.values.get("other_information") == kept
    assert entry.warnings == []


def test_free_text_in_the_stage_column_is_kept_in_other_information_with_a_warning():
    entry = entry_of(
        US_2025, us_2025_csv([use_case(development_stage="Still deciding, see notes")])
    )

    assert "status" not in entry.values
    assert "Still deciding, see notes" in warned(entry, "development_stage")[0]
    assert entry.values["other_information"] == "development_stage: Still deciding, see notes"


@pytest.mark.parametrize(
    ("classification", "techniques", "kept"),
    [
        ("CLASSICAL ML; NLP", ["classical_ml", "nlp"], None),
        ("Generative AI, Agentic AI", ["generative_ai", "agentic_ai"], None),
        (
            "Classical/Predictive Machine Learning: Models trained on data to make predictions "
            "or classifications based on identified patterns or relationships.",
            ["classical_ml"],
            None,
        ),
        ("Natural Language Processing: AI that processes language.", ["nlp"], None),
        ("Natural Language Processing (NLP)", ["nlp"], None),
        ("Machine Learning", ["classical_ml"], None),
        # No technique of ours: kept, labelled, rather than forced into "other".
        ("Generative AI; Reinforcement Learning", ["generative_ai"], "Reinforcement Learning"),
        ("a bit of everything, really", None, "a bit of everything, really"),
    ],
)
def test_the_ai_classification_becomes_techniques_and_the_rest_is_kept(
    classification, techniques, kept
):
    entry = entry_of(US_2025, us_2025_csv([use_case(classification=classification)]))

    assert entry.values.get("techniques") == techniques
    if kept:
        assert entry.values["other_information"] == f"classification: {kept}"
        assert f"{kept} is not a technique the register knows" in warned(entry, "classification")[0]
    else:
        assert entry.warnings == []


def test_words_after_a_classification_are_kept_as_the_file_wrote_them():
    written = "Other: a fuzzy name matcher built by the team"

    entry = entry_of(US_2025, us_2025_csv([use_case(classification=written)]))

    assert entry.values["techniques"] == ["other"]
    assert entry.values["other_information"] == f"classification: {written}"
    assert mapped(entry, "classification") == [
        "Techniques: Other",
        "What it says besides is kept in Other information",
    ]
    assert entry.warnings == []


@pytest.mark.parametrize(
    ("written", "read_as"),
    [
        ("2024-10-01 00:00:00", "2024-10-01"),
        ("01/2024", "2024-01"),
        ("Jul-25", "2025-07"),
        ("2025", "2025"),
        ("1/2/2022", "2022-01-02"),  # month first, as US files write it
        ("45292", "2024-01-01"),  # a spreadsheet's day number
    ],
)
def test_an_operational_date_is_read_in_every_shape_the_files_use(written, read_as):
    entry = entry_of(US_2025, us_2025_csv([use_case(operational_date=written)]))

    assert entry.values["in_use_from"] == read_as
    assert mapped(entry, "operational_date") == [f"In use from: {read_as}"]


def test_a_date_that_is_not_a_date_is_kept_with_a_warning():
    entry = entry_of(US_2025, us_2025_csv([use_case(operational_date="Q3 FY24")]))

    assert "in_use_from" not in entry.values
    assert warned(entry, "operational_date")
    assert entry.values["other_information"] == "operational_date: Q3 FY24"


@pytest.mark.parametrize("blank", ["", "   ", "N/A", "n/a", "None", "TBD", "-"])
def test_blank_cells_say_nothing_and_are_not_kept(blank):
    entry = entry_of(
        US_2025,
        us_2025_csv([use_case(benefits=blank, development_stage=blank, vendor_name=blank)]),
    )

    assert set(entry.values) == {"title"}
    assert entry.warnings == []


def test_text_too_long_for_its_field_is_kept_whole_in_other_information():
    long_text = "The problem is this. " * 300  # over 6,000 characters; purpose holds 5,000

    entry = entry_of(US_2025, us_2025_csv([use_case(problem_solved=long_text)]))

    assert "purpose" not in entry.values
    assert entry.values["other_information"] == f"problem_solved: {long_text.strip()}"
    assert "longer than the 5,000 characters" in warned(entry, "problem_solved")[0]


def test_a_file_with_or_without_a_byte_order_mark_names_its_first_column_the_same():
    for bom in (True, False):
        entry = entry_of(US_2025, us_2025_csv([use_case()], bom=bom))

        assert entry.organisation_abbreviation == "DHS"
        assert "other_information" not in entry.values


def test_a_windows_1252_file_reads_its_curly_quotes_and_accents():
    data = us_2025_csv(
        [use_case(benefits="The agency’s café inspectors save time.")], encoding="cp1252"
    )
    assert b"agency\x92s caf\xe9" in data

    entry = entry_of(US_2025, data)

    assert entry.values["benefits"] == "The agency’s café inspectors save time."


def test_the_inventorys_other_lists_are_kept_labelled_and_the_appeal_answer_is_used():
    entry = entry_of(
        US_2025,
        us_2025_csv(
            [
                use_case(
                    is_withheld="a) No",
                    is_high_impact="High-impact",
                    topic_area="Other",
                    hi_testing_conducted="a) Yes",
                    hi_public_consultation="['a) Direct usability testing', 'd) Other']",
                    hi_appeal_process="a) Yes, an appropriate appeal process has been established",
                )
            ]
        ),
    )

    assert entry.values["appeal_process"] == (
        "Yes, an appropriate appeal process has been established"
    )
    assert entry.values["other_information"].split("\n\n") == [
        "is_withheld: a) No",
        "is_high_impact: High-impact",
        "topic_area: Other",
        "hi_testing_conducted: a) Yes",
        "hi_public_consultation: ['a) Direct usability testing', 'd) Other']",
    ]
    # A topic area that is no policy area is not a mistake in the file: no warning.
    assert entry.warnings == []
    assert "policy_area" not in entry.values


@pytest.mark.parametrize(
    ("topic", "policy_area"),
    [
        ("Health and Medical", "health"),
        ("Health & Medical", "health"),
        ("Transportation", "economic_affairs"),
    ],
)
def test_a_topic_area_that_names_a_function_of_government_becomes_the_policy_area(
    topic, policy_area
):
    entry = entry_of(US_2025, us_2025_csv([use_case(topic_area=topic)]))

    assert entry.values["policy_area"] == policy_area


def test_a_withheld_use_case_is_imported_with_a_warning_saying_why_it_is_empty():
    withheld = (
        "b) Yes – agency has determined that there’s a risk to disclosure, such as a harm to "
        "an interest protected by a FOIA exemption"
    )

    entry = entry_of(US_2025, us_2025_csv([use_case(is_withheld=withheld)]))

    assert "withheld this use case from public reporting" in warned(entry, "is_withheld")[0]
    assert entry.values["other_information"] == f"is_withheld: {withheld}"


@pytest.mark.parametrize(
    ("usage", "built_by"),
    [
        ("a) Purchased from a vendor", "external_supplier"),
        ("Vendor Purchased", "external_supplier"),
        ("Developed in house", "in_house"),
        ("b) Developed in-house", "in_house"),
        ("Contracting and In House", "both"),
    ],
)
def test_contracting_usage_becomes_built_by(usage, built_by):
    entry = entry_of(US_2025, us_2025_csv([use_case(contracting_usage=usage)]))

    assert entry.values["built_by"] == built_by


def test_data_described_by_the_agency_becomes_a_data_source_with_its_catalog_link():
    entry = entry_of(
        US_2025,
        us_2025_csv(
            [
                use_case(
                    data_description="Ten years of X-ray images.",
                    link_to_data="https://catalog.example.gov/dataset/x-ray",
                    pia_url="https://www.dhs.gov/pia/cbp-x-ray",
                )
            ]
        ),
    )

    assert entry.rows == {
        "data_sources": [
            {
                "name": "Data described by the agency",
                "description": "Ten years of X-ray images.",
                "link": "https://catalog.example.gov/dataset/x-ray",
            }
        ],
        "impact_assessments": [
            {
                "title": "Privacy impact assessment",
                "kind": "data_protection",
                "link": "https://www.dhs.gov/pia/cbp-x-ray",
            }
        ],
    }


def test_words_where_a_link_belongs_are_kept_not_stored_as_links():
    entry = entry_of(
        US_2025,
        us_2025_csv(
            [
                use_case(
                    data_description="Case files.",
                    link_to_data="Not publicly available",
                    code_url="Code is not public: it reveals how fraud is detected.",
                )
            ]
        ),
    )

    assert entry.rows["data_sources"] == [
        {"name": "Data described by the agency", "description": "Case files."}
    ]
    assert entry.values["other_information"] == "link_to_data: Not publicly available"
    assert entry.values["source_code_withheld_reason"] == (
        "Code is not public: it reveals how fraud is detected."
    )
    assert "source_code_url" not in entry.values


def test_demographic_features_written_as_a_list_read_as_people_write_them():
    entry = entry_of(
        US_2025,
        us_2025_csv([use_case(demographic_features="['a) Race/Ethnicity', 'c) Age']")]),
    )

    assert entry.values["demographic_features"] == "Race/Ethnicity; Age"


def test_personal_data_is_read_from_yes_and_no_in_their_spellings():
    answers = ["Yes", "Yes - Employee names and communications", "False", "no"]

    entries = entries_of(US_2025, us_2025_csv([use_case(has_pii=answer) for answer in answers]))

    assert [entry.values["uses_personal_data"] for entry in entries] == [True, True, False, False]


def test_duplicate_rows_come_out_as_entries_with_the_same_identifier():
    data = us_2025_csv([use_case(benefits="Faster."), use_case(benefits="Faster.")])

    first, second = entries_of(US_2025, data)

    assert first.source_id == second.source_id == "DHS-0042"
    assert (first.where, second.where) == ("row 2", "row 3")


def test_a_use_case_named_only_by_agency_abbreviation_keeps_the_abbreviation():
    entry = entry_of(US_2025, us_2025_csv([use_case(agency_name="")]))

    assert (entry.organisation, entry.organisation_abbreviation) == ("", "DHS")


@pytest.mark.parametrize(
    ("data", "missing"),
    [
        (us_2024_csv([{"name": "Babel", "stage": "Initiated"}]), "“development_stage” column."),
        (
            atrs_csv([{"name": "Pothole triage", "description": "Sorts reports."}]),
            "“use_case_name”, “agency”, “development_stage” columns.",
        ),
    ],
)
def test_a_file_of_another_format_is_refused_naming_the_missing_columns(data, missing):
    with pytest.raises(FileRefused) as refused:
        entries_of(US_2025, data)

    assert str(refused.value).endswith(missing)
    assert "US federal AI use case inventory (2025)" in str(refused.value)


# Values that do not fit, or fit only in part ------------------------------------------


LONG_TITLE = (
    "Application of High-Dimensional Fuzzy K-mean Cluster Analysis to CALIOP (Cloud-Aerosol "
    "Lidar with Orthogonal Polarization) / CALIPSO (Cloud-Aerosol Lidar and Infrared "
    "Pathfinder Satellite Observatory) Version 4.1 Feature Classifications"
)


def test_a_long_title_is_cut_at_a_word_with_the_whole_kept_in_other_information():
    entry = entry_of(US_2025, us_2025_csv([use_case(use_case_name=LONG_TITLE)]))

    title = entry.values["title"]
    assert len(title) <= 120
    assert title.endswith("…")
    assert LONG_TITLE.startswith(title[:-1])
    assert LONG_TITLE[len(title) - 1] == " "  # cut between words
    assert f"use_case_name: {LONG_TITLE}" in entry.values["other_information"]
    [warning] = warned(entry, "use_case_name")
    assert warning.startswith("is longer than the 120 characters Title allows, so Title is cut")
    assert warning.endswith("and the whole text is kept in Other information")
    assert not entry.problems


def test_two_long_titles_that_differ_only_past_the_cut_are_two_entries():
    first = LONG_TITLE + " for daytime passes"
    second = LONG_TITLE + " for night-time passes"
    rows = [use_case(id="", use_case_name=first), use_case(id="", use_case_name=second)]

    one, other = entries_of(US_2025, us_2025_csv(rows))

    assert one.values["title"] == other.values["title"]
    assert identity(one) != identity(other)


@pytest.mark.parametrize(
    ("cell", "used", "kept"),
    [
        ("ai@dhs.gov; privacy@dhs.gov", "ai@dhs.gov", "privacy@dhs.gov"),
        ("jane.example@noaa.gov, cc: john.sample@noaa.gov", "jane.example@noaa.gov", None),
        ("Jane Example <jane.example@noaa.gov>", "jane.example@noaa.gov", "Jane Example"),
        ("mailto:ai@dhs.gov", "ai@dhs.gov", None),
        ("Jane.example@uspto.gov,", "Jane.example@uspto.gov", None),
    ],
)
def test_a_contact_email_cell_gives_its_first_address_and_keeps_the_rest(cell, used, kept):
    entry = entry_of(US_2025, us_2025_csv([use_case(contact_email=cell)]))

    assert entry.values["contact_email"] == used
    assert not entry.problems
    if kept is None and "cc:" not in cell:
        assert warned(entry, "contact_email") == []
    else:
        [warning] = warned(entry, "contact_email")
        assert warning == (
            f"Public contact email takes one address, so {used} is used and the rest of the "
            "cell is kept in Other information"
        )
        rest = kept or "cc: john.sample@noaa.gov"
        assert f"contact_email: {rest}" in entry.values["other_information"]


def test_a_contact_page_where_an_email_belongs_is_kept_in_other_information():
    page = "https://home.treasury.gov/utility/contact"

    entry = entry_of(US_2025, us_2025_csv([use_case(contact_email=page)]))

    assert "contact_email" not in entry.values
    assert entry.values["other_information"] == f"contact_email: {page}"
    assert warned(entry, "contact_email") == [
        "is a web address (a contact page), not an email address, so it is kept in Other "
        "information rather than Public contact email"
    ]
    assert not entry.problems


def test_a_name_where_an_email_belongs_is_kept_and_the_row_imported():
    entry = entry_of(US_2025, us_2025_csv([use_case(contact_email="Jane Example")]))

    assert entry.values["title"] == "Cargo image triage"
    assert entry.values["other_information"] == "contact_email: Jane Example"
    assert warned(entry, "contact_email") == [
        "is not an email address, so it is kept in Other information rather than Public "
        "contact email"
    ]
    assert not entry.problems


def test_of_two_links_in_one_cell_the_first_is_used_and_the_second_kept():
    cell = "https://github.com/example/one, https://github.com/example/two"

    entry = entry_of(
        US_2025, us_2025_csv([use_case(code_url=cell, pia_url=cell.replace(", ", " "))])
    )

    assert entry.values["source_code_url"] == "https://github.com/example/one"
    [assessment] = entry.rows["impact_assessments"]
    assert assessment["link"] == "https://github.com/example/one"
    other = entry.values["other_information"].split("\n\n")
    assert "code_url: https://github.com/example/two" in other
    assert "pia_url: https://github.com/example/two" in other
    assert not entry.problems


def test_an_empty_list_is_blank_not_other_information():
    entry = entry_of(
        US_2025, us_2025_csv([use_case(hi_public_consultation="[]", demographic_features="[]")])
    )

    assert "other_information" not in entry.values
    assert "demographic_features" not in entry.values


# Topic areas ------------------------------------------------------------------------------

# The 2025 data dictionary's topic areas, and the shorthand the published file writes.
TOPIC_AREAS_2025 = {
    "Administrative Functions": "general_public_services",
    "Admin Functions": "general_public_services",
    "Cybersecurity": "general_public_services",
    "Emergency Management": "public_order_safety",
    "Emergency Mgmt": "public_order_safety",
    "Energy and the Environment": "environmental_protection",
    "Energy and Environment": "environmental_protection",
    "Government Benefits Processing": "social_protection",
    "Benefits Processing": "social_protection",
    "Health and Medical": "health",
    "Human Resources": "general_public_services",
    "HR": "general_public_services",
    "Information Technology": "general_public_services",
    "IT": "general_public_services",
    "International Affairs": "general_public_services",
    "Law Enforcement": "public_order_safety",
    "Procurement and Financial Management": "general_public_services",
    "Procurement and Finance Mgmt": "general_public_services",
    "Science": "general_public_services",
    "Service Delivery": "general_public_services",
    "Transportation": "economic_affairs",
    "Other – Economic & Financial": "economic_affairs",
    "Other - Applied Mathematical Sciences": "general_public_services",
}


@pytest.mark.parametrize(("topic", "policy_area"), TOPIC_AREAS_2025.items())
def test_every_2025_topic_area_gives_a_policy_area(topic, policy_area):
    entry = entry_of(US_2025, us_2025_csv([use_case(topic_area=topic)]))

    assert entry.values["policy_area"] == policy_area
    assert "other_information" not in entry.values


def test_a_topic_area_of_other_leaves_the_policy_area_to_a_person():
    entry = entry_of(US_2025, us_2025_csv([use_case(topic_area="Other")]))

    assert "policy_area" not in entry.values
    assert entry.values["other_information"] == "topic_area: Other"
    assert warned(entry, "topic_area") == []


# Identity -----------------------------------------------------------------------------


def test_rows_of_one_title_without_identifiers_are_told_apart_by_their_bureau():
    rows = [
        use_case(id="", use_case_name="Generative AI - Text Generation", agency_bureau=bureau)
        for bureau in ("Federal Student Aid", "Office for Civil Rights", "Federal Student Aid")
    ]

    first, second, third = entries_of(US_2025, us_2025_csv(rows))

    assert identity(first) != identity(second)
    assert identity(first) == identity(third)


def test_an_identifier_is_the_identity_whatever_the_bureau():
    rows = [use_case(agency_bureau="CBP"), use_case(agency_bureau="ICE")]

    first, second = entries_of(US_2025, us_2025_csv(rows))

    assert identity(first) == identity(second) == "DHS-0042"
