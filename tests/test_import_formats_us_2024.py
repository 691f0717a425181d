"""Reading the US federal AI use case inventory of 2024, headed by the questions agencies
answered, into the register's answers. Pure functions over files built in memory."""

from __future__ import annotations

import pytest

from register.importing.files import FileRefused
from register.importing.formats.us import US_2024
from register.importing.importer import identity
from tests.import_files import (
    US_2024_COLUMNS,
    US_2024_QUESTIONS,
    csv_file,
    entries_of,
    entry_of,
    mapped,
    us_2024_csv,
    us_2025_csv,
)


def test_a_2024_use_case_maps_onto_the_record():
    entry = entry_of(
        US_2024,
        us_2024_csv(
            [
                {
                    "name": "Babel",
                    "agency": "Department of Homeland Security",
                    "abbreviation": "DHS",
                    "bureau": "CBP",
                    "topic": "Law & Justice",
                    "purpose": "Open source research to find threats.\n",
                    "outputs": "Possible matches for an analyst to review.",
                    "stage": "Implementation and Assessment",
                    "impact": "Rights-Impacting\n",
                    "initiated": "8/29/2023",
                    "implemented": "1/2/2024",
                    "built_by": "Developed with contracting resources.",
                    "pii": "Yes",
                    "demographics": "None",
                    "code": "https://code.example.gov/dhs/babel",
                    "appeal": "No",
                    "appeal_why_not": "Outputs are reviewed by an analyst.",
                }
            ]
        ),
    )

    assert (entry.organisation, entry.organisation_abbreviation) == (
        "Department of Homeland Security",
        "DHS",
    )
    assert entry.source_id == ""  # the published 2024 file has no identifier column
    assert entry.values == {
        "title": "Babel",
        "team": "CBP",
        "policy_area": "public_order_safety",
        "purpose": "Open source research to find threats.",
        "outputs": "Possible matches for an analyst to review.",
        # Derived: the first sentences of the purpose and of the outputs.
        "summary": (
            "Open source research to find threats. Possible matches for an analyst to review."
        ),
        "status": "pilot",
        "rights_safety_effect": "rights",
        "started_on": "2023-08-29",
        "in_use_from": "2024-01-02",
        "built_by": "external_supplier",
        "uses_personal_data": True,
        "source_code_url": "https://code.example.gov/dhs/babel",
        "appeal_process": "No\n\nIf not, why not: Outputs are reviewed by an analyst.",
    }
    # One answer for purpose and benefits: it is not copied into both.
    assert "benefits" not in entry.values
    assert mapped(entry, US_2024_QUESTIONS["impact"]) == ["Effect on rights or safety: Rights"]


@pytest.mark.parametrize(
    ("stage", "status"),
    [
        ("Initiated", "planned"),
        ("Acquisition and/or Development", "in_development"),
        ("Implementation and Assessment", "pilot"),
        ("Operation and Maintenance", "in_use"),
        ("operation and maintenance ", "in_use"),
        ("Retired", "retired"),
        ("Ideation", "planned"),
        ("Planned", "planned"),
        ("Research or  Administrative Action Complete", "retired"),
    ],
)
def test_a_2024_stage_of_development_becomes_a_status(stage, status):
    entry = entry_of(US_2024, us_2024_csv([{"name": "Babel", "stage": stage}]))

    assert entry.values["status"] == status


@pytest.mark.parametrize(
    ("impact", "effect"),
    [
        ("Rights-Impacting", "rights"),
        ("safety-impacting", "safety"),
        ("Both", "both"),
        ("Neither", "neither"),
    ],
)
def test_rights_or_safety_impacting_becomes_the_effect_on_rights_or_safety(impact, effect):
    entry = entry_of(US_2024, us_2024_csv([{"name": "Babel", "impact": impact}]))

    assert entry.values["rights_safety_effect"] == effect


def test_the_published_2024_file_in_windows_1252_is_read_with_its_curly_apostrophes():
    data = us_2024_csv(
        [{"name": "Café finder", "outputs": "A list of cafés’ addresses."}], encoding="cp1252"
    )
    assert "Describe the AI system’s outputs.".encode("cp1252") in data

    entry = entry_of(US_2024, data)

    assert entry.values["title"] == "Café finder"
    assert entry.values["outputs"] == "A list of cafés’ addresses."


def test_agency_owned_data_becomes_a_data_source_unless_the_agency_says_there_is_none():
    none = "N/A - The Agency does not own any of the data used to train the model."
    entries = entries_of(
        US_2024,
        us_2024_csv([{"name": "One", "data": "Images of baggage."}, {"name": "Two", "data": none}]),
    )

    assert entries[0].rows["data_sources"] == [
        {"name": "Data described by the agency", "description": "Images of baggage."}
    ]
    assert "data_sources" not in entries[1].rows
    assert entries[1].values["other_information"] == f"{US_2024_QUESTIONS['data']}: {none}"


def test_a_2025_file_given_as_2024_is_refused_naming_the_missing_column():
    with pytest.raises(FileRefused, match="“Stage of Development” column"):
        entries_of(US_2024, us_2025_csv([{"use_case_name": "Cargo triage", "agency": "DHS"}]))


def test_the_published_2024_header_with_its_repeated_questions_is_read():
    data = csv_file(
        US_2024_COLUMNS, [{"Use Case Name": "Babel", "Stage of Development": "Retired"}]
    )

    entry = entry_of(US_2024, data)

    assert entry.values == {"title": "Babel", "status": "retired"}


@pytest.mark.parametrize(
    ("written", "read_as"),
    [("24-Nov", "2024-11"), ("14-Jan", "2014-01"), ("25-Feb", "2025-02"), ("Nov-24", "2024-11")],
)
def test_a_spreadsheets_year_and_month_is_read_as_a_month(written, read_as):
    entry = entry_of(
        US_2024, us_2024_csv([{"name": "Babel", "initiated": written, "implemented": written}])
    )

    assert entry.values["started_on"] == read_as
    assert entry.values["in_use_from"] == read_as
    assert not entry.warnings


# The 2024 form's topic areas, as the published file writes them (spacing and all).
TOPIC_AREAS_2024 = {
    "Mission-Enabling (internal agency support) ": "general_public_services",
    " Mission-Enabling (internal agency support)": "general_public_services",
    "Mission-Enabling": "general_public_services",
    "Law & Justice": "public_order_safety",
    "Health & Medical": "health",
    "Government Services (includes Benefits and Service Delivery)": "social_protection",
    "Diplomacy & Trade": "general_public_services",
    "Science & Space": "general_public_services",
    "AI used in Transportation Operations": "economic_affairs",
    "Education & Workforce": "education",
    "Energy & the Environment": "environmental_protection",
    "Emergency Management": "public_order_safety",
    "Transportation": "economic_affairs",
    "Administration of AI Governance, Processes, and Procedures": "general_public_services",
    "Department-Level AI Capabilities and Capacity": "general_public_services",
    "Internal DOT Research Project": "economic_affairs",
    "DOT Sponsored External Research": "economic_affairs",
    "AIML Platform/Environment": "general_public_services",
}


@pytest.mark.parametrize(("topic", "policy_area"), TOPIC_AREAS_2024.items())
def test_every_2024_topic_area_gives_a_policy_area(topic, policy_area):
    entry = entry_of(US_2024, us_2024_csv([{"name": "Babel", "topic": topic}]))

    assert entry.values["policy_area"] == policy_area


def test_a_cell_of_several_topic_areas_takes_the_first_that_names_one_and_keeps_the_cell():
    cell = "Other; Mission-Enabling (internal agency support)"

    entry = entry_of(US_2024, us_2024_csv([{"name": "Babel", "topic": cell}]))

    assert entry.values["policy_area"] == "general_public_services"
    assert entry.values["other_information"] == f"Use Case Topic Area: {cell}"


def test_a_technique_given_as_the_topic_area_leaves_the_policy_area_to_a_person():
    entry = entry_of(US_2024, us_2024_csv([{"name": "AEGIS", "topic": "Deep Learning"}]))

    assert "policy_area" not in entry.values
    assert entry.values["other_information"] == "Use Case Topic Area: Deep Learning"


def test_a_2024_row_is_told_apart_from_another_of_its_title_by_its_bureau():
    rows = [
        {"name": "Generative AI Usage", "bureau": "OCTAE"},
        {"name": "Generative AI Usage", "bureau": "OSERS"},
        {"name": "Generative AI Usage", "bureau": "octae "},
    ]

    octae, osers, octae_again = entries_of(US_2024, us_2024_csv(rows))

    assert identity(octae) != identity(osers)
    assert identity(octae) == identity(octae_again)
