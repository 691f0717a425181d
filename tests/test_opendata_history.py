"""The history tables of the data package: the repeating rows of every published version."""

from __future__ import annotations

from .manage_world import WORLD
from .opendata_world import csv_rows, fetch
from .public_entries import revise, withdraw

world = WORLD

FIRST_RISKS = [
    {"name": "Bias", "category": "bias_discrimination"},
    {"name": "Outage", "category": "accuracy_reliability"},
]
SECOND_RISKS = [{"name": "Leak", "category": "privacy_data_protection", "mitigation": "Audit"}]


def test_each_published_version_keeps_the_risks_it_was_published_with(world):
    reference = world.entry("published", rows={"risks": FIRST_RISKS})
    revise(world, reference, rows={"risks": SECOND_RISKS}, note="New risks.")
    # A revision in progress shares only what it published; a withdrawn entry, nothing.
    revising = world.entry("published", rows={"risks": FIRST_RISKS[:1]})
    revise(world, revising, rows={"risks": SECOND_RISKS}, publish=False)
    withdraw(world, world.entry("published", rows={"risks": FIRST_RISKS}), "In error.")
    client = world.client(None).client

    rows = csv_rows(fetch(client, "/download/risks_history.csv").data)

    assert [(r["reference"], r["version"], r["position"], r["name"]) for r in rows] == [
        (reference, "1", "1", "Bias"),
        (reference, "1", "2", "Outage"),
        (reference, "2", "1", "Leak"),
        (revising, "1", "1", "Bias"),
    ]
    assert rows[2]["category"] == "privacy_data_protection"
    assert rows[2]["mitigation"] == "Audit"
    # The table of current rows has the newest version's only.
    current = csv_rows(fetch(client, "/download/risks.csv").data)
    assert [(r["reference"], r["name"]) for r in current if r["reference"] == reference] == [
        (reference, "Leak")
    ]


def test_history_rows_point_at_a_published_version(world):
    reference = world.entry("published", rows={"data_sources": [{"name": "Call logs"}]})
    revise(world, reference, {"title": "Second edition"})
    client = world.client(None).client

    versions = {
        (row["reference"], row["version"])
        for row in csv_rows(fetch(client, "/download/versions.csv").data)
    }
    rows = csv_rows(fetch(client, "/download/data_sources_history.csv").data)

    # The revision kept its data source: both versions list it.
    assert [(r["reference"], r["version"], r["name"]) for r in rows] == [
        (reference, "1", "Call logs"),
        (reference, "2", "Call logs"),
    ]
    assert {(r["reference"], r["version"]) for r in rows} <= versions
    descriptor = fetch(client, "/download/datapackage.json").json
    resource = next(r for r in descriptor["resources"] if r["name"] == "risks_history")
    assert resource["schema"]["primaryKey"] == ["reference", "version", "position"]
    assert resource["schema"]["foreignKeys"] == [
        {
            "fields": ["reference", "version"],
            "reference": {"resource": "versions", "fields": ["reference", "version"]},
        }
    ]
