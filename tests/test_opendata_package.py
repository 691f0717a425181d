"""The data package built from demo data passes Frictionless validation, and the data
dictionary in docs/ is the one the record definition generates."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from frictionless import Package

from register import demo, schema
from register.opendata import dictionary, package, serialisers
from register.opendata.columns import entry_columns, version_columns
from register.opendata.records import RECORD_KEYS
from register.schema import Kind

from .manage_world import WORLD
from .opendata_world import fetch, publish_awkward
from .public_entries import revise, withdraw

world = WORLD

DICTIONARY = Path(__file__).resolve().parents[1] / "docs" / "data-dictionary.md"


def test_the_package_built_from_demo_data_is_valid(world, tmp_path):
    with world.app.app_context():
        demo.load(200, seed=7)
    publish_awkward(world)
    revised = world.entry("published")
    revise(world, revised, {"title": "Second edition"}, note="Renamed.")
    withdraw(world, world.entry("published"), "Published in error.")
    world.entry("revision")

    response = fetch(world.client(None).client, "/download/register.zip")
    assert response.status_code == 200
    zipfile.ZipFile(io.BytesIO(response.data)).extractall(tmp_path)
    report = Package(str(tmp_path / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:20]
    # Six tables of entries and organisations, the coverage of every organisation, the
    # organisations' names, the sources, the suppliers, their products and each entry's,
    # the history of each repeating group, the withheld answers and the withdrawals.
    assert report.stats["tasks"] == 17


def test_every_field_of_the_record_has_a_column_in_the_downloads():
    names = {column.name for column in entry_columns()}
    versions = {column.name for column in version_columns()}
    for item in schema.all_fields():
        assert item.name in names, f"{item.name} is missing from entries.csv"
        assert item.name in versions, f"{item.name} is missing from versions.csv"
    for item in schema.REGISTER_FIELDS:
        assert item.name in names, f"{item.name} is missing from entries.csv"
    for group in schema.groups():
        assert f"{group.name}_count" in names


def test_every_field_is_in_the_data_dictionary():
    codes = {item.code for section in dictionary.sections() for item in section.fields}
    for item in schema.all_fields():
        assert item.name in codes
    for group in schema.groups():
        for item in group.fields:
            assert f"{group.name}[].{item.name}" in codes


def test_the_fields_the_register_keeps_have_the_same_kind_everywhere():
    """Declared once in schema/kept.py: the columns, the JSON records, the API's schema and
    the data dictionary all take their names, types and descriptions from there."""
    columns = {column.name: column for column in [*entry_columns(), *version_columns()]}
    json_fields = serialisers.EntrySchema().fields
    kept = {item.code: item for item in dictionary.sections()[0].fields}
    types = {Kind.INTEGER: "integer", Kind.DATE: "date", Kind.DATETIME: "datetime"}
    names = [item.name for item in schema.RECORD_FIELDS]
    assert list(RECORD_KEYS[: len(names)]) == names
    assert list(json_fields)[: len(names)] == names
    for item in schema.RECORD_FIELDS:
        assert columns[item.name].type == types.get(item.kind, "string"), item.name
        assert columns[item.name].description == item.description, item.name
        assert kept[item.name].label == item.label, item.name
        assert json_fields[item.name].metadata["description"] == item.description


def test_the_committed_data_dictionary_is_up_to_date():
    assert DICTIONARY.read_text(encoding="utf-8") == dictionary.markdown(), (
        "docs/data-dictionary.md is out of date: run "
        "`flask --app wsgi register data-dictionary > docs/data-dictionary.md`"
    )


def test_the_data_dictionary_command_prints_the_dictionary(runner):
    result = runner.invoke(args=["register", "data-dictionary"])
    assert result.exit_code == 0
    assert result.output == dictionary.markdown()


def test_the_package_version_moves_on_whenever_its_tables_or_columns_change(world):
    assert package.layout_fingerprint() == package.LAYOUT_FINGERPRINT, (
        "The data package's tables or columns changed: add one to LAYOUT_REVISION in "
        f"register/opendata/package.py and set LAYOUT_FINGERPRINT to "
        f"{package.layout_fingerprint()!r}"
    )
    descriptor = fetch(world.client(None).client, "/download/datapackage.json").json
    assert descriptor["version"] == f"{schema.SCHEMA_VERSION}.{package.LAYOUT_REVISION}.0"


def test_every_column_of_every_table_says_what_it_holds(world):
    descriptor = fetch(world.client(None).client, "/download/datapackage.json").json
    undescribed = [
        f"{resource['name']}.{column['name']}"
        for resource in descriptor["resources"]
        for column in resource["schema"]["fields"]
        if not column.get("description")
    ]
    assert undescribed == []
