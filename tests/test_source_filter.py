"""Where entries came from, in public: the "Source" filter on the listing, the API, the
downloads and the feeds, and the provenance columns of the CSV and JSON downloads and the
data package."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote_plus

import pytest
from defusedxml import ElementTree
from frictionless import Package
from sqlalchemy import func, select, update
from werkzeug.datastructures import MultiDict

from register import search
from register.extensions import db
from register.models import Entry, EntryProvenance, ImportBatch
from register.opendata.columns import entry_columns
from register.opendata.csv_lines import csv_line_chunks
from register.opendata.records import load_records
from register.opendata.serialisers import EntrySchema
from register.opendata.writers import csv_chunks
from register.published import current_version_ids

from .manage_world import WORLD
from .opendata_world import csv_rows, fetch, json_records
from .test_import_publish import publish_file
from .test_search_index import FULL_SCAN, _plan, _statements

world = WORLD

US = "US federal AI use case inventory 2025"
ATRS = "GOV.UK algorithmic transparency records"
US_PAGE = "https://example.gov/ai/inventory"
IMPORTED_AT = datetime(2025, 6, 2, 14, 5, 9, tzinfo=UTC)


def mark_imported(
    world,
    reference: str,
    source: str,
    *,
    identifier: str | None = None,
    link: str | None = None,
    source_url: str | None = US_PAGE,
    imported_at: datetime = IMPORTED_AT,
) -> None:
    """Record that the entry came from `source`, as an import does: a batch, a provenance
    row for the entry, and the entry's source."""
    with world.app.app_context():
        entry = world.load(reference)
        batch = ImportBatch(
            source=source,
            format="us-2025" if source == US else "atrs",
            source_url=source_url,
            filename="inventory.csv",
            file_sha256="0" * 64,
            imported_at=imported_at,
            row_count=1,
        )
        db.session.add(batch)
        db.session.flush()
        db.session.add(
            EntryProvenance(
                entry_id=entry.id,
                batch_id=batch.id,
                row_number=2,
                source_identifier=identifier,
                source_link=link,
                action="created",
            )
        )
        db.session.execute(update(Entry).where(Entry.id == entry.id).values(source=source))
        db.session.commit()


@pytest.fixture
def register(world):
    """AIR-00001 written here; AIR-00002 and AIR-00003 imported from the US inventory
    (the second with no identifier, no link of its own, and an awkward identifier later);
    AIR-00004 from GOV.UK; AIR-00005 a draft imported from a source with nothing published."""
    world.entry("published")
    us_first = world.entry("published", values=None)
    us_second = world.entry("published", organisation="Southvale Police", author="outside_editor")
    atrs = world.entry("published")
    draft = world.entry("draft")
    mark_imported(world, us_first, US, identifier="DOC-0042", link="https://example.gov/ai/42")
    mark_imported(world, us_second, US, identifier=None, link=None)
    mark_imported(
        world,
        atrs,
        ATRS,
        identifier="=cmd|' /C calc'!A0",
        link="https://www.gov.uk/algorithmic-transparency-records/a-record",
        source_url="https://www.gov.uk/algorithmic-transparency-records",
    )
    mark_imported(world, draft, "A register nothing was published from")
    return world


def references(page) -> list[str]:
    return [link["href"].rsplit("/", 1)[1] for link in page.select(".register-result h3 a")]


def source_options(page) -> dict[str, tuple[str, bool]]:
    """The Source filter's checkboxes: label -> (value, checked)."""
    found = {}
    for box in page.select("#filter-source input[type=checkbox]"):
        label = page.select_one(f"label[for={box['id']}]").get_text(" ", strip=True)
        found[label] = (box["value"], box.has_attr("checked"))
    return found


def test_the_listing_offers_each_source_with_its_count_and_the_entries_written_here(
    client_request, register
):
    page = client_request.get("/entries")
    options = source_options(page)
    assert list(options) == [
        f"{ATRS} (1)",
        f"{US} (2)",
        "Written on this register (1)",
    ]
    assert options[f"{US} (2)"] == (US, False)
    assert options["Written on this register (1)"] == ("written_here", False)
    # A source only drafts came from is nobody's business yet.
    assert "nothing was published" not in page.get_text()


def test_choosing_a_source_lists_its_entries_and_can_be_undone(client_request, register):
    page = client_request.get(f"/entries?source={quote_plus(US)}")
    assert sorted(references(page)) == ["AIR-00002", "AIR-00003"]
    assert source_options(page)[f"{US} (2)"] == (US, True)
    tag = page.select_one(".register-chosen__tag")
    assert US in tag.get_text(" ", strip=True)
    page = client_request.get(tag["href"])
    assert len(references(page)) == 4

    page = client_request.get("/entries?source=written_here")
    assert references(page) == ["AIR-00001"]
    assert "Written on this register" in page.select_one(".register-chosen__tag").get_text()

    page = client_request.get(f"/entries?source=written_here&source={quote_plus(ATRS)}")
    assert sorted(references(page)) == ["AIR-00001", "AIR-00004"]


def test_other_filters_narrow_the_source_counts(client_request, register):
    page = client_request.get("/entries?organisation=southvale-police")
    assert list(source_options(page)) == [f"{US} (1)"]


@pytest.mark.parametrize("params", ["q=pothole", "q=pothole&organisation=southvale-police"])
def test_each_source_count_of_a_search_is_what_choosing_it_finds(client_request, register, params):
    page = client_request.get(f"/entries?{params}")
    options = source_options(page)
    assert options
    for label, (value, _checked) in options.items():
        expected = int(label.rsplit("(", 1)[1].rstrip(")"))
        chosen = client_request.get(f"/entries?{params}&source={quote_plus(value)}")
        assert len(references(chosen)) == expected, label


@pytest.mark.parametrize(
    "value", ["Nowhere", "A register nothing was published from", "written here", "x" * 500]
)
def test_a_source_that_is_not_known_is_left_out_with_a_notice(client_request, register, value):
    page = client_request.get(f"/entries?source={quote_plus(value)}")
    assert len(references(page)) == 4  # the filter was not used
    notice = page.select_one("#search-notices").get_text(" ", strip=True)
    assert f"“{value[:80]}” is not a known source" in notice
    assert not page.select(".register-chosen__tag")


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/entries?source=Nowhere",
        "/entries.csv?source=Nowhere",
        "/entries.json?source=A+register+nothing+was+published+from",
        "/entries.atom?source=Nowhere",
    ],
)
def test_the_api_downloads_and_feeds_refuse_a_source_that_is_not_known(world, register, url):
    refused = world.client(None).client.get(url)
    assert refused.status_code == 400
    error = refused.get_json()["error"]
    assert error["parameter"] == "source"
    assert "is not the name of a source of published entries" in error["message"]


def test_the_api_lists_a_source_s_entries_with_where_they_came_from(world, register):
    answer = world.client(None).client.get(f"/api/v1/entries?source={quote_plus(ATRS)}")
    assert answer.status_code == 200
    [record] = answer.get_json()["entries"]
    assert record["reference"] == "AIR-00004"
    assert record["source"] == ATRS
    assert record["source_link"] == "https://www.gov.uk/algorithmic-transparency-records/a-record"
    assert record["source_identifier"] == "=cmd|' /C calc'!A0"  # JSON is never changed
    assert record["imported_at"] == "2025-06-02T14:05:09Z"
    assert EntrySchema().validate(record) == {}

    written = world.client(None).client.get("/api/v1/entries?source=written_here").get_json()
    [record] = written["entries"]
    assert record["reference"] == "AIR-00001"
    assert [record[key] for key in ("source", "source_link", "source_identifier")] == [None] * 3
    assert record["imported_at"] is None
    assert EntrySchema().validate(record) == {}


def test_the_openapi_document_describes_the_source_filter_and_columns(world):
    document = world.client(None).client.get("/api/v1/openapi.json").get_json()
    parameters = document["paths"]["/entries"]["get"]["parameters"]
    [source] = [p for p in parameters if p["name"] == "source"]
    assert "written_here" in source["description"]
    assert "enum" not in source["schema"]["items"]  # any source's name
    entry = document["components"]["schemas"]["Entry"]["properties"]
    assert {"source", "source_link", "source_identifier", "imported_at"} <= set(entry)


def test_the_csv_download_follows_the_source_filter_with_provenance_columns(world, register):
    data = fetch(world.client(None).client, f"/entries.csv?source={quote_plus(US)}").data
    rows = {row["reference"]: row for row in csv_rows(data)}
    assert sorted(rows) == ["AIR-00002", "AIR-00003"]
    assert rows["AIR-00002"]["source"] == US
    assert rows["AIR-00002"]["source_link"] == "https://example.gov/ai/42"
    assert rows["AIR-00002"]["source_identifier"] == "DOC-0042"
    assert rows["AIR-00002"]["imported_at"] == "2025-06-02T14:05:09Z"
    # No link of its own: the source's page stands in.
    assert rows["AIR-00003"]["source_link"] == US_PAGE
    assert rows["AIR-00003"]["source_identifier"] == ""

    everything = {
        row["reference"]: row
        for row in csv_rows(fetch(world.client(None).client, "/entries.csv").data)
    }
    assert [everything["AIR-00001"][key] for key in ("source", "source_link", "imported_at")] == [
        "",
        "",
        "",
    ]
    # What a spreadsheet would run is neutralised, as in every other column.
    assert everything["AIR-00004"]["source_identifier"] == "'=cmd|' /C calc'!A0"


def test_the_database_writes_the_provenance_columns_as_python_would(app, register):
    with app.app_context(), db.engine.connect() as connection:
        ids = current_version_ids()
        by_database = b"".join(csv_line_chunks(connection, entry_columns(), ids))
        records = load_records(connection, list(connection.scalars(ids)))
        by_python = b"".join(csv_chunks(entry_columns(), records))
    assert by_database == by_python


def test_the_json_download_follows_the_source_filter(world, register):
    data = fetch(world.client(None).client, "/entries.json?source=written_here").data
    [record] = json_records(data)
    assert record["reference"] == "AIR-00001" and record["source"] is None


def test_the_feed_follows_the_source_filter(world, register):
    response = world.client(None).client.get(f"/entries.atom?source={quote_plus(ATRS)}")
    assert response.status_code == 200
    feed = ElementTree.fromstring(response.data)
    ids = [
        item.findtext("{http://www.w3.org/2005/Atom}id")
        for item in feed.iter()
        if item.tag.endswith("entry")
    ]
    assert len(ids) == 1 and re.search(r"/entries/AIR-00004/versions/1$", ids[0])


def test_a_later_import_is_the_one_the_downloads_show(world, register):
    later = datetime(2025, 9, 1, 8, 0, tzinfo=UTC)
    mark_imported(world, "AIR-00002", US, identifier="DOC-0042-B", link=None, imported_at=later)
    rows = {
        r["reference"]: r for r in csv_rows(fetch(world.client(None).client, "/entries.csv").data)
    }
    assert rows["AIR-00002"]["source_identifier"] == "DOC-0042-B"
    assert rows["AIR-00002"]["imported_at"] == "2025-09-01T08:00:00Z"
    assert rows["AIR-00002"]["source_link"] == US_PAGE


def test_the_data_package_has_a_valid_table_of_sources(world, register, tmp_path):
    response = fetch(world.client(None).client, "/download/register.zip")
    zipfile.ZipFile(io.BytesIO(response.data)).extractall(tmp_path)
    report = Package(str(tmp_path / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:20]
    sources = csv_rows((tmp_path / "sources.csv").read_bytes())
    assert sources == [
        {
            "name": ATRS,
            "link": "https://www.gov.uk/algorithmic-transparency-records",
            "format": "atrs",
            "entries": "1",
            "last_imported_at": "2025-06-02T14:05:09Z",
        },
        {
            "name": US,
            "link": US_PAGE,
            "format": "us-2025",
            "entries": "2",
            "last_imported_at": "2025-06-02T14:05:09Z",
        },
    ]


def test_the_source_filter_reads_no_whole_table(app, register):
    for params in (
        f"source={quote_plus(US)}",
        "source=written_here&status=in_use",
        "q=council&source=written_here",
        "q=council",
        "q=council&status=in_use",
    ):
        with app.app_context():
            search.clear_caches()
        statements = _statements(app, params)
        with app.app_context(), db.engine.connect() as connection:
            if connection.dialect.name == "postgresql":
                connection.exec_driver_sql("SET enable_seqscan = off")
            for statement, parameters in statements:
                plan = _plan(connection, statement, parameters)
                assert not FULL_SCAN.search(plan), f"{statement}\n{plan}"
                assert "Seq Scan on entry_version" not in plan, f"{statement}\n{plan}"
                assert not re.search(r"Seq Scan on entry\b", plan), f"{statement}\n{plan}"


def test_a_search_query_written_back_keeps_its_sources(app, register):
    with app.app_context():
        query, notices = search.parse_query(MultiDict([("source", US), ("source", "written_here")]))
        assert notices == []
        assert query.to_params() == [("source", US), ("source", "written_here")]
        assert db.session.scalar(select(Entry.source).where(Entry.reference == "AIR-00002")) == US


def test_stats_show_entries_by_source_linking_to_the_listing(client_request, register):
    page = client_request.get("/stats")
    section = page.select_one("section#by-source")
    assert section.h2.get_text(strip=True) == "Published entries by source"
    summary = section.select_one("p.govuk-body").get_text(strip=True)
    assert summary == "3 of 4 entries (75%) were imported from 2 other registers."
    rows = {
        row.th.get_text(strip=True): (row.td.get_text(strip=True), row.th.a["href"])
        for row in section.select("tbody tr")
    }
    assert list(rows) == [ATRS, US, "Written on this register"]
    assert rows["Written on this register"] == ("1", "/entries?source=written_here")
    for label, (number, href) in rows.items():
        listing = client_request.get(href)
        heading = listing.select_one("#results-heading").get_text(" ", strip=True)
        assert heading.startswith(f"{number} entr"), (label, heading)

    figures = client_request.client.get("/stats.json").get_json()
    assert figures["by_source"] == [
        {"source": ATRS, "name": ATRS, "entries": 1},
        {"source": US, "name": US, "entries": 2},
        {"source": None, "name": "Written on this register", "entries": 1},
    ]


def test_the_api_counts_entries_by_source(world, register):
    counts = world.client(None).client.get("/api/v1/statistics").get_json()["counts"]
    assert counts["source"] == {ATRS: 1, US: 2, "written_here": 1}


def test_a_register_with_nothing_imported_offers_no_source_filter(client_request, world):
    world.entry("published")
    page = client_request.get("/entries")
    assert not page.select("#filter-source")
    page = client_request.get("/entries?source=written_here")
    assert source_options(page) == {"Written on this register (1)": ("written_here", True)}


# The real samples, imported and published as their sources recorded them --------------------

REAL = Path(__file__).parent / "data" / "real"
US_2025 = "US federal AI use case inventory 2025"
GOVUK = "GOV.UK algorithmic transparency records"


@pytest.fixture
def imported(world, runner):
    """An entry written here, and the US 2025 sample and GOV.UK's finder list imported."""
    world.entry("published")
    for format_name, path in (
        ("us-2025", REAL / "us" / "us-2025-inventory-sample.csv"),
        ("atrs-finder", REAL / "atrs" / "govuk_search_results.json"),
    ):
        result = publish_file(runner, format_name, path)
        assert result.exit_code == 0, result.output
    return world


def public_per_source(app) -> dict[str, int]:
    with app.app_context():
        rows = db.session.execute(
            select(Entry.source, func.count())
            .where(Entry.first_published_at.is_not(None))
            .group_by(Entry.source)
        )
        return {source or "written_here": number for source, number in rows}


def test_imported_samples_are_found_by_source_with_their_provenance(app, imported):
    expected = public_per_source(app)
    assert expected[US_2025] > 30 and expected[GOVUK] > 5 and expected["written_here"] == 1
    client = imported.client(None)
    options = source_options(client.get("/entries"))
    assert options == {
        f"{GOVUK} ({expected[GOVUK]})": (GOVUK, False),
        f"{US_2025} ({expected[US_2025]})": (US_2025, False),
        f"Written on this register ({expected['written_here']})": ("written_here", False),
    }
    sample = csv_rows(
        (REAL / "us" / "us-2025-inventory-sample.csv").read_bytes().lstrip(b"\xef\xbb\xbf")
    )
    identifiers = {row["id"] for row in sample}
    data = fetch(client.client, f"/entries.csv?source={quote_plus(US_2025)}").data
    rows = csv_rows(data)
    assert len(rows) == expected[US_2025]
    for row in rows:
        assert row["source"] == US_2025
        assert row["source_identifier"] in identifiers
        assert row["source_link"].startswith("https://")
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", row["imported_at"])
    records = json_records(fetch(client.client, f"/entries.json?source={quote_plus(GOVUK)}").data)
    assert len(records) == expected[GOVUK]
    for record in records:
        assert record["source_link"].startswith("https://www.gov.uk/")
    everything = json_records(fetch(client.client, "/entries.json").data)
    assert len(everything) == sum(expected.values())
    for record in everything:
        assert EntrySchema().validate(record) == {}, record["reference"]


def test_the_database_writes_the_real_samples_provenance_as_python_would(app, imported):
    test_the_database_writes_the_provenance_columns_as_python_would(app, imported)


def test_the_data_package_lists_the_real_sources(app, imported, tmp_path):
    expected = public_per_source(app)
    response = fetch(imported.client(None).client, "/download/register.zip")
    zipfile.ZipFile(io.BytesIO(response.data)).extractall(tmp_path)
    report = Package(str(tmp_path / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:20]
    sources = {row["name"]: row for row in csv_rows((tmp_path / "sources.csv").read_bytes())}
    assert sorted(sources) == [GOVUK, US_2025]
    assert sources[US_2025]["format"] == "us-2025"
    assert sources[US_2025]["entries"] == str(expected[US_2025])
    assert sources[GOVUK]["link"] == "https://www.gov.uk/algorithmic-transparency-records"
