"""The Dutch algorithm register's publication standard 1.0.0: each entry, and the whole
register, as the standard's JSON, checked against the schema the Dutch register publishes
(vendored in tests/data/standards/dutch/); the standard's code lists; empty properties with
their reasons; and a file the register writes, imported into another organisation, keeping
every value the crosswalk maps."""

from __future__ import annotations

import io
import json
from collections import deque
from pathlib import Path

import pytest
from jsonschema import Draft7Validator

from register import importing, schema
from register.importing.formats.dutch import FORMAT
from register.opendata.records import RECORD_KEYS
from register.standards import dutch
from tests.factories import publishable_values
from tests.import_files import entries_of, entry_of
from tests.manage_world import WORLD

world = WORLD

STANDARD = Path(__file__).parent / "data" / "standards" / "dutch"
PUBLISHED_SCHEMA = json.loads((STANDARD / "schema.json").read_text(encoding="utf-8"))
VALIDATOR = Draft7Validator(PUBLISHED_SCHEMA)
DOCS = Path(__file__).parent.parent / "docs" / "standards.md"

# An answer to every question the crosswalk maps to the standard, and rows of each group.
RICH_ANSWERS = publishable_values(
    policy_area="health",
    in_use_from="2023-09-14",
    web_page="https://northshire.example/care-visits",
    benefits="Carers reach the people who need them most first.",
    alternatives_considered="A manual rota, which could not keep up with demand.",
    outputs="A ranked list of visits for each day.",
    people_affected="Adults who receive care at home.",
    scale="About 400 visits a day.",
    legal_basis="Care Act 2014, section 1.",
    model_description="A gradient-boosted tree model.",
    performance="Checked every quarter against the visits carers made.",
    built_by="both",
    supplier_name="Acme Analytics Ltd",
    source_code_url="https://code.northshire.example/care-visits",
    source_code_withheld_reason="Parts of the supplier's code are not ours to publish.",
    uses_personal_data=True,
    uses_special_category_data=True,
    demographic_features="Age, because older people are at greater risk.",
    risk_level="medium",
    eu_ai_act_category="high_risk",
    rights_safety_effect="both",
    staff_training="Every coordinator takes a half-day course.",
    monitoring="A monthly report to the care board.",
)
RICH_ROWS = {
    "data_sources": [
        {
            "name": "Care records",
            "description": "Who receives care, and when.",
            "contains_personal_data": True,
            "link": "https://northshire.example/data/care",
        },
        {"name": "Road network", "link": "https://data.example/roads"},
    ],
    "risks": [
        {
            "name": "Unfair ranking",
            "category": "bias_discrimination",
            "description": "Some areas could wait longer.",
            "mitigation": "A yearly audit by area.",
        },
        {"name": "Outage", "category": "accuracy_reliability"},
    ],
    "impact_assessments": [
        {
            "kind": "data_protection",
            "title": "DPIA for care visits",
            "date": "2023-06",
            "summary": "The data used is needed and kept safe.",
            "link": "https://northshire.example/dpia",
        }
    ],
}


def document_of(answers: dict) -> dict:
    """The standard's object for a record with these answers, the rest empty."""
    record = {key: None for key in RECORD_KEYS}
    record.update({group.name: [] for group in schema.groups()}, techniques=[])
    record.update(answers)
    return json.loads(json.dumps(dutch.entry(record, language="eng")))


def disagreements(document: dict) -> list[deque]:
    """Where `document` breaks the published schema, by path."""
    return [error.path for error in VALIDATOR.iter_errors(document)]


def test_a_rich_entry_keeps_the_published_schema_but_says_it_is_in_english(world):
    reference = world.entry("published", values=RICH_ANSWERS, rows=RICH_ROWS)

    response = world.app.test_client().get(
        f"/entries/{reference}/standards/nl-algoritmeregister.json"
    )
    document = response.get_json()

    assert response.status_code == 200
    # The schema takes only Dutch ("nld"); this register's entries are in English.
    assert disagreements(document) == [deque(["language"])]
    assert document["language"] == "eng"
    assert document["schema"] == "1.0.0"
    assert document["source_id"] == reference
    assert f"record schema version {schema.SCHEMA_VERSION}" in document["$comment"]


def test_a_register_written_in_dutch_writes_files_the_published_schema_accepts(world, monkeypatch):
    monkeypatch.setitem(world.app.config, "REGISTER_LANGUAGE", "nld")
    reference = world.entry("published", values=RICH_ANSWERS, rows=RICH_ROWS)
    client = world.app.test_client()

    document = client.get(f"/entries/{reference}/standards/nl-algoritmeregister.json").get_json()
    documents = client.get("/download/standards/nl-algoritmeregister.json").get_json()

    assert document["language"] == "nld"
    assert disagreements(document) == []
    assert [disagreements(each) for each in documents] == [[]]


def test_the_whole_register_is_an_array_of_the_published_entries(world):
    published = world.entry("published", values=RICH_ANSWERS, rows=RICH_ROWS)
    world.entry("draft")

    response = world.app.test_client().get("/download/standards/nl-algoritmeregister.json")
    documents = json.loads(response.data)

    assert response.status_code == 200
    assert [document["source_id"] for document in documents] == [published]
    assert disagreements(documents[0]) == [deque(["language"])]


@pytest.mark.parametrize(
    ("answers", "key", "written"),
    [
        ({"status": "planned"}, "status", "In ontwikkeling"),
        ({"status": "in_development"}, "status", "In ontwikkeling"),
        ({"status": "pilot"}, "status", "In gebruik"),
        ({"status": "in_use"}, "status", "In gebruik"),
        ({"status": "retired"}, "status", "Buiten gebruik"),
        ({"policy_area": "health"}, "theme", ["Zorg en gezondheid"]),
        ({"policy_area": "general_public_services"}, "theme", ["Organisatie en bedrijfsvoering"]),
        ({"policy_area": "social_protection"}, "theme", ["Sociale zekerheid"]),
        ({"in_use_from": "2024-05-17"}, "start_date", "2024-05"),
        ({"in_use_from": "2024-05"}, "start_date", "2024-05"),
        ({"retired_on": "2025-01-31"}, "end_date", "2025-01"),
        (
            {"eu_ai_act_category": "high_risk", "rights_safety_effect": "neither"},
            "publication_category",
            "Hoog-risico AI-systeem (Categorie A)",
        ),
        (
            {"eu_ai_act_category": "minimal_risk", "rights_safety_effect": "rights"},
            "publication_category",
            "Impactvolle algoritmes (Categorie B)",
        ),
        (
            {"rights_safety_effect": "neither", "decision_role": "recommends"},
            "publication_category",
            "Overige algoritmes (Categorie C)",
        ),
        (
            {"decision_role": "informs"},
            "publication_category",
            "Impactvolle algoritmes (Categorie B)",
        ),
        (
            {"decision_role": "no_decisions"},
            "publication_category",
            "Overige algoritmes (Categorie C)",
        ),
        ({"built_by": "in_house"}, "supplier", "Intern ontwikkeld"),
        ({"built_by": "both", "supplier_name": "Acme Ltd"}, "supplier", "Acme Ltd"),
        (
            {"organisation": {"name": "Gemeente Noorderhaaks"}},
            "organization",
            "Gemeente Noorderhaaks",
        ),
        (
            {"impact_assessments": [{"kind": "data_protection"}, {"title": "Equality check"}]},
            "impact_assessments",
            "Data Protection Impact Assessment (DPIA); Equality check",
        ),
    ],
)
def test_answers_are_written_in_the_standards_values(answers, key, written):
    assert document_of(answers)[key] == written


def test_a_shared_text_holds_each_answer_under_its_question():
    document = document_of(
        {
            "purpose": "Too many visits to plan by hand.",
            "benefits": "Faster care.",
            "decision_role": "recommends",
        }
    )

    # The purpose leads, as a Dutch organisation's own text would; the rest under headings.
    assert document["purpose_and_impact"] == (
        "Too many visits to plan by hand.\n\n"
        "Benefits: Faster care.\n\n"
        "Role in decisions: Recommends, and a person decides"
    )


def test_a_property_without_an_answer_is_empty_and_says_why():
    document = document_of({"status": "planned", "policy_area": "defence", "in_use_from": "2026"})

    assert document["start_date"] is None
    assert document["theme"] == []
    assert document["considerations"] == ""
    assert document["not_filled_in"]["start_date"] == dutch.NO_MONTH
    assert document["not_filled_in"]["theme"] == dutch.NO_THEME
    assert document["not_filled_in"]["considerations"] == dutch.UNANSWERED
    # Optional properties without an answer are left out, and never-asked ones say why.
    assert "link" not in document and "end_date" not in document
    for key, reason in dutch.NO_SOURCE.items():
        assert key not in document
        assert document["not_filled_in"][key] == reason


def test_a_text_longer_than_the_standard_allows_is_shortened_and_says_so():
    document = document_of({"title": "T" * 120, "summary": "Word " * 100})

    assert len(document["name"]) == 99 and document["name"].endswith("…")
    assert len(document["description_short"]) <= 399
    assert set(document["shortened"]) == {"name", "description_short"}


def test_the_documentation_names_every_property_never_filled_in():
    text = DOCS.read_text(encoding="utf-8")
    section = text[text.index("## Dutch algorithm register") :]
    for key in dutch.NO_SOURCE:
        assert f"`{key}`" in section, key


def answered(rows: list[dict]) -> list[dict]:
    """Repeating rows with only the fields they answer."""
    return [{key: value for key, value in row.items() if value is not None} for row in rows]


def _crosswalked() -> list[str]:
    """Every field (and group.field) the crosswalk names a property of the standard for."""
    names = [item.name for item in schema.all_fields() if "nl" in item.crosswalk]
    for group in schema.groups():
        names += [f"{group.name}.{item.name}" for item in group.fields if "nl" in item.crosswalk]
    return names


def test_an_entry_written_in_the_standard_imports_into_another_organisation_whole(
    world, make_organisation
):
    reference = world.entry("published", values=RICH_ANSWERS, rows=RICH_ROWS)
    client = world.app.test_client()
    record = client.get(f"/entries/{reference}.json").get_json()
    exported = client.get(f"/entries/{reference}/standards/nl-algoritmeregister.json").data

    with world.app.app_context():
        fresh = make_organisation("Gemeente Noorderhaaks")
        options = importing.ImportOptions(
            format=importing.FORMATS["nl-algoritmeregister"],
            filename="algoritme.json",
            organisation=fresh,
        )
        report = importing.run(io.BytesIO(exported), options)
        (row,) = report.rows
        organisation = world.load(row.reference).organisation.name
    assert report.written and row.problems == []
    values = world.draft_values(row.reference)
    rows = world.draft_rows(row.reference)

    assert organisation == "Gemeente Noorderhaaks"
    for name in _crosswalked():
        if name == "organisation":
            continue
        if "." in name:
            group, field_name = name.split(".")
            got = [item.get(field_name) for item in rows[group]]
            assert got == [item.get(field_name) for item in record[group]], name
        elif name == "in_use_from":
            assert values[name] == record[name][:7]  # the standard keeps the month
        else:
            assert values[name] == record[name], name
    # The rows come back whole, every field of each, from their blocks.
    for group in ("risks", "impact_assessments", "data_sources"):
        assert answered(rows[group]) == answered(record[group]), group
    assert not values.get("other_information")


def test_the_standards_own_example_imports():
    """An object made of the example the published schema gives for each property."""
    example = {
        key: prop["example"]
        for key, prop in PUBLISHED_SCHEMA["properties"].items()
        if "example" in prop
    }
    example["theme"] = json.loads(example["theme"])

    imported = entry_of(FORMAT, json.dumps(example).encode())

    assert imported.problems == []
    assert imported.organisation == "Gemeente Noorderhaaks"
    assert imported.values["title"] == "Automatische Verkeersregeling Ringweg"
    assert imported.values["status"] == "in_use"
    assert imported.values["policy_area"] == "economic_affairs"  # Verkeer: transport
    assert imported.values["in_use_from"] == "2023-01"
    assert (
        imported.values["purpose"]
        == PUBLISHED_SCHEMA["properties"]["purpose_and_impact"]["example"]
    )
    assert imported.values["oversight_description"].startswith("Bij het maken van fouten")
    assert imported.values["supplier_name"] == "Haaks Softwarebedrijf"
    assert imported.rows["impact_assessments"][0]["title"] == (
        "Data Protection Impact Assessment (DPIA)"
    )


def test_a_suppliers_ready_made_entry_imports_with_its_answers():
    """Tygron's template from the Dutch register's repository: the management module's
    names (`goal`, `provider`, `source_data`), HTML texts and a list of themes."""
    imported = entry_of(FORMAT, (STANDARD / "tygron-template.json").read_bytes())

    assert imported.problems == []
    assert imported.source_id == "tygron-modelleringssoftware-hittestress"
    assert imported.values["title"] == "Modelleringssoftware Hittestress"
    assert imported.values["status"] == "in_use"
    # Its first theme the register knows: "Ruimte en infrastructuur" is community development.
    assert imported.values["policy_area"] == "housing_community"
    assert imported.values["purpose"].startswith("De Hittestress module biedt inzicht")
    assert "<p>" not in imported.values["purpose"]
    assert imported.values["supplier_name"] == "Tygron"
    assert imported.values["legal_basis"].startswith("De software kan door")
    (source,) = imported.rows["data_sources"]
    assert source["description"].startswith("Standaard worden open data bronnen gebruikt")
    # What has no question of its own stays, labelled.
    assert "publication_category: Overige algoritmes" in imported.values["other_information"]


def test_the_whole_registers_file_imports_an_entry_for_each_object(world):
    first = world.entry("published", values=RICH_ANSWERS, rows=RICH_ROWS)
    second = world.entry("published", values=publishable_values(title="Chatbot"))

    data = world.app.test_client().get("/download/standards/nl-algoritmeregister.json").data
    imported = entries_of(FORMAT, data)

    assert {(entry.source_id, entry.values["title"]) for entry in imported} == {
        (first, RICH_ANSWERS["title"]),
        (second, "Chatbot"),
    }
    assert all(entry.problems == [] for entry in imported)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"name,status\nA,In gebruik\n", "not JSON"),
        (b"[1, 2]", "not a JSON object"),
        (b'{"naam": "Verkeersregeling"}', "no “name”"),
    ],
)
def test_a_file_that_is_not_the_standards_json_is_refused_saying_why(content, reason):
    with pytest.raises(importing.FileRefused, match=reason):
        list(FORMAT.entries(io.BytesIO(content)))
