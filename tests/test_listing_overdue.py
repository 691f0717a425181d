"""The listing's "Review overdue" filter (`review=overdue`): entries past their review date,
in the listing, its counts, /stats, the downloads and the API, never from a stale cache."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import update

from register.extensions import db
from register.models import Entry
from register.search import facets

from .manage_world import WORLD
from .opendata_world import csv_rows, fetch, json_records

world = WORLD


def today() -> date:
    """Today, asked when each test runs: a constant taken when the tests are collected is
    wrong for every test that runs after midnight."""
    return date.today()


OVERDUE = "/entries?review=overdue"


def set_due(app, reference: str, due: date) -> None:
    with app.app_context():
        db.session.execute(
            update(Entry).where(Entry.reference == reference).values(next_review_due=due)
        )
        db.session.commit()


@pytest.fixture
def register(app, world):
    """Public entries AIR-00001 (overdue), AIR-00002 (overdue, a revision in progress),
    AIR-00003 (due today, so not yet overdue) and AIR-00005 (Southvale Police, overdue);
    AIR-00004 was withdrawn after its review date passed."""
    world.entry("published")
    world.entry("revision")
    world.entry("published")
    world.entry("withdrawn")
    world.entry("published", organisation="Southvale Police", author="outside_editor")
    for reference in ("AIR-00001", "AIR-00002", "AIR-00004", "AIR-00005"):
        set_due(app, reference, today() - timedelta(days=1))
    set_due(app, "AIR-00003", today())
    return world


def references(page) -> set[str]:
    return {link["href"].rsplit("/", 1)[-1] for link in page.select(".register-result h3 a")}


def label_of(page, box) -> str:
    return page.select_one(f"label[for={box['id']}]").get_text(strip=True)


def overdue_box(page):
    box = page.select_one("input[name=review][value=overdue]")
    return box, label_of(page, box)


def heading(page) -> str:
    return page.select_one("#results-heading").get_text(" ", strip=True)


def test_the_filter_lists_only_public_entries_past_their_review_date(client_request, register):
    page = client_request.get(OVERDUE)
    assert references(page) == {"AIR-00001", "AIR-00002", "AIR-00005"}
    assert heading(page) == "3 entries"
    box, label = overdue_box(page)
    assert box.has_attr("checked") and label == "Review overdue (3)"
    [tag] = page.select(".register-chosen__tag")
    assert tag.get_text(" ", strip=True) == "Remove Review date: Review overdue ×"
    assert tag["href"] == "/entries"


def test_the_count_beside_the_filter_is_what_choosing_it_finds(client_request, register):
    page = client_request.get("/entries")
    assert references(page) == {"AIR-00001", "AIR-00002", "AIR-00003", "AIR-00005"}
    box, label = overdue_box(page)
    assert not box.has_attr("checked") and label == "Review overdue (3)"
    police = client_request.get("/entries?organisation_type=police")
    assert overdue_box(police)[1] == "Review overdue (1)"
    both = client_request.get("/entries?organisation_type=police&review=overdue")
    assert references(both) == {"AIR-00005"}
    # The other filters' counts are taken with this one applied.
    types = {
        box["value"]: label_of(both, box) for box in both.select("input[name=organisation_type]")
    }
    assert types["local_government"].endswith("(2)") and types["police"].endswith("(1)")


def test_a_review_takes_the_entry_off_the_filtered_listing_at_once(app, client_request, register):
    assert heading(client_request.get(OVERDUE)) == "3 entries"  # now in the caches
    assert overdue_box(client_request.get("/entries"))[1] == "Review overdue (3)"
    publisher = register.client("publisher")
    publisher.post(
        "/manage/entries/AIR-00001/still-accurate",
        {},
        302,
        form_url="/manage/entries/AIR-00001/review-date",
    )
    page = client_request.get(OVERDUE)
    assert references(page) == {"AIR-00002", "AIR-00005"}
    assert overdue_box(page)[1] == "Review overdue (2)"
    assert overdue_box(client_request.get("/entries"))[1] == "Review overdue (2)"

    later = today() + timedelta(days=90)
    publisher.post(
        "/manage/entries/AIR-00002/review-date",
        {"next_review_due": [str(later.day), str(later.month), str(later.year)]},
        302,
    )
    assert references(client_request.get(OVERDUE)) == {"AIR-00005"}


@pytest.mark.parametrize("few_matches", [facets.FEW_MATCHES, 0])
def test_a_search_s_overdue_count_follows_reviews_however_many_it_matches(
    app, client_request, register, monkeypatch, few_matches
):
    # Below the threshold a search counts from its matches; at or above it (set to 0 here,
    # as a register of many entries would be) from the overdue entries kept for the day.
    monkeypatch.setattr(facets, "FEW_MATCHES", few_matches)
    search = "/entries?q=pothole"
    assert references(client_request.get(search)) == {
        "AIR-00001",
        "AIR-00002",
        "AIR-00003",
        "AIR-00005",
    }
    assert overdue_box(client_request.get(search))[1] == "Review overdue (3)"
    assert references(client_request.get(search + "&review=overdue")) == {
        "AIR-00001",
        "AIR-00002",
        "AIR-00005",
    }
    register.client("publisher").post(
        "/manage/entries/AIR-00001/still-accurate",
        {},
        302,
        form_url="/manage/entries/AIR-00001/review-date",
    )
    assert overdue_box(client_request.get(search))[1] == "Review overdue (2)"
    set_due(app, "AIR-00003", today() - timedelta(days=2))
    with app.app_context():
        facets.bump_generation()
        db.session.commit()
    assert overdue_box(client_request.get(search))[1] == "Review overdue (3)"


def test_the_overdue_figure_on_stats_links_to_the_filtered_listing(client_request, register):
    link = client_request.get("/stats").select_one("#overdue-reviews a")
    assert link["href"] == OVERDUE
    assert link.get_text(strip=True) == "3"
    assert heading(client_request.get(link["href"])) == "3 entries"


def test_downloads_and_the_api_honour_the_filter(app, client, register):
    expected = {"AIR-00001", "AIR-00002", "AIR-00005"}
    as_csv = fetch(client, "/entries.csv?review=overdue")
    assert {row["reference"] for row in csv_rows(as_csv.data)} == expected
    as_json = fetch(client, "/entries.json?review=overdue").data
    assert {record["reference"] for record in json_records(as_json)} == expected
    api = client.get("/api/v1/entries?review=overdue").get_json()
    assert api["count"] == 3
    assert {record["reference"] for record in api["entries"]} == expected
    refused = client.get("/api/v1/entries?review=soon")
    assert refused.status_code == 400
    assert refused.get_json()["error"]["parameter"] == "review"

    # A review changes no version, but a download filtered by review is not kept.
    register.client("publisher").post(
        "/manage/entries/AIR-00001/still-accurate",
        {},
        302,
        form_url="/manage/entries/AIR-00001/review-date",
    )
    etag = as_csv.headers["ETag"]
    again = fetch(client, "/entries.csv?review=overdue", headers={"If-None-Match": etag})
    assert again.status_code == 200 and again.headers["ETag"] != etag
    assert {row["reference"] for row in csv_rows(again.data)} == {"AIR-00002", "AIR-00005"}


def test_the_openapi_document_describes_the_filter(client):
    document = client.get("/api/v1/openapi.json").get_json()
    parameters = document["paths"]["/entries"]["get"]["parameters"]
    [review] = [p for p in parameters if p["name"] == "review"]
    assert review["schema"]["items"]["enum"] == ["overdue"]
    assert "review date has passed" in review["description"]
