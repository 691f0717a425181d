"""The register's record as a versioned JSON Schema: served at /api/v1/schema.json and in the
data package, derived from the record definition, and every record the API and the JSON
downloads give is valid against it. The changelog of the fields is kept with the schema."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from register import schema
from register.schema import changelog

from .manage_world import WORLD
from .opendata_world import fetch, publish_awkward
from .public_entries import revise

world = WORLD

CHANGELOG = Path(__file__).resolve().parents[1] / "docs" / "schema-changelog.md"


def _fields() -> dict[str, schema.Field]:
    """Every key of a record, by name, and every field of its groups as group.field."""
    found = {item.name: item for item in (*schema.RECORD_FIELDS, *schema.PROVENANCE_FIELDS)}
    found |= {item.name: item for item in schema.all_fields()}
    for group in schema.groups():
        found[group.name] = group
        found |= {f"{group.name}.{item.name}": item for item in group.fields}
    # The answers a version withholds, and why: kept by the register, not asked by the form.
    found |= {
        name: SimpleNamespace(label=label)
        for name, label in (
            ("withheld", "Withheld answers"),
            ("withheld.field", "Question"),
            ("withheld.reason", "Reason"),
            ("withheld.reason_text", "Reason in words"),
        )
    }
    return found


def _properties(document: dict) -> dict[str, dict]:
    """The schema's properties by name, a group's fields as group.field."""
    found = dict(document["properties"])
    for name, described in document["properties"].items():
        if described.get("type") == "array" and "properties" in described["items"]:
            found |= {
                f"{name}.{key}": value for key, value in described["items"]["properties"].items()
            }
    return found


@pytest.fixture
def record_schema(client) -> dict:
    response = client.get("/api/v1/schema.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return response.get_json()


def validator(document: dict) -> Draft202012Validator:
    Draft202012Validator.check_schema(document)
    return Draft202012Validator(document, format_checker=FormatChecker())


def test_the_schema_is_draft_2020_12_and_its_id_names_the_version(record_schema):
    validator(record_schema)

    assert record_schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert record_schema["$id"].endswith(f"/api/v1/schema.json?version={schema.SCHEMA_VERSION}")
    assert record_schema["x-schema-version"] == schema.SCHEMA_VERSION


def test_every_field_of_the_record_is_a_property_with_its_title_and_description(record_schema):
    properties = _properties(record_schema)

    assert set(properties) == set(_fields())
    for name, item in _fields().items():
        assert properties[name]["title"] == item.label
        assert properties[name]["description"]


def test_what_is_required_to_publish_and_the_vocabularies_come_from_the_schema(record_schema):
    properties = record_schema["properties"]

    assert properties["title"]["x-required-to-publish"] is True
    assert "Required to publish." in properties["purpose"]["description"]
    assert properties["retired_on"]["x-needed-when"] == {"status": ["retired"]}
    assert properties["status"]["x-section"] == "about"
    assert properties["risks"]["x-group"] == "risk"
    status = record_schema["$defs"]["status"]["oneOf"]
    assert [(code["const"], code["title"]) for code in status] == [
        (choice.code, choice.label) for choice in schema.VOCABULARIES["status"].choices
    ]


def test_every_record_the_api_and_the_json_downloads_give_is_valid(world, record_schema):
    check = validator(record_schema)
    awkward = publish_awkward(world)
    revised = world.entry("published")
    revise(world, revised, {"title": "Second edition"}, note="Renamed.")
    client = world.client(None).client

    records = [
        *fetch(client, "/api/v1/entries").get_json()["entries"],
        fetch(client, f"/api/v1/entries/{awkward}").get_json(),
        fetch(client, f"/api/v1/entries/{revised}/versions/1").get_json(),
        *json.loads(fetch(client, "/entries.json").data),
        *map(json.loads, fetch(client, "/entries.ndjson").data.decode().splitlines()),
    ]

    assert len(records) == 8
    for record in records:
        errors = [error.message for error in check.iter_errors(record)]
        assert errors == [], record["reference"]
        assert record["schema_version"] == schema.SCHEMA_VERSION


@pytest.mark.parametrize(
    ("change", "fault"),
    [
        ({"status": "abandoned"}, "status"),
        ({"techniques": ["magic"]}, "techniques"),
        ({"in_use_from": "May 2024"}, "in_use_from"),
        ({"title": None}, "title"),
        ({"unasked": "x"}, "unasked"),
    ],
)
def test_a_record_the_register_would_not_write_is_not_valid(world, record_schema, change, fault):
    reference = world.entry("published")
    record = world.app.test_client().get(f"/api/v1/entries/{reference}").get_json()

    errors = list(validator(record_schema).iter_errors({**record, **change}))

    assert errors, f"{fault} should make the record invalid"


def test_the_data_package_carries_the_schema_and_names_it(world, record_schema):
    world.entry("published")
    client = world.client(None).client

    archive = zipfile.ZipFile(io.BytesIO(fetch(client, "/download/register.zip").data))
    descriptor = json.loads(archive.read("datapackage.json"))
    standalone = fetch(client, "/download/datapackage.json").get_json()

    assert descriptor["record_schema"]["path"] == "schema/record.schema.json"
    assert descriptor["record_schema"]["version"] == schema.SCHEMA_VERSION
    assert json.loads(archive.read("schema/record.schema.json")) == record_schema
    assert standalone["record_schema"]["path"] == record_schema["$id"]


def test_the_api_index_names_the_schema_and_its_version(client, record_schema):
    index = client.get("/api/v1").get_json()

    assert index["schema"] == record_schema["$id"]
    assert index["schema_version"] == schema.SCHEMA_VERSION


@pytest.mark.parametrize(
    ("query", "status", "parameter"),
    [
        ("?version=2", 404, None),
        ("?version=one", 400, "version"),
        ("?version=" + "9" * 5000, 400, "version"),
        ("?format=yaml", 400, "format"),
    ],
)
def test_a_schema_version_the_register_does_not_publish_is_a_json_error(
    client, query, status, parameter
):
    response = client.get(f"/api/v1/schema.json{query}")

    assert response.status_code == status
    assert response.get_json()["error"]["status"] == status
    assert response.get_json()["error"].get("parameter") == parameter


def test_every_field_of_the_record_is_in_the_changelog_and_nothing_else():
    assert changelog.current_fields() == set(_fields())
    versions = [change.version for change in changelog.CHANGES]
    assert versions == sorted(versions)
    assert versions[-1] == schema.SCHEMA_VERSION


def test_the_changelog_in_docs_is_the_one_the_code_writes():
    assert CHANGELOG.read_text(encoding="utf-8") == changelog.markdown(), (
        "Regenerate docs/schema-changelog.md from register.schema.changelog.markdown()"
    )


def test_open_data_and_the_openapi_document_describe_the_schema(client):
    page = client.get("/open-data").get_data(as_text=True)
    document = client.get("/api/v1/openapi.json").get_json()

    assert "/api/v1/schema.json" in page
    assert document["paths"]["/schema.json"]["get"]["operationId"] == "getRecordSchema"
