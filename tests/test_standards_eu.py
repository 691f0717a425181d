"""The EU database shape: what a public body registers of a high-risk tool's use (EU AI Act
Annex VIII, section C), each point from the entry or null with the reason, and what the entry
still lacks in words that name the question to answer; and the questions it reads, through the
form and the submission API."""

from __future__ import annotations

import json
from typing import Any

from register import schema
from register.standards import eu, shape_named

from .factories import publishable_values
from .manage_world import WORLD, messages
from .submission_world import SUBMISSIONS, Api, make_token

world = WORLD

EU_ANSWERS = {
    "postal_address": "County Hall, Northshire NS1 1AA",
    "eu_ai_act_category": "high_risk",
    "annex_iii_area": "essential_services",
    "eu_provider_entry_url": "https://eu-database.example.eu/systems/4711",
    "eu_registration_number": "EU-DEP-2027-000123",
    "uses_personal_data": True,
}
ASSESSMENTS = [
    {
        "kind": "fundamental_rights",
        "title": "Benefit triage FRIA",
        "date": "2026-11",
        "summary": "Older applicants could wait longer; a caseworker reviews every delay.",
        "link": "https://northshire.example/fria",
    },
    {"kind": "data_protection", "title": "DPIA", "date": "2026-10", "summary": "Low risk."},
    {"kind": "equality", "title": "EqIA", "summary": "No differential effect found."},
]


def _record(**overrides: Any) -> dict[str, Any]:
    """A record as the exports read it, with every answer the EU database asks for."""
    record = {
        "reference": "AIR-00007",
        "version": 2,
        "title": "Benefit triage",
        "organisation": {"name": "Northshire County Council", "slug": "n", "type": "other"},
        "contact_email": "ai@northshire.example",
        **EU_ANSWERS,
        "impact_assessments": ASSESSMENTS,
    }
    record.update(overrides)
    return record


def _points(found: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {point["point"]: point for point in found["points"]}


def test_a_complete_high_risk_entry_fills_every_point_it_can_and_lacks_nothing():
    found = json.loads(eu.one(_record()))
    assert found["register_schema_version"] == schema.SCHEMA_VERSION
    assert found["registration"] == {
        "required": True,
        "reason": "A high-risk AI system of Annex III point 5 (Article 49(3)).",
        "database_section": "public",
    }
    assert found["ai_system"] == {"title": "Benefit triage", "annex_iii_point": "5"}
    assert found["registration_number"] == "EU-DEP-2027-000123"
    points = _points(found)
    assert list(points) == ["C.1", "C.2", "C.3", "C.4", "C.5"]
    assert points["C.1"]["value"] == {
        "name": "Northshire County Council",
        "address": "County Hall, Northshire NS1 1AA",
        "contact_email": "ai@northshire.example",
    }
    assert points["C.1"]["reason"] is None
    # The register never keeps who registers for the organisation: said, never invented.
    assert points["C.2"]["value"] is None and "does not keep" in points["C.2"]["reason"]
    assert points["C.3"]["value"] == "https://eu-database.example.eu/systems/4711"
    assert [row["title"] for row in points["C.4"]["value"]] == ["Benefit triage FRIA"]
    assert points["C.4"]["value"][0]["summary"].startswith("Older applicants")
    assert [row["summary"] for row in points["C.5"]["value"]] == ["Low risk."]
    assert found["missing"] == []


def test_what_an_entry_lacks_is_listed_naming_each_question_and_its_page():
    record = _record(
        postal_address=None,
        eu_provider_entry_url="",
        eu_registration_number=None,
        impact_assessments=[{"kind": "data_protection", "title": "DPIA", "summary": ""}],
    )
    found = json.loads(eu.one(record))
    points = _points(found)
    assert points["C.1"]["value"]["address"] is None
    assert points["C.1"]["reason"] == "The record has no postal address."
    assert points["C.3"]["value"] is None
    assert points["C.4"]["value"] is None
    assert points["C.5"]["reason"] == (
        "The record’s data protection impact assessment has no summary."
    )
    assert found["missing"] == [
        "Add the organisation’s postal address: answer “Postal address” on the “About the "
        "tool” page.",
        "Add the address of the provider’s entry: answer “Provider’s entry in the EU "
        "database” on the “Risks and impact” page.",
        "Add the tool’s fundamental rights impact assessment, of the kind “Fundamental rights "
        "impact assessment” and with a summary of what it found, under “Impact assessments” "
        "on the “Risks and impact” page.",
        "Add a summary of what it found to the data protection impact assessment, under "
        "“Impact assessments” on the “Risks and impact” page.",
        "Once the use is registered, add the number the EU database gave it: answer “EU "
        "database registration number” on the “Risks and impact” page.",
    ]


def test_an_unassessed_tool_is_asked_to_be_assessed_and_its_annex_area_given():
    unassessed = json.loads(eu.one(_record(eu_ai_act_category="not_assessed")))
    assert unassessed["registration"]["required"] is None
    assert unassessed["missing"][0].startswith("Assess the tool under the EU AI Act")
    unplaced = json.loads(eu.one(_record(annex_iii_area=None)))
    assert unplaced["registration"]["required"] is None
    assert unplaced["ai_system"]["annex_iii_point"] is None
    assert unplaced["missing"] == [
        "Say which area of Annex III the tool’s use falls in: answer “EU AI Act Annex III "
        "area” on the “Risks and impact” page."
    ]


def test_a_tool_that_need_not_be_registered_says_why_and_lacks_nothing():
    limited = json.loads(eu.one(_record(eu_ai_act_category="limited_risk", postal_address=None)))
    assert limited["registration"]["required"] is False
    assert "“Limited risk”" in limited["registration"]["reason"]
    assert limited["missing"] == []
    national = json.loads(eu.one(_record(annex_iii_area="critical_infrastructure")))
    assert national["registration"]["required"] is False
    assert "national level (Article 49(5))" in national["registration"]["reason"]


def test_law_enforcement_goes_to_the_secure_section_with_points_one_to_three_only():
    found = json.loads(eu.one(_record(annex_iii_area="law_enforcement", impact_assessments=[])))
    assert found["registration"]["database_section"] == "secure non-public section"
    points = _points(found)
    for point in ("C.4", "C.5"):
        assert points[point]["value"] is None
        assert "Article 49(4)" in points[point]["reason"]
    assert found["missing"] == []


def test_a_data_protection_assessment_is_not_asked_of_a_tool_without_personal_data():
    found = json.loads(eu.one(_record(uses_personal_data=False, impact_assessments=[])))
    c5 = _points(found)["C.5"]
    assert c5["value"] is None and c5["reason"].startswith("Not applicable")
    assert not any("data protection" in gap for gap in found["missing"])


def test_each_question_the_shape_reads_is_named_in_its_eu_crosswalk():
    """The schema, not the shape, says which question answers which point."""
    named = {f.crosswalk["eu"]: f.name for f in schema.all_fields() if "eu" in f.crosswalk}
    assert named == {
        "C.1.name": "organisation",
        "C.1.contact_email": "contact_email",
        "C.1.address": "postal_address",
        "ai_system.annex_iii_point": "annex_iii_area",
        "C.3": "eu_provider_entry_url",
        "registration_number": "eu_registration_number",
    }
    groups = {g.crosswalk["eu"]: g.name for g in schema.groups() if "eu" in g.crosswalk}
    assert groups == {"C.4/C.5": "impact_assessments"}
    points = [c.crosswalk["eu"] for c in schema.VOCABULARIES["annex_iii_area"].choices[:8]]
    assert points == [str(n) for n in range(1, 9)]


def test_the_entry_and_the_whole_register_are_downloaded_in_the_eu_shape(world):
    reference = world.entry(
        "published",
        values=publishable_values(**EU_ANSWERS),
        rows={"impact_assessments": ASSESSMENTS},
    )
    world.entry("published", values=publishable_values(title="Gritting routes"))
    assert shape_named("eu-ai-act").writing("json").media_type == "application/json"
    client = world.app.test_client()

    one = client.get(f"/entries/{reference}/standards/eu-ai-act.json")
    assert one.status_code == 200 and one.mimetype == "application/json"
    found = one.get_json()
    assert (found["reference"], found["missing"]) == (reference, [])
    assert _points(found)["C.1"]["value"]["name"] == "Northshire County Council"
    assert found["registration_number"] == "EU-DEP-2027-000123"

    whole = client.get("/download/standards/eu-ai-act.json")
    assert whole.status_code == 200
    by_title = {item["ai_system"]["title"]: item for item in json.loads(whole.get_data())}
    assert by_title["Pothole report triage"]["registration"]["required"] is True
    # Not assessed under the Act: the file says so and asks for the assessment.
    gritting = by_title["Gritting routes"]
    assert gritting["registration"]["required"] is None
    assert gritting["missing"][0].startswith("Assess the tool under the EU AI Act")


def test_the_eu_questions_are_asked_on_the_risks_page_and_checked(world):
    reference = world.entry()
    page_address = f"/manage/entries/{reference}/risks"
    editor = world.client("editor")
    page = editor.get(page_address)
    for name in ("annex_iii_area", "eu_provider_entry_url", "eu_registration_number"):
        assert page.select(f"[name={name}]"), name
    answers = {
        "lock_version": world.lock_version(reference),
        "annex_iii_area": "essential_services",
        "eu_provider_entry_url": "javascript:alert(1)",
        "eu_registration_number": "EU-DEP-2027-000123",
    }
    refused = editor.post_page(page_address, answers)
    assert messages(refused) == [
        "Enter the address of the provider’s entry in the EU database in the correct format, "
        "like https://eu-database.example.eu/systems/12345"
    ]
    assert world.draft_values(reference)["eu_registration_number"] is None

    answers["eu_provider_entry_url"] = "https://eu-database.example.eu/systems/4711"
    editor.post(page_address, answers, 302)
    values = world.draft_values(reference)
    assert values["annex_iii_area"] == "essential_services"
    assert values["eu_registration_number"] == "EU-DEP-2027-000123"
    assert values["eu_provider_entry_url"] == "https://eu-database.example.eu/systems/4711"


def test_the_submission_api_takes_the_eu_answers_and_checks_them(world):
    api = Api(world, make_token(world))
    refused = api.post(SUBMISSIONS, {"title": "Benefit triage", "annex_iii_area": "space"})
    assert refused.status_code == 422
    assert "annex_iii_area" in json.dumps(refused.json["error"])
    created = api.post(SUBMISSIONS, {"title": "Benefit triage", **EU_ANSWERS})
    assert created.status_code == 201, created.json
    record = created.json["record"]
    for name, value in EU_ANSWERS.items():
        assert record[name] == value, name
    too_long = api.put(
        f"{SUBMISSIONS}/{created.json['reference']}",
        {"title": "Benefit triage", "eu_registration_number": "9" * 101, "lock_version": 1},
    )
    assert too_long.status_code == 422
    assert "100 characters" in json.dumps(too_long.json["error"])
