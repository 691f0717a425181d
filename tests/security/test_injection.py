"""Injection: what is typed into a search, a filter, an address or a file name is only ever
data, never SQL, full-text query syntax, a header or markup.

The search box's words reach each engine's full-text index (FTS5 on SQLite, tsquery on
PostgreSQL) only as quoted terms of letters and digits; filters only as codes from their
vocabularies. So "zzqx OR pothole" finds nothing (OR is a word here, not an operator), and
nothing typed anywhere changes a row or answers 500.
"""

from __future__ import annotations

import io
import re

import pytest
from bs4 import BeautifulSoup

from ..factories import publishable_values
from ..manage_world import WORLD
from .guarded_world import changed_tables, fingerprint

world = WORLD

SEARCHES = [
    "/entries?q={q}",
    "/entries.csv?q={q}",
    "/entries.json?q={q}",
    "/entries.atom?q={q}",
    "/api/v1/entries?q={q}",
    "/organisations/northshire-county-council?q={q}",
    "/organisations/northshire-county-council.atom?q={q}",
]

# Each would find the pothole entries if any of its syntax were obeyed; as words, "zzqx"
# matches nothing, so each must find nothing.
OBEYED_SYNTAX = [
    "zzqx OR pothole",
    "zzqx | pothole",
    "zzqx' OR '1'='1",
    'zzqx" OR "1"="1',
    "zzqx' OR 1=1 --",
    "pothole -zzqx",
    "pothole NOT zzqx",
    "NOT zzqx",
    "zzqx NEAR pothole",
    "NEAR(zzqx pothole)",
    "title:zzqx OR title:pothole",
    "{title}: zzqx",
    "zzqx:* | pothole:*",
    "zzqx <-> pothole | triage",
    "!zzqx",
    "zzqx* OR pot*",
    "zzqx') UNION SELECT title FROM entry_version --",
    "zzqx%' OR title LIKE '%",
]

# Awkward to parse: each must answer normally (200) and change nothing.
AWKWARD = [
    "'",
    '"',
    '"unclosed phrase',
    "(",
    ")",
    "*",
    "^",
    ":*",
    "<->",
    "&&",
    "\\",
    "%",
    "_",
    "'; DROP TABLE entry; --",
    "1; DELETE FROM entry_version",
    "AND",
    "OR OR OR",
    '""',
    "\u200f\u202e\u200b",
    "🤖 ☃ مرحبا 漢字",
    "a" * 2000,
    " ".join(["pothole"] * 400),
    "%00",
    "$(reboot)",
    "{{7*7}}",
    "${7*7}",
]


@pytest.fixture
def entries(world):
    for title in ("Pothole report triage", "Pothole repair ranking", "School admissions"):
        world.entry("published", values=publishable_values(title=title))
    return world


def _get(entries, template: str, query: str):
    from urllib.parse import quote

    return entries.client(None).client.get(template.format(q=quote(query, safe="")))


def test_search_syntax_is_searched_for_not_obeyed(entries):
    for query in OBEYED_SYNTAX:
        response = _get(entries, "/api/v1/entries?q={q}", query)
        assert response.status_code == 200, response.get_data(as_text=True)
        assert response.get_json()["count"] == 0, query
        listing = _get(entries, "/entries?q={q}", query)
        page = BeautifulSoup(listing.get_data(as_text=True), "html.parser")
        assert page.select(".register-result__snippet") == [], query
        titles = " ".join(h.get_text() for h in page.select("main h2 a, main h3 a"))
        assert "Pothole" not in titles, query


def test_a_plain_search_still_finds_what_it_should(entries):
    assert _get(entries, "/api/v1/entries?q={q}", "admissions").get_json()["count"] == 1
    assert _get(entries, "/api/v1/entries?q={q}", "pothole").get_json()["count"] == 3
    assert _get(entries, "/api/v1/entries?q={q}", '"pothole repair"').get_json()["count"] == 1


@pytest.mark.parametrize("template", SEARCHES)
def test_awkward_searches_answer_normally_everywhere_and_change_nothing(app, entries, template):
    before = fingerprint(app)
    failures = []
    for query in AWKWARD:
        response = _get(entries, template, query)
        response.get_data()  # a streamed download fails, if at all, while it streams
        if response.status_code != 200:
            failures.append(f"{query[:40]!r}: {response.status_code}")
    assert not failures
    assert changed_tables(before, fingerprint(app)) == []


FILTER_ABUSE = [
    "policy_area=' OR 1=1 --",
    "policy_area=health&policy_area=health'--",
    "organisation=../../etc/passwd",
    "organisation=northshire-county-council' OR '1'='1",
    "sort=title;DROP TABLE entry",
    "sort=relevance) --",
    "page=-1",
    "page=0",
    "page=99999999999999999999999",
    "page=1e9",
    "page_size=0",
    "page_size=100000000",
    "page_size=-5",
    "published=2025-13",
    "published=' OR ''='",
    "review=overdue' --",
    "status=in_use&status=" + "x" * 5000,
    "techniques=" + "&techniques=".join(["rule_based"] * 300),
    "q=%ff%fe",
    "q=%",
    "%zz=1",
]


@pytest.mark.parametrize("template", ["/entries?{p}", "/entries.csv?{p}", "/api/v1/entries?{p}"])
def test_abused_filters_are_refused_or_ignored_never_obeyed(app, entries, template):
    before = fingerprint(app)
    failures = []
    for parameters in FILTER_ABUSE:
        response = entries.client(None).client.get(template.format(p=parameters))
        response.get_data()
        if response.status_code not in (200, 400):
            failures.append(f"{parameters[:50]}: {response.status_code}")
        api_error = response.status_code == 400 and "/api/" in template
        if api_error and response.get_json()["error"]["status"] != 400:
            failures.append(f"{parameters[:50]}: not the API's error")
    assert not failures
    assert changed_tables(before, fingerprint(app)) == []


ADDRESSES = [
    "/entries/AIR-00001' OR '1'='1",
    "/entries/AIR-00001%27--",
    "/entries/%25",
    "/entries/AIR-00001;DROP TABLE entry",
    "/api/v1/entries/AIR-00001' OR '1'='1",
    "/api/v1/vocabularies/status' OR '1'='1",
    "/organisations/x' OR '1'='1",
    "/organisations/%2e%2e%2f%2e%2e%2f",
    "/manage/entries/AIR-00001' OR '1'='1",
]


def test_injection_in_an_address_finds_nothing(entries):
    browser = entries.client("admin")
    for url in ADDRESSES:
        assert browser.client.get(url).status_code == 404, url


# Header injection through file names ----------------------------------------------------

SAFE_DISPOSITION = re.compile(r'^attachment; filename="?[A-Za-z0-9._-]+"?$')


INJECTED_HEADERS = [
    "/entries/AIR-00001%0D%0ASet-Cookie:%20stolen=1.csv",
    "/entries/AIR-00001%22%3B%20filename%3Devil.exe.csv",
    "/entries/AIR-00001%0ALocation:%20https://attacker.example.json",
    "/download/entries%0D%0ASet-Cookie:%20stolen=1.csv",
]


def test_a_header_in_a_download_address_is_never_a_header(entries):
    for url in INJECTED_HEADERS:
        response = entries.client(None).client.get(url)
        assert response.status_code == 404, url
        for header in ("Set-Cookie", "Location", "Content-Disposition"):
            assert header not in response.headers, url


DOWNLOADS = [
    "/entries.csv?q=x%0D%0ASet-Cookie:a=b",
    "/entries.json",
    "/entries/AIR-00001.csv",
    "/entries/air-00001.json",
    "/download/register.zip",
    "/download/entries.csv",
]


def test_every_download_is_named_safely(entries):
    for url in DOWNLOADS:
        response = entries.client(None).client.get(url, follow_redirects=True)
        response.get_data()  # streamed: read it all, as a client would
        assert response.status_code == 200, url
        assert SAFE_DISPOSITION.match(response.headers["Content-Disposition"]), url
        assert "Set-Cookie" not in response.headers


def test_an_uploaded_file_name_is_never_a_header_or_markup(app, entries):
    """The import page keeps the uploaded file's name and shows it on the report."""
    if "manage.import_upload" not in app.view_functions:
        pytest.skip("this register has no import page")
    publisher = entries.client("publisher")
    page = publisher.get("/manage/import")
    organisation = page.select_one("select[name=organisation] option[value]:not([value=''])")
    name = "<x-file>&Set-Cookie: stolen=1.json"
    data = {
        "csrf_token": page.select_one("input[name=csrf_token]")["value"],
        "format": "native",
        "organisation": organisation["value"],
        "file": (io.BytesIO(b"[]"), name),
    }
    response = publisher.client.post(
        "/manage/import", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert "stolen" not in str(response.headers)
    response = publisher.client.get(response.headers["Location"])
    assert "stolen" not in str(response.headers)
    report = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert not report.find("x-file")
    assert "<x-file>" in report.h1.get_text()
