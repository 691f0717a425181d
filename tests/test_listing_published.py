"""The listing's filter by month of first publication (`published=2025-03`), which the
monthly chart on /stats links to: its entries, its tag, what it refuses, and the API."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import update

from register.extensions import db
from register.models import Entry

from .manage_world import WORLD

world = WORLD


def set_first_published(app, reference: str, moment: datetime) -> None:
    with app.app_context():
        db.session.execute(
            update(Entry).where(Entry.reference == reference).values(first_published_at=moment)
        )
        db.session.commit()


@pytest.fixture
def register(app, world):
    """AIR-00001 first published at the very start of March 2025 (UTC), AIR-00002 at its
    very end, AIR-00003 a moment later (April), AIR-00004 in March but withdrawn, and
    AIR-00005 (Southvale Police) in March."""
    world.entry("published")
    world.entry("revision")
    world.entry("published")
    world.entry("withdrawn")
    world.entry("published", organisation="Southvale Police", author="outside_editor")
    set_first_published(app, "AIR-00001", datetime(2025, 3, 1, tzinfo=UTC))
    set_first_published(app, "AIR-00002", datetime(2025, 3, 31, 23, 59, 59, tzinfo=UTC))
    set_first_published(app, "AIR-00003", datetime(2025, 4, 1, tzinfo=UTC))
    set_first_published(app, "AIR-00004", datetime(2025, 3, 10, tzinfo=UTC))
    set_first_published(app, "AIR-00005", datetime(2025, 3, 15, 12, tzinfo=UTC))
    # The cached counts let go when the register changes: publish another entry.
    world.entry("published")
    return world


def references(page) -> set[str]:
    return {link["href"].rsplit("/", 1)[-1] for link in page.select(".register-result h3 a")}


def heading(page) -> str:
    return page.select_one("#results-heading").get_text(" ", strip=True)


def test_the_filter_lists_public_entries_first_published_that_month(client_request, register):
    page = client_request.get("/entries?published=2025-03")
    assert references(page) == {"AIR-00001", "AIR-00002", "AIR-00005"}
    assert heading(page) == "3 entries"
    [tag] = page.select(".register-chosen__tag")
    assert tag.get_text(" ", strip=True) == "Remove First published: March 2025 ×"
    assert tag["href"] == "/entries"
    # No checkboxes for it: the form carries the month unseen, with the other filters.
    assert not page.select("input[type=checkbox][name=published]")
    assert not page.select("#filter-published")
    [carried] = page.select("form input[type=hidden][name=published]")
    assert carried["value"] == "2025-03"
    assert references(client_request.get("/entries?published=2025-04")) == {"AIR-00003"}
    both = client_request.get("/entries?published=2025-03&published=2025-04")
    assert heading(both) == "4 entries"
    police = client_request.get("/entries?published=2025-03&organisation_type=police")
    assert references(police) == {"AIR-00005"}


def test_the_count_for_a_month_is_the_chart_s(client_request, register):
    per_month = client_request.client.get("/stats.json").get_json()["published_per_month"]
    assert per_month["2025-03"] == 3 and per_month["2025-04"] == 1
    for month, number in per_month.items():
        page = client_request.get(f"/entries?published={month}")
        assert len(references(page)) == number, month
        api = client_request.client.get(f"/api/v1/entries?published={month}").get_json()
        assert api["count"] == number, month


NOT_MONTHS = ["2025-13", "abc", "2025", "2025-3", "0000-01", "9999-12", "２０２５-03"]


@pytest.mark.parametrize("value", NOT_MONTHS)
def test_what_is_not_a_month_is_left_out_with_a_notice(client_request, register, value):
    page = client_request.get(f"/entries?published={value}")
    assert heading(page) == "5 entries"  # every public entry: the filter was not used
    notice = page.select_one("#search-notices").get_text(" ", strip=True)
    assert f"“{value}” is not a month" in notice
    assert not page.select(".register-chosen__tag")
    assert not page.select("form input[name=published]")


@pytest.mark.parametrize("value", ["2025-13", "abc", "2025"])
def test_the_api_refuses_what_is_not_a_month(client, register, value):
    refused = client.get(f"/api/v1/entries?published={value}")
    assert refused.status_code == 400
    assert refused.get_json()["error"]["parameter"] == "published"


def test_the_openapi_document_describes_the_filter(client):
    document = client.get("/api/v1/openapi.json").get_json()
    parameters = document["paths"]["/entries"]["get"]["parameters"]
    [published] = [p for p in parameters if p["name"] == "published"]
    assert "YYYY-MM" in published["description"]
