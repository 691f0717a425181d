"""Reading UK Algorithmic Transparency Recording Standard records into the register's answers.

Pure functions over files built in memory: no database. Columns carry the standard's
version 1.1 attribute names; later versions' renamed attributes are read too.
"""

from __future__ import annotations

import io
import json

import pytest

from register.importing.files import FileRefused
from register.importing.formats.atrs import ATRS
from register.importing.mapping import ImportedEntry
from tests.import_files import ATRS_COLUMNS, atrs_csv, csv_file, entry_of, us_2025_csv


def one(data: bytes) -> ImportedEntry:
    return entry_of(ATRS, data)


def record(**cells: str) -> dict[str, str]:
    return {"name": "Pothole report triage", "description": "Sorts pothole reports.", **cells}


FULL_RECORD = record(
    website="https://www.bristol.gov.uk/potholes",
    contact_email="highways@bristol.gov.uk",
    organisation="Bristol City Council",
    team="Highways",
    senior_responsible_owner="Director of Highways",
    external_supplier="Acme Analytics Ltd",
    external_supplier_identifier="01234567",
    external_supplier_role="Built and hosts the model",
    scope="Triage of reports only; not used to decide compensation claims.",
    benefit="Dangerous potholes are repaired sooner.",
    alternatives_considered="Triage by hand, which took two days.",
    phase="Production",
    date_deployment="01/02/2024",
    decision_making_process="The score orders the inspectors' queue.",
    human_decisions="An inspector visits and decides on every repair.",
    required_training="Half a day on reading the score.",
    appeals_and_review="Residents can ask for a report to be reassessed.",
    model_name="Gradient boosted trees",
    model_version="2.1",
    model_output="A priority score from 0 to 100",
    model_performance="Agrees with inspectors 85% of the time.",
    source_data_name="Pothole reports",
    source_data_description="Reports made online since 2015.",
    source_data_url="https://opendata.bristol.gov.uk/potholes",
    data_collection="Through the council's report-a-problem form.",
    data_sharing="Not shared outside the council.",
    data_access_storage="Highways staff only; kept for six years.",
    impact_assessment_name="Data Protection Impact Assessment (DPIA)",
    impact_assessment_description="No high risks found.",
    impact_assessment_date="3/4/2023",
    impact_assessment_link="https://www.bristol.gov.uk/dpia/potholes",
    risk_name="Under-reporting in some areas",
    risk_description="Areas that report less get fewer repairs.",
    risk_mitigation="Inspectors also patrol every area monthly.",
)


def test_a_version_1_1_record_maps_onto_the_record_through_the_crosswalk():
    entry = one(atrs_csv([FULL_RECORD]))

    assert entry.organisation == "Bristol City Council"
    assert entry.source_id == ""  # no id in the file: the importer goes by the title
    assert entry.values == {
        "title": "Pothole report triage",
        "summary": "Sorts pothole reports.",
        "web_page": "https://www.bristol.gov.uk/potholes",
        "contact_email": "highways@bristol.gov.uk",
        "team": "Highways",
        "senior_responsible_owner": "Director of Highways",
        "status": "in_use",
        "in_use_from": "2024-02-01",  # day first, as in the UK
        "supplier_name": "Acme Analytics Ltd",
        "supplier_company_number": "01234567",
        "purpose": "Triage of reports only; not used to decide compensation claims.",
        "benefits": "Dangerous potholes are repaired sooner.",
        "alternatives_considered": "Triage by hand, which took two days.",
        "model_description": "Gradient boosted trees\n\nVersion: 2.1",
        "performance": "Agrees with inspectors 85% of the time.",
        "outputs": "A priority score from 0 to 100",
        "oversight_description": "An inspector visits and decides on every repair.\n\n"
        "How the tool fits into the decision: The score orders the inspectors' queue.",
        "staff_training": "Half a day on reading the score.",
        "appeal_process": "Residents can ask for a report to be reassessed.",
        "other_information": "external_supplier_role: Built and hosts the model",
    }
    assert entry.rows == {
        "data_sources": [
            {
                "name": "Pothole reports",
                "description": "Reports made online since 2015.",
                "collection_method": "Through the council's report-a-problem form.",
                "sharing_access_retention": "data_sharing: Not shared outside the council.\n\n"
                "data_access_storage: Highways staff only; kept for six years.",
                "link": "https://opendata.bristol.gov.uk/potholes",
            }
        ],
        "risks": [
            {
                "name": "Under-reporting in some areas",
                "description": "Areas that report less get fewer repairs.",
                "mitigation": "Inspectors also patrol every area monthly.",
            }
        ],
        "impact_assessments": [
            {
                "title": "Data Protection Impact Assessment (DPIA)",
                "summary": "No high risks found.",
                "date": "2023-04-03",
                "link": "https://www.bristol.gov.uk/dpia/potholes",
                "kind": "data_protection",
            }
        ],
    }
    assert entry.warnings == [] and entry.problems == []


@pytest.mark.parametrize(
    ("phase", "status"),
    [
        ("Idea", "planned"),
        ("Pre-deployment", "planned"),
        ("Design", "in_development"),
        ("Development", "in_development"),
        ("Beta/Pilot", "pilot"),
        ("beta / pilot\n", "pilot"),
        ("Production", "in_use"),
        ("Live", "in_use"),
        ("Production - since March 2022", "in_use"),
        ("Retired", "retired"),
    ],
)
def test_a_phase_becomes_a_status(phase, status):
    entry = one(atrs_csv([record(phase=phase)]))

    assert entry.values["status"] == status
    assert [note.message for note in entry.mapped if note.column == "phase"][0] == (
        f"Status: {entry.values['status'].replace('_', ' ').capitalize()}"
    )
    # "since March 2022" is not lost with the words that named the phase.
    kept = "phase: Production - since March 2022" if " - " in phase else None
    assert entry.values.get("other_information") == kept


def test_a_phase_in_free_text_is_kept_with_a_warning():
    entry = one(atrs_csv([record(phase="We hope to launch next spring")]))

    assert "status" not in entry.values
    assert entry.values["other_information"] == "phase: We hope to launch next spring"
    assert [note.column for note in entry.warnings] == ["phase"]


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("DPIA", "data_protection"),
        ("Equality Impact Assessment", "equality"),
        ("EqIA (equalities)", "equality"),
        ("Algorithmic impact assessment", "algorithmic"),
        ("Human rights assessment", "fundamental_rights"),
        ("Ethics review", None),
    ],
)
def test_the_kind_of_impact_assessment_is_read_from_its_name(name, kind):
    entry = one(atrs_csv([record(impact_assessment_name=name)]))

    assert entry.rows["impact_assessments"][0].get("kind") == kind


def test_words_where_a_link_belongs_are_kept_and_the_row_has_no_link():
    entry = one(
        atrs_csv([record(source_data_name="Reports", source_data_url="Not published")]),
    )

    assert entry.rows["data_sources"] == [{"name": "Reports"}]
    assert entry.values["other_information"] == "source_data_url: Not published"


def test_a_record_with_an_id_keeps_it_so_importing_again_updates_it():
    data = csv_file(["id", *ATRS_COLUMNS], [{"id": "1234", **record()}])

    assert one(data).source_id == "1234"


def test_a_description_too_long_for_the_summary_is_kept_and_the_one_sentence_one_used():
    long_description = "This tool sorts reports by how dangerous the pothole is. " * 12
    data = csv_file(
        ["name", "description", "one_sentence_description"],
        [
            {
                "name": "Pothole report triage",
                "description": long_description,
                "one_sentence_description": "Sorts pothole reports by danger.",
            }
        ],
    )

    entry = one(data)

    assert entry.values["summary"] == "Sorts pothole reports by danger."
    assert entry.values["other_information"] == f"description: {long_description.strip()}"
    assert "longer than the 500 characters" in entry.warnings[0].message


def test_attributes_renamed_by_later_versions_of_the_standard_are_read():
    data = csv_file(
        [
            "name",
            "description",
            "organisation_or_department",
            "organisation_name",
            "website_url",
            "human_decisions_and_review",
            "companies_house_number",
            "external_supplier_involvement",
            "frequency_and_scale_of_usage",
        ],
        [
            record(
                organisation_or_department="Department for Work and Pensions",
                organisation_name="Department for Work and Pensions",
                website_url="https://www.gov.uk/dwp",
                human_decisions_and_review="A caseworker decides.",
                companies_house_number="SC123456",
                external_supplier_involvement="No",
                frequency_and_scale_of_usage="About 2,000 claims a week.",
            )
        ],
    )

    entry = one(data)

    assert entry.organisation == "Department for Work and Pensions"
    assert entry.values == {
        "title": "Pothole report triage",
        "summary": "Sorts pothole reports.",
        "web_page": "https://www.gov.uk/dwp",
        "oversight_description": "A caseworker decides.",
        "supplier_company_number": "SC123456",
        "built_by": "in_house",
        "scale": "About 2,000 claims a week.",
    }  # the organisation named twice is not kept twice


def test_an_organisation_given_by_abbreviation_is_passed_on_as_written():
    entry = one(atrs_csv([record(organisation=" DWP ")]))

    assert entry.organisation == "DWP"


def test_a_windows_1252_file_and_a_utf_8_file_with_a_byte_order_mark_read_the_same():
    row = record(team="Équipe d’analyse", benefit="Residents’ reports are handled sooner.")

    windows = one(atrs_csv([row], encoding="cp1252"))
    marked = one(atrs_csv([row], bom=True))

    assert windows.values == marked.values
    assert windows.values["team"] == "Équipe d’analyse"
    assert marked.values["title"] == "Pothole report triage"


def test_records_can_come_as_a_json_array_with_the_same_attribute_names():
    data = json.dumps([record(phase="Beta/Pilot", organisation="Bristol City Council")]).encode()

    entry = one(data)

    assert (entry.values["status"], entry.organisation) == ("pilot", "Bristol City Council")


def test_a_us_inventory_given_as_an_atrs_file_is_refused_naming_the_missing_columns():
    data = us_2025_csv([{"use_case_name": "Cargo triage", "development_stage": "Pilot"}])

    with pytest.raises(FileRefused) as refused:
        list(ATRS.entries(io.BytesIO(data)))

    assert str(refused.value) == (
        "This is not a file of the UK Algorithmic Transparency Recording Standard format: "
        "it has no “name”, “description” columns."
    )
