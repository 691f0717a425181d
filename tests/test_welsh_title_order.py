"""Sorted by title, a page in Welsh lists entries in the order of the titles it shows: the
Welsh title where an entry has one, else the English. English pages, downloads and the API
keep the English order, the same files whatever page links to them."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl

import pytest
from sqlalchemy import event
from werkzeug.datastructures import MultiDict

from register import search
from register.extensions import db

from .factories import publishable_values
from .manage_world import WORLD
from .test_welsh_answers import TITLE, TITLE_CY, _result_links, _text, _welsh_entry

world = WORLD

BINS = "Bin collection rounds"
COUNCIL_TAX = "Council tax chatbot"
YOUTH = "Youth services planner"
# In English: bins, council tax, potholes (TITLE), youth. In Welsh the pothole entry's title,
# "Brysbennu ...", comes between bins and council tax. The titles differ by their first
# letters, all capitals, so that every collation (SQLite's binary one, the PostgreSQL
# database's own) orders them alike, as the English sort's tests rely on too.
WELSH_ORDER = [BINS, TITLE_CY, COUNCIL_TAX, YOUTH]
ENGLISH_ORDER = [BINS, COUNCIL_TAX, TITLE, YOUTH]


def _register(world) -> None:
    """Four published entries: one with a Welsh title, two in English only, and one whose
    Welsh title is spaces alone (which is no Welsh title)."""
    _welsh_entry(world, title=TITLE, title_cy=TITLE_CY)
    for title in (COUNCIL_TAX, BINS):
        world.entry("published", values=publishable_values(title=title))
    world.entry("published", values=publishable_values(title=YOUTH, title_cy="   "))


def _titles(page) -> list[str]:
    return [_text(link) for link in _result_links(page)]


def test_sorted_by_title_a_welsh_page_lists_the_titles_it_shows_in_order(world):
    _register(world)
    page = world.client(None).get("/cy/entries?sort=title")

    assert _titles(page) == WELSH_ORDER
    # English titles shown on the Welsh page are marked as English.
    langs = {_text(link): link.get("lang") for link in _result_links(page)}
    assert langs == {BINS: "en", TITLE_CY: None, COUNCIL_TAX: "en", YOUTH: "en"}


def test_sorted_by_title_an_english_page_keeps_the_english_order(world):
    _register(world)
    page = world.client(None).get("/entries?sort=title")

    assert _titles(page) == ENGLISH_ORDER


def test_the_welsh_order_holds_across_pages(world):
    _register(world)
    reader = world.client(None)

    pages = [reader.get(f"/cy/entries?sort=title&page_size=1&page={n}") for n in (1, 2, 3, 4)]
    assert [title for page in pages for title in _titles(page)] == WELSH_ORDER
    english = [reader.get(f"/entries?sort=title&page_size=3&page={n}") for n in (1, 2)]
    assert [title for page in english for title in _titles(page)] == ENGLISH_ORDER


def test_the_organisation_page_sorted_by_title_in_welsh_lists_the_welsh_order(world):
    _register(world)
    page = world.client(None).get("/cy/organisations/northshire-county-council?sort=title")

    assert _titles(page) == WELSH_ORDER


def test_a_suppliers_welsh_page_lists_each_organisations_entries_in_the_welsh_order(world):
    bought = {"built_by": "external_supplier", "supplier_name": "Roadscan Vision Ltd"}
    _welsh_entry(world, title=TITLE, title_cy=TITLE_CY, **bought)
    for title in (COUNCIL_TAX, BINS):
        world.entry("published", values=publishable_values(title=title, **bought))
    reader = world.client(None)

    def listed(address: str) -> list[str]:
        page = reader.get(address)
        return [
            _text(link) for link in page.select("main li a[href^='/']") if "AIR-" in link["href"]
        ]

    assert listed("/cy/suppliers/roadscan-vision-ltd") == [BINS, TITLE_CY, COUNCIL_TAX]
    assert listed("/suppliers/roadscan-vision-ltd") == [BINS, COUNCIL_TAX, TITLE]


def test_downloads_sorted_by_title_are_the_same_from_a_welsh_page(world):
    _register(world)
    client = world.client(None).client

    for address in ("/entries.csv?sort=title", "/entries.json?sort=title"):
        english = client.get(address)
        welsh = client.get(f"/cy{address}")
        assert english.status_code == welsh.status_code == 200, address
        assert welsh.get_data() == english.get_data(), address
    rows = client.get("/entries.csv?sort=title").get_data(as_text=True).splitlines()[1:]
    firsts = [next(title for title in ENGLISH_ORDER if title in row) for row in rows]
    assert firsts == ENGLISH_ORDER
    api = client.get("/api/v1/entries?sort=title").json
    assert [item["title"] for item in api["entries"]] == ENGLISH_ORDER


def _plans_of_the_order(app, params: str, language: str) -> list[str]:
    """How the database would run the statements of one listing page in `language` that
    put its entries in order by title."""
    seen: list[tuple[str, object]] = []

    def collect(connection, cursor, statement, parameters, context, executemany) -> None:
        seen.append((statement, parameters))

    with app.app_context():
        search.clear_caches()
        event.listen(db.engine, "before_cursor_execute", collect)
        try:
            query, _ = search.parse_query(MultiDict(parse_qsl(params)))
            search.run(query, language=language)
        finally:
            event.remove(db.engine, "before_cursor_execute", collect)
        with db.engine.connect() as connection:
            sqlite = connection.dialect.name == "sqlite"
            if not sqlite:
                # With a handful of rows any plan is cheap: ask whether an index could give
                # the order, and the page be read from it without sorting.
                for way in ("seqscan", "bitmapscan", "sort"):
                    connection.exec_driver_sql(f"SET enable_{way} = off")
            plans = []
            for statement, parameters in seen:
                if not re.search(r"ORDER BY .*title", statement, re.DOTALL):
                    continue
                explain = "EXPLAIN QUERY PLAN" if sqlite else "EXPLAIN"
                rows = connection.exec_driver_sql(f"{explain} {statement}", parameters)
                plans.append("\n".join(str(row[-1] if sqlite else row[0]) for row in rows))
    return plans


@pytest.mark.parametrize(
    ("language", "index"),
    [("cy", "ix_entry_version_current_title_cy"), ("en", "ix_entry_version_current_title")],
)
def test_a_page_sorted_by_title_walks_its_languages_index_without_sorting(
    app, world, language, index
):
    _register(world)
    (plan,) = _plans_of_the_order(app, "sort=title", language)

    assert re.search(rf"\b{index}\b", plan), plan
    assert "TEMP B-TREE" not in plan and "Sort" not in plan, plan
