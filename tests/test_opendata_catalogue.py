"""The DCAT-AP catalogue of every download, as a data portal harvests it, and the search
downloads as NDJSON."""

from __future__ import annotations

import json

from register.opendata import package
from register.opendata.catalogue import DCAT_AP_CONTEXT

from .manage_world import WORLD
from .opendata_world import AWKWARD_SUMMARY, fetch, publish_awkward

world = WORLD

BASE = "http://localhost"
CATALOGUE = "/download/catalogue.jsonld"
OGL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
IANA = "http://www.iana.org/assignments/media-types/"
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"


def _catalogue(client) -> dict:
    response = fetch(client, CATALOGUE)
    assert response.status_code == 200
    assert response.mimetype == "application/ld+json"
    return json.loads(response.data)


def test_the_catalogue_is_a_dcat_ap_catalogue_of_one_dataset_and_the_api(world):
    world.entry("published")
    catalogue = _catalogue(world.client(None).client)
    assert catalogue["@context"][0] == DCAT_AP_CONTEXT
    assert catalogue["@type"] == "Catalogue"
    assert catalogue["@id"] == BASE + CATALOGUE
    assert catalogue["title"] == "Public Sector AI Register"
    assert catalogue["licence"] == OGL
    assert catalogue["publisher"]["@type"] == "Agent"
    assert catalogue["publisher"]["name"] == "Public Sector AI Register"
    dataset = catalogue["dataset"]
    assert dataset["@type"] == "Dataset"
    assert dataset["landingPage"] == f"{BASE}/open-data"
    assert dataset["contactPoint"]["vcard:hasEmail"] == {"@id": "mailto:register@example.org"}
    assert dataset["modificationDate"]["@value"].endswith("Z")
    api = catalogue["service"]
    assert api["@type"] == "DataService"
    assert api["endpointUrl"] == f"{BASE}/api/v1"
    assert api["endpointDescription"] == f"{BASE}/api/v1/openapi.json"
    assert api["servesDataset"] == dataset["@id"]
    [api_access] = [d for d in dataset["datasetDistribution"] if "accessService" in d]
    assert api_access["accessService"] == api["@id"]


def test_every_download_is_a_distribution_that_answers(world):
    publish_awkward(world)
    client = world.client(None).client
    catalogue = _catalogue(client)
    distributions = catalogue["dataset"]["datasetDistribution"]
    identifiers = [d["@id"] for d in distributions]
    assert len(identifiers) == len(set(identifiers))
    downloads = {d["downloadUrl"]: d for d in distributions if "downloadUrl" in d}
    expected = {
        "/download/register.zip",
        "/download/datapackage.json",
        "/entries.csv",
        "/entries.json",
        "/entries.ndjson",
        "/entries.atom",
        *(f"/download/{table.name}.parquet" for table in package.tables()),
        *(f"/download/{t.name}.csv" for t in package.tables() if t.name != "entries"),
    }
    assert set(downloads) == {BASE + path for path in expected}
    for url, distribution in downloads.items():
        assert distribution["@type"] == "Distribution"
        assert distribution["accessUrl"] == url
        assert distribution["licence"] == OGL
        assert distribution["title"] and distribution["description"]
        assert url.endswith(".ndjson") or distribution["format"].startswith(FILE_TYPE)
        response = fetch(client, url.removeprefix(BASE))
        assert response.status_code == 200, url
        if "mediaType" in distribution:
            assert distribution["mediaType"] == IANA + response.mimetype, url
        else:
            assert response.mimetype == "application/x-ndjson", url
    parquet = downloads[f"{BASE}/download/risks.parquet"]
    assert parquet["format"] == FILE_TYPE + "PARQUET"
    assert parquet["linkedSchemas"] == [f"{BASE}/download/datapackage.json"]


def test_the_open_data_page_links_to_the_catalogue_and_the_new_formats(world):
    world.entry("published")
    page = world.client(None).get("/open-data")
    [alternate] = page.select('head link[rel="alternate"][type="application/ld+json"]')
    assert alternate["href"] == CATALOGUE
    links = {a["href"] for a in page.select("main a")}
    assert {CATALOGUE, "/entries.ndjson", "/download/entries.parquet"} <= links


def test_the_catalogue_is_validated_by_the_registers_freshness(world):
    world.entry("published")
    client = world.client(None).client
    etag = fetch(client, CATALOGUE).headers["ETag"]
    assert fetch(client, CATALOGUE, headers={"If-None-Match": etag}).status_code == 304
    world.entry("published")
    assert fetch(client, CATALOGUE, headers={"If-None-Match": etag}).status_code == 200


def test_ndjson_holds_exactly_the_records_of_the_json_download_one_a_line(world):
    publish_awkward(world)
    world.entry("published")
    client = world.client(None).client
    for query in ("", "?q=pothole", "?status=in_use&sort=title"):
        response = fetch(client, f"/entries.ndjson{query}")
        assert response.status_code == 200
        assert response.mimetype == "application/x-ndjson"
        assert response.headers["Content-Disposition"].endswith(".ndjson")
        text = response.get_data(as_text=True)
        assert text.endswith("\n")
        records = [json.loads(line) for line in text.splitlines()]
        assert records == fetch(client, f"/entries.json{query}").json, query
    summaries = [json.loads(line)["summary"] for line in text.splitlines()]
    assert AWKWARD_SUMMARY in summaries


def test_ndjson_refuses_what_the_json_download_refuses(world):
    client = world.client(None).client
    for query in ("?status=sleeping", "?source=nowhere", "?sort=colour"):
        refused = fetch(client, f"/entries.ndjson{query}")
        assert refused.status_code == 400, query
        assert refused.json == fetch(client, f"/entries.json{query}").json
        assert refused.json["error"]["parameter"] == query[1:].split("=")[0]


def test_ndjson_of_no_entries_is_empty(world):
    response = fetch(world.client(None).client, "/entries.ndjson?q=nothing-like-this")
    assert response.status_code == 200
    assert response.data == b""
