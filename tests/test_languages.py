"""The register in Welsh: the same pages under /cy, with Welsh chrome, dates and links that
stay in Welsh, and alternates that tell search engines each page has two languages."""

from __future__ import annotations

from datetime import UTC, date, datetime
from urllib.parse import quote, urlsplit

import pytest
from bs4 import BeautifulSoup
from defusedxml import ElementTree

from register.formatting import day, format_date, moment, number
from register.languages import LANGUAGE_KEY

from .conftest import TEST_PASSWORD
from .manage_world import WORLD

world = WORLD

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML_LINK = "{http://www.w3.org/1999/xhtml}link"
WELSH_MONTHS = (
    "Ionawr Chwefror Mawrth Ebrill Mai Mehefin Gorffennaf Awst Medi Hydref Tachwedd Rhagfyr"
).split()


def _alternates(page: BeautifulSoup) -> dict[str, str]:
    return {link["hreflang"]: link["href"] for link in page.select("link[rel=alternate][hreflang]")}


def _switcher_links(page: BeautifulSoup) -> dict[str, str]:
    return {link["lang"]: link["href"] for link in page.select(".register-language-switcher a")}


def test_a_welsh_page_says_it_is_in_welsh_and_shows_the_chrome_in_welsh(client_request):
    page = client_request.get("/cy/")
    assert page.find("html")["lang"] == "cy"
    assert page.select_one(".govuk-skip-link").get_text(strip=True) == "Neidio i’r prif gynnwys"
    navigation = [a.get_text(strip=True) for a in page.select(".govuk-service-navigation__link")]
    assert navigation[:2] == ["Hafan", "Cofnodion"]
    assert "Mewngofnodi" in navigation
    footer = page.select_one(".govuk-footer").get_text(" ", strip=True)
    assert "Datganiad hygyrchedd" in footer and "Preifatrwydd" in footer
    assert "Mae’r holl gynnwys ar gael o dan y Drwydded Llywodraeth Agored v3.0" in footer
    assert page.find("h1").get_text(strip=True) == (
        "Cofrestr Deallusrwydd Artiffisial y Sector Cyhoeddus"
    )


def test_the_english_page_is_unchanged_and_says_it_is_in_english(client_request):
    page = client_request.get("/")
    assert page.find("html")["lang"] == "en"
    assert page.select_one(".govuk-skip-link").get_text(strip=True) == "Skip to main content"
    assert page.find("h1").get_text(strip=True) == "Public Sector AI Register"
    assert "Sign in" in page.select_one(".govuk-service-navigation").get_text()


@pytest.mark.parametrize("path", ["/", "/accessibility", "/entries?q=fraud&status=in_use"])
def test_each_language_names_the_other_as_its_alternate(client_request, path):
    english = client_request.get(path)
    welsh = client_request.get("/cy" + path)
    expected = {
        "en": "http://localhost" + path,
        "cy": "http://localhost/cy" + path,
        "x-default": "http://localhost" + path,
    }
    assert _alternates(english) == expected
    assert _alternates(welsh) == expected


def test_links_inside_a_welsh_page_stay_in_welsh_but_files_and_the_api_do_not(client_request):
    page = client_request.get("/cy/")
    links = [a["href"] for a in page.select("a[href^='/']")]
    english = [href for href in links if not href.startswith("/cy")]
    assert english == [_switcher_links(page)["en"]]
    # The page about the API is a page, in Welsh too.
    assert {"/cy/entries", "/cy/open-data", "/cy/api"} <= set(links)
    assert client_request.get("/cy/api").find("html")["lang"] == "cy"
    stylesheet = page.select_one("link[rel=stylesheet]")["href"]
    assert stylesheet.startswith("/static/")


def test_the_switcher_shows_the_same_page_in_the_other_language_with_its_query(client_request):
    english = client_request.get("/entries?q=benefits&page=2")
    assert _switcher_links(english) == {"cy": "/cy/entries?q=benefits&page=2"}
    assert english.select_one(".register-language-switcher [aria-current]").get_text() == (
        "English"
    )
    link = english.select_one(".register-language-switcher a")
    assert link["hreflang"] == "cy"
    assert link.select_one(".govuk-visually-hidden").get_text() == "Newid yr iaith i’r Gymraeg"

    welsh = client_request.get("/cy/entries?q=benefits&page=2")
    assert _switcher_links(welsh) == {"en": "/entries?q=benefits&page=2"}
    hidden = welsh.select_one(".register-language-switcher a .govuk-visually-hidden")
    assert hidden.get_text() == "Change the language to English"


def test_cy_without_a_slash_is_the_welsh_home_page(client_request):
    assert client_request.get("/cy").find("html")["lang"] == "cy"


def test_the_api_has_no_welsh_address(client):
    assert client.get("/api/v1").status_code == 200
    assert client.get("/cy/api/v1").status_code == 404
    assert client.get("/cy/api/v1/entries").status_code == 404


def _sign_in_at(client, url: str):
    page = BeautifulSoup(client.get(url).get_data(as_text=True), "html.parser")
    token = page.select_one("main form input[name=csrf_token]")["value"]
    data = {"csrf_token": token, "email": "admin@register.example", "password": TEST_PASSWORD}
    return client.post(url, data=data)


def test_signing_in_from_a_welsh_page_comes_back_to_it_in_welsh(client, make_user):
    make_user("admin@register.example", is_admin=True)
    asked = client.get("/cy/manage")
    assert asked.status_code == 302
    sign_in_url = asked.headers["Location"]
    assert urlsplit(sign_in_url).path == "/cy/sign-in"
    response = _sign_in_at(client, sign_in_url)
    assert response.status_code == 302
    assert response.headers["Location"] == "/cy/manage"
    # One session for both languages: the English pages know the person too.
    assert client.get("/manage").status_code == 200
    cookie = client.get_cookie(client.application.config["SESSION_COOKIE_NAME"])
    assert cookie is not None and cookie.path == "/"


@pytest.mark.parametrize("target", ["https://attacker.example/", "//attacker.example/cy/"])
def test_a_welsh_sign_in_still_refuses_to_send_anyone_elsewhere(client, make_user, target):
    make_user("admin@register.example", is_admin=True)
    response = _sign_in_at(client, f"/cy/sign-in?next={quote(target, safe='')}")
    assert response.status_code == 302
    assert response.headers["Location"] == "/cy/manage"


def test_the_sitemap_lists_every_page_in_both_languages_with_alternates(world):
    reference = world.entry("published")
    client = world.client(None).client
    index = ElementTree.fromstring(client.get("/sitemap.xml").data)
    files = [loc.text.removeprefix("http://localhost") for loc in index.iter(f"{SITEMAP}loc")]
    urls = {}
    for path in files:
        for element in ElementTree.fromstring(client.get(path).data).iter(f"{SITEMAP}url"):
            alternates = {
                link.get("hreflang"): link.get("href") for link in element.iter(XHTML_LINK)
            }
            urls[element.find(f"{SITEMAP}loc").text] = alternates
    english = f"http://localhost/entries/{reference}"
    welsh = f"http://localhost/cy/entries/{reference}"
    both = {"en": english, "cy": welsh, "x-default": english}
    assert urls[english] == both
    assert urls[welsh] == both
    assert urls["http://localhost/cy/open-data"]["en"] == "http://localhost/open-data"


def test_welsh_pages_write_dates_in_welsh(world):
    reference = world.entry("published")
    today = datetime.now(UTC).date()
    english = world.client(None).get(f"/entries/{reference}").get_text(" ")
    welsh = world.client(None).get(f"/cy/entries/{reference}").get_text(" ")
    assert f"{today.day} {today:%B} {today.year}" in english
    assert f"{today.day} {WELSH_MONTHS[today.month - 1]} {today.year}" in welsh


def test_dates_and_numbers_follow_the_language_of_the_request(app):
    with app.test_request_context("/", environ_overrides={LANGUAGE_KEY: "cy"}):
        assert day(date(2026, 12, 5)) == "5 Rhagfyr 2026"
        assert format_date("2026-03") == "Mawrth 2026"
        assert moment(datetime(2026, 12, 5, 14, 5)) == "5 Rhagfyr 2026 am 14:05 UTC"
        assert number(1234567.5) == "1,234,567.5"
        # What is kept (the audit log's details) is written in English on any page.
        assert day(date(2026, 12, 5), "en") == "5 December 2026"
    with app.test_request_context("/"):
        assert day(date(2026, 12, 5)) == "5 December 2026"
        assert moment(datetime(2026, 12, 5, 14, 5)) == "5 December 2026 at 14:05 UTC"
    # Outside a request (emails, the command line): English.
    assert day(date(2026, 12, 5)) == "5 December 2026"


def test_a_register_served_under_a_path_keeps_that_path_before_the_language(client):
    response = client.get("/cy/", base_url="http://localhost/register")
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert page.find("html")["lang"] == "cy"
    assert _alternates(page)["cy"] == "http://localhost/register/cy/"
    assert _alternates(page)["en"] == "http://localhost/register/"
    assert _switcher_links(page) == {"en": "/register/"}
    assert page.select_one("link[rel=stylesheet]")["href"].startswith("/register/static/")
    links = {a["href"] for a in page.select(".govuk-service-navigation a")}
    assert "/register/cy/entries" in links


def test_robots_txt_keeps_crawlers_away_from_signed_in_pages_in_welsh_too(client):
    lines = client.get("/robots.txt").text.splitlines()
    assert "Disallow: /manage" in lines and "Disallow: /cy/manage" in lines
    assert "Disallow: /cy/sign-in" in lines
    assert not any(line.startswith("Disallow: /cy/entries") for line in lines)
