"""Reading the US federal AI use case inventory of 2024, headed by the questions agencies
answered, into the register's answers. Pure functions over files built in memory."""

from __future__ import annotations

import pytest

from register.importing.files import FileRefused
from register.importing.formats.us import US_2024
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
