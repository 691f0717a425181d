"""The public reading pages in Welsh: searching the listing, the statistics, the open data
page and an entry's page, as someone reading /cy/... sees them. The English pages keep their
English (their own tests check every word)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from .factories import publishable_values
from .manage_world import WORLD
from .public_entries import revise
from .search_corpus import built

world = WORLD


@pytest.fixture
def corpus(world) -> dict[str, str]:
    return built(world)


def _welsh(page):
    assert page.find("html")["lang"] == "cy"
    return page


def _text(element) -> str:
    return element.get_text(" ", strip=True)


def test_a_welsh_search_shows_its_count_filters_and_sort_in_welsh(client_request, corpus):
    page = _welsh(client_request.get("/cy/entries?q=predicting&sort=title&page_size=1"))

    assert _text(page.select_one("h1")) == "Cofnodion"
    assert page.title.get_text(strip=True).startswith(
        "Cofnodion sy’n cyfateb i “predicting” (tudalen 1 o 2) – "
    )
    assert _text(page.select_one("#results-heading")) == "2 gofnod"
    assert _text(page.select_one("label[for=q]")) == "Chwilio cofnodion"
    assert _text(page.select_one(".register-search__button")) == "Chwilio"
    assert _text(page.select_one("main h2.govuk-heading-m")) == "Hidlo"
    assert _text(page.select_one("#apply-filters")) == "Defnyddio hidlwyr"
    assert _text(page.select_one(".register-chosen h2")) == "Eich chwiliad a’ch hidlwyr"
    tag = page.select_one(".register-chosen__tag")
    assert _text(tag) == "Dileu Chwilio: predicting ×"
    assert _text(page.select_one("label[for=sort]")) == "Trefnu yn ôl"
    options = [o.get_text(strip=True) for o in page.select("select#sort option")]
    assert options == ["Perthnasedd", "Diweddarwyd yn fwyaf diweddar", "Teitl"]
    details = _text(page.select_one(".register-result__details"))
    assert "Statws" in details and "Maes polisi" in details and "Cyfeirnod" in details

    # Every link a reader follows stays in Welsh; the downloads are the same files as ever.
    result = page.select_one(".register-result h3 a")
    assert result["href"].startswith("/cy/entries/AIR-")
    assert page.select_one("main form")["action"] == "/cy/entries"
    assert tag["href"].startswith("/cy/entries")
    pages = page.select_one("nav.govuk-pagination")
    assert pages["aria-label"] == "Tudalennau o ganlyniadau"
    following = pages.select_one("a[rel=next]")
    assert _text(following) == "Nesaf"
    assert urlsplit(following["href"]).path == "/cy/entries"
    assert [a["aria-label"] for a in pages.select(".govuk-pagination__item a")] == [
        "Tudalen 1",
        "Tudalen 2",
    ]
    downloads = [a["href"] for a in page.select("main a") if "Lawrlwytho" in _text(a)]
    assert [urlsplit(href).path for href in downloads] == ["/entries.csv", "/entries.json"]


def test_a_welsh_search_that_finds_nothing_says_what_to_try_in_welsh(client_request, corpus):
    page = _welsh(client_request.get("/cy/entries?q=zeppelin"))
    assert _text(page.select_one("#results-heading")) == "0 cofnod"
    main = _text(page.select_one("main"))
    assert "Nid oes cofnodion yn cyfateb i’ch chwiliad." in main
    assert "wirio sillafiad eich geiriau chwilio" in main
    clear = page.find("a", string="clirio’ch chwiliad a’ch hidlwyr")
    assert clear["href"] == "/cy/entries"
    assert _text(clear.parent) == "clirio’ch chwiliad a’ch hidlwyr i weld pob cofnod"


def test_the_english_search_keeps_govuk_s_own_pagination_texts(client_request, corpus):
    page = client_request.get("/entries?q=predicting&sort=title&page_size=1")
    assert page.find("html")["lang"] == "en"
    assert _text(page.select_one("#results-heading")) == "2 entries"
    pages = page.select_one("nav.govuk-pagination")
    assert pages["aria-label"] == "Pages of results"
    assert _text(pages.select_one("a[rel=next]")) == "Next page"
    assert pages.select_one(".govuk-pagination__item a")["aria-label"] == "Page 1"


def test_the_welsh_statistics_are_headed_and_explained_in_welsh(client_request, corpus):
    page = _welsh(client_request.get("/cy/stats"))
    assert _text(page.select_one("h1")) == "Ystadegau"
    assert page.title.get_text(strip=True).startswith("Ystadegau – ")
    assert _text(page.select_one("#at-a-glance")) == "Cipolwg"
    keys = [_text(dt) for dt in page.select(".govuk-summary-list__key")]
    assert keys[:2] == ["Cofnodion wedi’u cyhoeddi", "Sefydliadau â chofnodion cyhoeddedig"]
    assert _text(page.select_one("#by-source-title")) == "Cofnodion cyhoeddedig yn ôl ffynhonnell"
    assert _text(page.select_one("#per-month-title")) == "Cofnodion a gyhoeddwyd gyntaf bob mis"
    assert _text(page.select_one("#withheld-answers-title")) == "Atebion a ddaliwyd yn ôl"
    assert _text(page.select_one("#by-source p")) == (
        "Cafodd pob cofnod cyhoeddedig ei ysgrifennu ar y gofrestr hon."
    )
    headers = [_text(th) for th in page.select("#by-source thead th")]
    assert headers == ["Ffynhonnell", "Cofnodion", "Cyfran"]
    # A name in a table leads to the Welsh listing, filtered that way.
    assert page.select_one("#top-organisations tbody a")["href"].startswith(
        "/cy/entries?organisation="
    )


def test_a_welsh_entry_page_has_its_frame_in_welsh(world):
    reference = world.entry("published")
    revise(world, reference, {"title": "Pothole report triage"})
    browser = world.client(None)
    page = _welsh(browser.get(f"/cy/entries/{reference}"))

    crumbs = page.select_one("nav.govuk-breadcrumbs")
    assert crumbs["aria-label"] == "Briwsion bara"
    assert [_text(a) for a in crumbs.select("a")] == ["Hafan", "Cofnodion"]
    assert [a["href"] for a in crumbs.select("a")] == ["/cy/", "/cy/entries"]
    assert _text(page.select_one("#at-a-glance .govuk-summary-card__title")) == "Cipolwg"
    assert _text(page.select_one("#entry-details .govuk-summary-card__title")) == (
        "Am y cofnod hwn"
    )
    links = [_text(a) for a in page.select("ul.register-no-print a")]
    assert "Pob fersiwn gyhoeddedig o’r cofnod hwn" in links
    assert "Beth newidiodd yn fersiwn 2" in links
    assert _text(page.select_one("#feedback-heading")) == "A oedd y cofnod hwn yn ddefnyddiol?"
    answers = [_text(button) for button in page.select("#feedback button")]
    assert answers == [
        "Ie , roedd y cofnod hwn yn ddefnyddiol",
        "Na , nid oedd y cofnod hwn yn ddefnyddiol",
    ]
    assert page.select_one("#feedback form")["action"].startswith("/cy/")

    old = _welsh(browser.get(f"/cy/entries/{reference}/versions/1"))
    banner = old.select_one(".govuk-notification-banner")
    assert _text(banner.select_one(".govuk-notification-banner__title")) == "Pwysig"
    assert _text(banner.select_one(".govuk-notification-banner__heading")).startswith(
        "Dyma fersiwn 1 o 2, a gyhoeddwyd ar "
    )
    assert old.title.get_text(strip=True).startswith("Pothole report triage (fersiwn 1)")

    changes = _welsh(browser.get(f"/cy/entries/{reference}/versions/2/changes"))
    assert changes.title.get_text(strip=True).startswith(
        "Newidiadau yn fersiwn 2 o Pothole report triage – "
    )
    assert "Gweld y fersiynau" in [_text(h2) for h2 in changes.select("main h2")]

    versions = _welsh(browser.get(f"/cy/entries/{reference}/versions"))
    cards = [_text(h2) for h2 in versions.select(".govuk-summary-card__title")]
    assert cards == ["Fersiwn 2 Cyfredol", "Fersiwn 1"]
    assert "Mae 2 fersiwn gyhoeddedig" in _text(versions.select_one("main p.govuk-body"))


def test_the_welsh_open_data_page_links_to_the_same_files_and_api(client_request, corpus):
    page = _welsh(client_request.get("/cy/open-data"))
    assert _text(page.select_one("h1")) == "Data agored"
    assert _text(page.select_one("#downloads")) == "Lawrlwythiadau"
    assert _text(page.select_one("#data-dictionary")) == "Geiriadur data"
    licence = _text(page.select_one("#licence").find_next("p"))
    assert licence.startswith("Gallwch ailddefnyddio’r data o dan y Drwydded Llywodraeth Agored")
    held = _text(page.select_one("#what-is-published").find_next("p"))
    assert held.startswith("Mae’r gofrestr yn cynnwys 6 chofnod gan 2 sefydliad.")
    links = [a["href"] for a in page.select("main a[href]")]
    files = [href for href in links if href.startswith(("/download/", "/cy/download/"))]
    assert "/download/register.zip" in files
    assert all(href.startswith("/download/") for href in files)
    api = [href for href in links if "/api/v1/" in href]
    assert api and all(href.startswith("/api/v1/") for href in api)
    assert "/entries.csv" in links and "/cy/entries.csv" not in links
    # Pages (not files) stay in Welsh.
    assert "/cy/api" in links


def test_the_welsh_api_page_explains_in_welsh_and_links_to_the_one_api(client_request):
    page = _welsh(client_request.get("/cy/api"))
    headings = [_text(h2) for h2 in page.select("main h2")]
    assert headings[:2] == ["Cyfeiriadau", "Dilyn newidiadau"]
    listing = page.find("a", string="rhestr")
    assert listing["href"] == "/cy/entries"
    assert page.find("a", string="dogfen OpenAPI")["href"] == "/api/v1/openapi.json"


def test_the_welsh_supplier_pages_count_and_link_in_welsh(world):
    bought = publishable_values(
        built_by="external_supplier",
        supplier_name="Roadscan Vision Ltd",
        supplier_registry="gb_coh",
        supplier_company_number="SC123456",
        product_name="Roadscan Inspector",
    )
    world.entry("published", values=bought)
    world.entry("published", values={**bought, "title": "Road sign survey"})
    browser = world.client(None)

    index = _welsh(browser.get("/cy/suppliers"))
    assert _text(index.select_one("h1")) == "Cyflenwyr"
    assert _text(index.select_one("#suppliers-heading")) == "1 cyflenwr"
    headers = [_text(th) for th in index.select("#suppliers thead th")]
    assert headers == ["Cyflenwr", "Cofnodion", "Sefydliadau"]
    assert index.select_one("#suppliers tbody a")["href"] == "/cy/suppliers/roadscan-vision-ltd"

    page = _welsh(browser.get("/cy/suppliers/roadscan-vision-ltd"))
    assert _text(page.select_one(".govuk-caption-l")) == "Cyflenwr"
    details = {
        _text(row.select_one("dt")): _text(row.select_one("dd"))
        for row in page.select("#supplier-details .govuk-summary-list__row")
    }
    assert details["Yn cael ei ddefnyddio mewn"] == "2 gofnod cyhoeddedig gan 1 sefydliad"
    search = page.find("a", string="Chwilio a lawrlwytho’r holl gofnodion hyn")
    assert search["href"] == "/cy/entries?supplier=roadscan-vision-ltd"
