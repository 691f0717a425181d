"""The register in the US federal AI use case inventory's 2025 columns: the header is the
published file's, codes are written as the inventory writes them, columns with no source stay
blank, and a file the register writes imports back (`--format us-2025`) with every value the
crosswalk maps."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from register import schema
from register.importing.formats.us import US_2025
from register.opendata.records import RECORD_KEYS
from register.standards import us
from tests.factories import publishable_values
from tests.import_files import entry_of
from tests.manage_world import WORLD

world = WORLD

REAL_FILE = Path(__file__).parent / "data" / "real" / "us" / "us-2025-inventory-sample.csv"
DOCS = Path(__file__).parent.parent / "docs" / "standards.md"


def written(answers: dict) -> list[list[str]]:
    """The rows of the file the shape writes for a record with these answers, the rest
    empty, header first."""
    record = {key: None for key in RECORD_KEYS}
    record.update({group.name: [] for group in schema.groups()}, techniques=[])
    record.update(answers)
    return list(csv.reader(io.StringIO(us.one(record).decode("utf-8"), newline="")))


def row_of(answers: dict) -> dict[str, str]:
    """The one row the shape writes for a record with these answers, by column."""
    header, row = written(answers)
    return dict(zip(header, row, strict=True))


def test_the_header_is_the_published_2025_files_columns_in_its_order():
    with REAL_FILE.open(encoding="utf-8-sig", newline="") as published:
        header = next(csv.reader(published))

    assert written({})[0] == header
    assert len(header) == 36


@pytest.mark.parametrize(
    ("answers", "column", "written"),
    [
        ({"status": "in_use"}, "development_stage", "Deployed"),
        ({"status": "pilot"}, "development_stage", "Pilot"),
        ({"status": "planned"}, "development_stage", "Pre-deployment"),
        ({"status": "in_development"}, "development_stage", "Pre-deployment"),
        ({"status": "retired"}, "development_stage", "Retired"),
        ({"built_by": "in_house"}, "contracting_usage", "In-house Development"),
        ({"built_by": "external_supplier"}, "contracting_usage", "Vendor Purchased"),
        ({"built_by": "both"}, "contracting_usage", "Contracting and In House"),
        ({"uses_personal_data": True}, "has_pii", "Yes"),
        ({"uses_personal_data": False}, "has_pii", "No"),
        ({"uses_personal_data": None}, "has_pii", ""),
        ({"rights_safety_effect": "neither"}, "is_high_impact", "Not High-impact"),
        ({"rights_safety_effect": "both"}, "is_high_impact", "High-impact"),
        ({"rights_safety_effect": None}, "is_high_impact", ""),
        ({"policy_area": "health"}, "topic_area", "Health and Medical"),
        ({"policy_area": "environmental_protection"}, "topic_area", "Energy and Environment"),
        # The inventory's topics cut across the other functions: not guessed.
        ({"policy_area": "public_order_safety"}, "topic_area", ""),
        ({"techniques": ["nlp", "generative_ai"]}, "classification", "NLP; Generative AI"),
        # Techniques the inventory does not list are its "Other", once.
        ({"techniques": ["rule_based", "forecasting"]}, "classification", "Other"),
        ({"demographic_features": "Age; Sex"}, "demographic_features", "['Age', 'Sex']"),
        ({"demographic_features": "Children's age"}, "demographic_features", '["Children\'s age"]'),
        ({"demographic_features": None}, "demographic_features", "[]"),
        ({"reference": "AIR-00042"}, "id", "AIR-00042"),
        ({"organisation": {"name": "Department of Energy"}}, "agency_name", "Department of Energy"),
    ],
)
def test_answers_are_written_as_the_inventory_writes_them(answers, column, written):
    assert row_of(answers)[column] == written


def test_a_published_entry_is_not_withheld_and_nobody_was_consulted_in_the_files_words():
    row = row_of({})

    assert row["is_withheld"] == "No"
    assert row["hi_public_consultation"] == "[]"


def test_an_entry_that_withholds_answers_is_withheld_in_the_files_words():
    withheld = [{"field": "purpose", "reason": "national_security", "reason_text": None}]

    assert row_of({"withheld": withheld})["is_withheld"] == "Yes"


def test_only_data_protection_assessments_are_privacy_impact_assessments():
    record = {
        "impact_assessments": [
            {"kind": "equality", "link": "https://example.gov/eqia"},
            {"kind": "data_protection", "link": "https://example.gov/dpia"},
        ]
    }

    assert row_of(record)["pia_url"] == "https://example.gov/dpia"


def test_several_data_sources_are_described_each_by_name():
    record = {
        "data_sources": [
            {"name": "Reports", "description": "What residents report"},
            {"name": "Road survey", "link": "https://data.example/roads"},
        ]
    }

    row = row_of(record)

    assert row["data_description"] == "Reports: What residents report\nRoad survey"
    assert row["link_to_data"] == "https://data.example/roads"


def test_a_cell_a_spreadsheet_would_run_is_guarded():
    assert row_of({"title": '=HYPERLINK("http://evil.example")'})["use_case_name"] == (
        '\'=HYPERLINK("http://evil.example")'
    )


def test_columns_with_no_source_are_blank_and_the_documentation_says_why_for_each():
    record = {name: "x" for name in ("reference", "title", "team", "purpose")}
    row = row_of(record)
    documented = DOCS.read_text(encoding="utf-8").split("## US federal AI use case inventory")[1]

    assert us.NEVER_FILLED  # the inventory asks what the record does not
    for column in us.NEVER_FILLED:
        assert row[column] == ""
        assert f"`{column}`" in documented, f"docs/standards.md does not explain {column}"


# Every answer the crosswalk maps onto an inventory column, with values that survive it.
MAPPED_ANSWERS = publishable_values(
    team="Highways, roads and transport",
    policy_area="health",
    status="in_use",
    in_use_from="2024-05-17",
    techniques=["classical_ml", "computer_vision"],
    outputs="A ranking of reports, most urgent first.",
    built_by="both",
    supplier_name="Acme Imaging Ltd",
    uses_personal_data=True,
    demographic_features="Age; Postcode",
    source_code_url="https://code.example.gov/potholes",
    rights_safety_effect="neither",
    appeal_process='Ask the "highways" team, by letter or email, to look again.',
)
MAPPED_ROWS = {
    "data_sources": [
        {"name": "Reports", "description": "Reports from residents.", "link": "https://d.ex/r"}
    ],
    "impact_assessments": [
        {"kind": "data_protection", "title": "DPIA", "link": "https://ns.example/dpia"}
    ],
}


def _crosswalked() -> list[str]:
    """Every field (and group.field) the crosswalk names a US column for."""
    names = [item.name for item in schema.all_fields() if "us" in item.crosswalk]
    for group in schema.groups():
        names += [f"{group.name}.{item.name}" for item in group.fields if "us" in item.crosswalk]
    return names


def test_an_entry_written_in_the_2025_columns_imports_back_with_every_mapped_value(world):
    reference = world.entry("published", values=MAPPED_ANSWERS, rows=MAPPED_ROWS)
    client = world.app.test_client()
    record = client.get(f"/entries/{reference}.json").get_json()

    response = client.get(f"/entries/{reference}/standards/us-inventory-2025.csv")
    imported = entry_of(US_2025, response.data)

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert imported.problems == []
    assert imported.source_id == reference
    for name in _crosswalked():
        if name == "organisation":
            assert imported.organisation == record["organisation"]["name"]
        elif "." in name:
            group, field_name = name.split(".")
            assert imported.rows[group][0][field_name] == record[group][0][field_name], name
        else:
            assert imported.values[name] == record[name], name
    # Not in the crosswalk, but told by the inventory's own columns.
    assert imported.values["rights_safety_effect"] == "neither"
    assert imported.rows["impact_assessments"][0]["kind"] == "data_protection"


def test_the_whole_register_is_one_row_per_published_entry(world):
    published = world.entry("published")
    world.entry("draft")

    response = world.app.test_client().get("/download/standards/us-inventory-2025.csv")
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8"))))

    assert response.status_code == 200
    assert [row["id"] for row in rows] == [published]
    assert rows[0]["use_case_name"] == "Pothole report triage"
