"""Who has recorded what: the coverage page, its JSON twin, the coverage table of the data
package, and how complete each organisation's record is on its own page."""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta

import pytest
from sqlalchemy import event

from register import coverage
from register.extensions import db
from register.views import organisations

from .manage_world import WORLD
from .opendata_world import csv_rows, fetch
from .test_listing_overdue import set_due

world = WORLD


@pytest.fixture
def register(app, world, make_organisation):
    """Northshire County Council has two public entries, one overdue for review, and a
    withdrawn one; Southvale Police has only a draft; Eastmoor Fire and Rescue and
    Westvale District Council have nothing at all."""
    world.entry("published")
    world.entry("published")
    world.entry("withdrawn")
    world.entry("draft", organisation="Southvale Police", author="outside_editor")
    set_due(app, "AIR-00001", date.today() - timedelta(days=1))
    make_organisation("Eastmoor Fire and Rescue", "fire_rescue")
    make_organisation("Westvale District Council", "local_government")
    return world


def rows(page, table: str) -> list[tuple[str, ...]]:
    return [
        tuple(cell.get_text(" ", strip=True) for cell in row.select("th, td"))
        for row in page.select(f"#{table} tbody tr")
    ]


def test_the_page_lists_organisations_that_have_recorded_nothing_public(client_request, register):
    page = client_request.get("/coverage")
    # Southvale Police's draft is not public, so it has recorded nothing as far as anyone
    # outside can tell; Northshire's withdrawn entry does not count, its two others do.
    assert rows(page, "recorded-nothing") == [
        ("Eastmoor Fire and Rescue", "Fire and rescue service", "Not given"),
        ("Southvale Police", "Police force", "Not given"),
        ("Westvale District Council", "Local authority", "Not given"),
    ]
    assert page.select_one("#coverage-summary").get_text(" ", strip=True) == (
        "1 of 4 organisations have published at least one entry."
    )
    link = page.find("a", string="Southvale Police")
    assert link["href"] == "/organisations/southvale-police"


def test_the_page_counts_organisations_by_type(client_request, register):
    page = client_request.get("/coverage")
    assert rows(page, "by-type") == [
        ("Local authority", "2", "1", "1", "1"),
        ("Police force", "1", "0", "1", "0"),
        ("Fire and rescue service", "1", "0", "1", "0"),
    ]
    headers = [th.get_text(strip=True) for th in page.select("#by-type thead th")]
    assert headers == [
        "Type",
        "Organisations",
        "Recorded something",
        "Recorded nothing",
        "With overdue reviews",
    ]


def test_the_page_lists_organisations_with_entries_overdue_for_review(client_request, register):
    page = client_request.get("/coverage")
    [row] = rows(page, "overdue-reviews")
    assert row[:3] == ("Northshire County Council", "Local authority", "2")
    assert row[3].startswith("1")
    link = page.select_one("#overdue-reviews tbody td a")
    assert link["href"] == "/entries?organisation=northshire-county-council&review=overdue"


def test_the_page_narrows_to_one_type_and_says_when_a_type_is_unknown(client_request, register):
    page = client_request.get("/coverage?organisation_type=local_government")
    assert rows(page, "recorded-nothing") == [
        ("Westvale District Council", "Local authority", "Not given")
    ]
    assert page.select_one("#organisation-type option[selected]")["value"] == "local_government"
    page = client_request.get("/coverage?organisation_type=club")
    assert len(rows(page, "recorded-nothing")) == 3
    assert "“club” is not a type of organisation" in page.select_one("main").get_text()


def test_organisations_that_have_recorded_nothing_come_a_page_at_a_time(
    client_request, register, monkeypatch
):
    monkeypatch.setattr(organisations, "COVERAGE_PAGE_SIZE", 2)
    first = client_request.get("/coverage")
    assert [row[0] for row in rows(first, "recorded-nothing")] == [
        "Eastmoor Fire and Rescue",
        "Southvale Police",
    ]
    assert first.select_one(".govuk-pagination__next a")["href"] == "/coverage?page=2"
    second = client_request.get("/coverage?page=2")
    assert [row[0] for row in rows(second, "recorded-nothing")] == ["Westvale District Council"]
    assert "(page 2 of 2)" in second.title.get_text()
    # A page that is not a number, or past the last, shows the nearest page there is.
    assert rows(client_request.get("/coverage?page=x"), "recorded-nothing") == rows(
        first, "recorded-nothing"
    )
    assert rows(client_request.get("/coverage?page=99"), "recorded-nothing") == rows(
        second, "recorded-nothing"
    )


def test_every_organisation_is_counted_in_one_statement(app, register, make_organisation):
    for number in range(5):
        make_organisation(f"Parish council {number}", "local_government")
    statements: list[str] = []

    def note(*args) -> None:
        statements.append(args[2])

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", note)
        try:
            found = coverage.every_organisation(date.today())
        finally:
            event.remove(db.engine, "before_cursor_execute", note)
    assert len(found) == 9
    assert len(statements) == 1


def test_the_coverage_is_open_data_as_json(client_request, register):
    response = client_request.client.get("/coverage.json")
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    found = response.get_json()
    assert found["as_of"] == date.today().isoformat()
    by_slug = {o["slug"]: o for o in found["organisations"]}
    assert by_slug["northshire-county-council"] == {
        "slug": "northshire-county-council",
        "name": "Northshire County Council",
        "type": "local_government",
        "identifier": None,
        "identifier_scheme": None,
        "published_entries": 2,
        "overdue_reviews": 1,
    }
    assert by_slug["southvale-police"]["published_entries"] == 0
    assert found["by_type"][0] == {
        "type": "local_government",
        "organisations": 2,
        "recorded": 1,
        "recorded_nothing": 1,
        "with_overdue_reviews": 1,
    }


def test_the_data_package_covers_every_organisation(register):
    response = fetch(register.client(None).client, "/download/register.zip")
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.data)) as package:
        table = csv_rows(package.read("coverage.csv"))
        organisations_table = csv_rows(package.read("organisations.csv"))
    assert [(row["slug"], row["published_entries"]) for row in table] == [
        ("eastmoor-fire-and-rescue", "0"),
        ("northshire-county-council", "2"),
        ("southvale-police", "0"),
        ("westvale-district-council", "0"),
    ]
    assert set(table[0]) == {
        "slug",
        "name",
        "type",
        "identifier",
        "identifier_scheme",
        "published_entries",
    }
    # The organisations table still lists only those with entries.
    assert [row["slug"] for row in organisations_table] == ["northshire-county-council"]


def test_an_organisation_s_page_says_how_complete_its_record_is(client_request, register):
    page = client_request.get("/organisations/northshire-county-council")
    record = page.select_one("#record-completeness")
    text = record.get_text(" ", strip=True)
    assert "Entries overdue for review 1 of 2" in text
    link = record.find("a", string="1 of 2")
    assert link["href"] == "/entries?organisation=northshire-county-council&review=overdue"
    # Its entries are the register's only public ones, so its average is the register's.
    stats = client_request.get("/stats")
    average = stats.select_one("#average-completeness").get_text(" ", strip=True)
    assert average.endswith("of the required and recommended questions answered")
    assert f"Average completeness {average}" in text


def test_an_organisation_that_has_recorded_nothing_says_so(client_request, register):
    page = client_request.get("/organisations/southvale-police")
    text = page.select_one("#record-completeness").get_text(" ", strip=True)
    assert text.startswith("Recorded Nothing yet: Southvale Police has not published an entry")
    assert page.select_one("#record-completeness a")["href"] == "/coverage"


def test_the_coverage_page_is_linked_from_the_organisations_page_and_stats(
    client_request, register
):
    for url in ("/organisations", "/stats"):
        link = client_request.get(url).find("a", string="Who has recorded what")
        assert link["href"] == "/coverage", url
