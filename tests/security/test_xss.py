"""Stored cross-site scripting: markup typed into any answer is shown as text, everywhere.

Every text field of the record (and of each repeating row), the change notes, an
organisation's name, a person's name, feedback and its public response, a publisher's
comment and the reasons for retiring and withdrawing hold markup that would run if it
were not escaped. Each carries a tag of its own, `<x-…>`: a page passes when no such
element exists in it, no injected attribute or script does either, and every tag the page
should show appears as text. Feeds, the API and the downloads must keep the text exactly
as typed (it is data, not HTML), in a type no browser renders as a page.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from typing import Any

import pytest
from bs4 import BeautifulSoup
from defusedxml import ElementTree
from sqlalchemy import select

from register import feedback, publishing, schema
from register.extensions import db
from register.models import Feedback

from ..factories import publishable_values
from ..feedback_world import report
from ..manage_world import WORLD
from ..public_entries import retire, revise, withdraw
from ..snapshots import built_once
from .guarded_world import header_problems
from .markup import markup_problems, nonce_of

world = WORLD

TEXT_KINDS = (schema.Kind.TEXT, schema.Kind.LONG_TEXT)


def payload(tag: str, limit: int | None = None) -> str:
    """Markup that would run if shown unescaped, in every context: element, attribute
    value (either quote), and script. Short fields get the shortest form that still tells."""
    full = f"<x-{tag}>\"'&<script>alert('{tag}')</script><img src=x onerror=alert(1)>"
    if limit is None or len(full) <= limit:
        return full
    return f'<x-{tag}>"&'[:limit]


def text_fields() -> list[schema.Field]:
    # A field of a set form (the company number's pattern) cannot hold markup at all.
    return [
        field for field in schema.all_fields() if field.kind in TEXT_KINDS and not field.pattern
    ]


def poisoned_values(version: str) -> dict[str, Any]:
    """Publishable answers with markup in every text field, tagged `<version><n>`."""
    values = publishable_values()
    for number, field in enumerate(text_fields()):
        values[field.name] = payload(f"{version}{number}", field.max_length)
    return values


def poisoned_rows(version: str) -> dict[str, list[dict[str, Any]]]:
    rows: dict[str, list[dict[str, Any]]] = {}
    for group_number, group in enumerate(schema.groups()):
        row: dict[str, Any] = {}
        for number, field in enumerate(group.fields):
            if field.kind in TEXT_KINDS and not field.pattern:
                row[field.name] = payload(f"{version}r{group_number}{number}", field.max_length)
        rows[group.name] = [row]
    return rows


def tags_of(version: str, *, whole_rows: bool = True, reader: str = "") -> list[str]:
    """The tags of a version's answers; without `whole_rows`, only the first text of each
    row (the name a summary table lists rows by). With `reader` ("en" or "cy"), only the
    answers a public page in that language shows: an answer given in both languages is
    shown in the page's."""

    def shown(field: schema.Field) -> bool:
        if reader == "en":
            return not field.welsh_of
        if reader == "cy":
            return not field.welsh
        return True

    fields = [f"{version}{n}" for n, field in enumerate(text_fields()) if shown(field)]
    rows = []
    for group_number, group in enumerate(schema.groups()):
        numbers = [
            n
            for n, field in enumerate(group.fields)
            if field.kind in TEXT_KINDS and not field.pattern and shown(field)
        ]
        for number in numbers if whole_rows else numbers[:1]:
            rows.append(f"{version}r{group_number}{number}")
    return fields + rows


ORGANISATION = payload("org", 200)
PERSON = payload("person", 100)
FEEDBACK = payload("feedback", 2000)
RESPONSE = payload("response", 2000)
COMMENT = payload("comment", 2000)
NOTE = {"a": payload("note-a", 500), "b": payload("note-b", 500)}
RETIRED = payload("retired", 2000)
WITHDRAWN = payload("withdrawn", 2000)


@pytest.fixture
def poisoned(app, world):
    """AIR-00001: published twice, every answer markup (versions "a" and "b"), with a
    resolved report and its public response. AIR-00002: a draft full of markup. AIR-00003:
    in review, full of markup. AIR-00004 retired and AIR-00005 withdrawn, each with a markup
    reason. AIR-00006: sent back with a markup comment. The organisation and the editor
    have markup names."""

    def build() -> str:
        reference = world.entry("published", values=poisoned_values("a"), rows=poisoned_rows("a"))
        with app.app_context():
            world.load(reference).versions[0].change_note = NOTE["a"]
            db.session.commit()
        revise(world, reference, poisoned_values("b"), rows=poisoned_rows("b"), note=NOTE["b"])
        report(world, reference, text=FEEDBACK, email="reader@public.example")
        world.entry(values=poisoned_values("d"), rows=poisoned_rows("d"))
        world.entry("in_review", values=poisoned_values("r"), rows=poisoned_rows("r"))
        retire(world, world.entry("published"), RETIRED)
        withdraw(world, world.entry("published"), WITHDRAWN)
        sent_back = world.entry("in_review")
        with app.app_context():
            publisher = world.user("publisher")
            feedback.resolve(db.session.scalar(select(Feedback)), publisher, RESPONSE)
            publishing.send_back(world.load(sent_back), publisher, COMMENT)
            world.user("editor").name = PERSON
            organisation = world.organisation()
            organisation.name = ORGANISATION
            db.session.commit()
            return organisation.slug

    world.slug = built_once(app, "poisoned world", build)
    return world


def assert_shown_as_text(response, tags: list[str], url: str, status: int = 200) -> BeautifulSoup:
    """The page shows each tag's markup as text, and none of it as markup."""
    assert response.status_code == status, f"{url}: {response.status_code}"
    html = response.get_data(as_text=True)
    page = BeautifulSoup(html, "html.parser")
    injected = sorted({el.name for el in page.find_all(True) if el.name.startswith("x-")})
    assert not injected, f"{url} has elements made from answers: {injected}"
    nonce = nonce_of(response.headers["Content-Security-Policy"])
    assert markup_problems(html, nonce) == [], url
    text = page.get_text()
    missing = [tag for tag in tags if f"<x-{tag}>" not in text]
    assert not missing, f"{url} does not show {missing}"
    assert header_problems(response) == []
    return page


def test_the_entry_page_shows_every_answer_as_text(poisoned):
    visitor = poisoned.client(None)
    for language, start in (("en", ""), ("cy", "/cy")):
        url = f"{start}/entries/AIR-00001"
        tags = [*tags_of("b", reader=language), "org", "response"]
        assert_shown_as_text(visitor.client.get(url), tags, url)


def test_an_earlier_version_shows_its_answers_as_text(poisoned):
    for language, start in (("en", ""), ("cy", "/cy")):
        url = f"{start}/entries/AIR-00001/versions/1"
        tags = tags_of("a", reader=language)
        assert_shown_as_text(poisoned.client(None).client.get(url), tags, url)


def test_the_history_and_its_comparison_show_both_versions_as_text(poisoned):
    visitor = poisoned.client(None).client
    url = "/entries/AIR-00001/versions"
    assert_shown_as_text(visitor.get(url), ["note-a", "note-b"], url)
    url = "/entries/AIR-00001/versions/2/changes"
    assert_shown_as_text(visitor.get(url), [*tags_of("a"), *tags_of("b")], url)


def test_retired_and_withdrawn_entries_show_their_reasons_as_text(poisoned):
    visitor = poisoned.client(None).client
    assert_shown_as_text(visitor.get("/entries/AIR-00004"), ["retired"], "/entries/AIR-00004")
    response = visitor.get("/entries/AIR-00005")
    assert_shown_as_text(response, ["withdrawn"], "/entries/AIR-00005", status=410)


def test_listings_and_their_snippets_show_answers_as_text(poisoned):
    for url in ("/entries?q=alert", f"/organisations/{poisoned.slug}?q=alert"):
        page = assert_shown_as_text(poisoned.client(None).client.get(url), ["b0"], url)
        # Each engine makes its own extract (PostgreSQL leaves tags out of it); either way
        # the match is marked and the rest is text.
        snippets = page.select(".register-result__snippet")
        assert snippets and all(snippet.find("mark") for snippet in snippets)
        assert all(snippet.find_all(True) == snippet.find_all("mark") for snippet in snippets)


def test_pages_naming_organisations_show_their_names_as_text(poisoned):
    for url in ("/", "/organisations", "/stats"):
        tags = [] if url == "/" else ["org"]
        assert_shown_as_text(poisoned.client(None).client.get(url), tags, url)


def test_feeds_carry_answers_as_plain_text(poisoned):
    namespace = "{http://www.w3.org/2005/Atom}"
    for url in ("/entries.atom", "/entries.atom?q=alert", f"/organisations/{poisoned.slug}.atom"):
        response = poisoned.client(None).client.get(url)
        assert response.status_code == 200
        assert response.mimetype == "application/atom+xml"
        assert header_problems(response) == []
        feed = ElementTree.fromstring(response.get_data())
        assert not [el.tag for el in feed.iter() if "x-" in el.tag]
        entry = next(
            item
            for item in feed.iter(f"{namespace}entry")
            if item.find(f"{namespace}title").text == poisoned_values("b")["title"]
        )
        for name in ("title", "summary"):
            assert entry.find(f"{namespace}{name}").get("type", "text") == "text"
        assert poisoned_values("b")["summary"] in entry.find(f"{namespace}summary").text
        assert entry.find(f"{namespace}author/{namespace}name").text == ORGANISATION


def _same_text(record: dict[str, Any], version: str) -> None:
    for field in text_fields():
        assert record[field.name] == poisoned_values(version)[field.name], field.name


def test_the_api_returns_answers_exactly_as_typed_and_as_json(poisoned):
    client = poisoned.client(None).client
    for url in ["/api/v1/entries/AIR-00001", "/api/v1/entries/AIR-00001/versions/1"]:
        response = client.get(url)
        assert response.mimetype == "application/json"
        assert header_problems(response) == []
        _same_text(response.get_json(), "a" if url.endswith("/1") else "b")
    found = client.get("/api/v1/entries?q=alert").get_json()["entries"]
    _same_text(next(r for r in found if r["reference"] == "AIR-00001"), "b")
    names = [o["name"] for o in client.get("/api/v1/organisations").get_json()["organisations"]]
    assert ORGANISATION in names


def _attachment(response, mimetype: str) -> None:
    assert response.status_code == 200
    assert response.mimetype == mimetype
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert header_problems(response) == []


def _csv_row(data: bytes, reference: str = "AIR-00001") -> dict[str, str]:
    rows = csv.DictReader(io.StringIO(data.decode("utf-8")))
    return next(row for row in rows if row["reference"] == reference)


def test_downloads_keep_answers_exactly_as_typed_and_are_never_pages(poisoned):
    client = poisoned.client(None).client
    expected = poisoned_values("b")
    response = client.get("/entries/AIR-00001.csv")
    _attachment(response, "text/csv")
    row = _csv_row(response.get_data())
    for field in text_fields():
        assert row[field.name] == expected[field.name], field.name
    response = client.get("/entries.csv?q=alert")
    _attachment(response, "text/csv")
    assert _csv_row(response.get_data())["title"] == expected["title"]
    response = client.get("/entries/AIR-00001.json")
    _attachment(response, "application/json")
    _same_text(response.get_json(), "b")
    response = client.get("/entries.json?q=alert")
    _attachment(response, "application/json")
    _same_text(
        next(r for r in json.loads(response.get_data()) if r["reference"] == "AIR-00001"), "b"
    )
    response = client.get("/download/register.zip")
    _attachment(response, "application/zip")
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as package:
        name = next(n for n in package.namelist() if n.endswith("entries.csv"))
        assert _csv_row(package.read(name))["title"] == expected["title"]


# Pages for the register's own people: an insider's markup must not run for a publisher
# or an administrator who opens the entry.

MANAGE_PAGES = [
    ("publisher", "/manage", ["r0"]),
    ("publisher", "/manage/entries/AIR-00002", ["d0"]),
    ("publisher", "/manage/entries/AIR-00002/check", tags_of("d", whole_rows=False)),
    ("publisher", "/manage/entries/AIR-00002/about", []),
    ("publisher", "/manage/entries/AIR-00002/risks/1", []),
    ("editor", "/manage/entries/AIR-00006", ["comment"]),
    ("publisher", "/manage/entries/AIR-00003/review", tags_of("r", whole_rows=False)),
    ("publisher", "/manage/entries/AIR-00001/history", ["person"]),
    ("publisher", "/manage/feedback/1", ["feedback", "response"]),
    ("admin", "/admin/organisations", ["org"]),
    ("admin", "/admin/organisations/{slug}/people", ["person"]),
    ("admin", "/admin/people", ["person", "org"]),
]


def test_the_registers_own_pages_show_answers_as_text(poisoned):
    for who, template, tags in MANAGE_PAGES:
        url = template.format(slug=poisoned.slug)
        page = assert_shown_as_text(poisoned.client(who).client.get(url), tags, url)
        # In forms an answer is the value of an input or the text of a textarea, whole.
        for field in page.select("main form input[type=text], main form textarea"):
            value = field.get("value") if field.name == "input" else field.get_text()
            if value and "<x-" in value:
                assert value.startswith("<x-"), f"{url}: {field.get('name')} holds {value!r}"


def test_a_form_shows_each_stored_answer_exactly_in_its_field(poisoned):
    page = poisoned.client("editor").get("/manage/entries/AIR-00002/about")
    expected = poisoned_values("d")
    for field in schema.section("about").fields:
        if field.kind not in TEXT_KINDS:
            continue
        element = page.select_one(f"[name={field.name}]")
        shown = element.get_text() if element.name == "textarea" else element["value"]
        assert shown.strip() == expected[field.name], field.name
