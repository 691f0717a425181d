"""The public listing at /entries, as a visitor meets it."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest

from register import demo, search

from .manage_world import WORLD
from .public_entries import counted_statements
from .search_corpus import VISIBLE, built

world = WORLD


@pytest.fixture
def corpus(world) -> dict[str, str]:
    return built(world)


def titles(page) -> list[str]:
    return [link.get_text(strip=True) for link in page.select(".register-result h3 a")]


def params_of(href: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(href).query)


def test_the_listing_shows_every_published_entry_with_what_it_is(client_request, corpus):
    page = client_request.get("/entries")
    assert page.select_one("h1").get_text(strip=True) == "Entries"
    assert page.select_one("#results-heading").get_text(" ", strip=True) == "6 entries"
    assert len(titles(page)) == len(VISIBLE)
    first = page.select_one(".register-result")
    link = first.select_one("h3 a")
    assert link["href"] == f"/entries/{corpus['revision']}"
    assert link.get_text(strip=True) == "Library opening hours assistant"
    details = first.select_one(".register-result__details").get_text(" ", strip=True)
    assert "Status In use" in details and "Policy area Economic affairs" in details
    assert "Last updated" in details
    assert first.select_one(".register-result__organisation").get_text(strip=True) == (
        "Northshire County Council"
    )


def test_a_retired_tool_says_so_in_the_list(client_request, corpus):
    page = client_request.get("/entries?q=burglary")
    assert page.select_one(".register-result .govuk-tag").get_text(strip=True) == "Retired"


def test_the_form_sends_the_search_the_filters_and_the_sort_by_get(client_request, corpus):
    page = client_request.get("/entries?q=predicting&risk_level=high")
    form = page.select_one("main form")
    assert form["method"] == "get" and form["action"] == "/entries"
    assert page.select_one("input#q")["value"] == "predicting"
    checked = [(box["name"], box["value"]) for box in form.select("input[type=checkbox][checked]")]
    assert checked == [("risk_level", "high")]
    labels = {
        box["value"]: page.select_one(f"label[for={box['id']}]").get_text(strip=True)
        for box in form.select("input[name=status]")
    }
    assert labels["retired"] == "Retired (1)" and labels["in_use"] == "In use (1)"
    assert labels["pilot"] == "Pilot (0)"
    options = [(o["value"], o.get_text(strip=True)) for o in form.select("select#sort option")]
    assert options == [("", "Relevance"), ("updated", "Most recently updated"), ("title", "Title")]
    assert form.select_one("select#sort option[selected]")["value"] == ""


def test_the_same_filters_read_in_the_language_of_each_page(client_request, corpus):
    # Filters are kept as rendered, so the English page asked first must not answer the Welsh.
    address = "entries?q=predicting&risk_level=high"
    english = client_request.get(f"/{address}")
    welsh = client_request.get(f"/cy/{address}")
    group = "#filter-risk_level"
    summary = f"{group} .govuk-details__summary-text"
    assert english.select_one(summary).get_text(" ", strip=True).endswith("(1 chosen)")
    assert welsh.select_one(summary).get_text(" ", strip=True).endswith("(1 wedi’u dewis)")
    again = client_request.get(f"/{address}")
    assert str(again.select_one(group)) == str(english.select_one(group))


def test_without_words_the_usual_order_is_the_most_recently_updated(client_request, corpus):
    page = client_request.get("/entries?sort=title")
    options = [(o["value"], o.get_text(strip=True)) for o in page.select("select#sort option")]
    assert options == [("", "Most recently updated"), ("title", "Title")]
    assert page.select_one("select#sort option[selected]")["value"] == "title"


def test_chosen_filters_are_links_that_remove_one_choice(client_request, corpus):
    page = client_request.get("/entries?q=predicting&status=in_use&status=retired&page=1")
    tags = {
        tag.get_text(" ", strip=True): tag["href"] for tag in page.select(".register-chosen__tag")
    }
    assert set(tags) == {
        "Remove Search: predicting ×",
        "Remove Status: In use ×",
        "Remove Status: Retired ×",
    }
    assert params_of(tags["Remove Status: In use ×"]) == [
        ("q", "predicting"),
        ("status", "retired"),
    ]
    assert params_of(tags["Remove Search: predicting ×"]) == [
        ("status", "in_use"),
        ("status", "retired"),
    ]
    clear = page.find("a", string="Clear your search and filters")
    assert clear["href"] == "/entries"


def test_the_download_links_carry_the_same_search(client_request, corpus):
    page = client_request.get("/entries?status=in_use&sort=title&page=2&page_size=2")
    links = {a.get_text(strip=True): a["href"] for a in page.select("main a[href*='/entries.']")}
    assert links == {
        "Download these results as CSV": "/entries.csv?status=in_use&sort=title",
        "Download these results as JSON": "/entries.json?status=in_use&sort=title",
    }


def test_pages_of_results_link_to_each_other(client_request, corpus):
    page = client_request.get("/entries?sort=title&page_size=2&page=2")
    assert titles(page) == ["Home care demand forecasting", "Library opening hours assistant"]
    assert "Showing 3 to 4, page 2 of 3" in page.select_one("main").get_text(" ", strip=True)
    pagination = page.select_one("nav.govuk-pagination")
    previous = pagination.select_one(".govuk-pagination__prev a")["href"]
    following = pagination.select_one(".govuk-pagination__next a")["href"]
    assert params_of(previous) == [("sort", "title"), ("page_size", "2")]
    assert params_of(following) == [("sort", "title"), ("page", "3"), ("page_size", "2")]
    current = pagination.select_one("[aria-current=page]")
    assert current.get_text(strip=True) == "2"
    # The form keeps the page size, and starts again from the first page.
    assert page.select_one("input[type=hidden][name=page_size]")["value"] == "2"
    assert page.select_one("input[name=page]") is None


def test_a_search_that_finds_nothing_says_what_to_try(client_request, corpus):
    page = client_request.get("/entries?q=zeppelin&status=pilot")
    text = page.select_one("main").get_text(" ", strip=True)
    assert "0 entries" in text
    assert "No entries match your search." in text
    assert "check the spelling" in text
    assert page.find("a", string="clear your search and filters")["href"] == "/entries"
    assert not page.select(".register-result")
    assert "Download these results" not in text


def test_an_empty_register_says_it_has_no_entries(client_request):
    page = client_request.get("/entries")
    assert "0 entries" in page.select_one("main").get_text(" ", strip=True)


def test_a_page_after_the_last_says_so_and_links_back(client_request, corpus):
    page = client_request.get("/entries?page=99999999")
    text = page.select_one("main").get_text(" ", strip=True)
    assert "There is no page 99,999,999: the results fill 1 page." in text
    assert page.find("a", string="Go to the last page")["href"] == "/entries"


BAD_INPUT = [
    "page=0",
    "page=-3",
    "page=abc",
    "page=1e9",
    "page=99999999",
    "page=" + "9" * 5000,
    "page=1&page=2",
    "page_size=0",
    "page_size=100000",
    "sort=bogus",
    "sort=title&sort=bogus",
    "status=bogus",
    "status=in_use&status=in_use&status=in_use",
    "organisation=nowhere",
    "techniques=" + "x" * 3000,
    "q=%22open+quote",
    "q=*",
    "q=NEAR(chatbot",
    "q=AND+OR+NOT",
    "q=chat*+-bot+title:x+(a|b)",
    "q=%27;+DROP+TABLE+entry;+--",
    "q=1%27+OR+%271%27=%271",
    "q=" + "chatbot+" * 300,
    "q=" + "x" * 2000,
    "q=%ff%fe%fd",
    "q=%C3%28",
    "q=a&q=b&q=c",
    "unknown=1",
    "=&&=",
]


@pytest.mark.parametrize("params", BAD_INPUT)
def test_any_query_string_gives_a_page(client_request, corpus, params):
    page = client_request.get(f"/entries?{params}")
    assert page.select_one("#results-heading")


def test_a_null_character_is_refused_before_the_search_sees_it(client, corpus):
    assert client.get("/entries?q=%00").status_code == 400


def test_what_could_not_be_used_is_said_on_the_page(client_request, corpus):
    page = client_request.get("/entries?status=sideways&page=0&sort=bogus")
    notices = [p.get_text(strip=True) for p in page.select("#search-notices p")]
    assert notices == [
        "“sideways” is not a known status, so that filter was not used.",
        "Results cannot be sorted by “bogus”, so they are in the usual order.",
        "There is no page “0”, so this is the first page.",
    ]
    assert len(titles(page)) == len(VISIBLE)


def test_the_count_of_statements_does_not_grow_with_the_results_on_a_page(app, client):
    with app.app_context():
        demo.load(60, seed=7)
    counts = {}
    for params in ("", "q=council", "status=in_use&risk_level=low", "sort=title"):
        for size in (5, 50):
            url = f"/entries?{params}&page_size={size}"
            with app.app_context():
                search.clear_caches()
            with counted_statements(app) as cold:
                assert client.get(url).status_code == 200
            with counted_statements(app) as warm:
                assert client.get(url).status_code == 200
            counts[params, size] = (len(cold), len(warm))
        assert counts[params, 5] == counts[params, 50], (params, counts)
        cold, warm = counts[params, 5]
        assert warm < cold <= 20, counts
