"""The open-data page and the API page, as a visitor reads them."""

from __future__ import annotations

import json

from register import schema

from .manage_world import WORLD

world = WORLD


def test_the_open_data_page_lists_the_downloads_and_the_dictionary(world):
    world.entry("published")
    page = world.client(None).get("/open-data")
    links = {a["href"] for a in page.select("main a")}
    for url in (
        "/download/register.zip",
        "/entries.csv",
        "/entries.json",
        "/download/datapackage.json",
        "/api",
        "/api/v1/openapi.json",
    ):
        assert url in links, url
    assert "The register holds 1 entry from 1 organisation" in page.get_text(" ", strip=True)
    codes = {code.get_text() for code in page.select("table code")}
    for item in schema.all_fields():
        assert item.name in codes, item.name
    for choice in schema.VOCABULARIES["status"].choices:
        assert choice.code in codes


def test_the_open_data_page_describes_the_dataset_for_search_engines(world):
    world.entry("published")
    page = world.client(None).get("/open-data")
    [script] = page.select('script[type="application/ld+json"]')
    dataset = json.loads(script.string)
    assert dataset["@type"] == "Dataset"
    assert dataset["license"].startswith("https://")
    formats = {d["encodingFormat"] for d in dataset["distribution"]}
    assert formats == {
        "application/zip",
        "text/csv",
        "application/json",
        "application/x-ndjson",
        "application/vnd.apache.parquet",
    }


def test_every_page_links_to_open_data_and_the_api(client_request):
    page = client_request.get("/")
    footer = {a["href"] for a in page.select(".govuk-footer a")}
    assert {"/open-data", "/api"} <= footer
