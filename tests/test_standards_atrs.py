"""The UK ATRS 4.0 shape: an entry as JSON and as the template teams send to the ATRS team,
the whole register as CSV; each read back by the register's own ATRS importers.

The entry is published through the workflow and fetched as a member of the public would;
the round trips import the downloaded files with the template format (the workbook) and the
ATRS format (the CSV, and the JSON's fields flattened into one record, as that format reads
records of attributes).
"""

from __future__ import annotations

import io
import json

from openpyxl import load_workbook

from register.importing.formats.atrs import ATRS
from register.importing.formats.atrs_record import ALIASES
from register.importing.formats.atrs_template import ATRS_TEMPLATE
from register.importing.values import squeeze
from register.schema import SCHEMA_VERSION, all_fields, groups
from register.standards.atrs_fields import KEPT_AS_OTHER_INFORMATION, READ_BY_NAME, SECTIONS

from .factories import publishable_values
from .import_files import entries_of, entry_of
from .manage_world import WORLD
from .opendata_world import AWKWARD_TITLE, fetch, publish_awkward

world = WORLD

VALUES = publishable_values(
    team="Highways Intelligence",
    web_page="https://www.northshire.example/potholes",
    senior_responsible_owner="Director of Highways",
    alternatives_considered="More inspectors, which cost too much.",
    outputs="A priority score from 1 to 5 for each report.",
    scale="About 300 reports a week.",
    model_description="A gradient-boosted tree classifier.",
    performance="Agrees with inspectors on 85% of reports.",
    built_by="external_supplier",
    supplier_name="Roadsight Ltd",
    supplier_company_number="01234567",
    status="pilot",
    demographic_features="The reporter's postcode.",
    staff_training="Half a day on reading the score.",
    monitoring="Retrained every spring.",
)
ROWS = {
    "data_sources": [
        {
            "name": "Pothole reports",
            "description": "Reports made online since 2015.",
            "link": "https://data.northshire.example/potholes",
            "collection_method": "From the council's report form.",
            "sharing_access_retention": "Kept for six years by the highways team.",
        }
    ],
    "risks": [
        {
            "name": "Fewer repairs where fewer people report",
            "category": "bias_discrimination",
            "mitigation": "Inspectors also survey roads on a schedule.",
        }
    ],
    "impact_assessments": [
        {"kind": "data_protection", "title": "Pothole triage DPIA", "date": "2024-02"}
    ],
}

# The register's fields that come back from the standard's fields into the same field.
ROUND_TRIP = (
    "title",
    "summary",
    "web_page",
    "contact_email",
    "status",
    "team",
    "senior_responsible_owner",
    "supplier_name",
    "supplier_company_number",
    "purpose",
    "benefits",
    "alternatives_considered",
    "oversight_description",
    "scale",
    "staff_training",
    "appeal_process",
    "outputs",
    "monitoring",
    "model_description",
    "performance",
)


def published(world) -> str:
    return world.entry("published", values=VALUES, rows=ROWS)


def test_an_entry_as_json_has_tier_1_and_the_eight_sections_of_tier_2(world, client):
    reference = published(world)

    response = fetch(client, f"/entries/{reference}/standards/uk-atrs.json")

    document = json.loads(response.data)
    assert document["standard"] == {
        "name": "Algorithmic Transparency Recording Standard",
        "version": "4.0",
    }
    assert document["register"] == {
        "reference": reference,
        "version": 1,
        "schema_version": SCHEMA_VERSION,
    }
    assert list(document["tier_1"]) == ["summary_information"]
    assert list(document["tier_2"]) == [
        "owner_and_responsibility",
        "description_and_rationale",
        "deployment_context",
        "tool_specification",
        "model_specification",
        "development_data_specification",
        "operational_data_specification",
        "risks_mitigations_and_impact_assessments",
    ]
    summary = document["tier_1"]["summary_information"]
    assert summary["name"] == "Pothole report triage"
    assert summary["website_url"] == "https://www.northshire.example/potholes"
    assert summary["phase"] == "Pilot"
    owner = document["tier_2"]["owner_and_responsibility"]
    assert owner["organisation_or_department"] == "Northshire County Council"
    assert owner["third_party_involvement"] == "Yes"
    assert owner["third_party"] == "Roadsight Ltd"
    assert document["tier_2"]["tool_specification"]["system_level_output"] == VALUES["outputs"]
    risks = document["tier_2"]["risks_mitigations_and_impact_assessments"]
    assert risks["impact_assessment"] == (
        "Kind: Data protection impact assessment\nTitle: Pothole triage DPIA\nDate: 2024-02"
    )
    assert "Category: Bias and discrimination" in risks["risks_and_mitigations"]


def test_a_field_with_no_answer_is_null_and_says_why_never_n_a(world, client):
    reference = world.entry("published")  # no team, supplier or data sources

    document = json.loads(fetch(client, f"/entries/{reference}/standards/uk-atrs.json").data)

    owner = document["tier_2"]["owner_and_responsibility"]
    assert owner["team"] is None
    assert owner["third_party_role"] is None
    assert owner["third_party_involvement"] == "No"
    why = document["not_filled_in"]
    assert why["owner_and_responsibility.team"] == "The entry does not answer this."
    assert why["owner_and_responsibility.third_party_role"] == (
        "The register does not ask for this."
    )
    assert "owner_and_responsibility.third_party_involvement" not in why
    assert "N/A" not in json.dumps(document)


def test_the_json_fields_read_back_through_the_atrs_importer_as_the_same_answers(world, client):
    reference = published(world)
    document = json.loads(fetch(client, f"/entries/{reference}/standards/uk-atrs.json").data)
    flat = {
        attribute: value
        for tier in ("tier_1", "tier_2")
        for fields in document[tier].values()
        for attribute, value in fields.items()
        if value is not None
    }

    entry = entry_of(ATRS, json.dumps([flat]).encode())

    for name in ROUND_TRIP:
        assert entry.values[name] == VALUES[name], name
    assert entry.organisation == "Northshire County Council"
    assert entry.rows["data_sources"] == ROWS["data_sources"]


def test_the_workbook_is_the_template_and_imports_as_the_entry_it_came_from(world, client):
    reference = published(world)

    response = fetch(client, f"/entries/{reference}/standards/uk-atrs.xlsx")

    assert response.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Info Page", *(section.title[:31] for section in SECTIONS)]
    info = [tuple(row) for row in book["Info Page"].iter_rows(values_only=True)]
    assert ("Register record schema version", str(SCHEMA_VERSION)) in info
    sheet_rows = list(book["Owner and Responsibility"].iter_rows(values_only=True))
    owner = {row[1]: row for row in sheet_rows}
    assert owner["Third party"] == ("2.1.4.1", "Third party", "Supplier", "Roadsight Ltd")
    assert owner["Third party role"] == ("2.1.4.3", "Third party role", None, None)
    (note,) = (row[1] for row in sheet_rows if row[0] == "Not filled in from the register")
    assert "Third party role: The register does not ask for this." in note.splitlines()

    entry = entry_of(ATRS_TEMPLATE, response.data)

    for name in ROUND_TRIP:
        assert entry.values[name] == VALUES[name], name
    assert entry.organisation == "Northshire County Council"
    assert entry.rows["data_sources"] == ROWS["data_sources"]
    # The risks and impact assessments are one text each in the standard: every value
    # comes back, in that text.
    (risk,) = entry.rows["risks"]
    for value in ("Fewer repairs where fewer people report", "Inspectors also survey roads"):
        assert value in risk["description"]
    (assessment,) = entry.rows["impact_assessments"]
    assert "Pothole triage DPIA" in assessment["summary"]
    assert "Sensitive attributes: The reporter's postcode." in entry.values["other_information"]
    assert entry.problems == []


def test_text_a_spreadsheet_would_run_is_written_as_text_and_read_back_whole(world, client):
    reference = publish_awkward(world)

    data = fetch(client, f"/entries/{reference}/standards/uk-atrs.xlsx").data

    name = load_workbook(io.BytesIO(data))["Summary Information"]["D3"]
    assert name.data_type == "s"
    assert name.value == AWKWARD_TITLE
    assert entry_of(ATRS_TEMPLATE, data).values["title"] == AWKWARD_TITLE


def test_the_whole_register_as_csv_imports_row_by_row_with_the_atrs_format(world, client):
    first = published(world)
    second = world.entry("published", values=publishable_values(title="Bin route planner"))

    response = fetch(client, "/download/standards/uk-atrs.csv")

    entries = {entry.source_id: entry for entry in entries_of(ATRS, response.data)}
    assert set(entries) == {first, second}
    for name in ROUND_TRIP:
        assert entries[first].values[name] == VALUES[name], name
    assert entries[second].values["title"] == "Bin route planner"
    header = response.data.decode().splitlines()[0].split(",")
    assert header[:3] == ["id", "name", "description"]
    assert "operational_sensitive_attributes" in header


def test_the_whole_register_as_json_and_as_a_workbook(world, client):
    reference = published(world)

    documents = json.loads(fetch(client, "/download/standards/uk-atrs.json").data)
    book = load_workbook(io.BytesIO(fetch(client, "/download/standards/uk-atrs.xlsx").data))

    assert [document["register"]["reference"] for document in documents] == [reference]
    rows = list(book["Records"].iter_rows(values_only=True))
    assert rows[0][:3] == ("id", "name", "description")
    assert rows[1][:2] == (reference, "Pothole report triage")


def test_every_source_is_a_field_the_atrs_importers_read_back_into_it():
    """The export writes a field under a name the importer reads into that same field: its
    crosswalk name, an alias the importer declares, or one it reads by name."""
    crosswalk = {item.name: item.crosswalk.get("atrs") for item in all_fields()}
    for group in groups():
        crosswalk[group.name] = group.crosswalk.get("atrs")
        crosswalk.update(
            {f"{group.name}.{item.name}": item.crosswalk.get("atrs") for item in group.fields}
        )
    for section in SECTIONS:
        for item in section.fields:
            # The risks and impact assessments are one text each: see the round trips.
            if item.source in (None, "risks", "impact_assessments", *KEPT_AS_OTHER_INFORMATION):
                continue
            names = {squeeze(crosswalk[item.source] or "")}
            names |= {squeeze(alias) for alias in ALIASES.get(item.source, ())}
            if READ_BY_NAME.get(item.attribute) == item.source:
                names.add(squeeze(item.attribute))
            assert squeeze(item.attribute) in names, item.name
