"""The organisations in the register, and each organisation's page of entries."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest

from .manage_world import WORLD
from .search_corpus import built

world = WORLD


@pytest.fixture
def corpus(world) -> dict[str, str]:
    return built(world)


def rows(page) -> list[tuple[str, ...]]:
    return [
        tuple(cell.get_text(strip=True) for cell in row.select("th, td"))
        for row in page.select("main tbody tr")
    ]


def test_organisations_are_listed_with_their_number_of_published_entries(client_request, corpus):
    page = client_request.get("/organisations")
    assert rows(page) == [
        ("Northshire County Council", "Local authority", "5"),
        ("Southvale Police", "Police force", "1"),
    ]
    link = page.find("a", string="Southvale Police")
    assert link["href"] == "/organisations/southvale-police"


def test_organisations_can_be_narrowed_by_type(client_request, corpus):
    page = client_request.get("/organisations?organisation_type=police")
    assert rows(page) == [("Southvale Police", "Police force", "1")]
    box = page.select_one("input[name=organisation_type][value=police]")
    assert box.has_attr("checked")
    label = page.select_one(f"label[for={box['id']}]").get_text(strip=True)
    assert label == "Police force (1)"
    assert "1 organisation" in page.select_one("#organisations-heading").get_text(strip=True)


def test_an_unknown_type_is_left_out_with_a_notice(client_request, corpus):
    page = client_request.get("/organisations?organisation_type=club&organisation_type=police")
    assert rows(page) == [("Southvale Police", "Police force", "1")]
    assert "“club” is not a type of organisation" in page.select_one("main").get_text()


def test_a_type_with_no_organisations_says_so(client_request, corpus):
    page = client_request.get("/organisations?organisation_type=regulator")
    assert rows(page) == []
    assert "There are no organisations of that type" in page.select_one("main").get_text()


def test_an_organisation_s_page_shows_its_details_and_only_its_entries(client_request, corpus):
    page = client_request.get("/organisations/southvale-police")
    assert page.select_one("h1").get_text(strip=True) == "Southvale Police"
    details = page.select_one("dl.govuk-summary-list").get_text(" ", strip=True)
    assert "Type Police force" in details
    assert "Published entries 1" in details
    assert [a.get_text(strip=True) for a in page.select(".register-result h3 a")] == [
        "Burglary hotspot prediction"
    ]
    # The organisation is the page's: it is not offered as a filter, nor is its type.
    assert not page.select("input[name=organisation], input[name=organisation_type]")
    assert page.select_one("main form")["action"] == "/organisations/southvale-police"


def test_an_organisation_s_entries_can_be_searched_and_filtered_on_its_page(client_request, corpus):
    page = client_request.get("/organisations/northshire-county-council?q=chat&status=pilot")
    assert [a.get_text(strip=True) for a in page.select(".register-result h3 a")] == [
        "Council tax chatbot"
    ]
    tags = {t.get_text(" ", strip=True): t["href"] for t in page.select(".register-chosen__tag")}
    removal = urlsplit(tags["Remove Status: Pilot ×"])
    assert removal.path == "/organisations/northshire-county-council"
    assert parse_qsl(removal.query) == [("q", "chat")]
    downloads = [a["href"] for a in page.select("main a[href^='/entries.csv']")]
    assert downloads == ["/entries.csv?q=chat&organisation=northshire-county-council&status=pilot"]


def test_another_organisation_in_the_address_does_not_change_the_page(client_request, corpus):
    page = client_request.get(
        "/organisations/southvale-police?organisation=northshire-county-council"
        "&organisation_type=local_government"
    )
    assert [a.get_text(strip=True) for a in page.select(".register-result h3 a")] == [
        "Burglary hotspot prediction"
    ]


def test_an_organisation_with_nothing_published_has_a_page_that_says_so(
    client_request, make_organisation
):
    make_organisation("Eastmoor Fire and Rescue Service", "fire_rescue")
    page = client_request.get("/organisations/eastmoor-fire-and-rescue-service")
    text = page.select_one("main").get_text(" ", strip=True)
    assert "Published entries 0" in text
    assert "0 entries" in text


def test_an_unknown_organisation_is_not_found(client_request):
    client_request.get("/organisations/nowhere", expected_status=404)


@pytest.mark.parametrize(
    "params", ["page=-3", "sort=bogus", "q=NEAR(", "status=bogus", "page_size=abc"]
)
def test_any_query_string_gives_an_organisation_page(client_request, corpus, params):
    client_request.get(f"/organisations/southvale-police?{params}")
    client_request.get(f"/organisations?{params}")
