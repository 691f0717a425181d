"""The read API: what each address answers, its errors, paging, CORS and its OpenAPI document."""

from __future__ import annotations

import gzip
from urllib.parse import parse_qsl

import pytest
from openapi_spec_validator import validate
from werkzeug.datastructures import MultiDict

from register.search import parse_query, run

from .factories import publishable_values
from .manage_world import WORLD
from .opendata_world import publish_awkward
from .public_entries import revise, withdraw

world = WORLD


def get(world, url: str, **kwargs):
    return world.client(None).client.get(url, **kwargs)


def error_of(response, status: int, parameter: str | None = None) -> str:
    """The JSON error's message, after checking its shape, status and parameter."""
    assert response.status_code == status
    assert response.mimetype == "application/json"
    body = response.json
    assert set(body) == {"error"}
    assert set(body["error"]) == {"status", "message", "parameter"}
    assert body["error"]["status"] == status
    assert body["error"]["parameter"] == parameter
    assert body["error"]["message"]
    return body["error"]["message"]


def test_an_entry_is_the_same_record_as_its_json_download(world):
    reference = publish_awkward(world)
    record = get(world, f"/api/v1/entries/{reference}").json
    download = world.client(None).client.get(f"/entries/{reference}.json").json
    assert record == download
    assert list(record)[:3] == ["reference", "version", "schema_version"]


def test_a_listed_entry_is_the_same_record_as_the_entry_itself_key_for_key(world):
    reference = publish_awkward(world)
    world.entry("published")
    listed = get(world, "/api/v1/entries").json["entries"]
    [awkward] = [record for record in listed if record["reference"] == reference]
    single = get(world, f"/api/v1/entries/{reference}").json
    assert awkward == single
    assert list(awkward) == list(single)  # the documented order, as the schema dumps it


def test_versions_list_every_published_version_and_each_can_be_read(world):
    reference = world.entry("published")
    revise(world, reference, {"title": "Second edition"}, note="Renamed.")
    listed = get(world, f"/api/v1/entries/{reference}/versions").json
    assert [(v["version"], v["is_current"], v["change_note"]) for v in listed["versions"]] == [
        (2, True, "Renamed."),
        (1, False, "First publication."),
    ]
    first = get(world, listed["versions"][1]["url"].removeprefix("http://localhost")).json
    assert first["title"] == "Pothole report triage"
    assert first["version"] == 1
    error_of(get(world, f"/api/v1/entries/{reference}/versions/3"), 404)


def test_drafts_are_not_found_and_withdrawn_entries_are_gone(world):
    draft = world.entry("draft")
    withdrawn = world.entry("published")
    withdraw(world, withdrawn, "Published in error.")
    error_of(get(world, f"/api/v1/entries/{draft}"), 404)
    error_of(get(world, f"/api/v1/entries/{draft}/versions"), 404)
    assert "Published in error." in error_of(get(world, f"/api/v1/entries/{withdrawn}"), 410)


def test_the_entries_list_pages_through_a_search_with_next_links(world):
    references = [world.entry("published") for _ in range(5)]
    page = get(world, "/api/v1/entries?page_size=2&status=in_use").json
    assert page["count"] == 5
    assert page["page"] == 1 and page["page_size"] == 2
    seen = [record["reference"] for record in page["entries"]]
    while page["links"]["next"]:
        assert "status=in_use" in page["links"]["next"]
        page = get(world, page["links"]["next"].removeprefix("http://localhost")).json
        seen += [record["reference"] for record in page["entries"]]
    assert sorted(seen) == sorted(references)
    assert page["links"]["prev"] is not None


@pytest.mark.parametrize(
    "query",
    ["", "status=in_use", "q=pothole", "policy_area=economic_affairs&techniques=classical_ml",
     "q=triage&sort=title", "uses_personal_data=no&organisation=northshire-county-council"],
)  # fmt: skip
def test_the_api_and_the_downloads_find_what_the_listing_finds(world, query):
    world.entry("published")
    world.entry("published", values=_values(title="Chatbot", status="pilot", techniques=["nlp"]))
    world.entry("published", organisation="Southvale Police", author="outside_editor")
    publish_awkward(world)
    client = world.client(None).client
    with world.app.app_context():
        search, _ = parse_query(_args(query), page_size=100)
        listed = [item.reference for item in run(search).items]
    api = [
        r["reference"] for r in get(world, f"/api/v1/entries?{query}&page_size=100").json["entries"]
    ]
    as_json = [r["reference"] for r in client.get(f"/entries.json?{query}", buffered=True).json]
    csv_text = client.get(f"/entries.csv?{query}", buffered=True).get_data(as_text=True)
    as_csv = [line.split(",")[0] for line in csv_text.split("\r\n")[1:] if line.startswith("AIR-")]
    assert api == listed
    assert as_json == listed
    assert as_csv == listed


def _values(**overrides):
    return publishable_values(**overrides)


def _args(query: str) -> MultiDict:
    return MultiDict(parse_qsl(query))


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("page_size=101", "page_size"),
        ("page_size=0", "page_size"),
        ("page_size=ten", "page_size"),
        ("page=-1", "page"),
        ("status=sideways", "status"),
        ("sort=random", "sort"),
        ("colour=blue", "colour"),
    ],
)
def test_bad_parameters_are_refused_naming_the_parameter(world, query, parameter):
    error_of(get(world, f"/api/v1/entries?{query}"), 400, parameter)


def test_a_page_size_over_the_cap_is_never_honoured(world):
    for _ in range(3):
        world.entry("published")
    response = get(world, "/api/v1/entries?page_size=1000")
    assert response.status_code == 400
    assert get(world, "/api/v1/entries?page_size=100").json["page_size"] == 100


def test_unknown_addresses_and_methods_answer_with_json_errors(world):
    client = world.client(None).client
    error_of(client.get("/api/v1/no-such-thing"), 404)
    error_of(client.get("/api/v1/vocabularies/passwords"), 404)
    refused = client.post("/api/v1/entries")
    error_of(refused, 405)
    assert refused.headers["Allow"] == "GET, HEAD, OPTIONS"
    error_of(client.delete("/api/v1/organisations"), 405)
    error_of(client.get("/api/v1/entries?q=%00"), 400)


def test_the_api_is_open_to_any_site_for_reading(world):
    client = world.client(None).client
    assert client.get("/api/v1/vocabularies").headers["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        "/api/v1/entries",
        headers={"Origin": "https://elsewhere.example", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert preflight.headers["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "Access-Control-Allow-Credentials" not in preflight.headers


def test_organisations_vocabularies_and_statistics(world):
    world.entry("published")
    world.entry("published", values=_values(status="pilot", uses_personal_data=True))
    world.entry("published", organisation="Southvale Police", author="outside_editor")
    organisations = get(world, "/api/v1/organisations").json["organisations"]
    assert [(o["slug"], o["entries"]) for o in organisations] == [
        ("northshire-county-council", 2),
        ("southvale-police", 1),
    ]
    vocabularies = {v["name"]: v for v in get(world, "/api/v1/vocabularies").json["vocabularies"]}
    assert vocabularies["status"]["choices"][0] == {
        "code": "planned",
        "label": "Planned",
        "hint": "",
    }
    assert "role" not in vocabularies
    assert get(world, "/api/v1/vocabularies/risk_level").json["label"] == "Risk level"
    statistics = get(world, "/api/v1/statistics").json
    assert statistics["entries"] == 3 and statistics["organisations"] == 2
    assert statistics["counts"]["status"] == {"in_use": 2, "pilot": 1}
    assert statistics["counts"]["uses_personal_data"] == {"false": 2, "true": 1}
    assert statistics["counts"]["techniques"]["classical_ml"] == 3
    assert statistics["counts"]["organisation_type"] == {"local_government": 2, "police": 1}


def test_the_openapi_document_is_valid_and_describes_every_address(world):
    document = get(world, "/api/v1/openapi.json").json
    validate(document)
    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) == {
        "/entries",
        "/entries/{reference}",
        "/entries/{reference}/versions",
        "/entries/{reference}/versions/{number}",
        "/organisations",
        "/vocabularies",
        "/vocabularies/{name}",
        "/statistics",
        "/changes",
        "/schema.json",
        "/submissions",
        "/submissions/{reference}",
        "/submissions/{reference}/submit",
        "/submissions/{reference}/publish",
        "/submissions/{reference}/revision",
    }
    entry = document["components"]["schemas"]["Entry"]["properties"]
    assert entry["status"]["enum"][:2] == ["planned", "in_development"]
    parameters = {p["name"] for p in document["paths"]["/entries"]["get"]["parameters"]}
    assert {"q", "status", "organisation", "page", "page_size", "sort"} <= parameters


def test_the_api_page_links_to_the_openapi_document(client_request):
    page = client_request.get("/api")
    assert page.select_one("a[href='/api/v1/openapi.json']")


def test_options_advertises_only_the_methods_an_address_answers(world):
    client = world.client(None).client
    for address in ("/api/v1/entries", "/api/v1/organisations", "/api/v1/vocabularies"):
        allowed = client.options(address).headers["Allow"]
        assert set(allowed.split(", ")) == {"GET", "HEAD", "OPTIONS"}, address


def test_a_version_number_out_of_range_is_a_json_404(world):
    reference = world.entry("published")
    client = world.client(None).client
    for number in ("0", "100001", "-1"):
        response = client.get(f"/api/v1/entries/{reference}/versions/{number}")
        error_of(response, 404)


def test_answers_carry_validators_and_a_current_copy_gets_304(world):
    reference = world.entry("published")
    client = world.client(None).client
    for address in ("/api/v1/entries", f"/api/v1/entries/{reference}", "/api/v1/organisations"):
        first = client.get(address)
        assert first.status_code == 200
        etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
        assert "Accept-Encoding" in first.headers["Vary"]
        again = client.get(address, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.data == b"", address
        assert client.get(address, headers={"If-Modified-Since": modified}).status_code == 304

    before = client.get("/api/v1/entries")
    revise(world, reference, {"title": "Second edition"}, note="Renamed.")
    after = client.get("/api/v1/entries", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert after.headers["ETag"] != before.headers["ETag"]
    # Overdue reviews change with the day, which no moment of change records.
    assert "Last-Modified" not in client.get("/api/v1/statistics").headers


def test_large_answers_are_compressed_for_clients_that_accept_it(world):
    for _ in range(3):
        world.entry("published")
    client = world.client(None).client
    plain = client.get("/api/v1/entries?page_size=100")
    packed = client.get("/api/v1/entries?page_size=100", headers={"Accept-Encoding": "gzip"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.data) == plain.data
    assert len(packed.data) < len(plain.data) / 2
    assert packed.headers["ETag"] != plain.headers["ETag"]
    current = {"Accept-Encoding": "gzip", "If-None-Match": packed.headers["ETag"]}
    assert client.get("/api/v1/entries?page_size=100", headers=current).status_code == 304
