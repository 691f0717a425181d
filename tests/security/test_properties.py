"""Property-based attack tests: whatever is posted or asked, the register never answers 500
and never writes half of a change.

Hypothesis makes up the answers to each section of the form, the query strings of every
public listing, download and API search, the feedback forms and the `next` address after
signing in. Examples are few and fixed (`derandomize`) so the suite stays fast and each run
tries the same cases; the properties hold for any.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from register import schema
from register.extensions import limiter
from register.schema import Kind
from register.search import PARAMETERS
from register.security import local_path
from register.views.download_responses import safe_filename

from ..feedback_world import report_form, stored
from ..manage_world import WORLD
from .guarded_world import changed_tables, fingerprint

world = WORLD

FEW = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Any text a browser could send: every character but the surrogates no encoding carries,
# including NUL (refused with 400 everywhere), line breaks and right-to-left marks.
ANY_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
LONG_TEXT = st.builds(lambda c, n: c * n, st.sampled_from("a é\n<"), st.integers(0, 6000))
SOMETHING = st.one_of(ANY_TEXT, LONG_TEXT, st.sampled_from(["", " ", "0", "-1", "2024-02-30"]))


def _answer(field: schema.Field) -> st.SearchStrategy:
    """What might be posted for `field`: sensible answers and anything at all."""
    if field.kind in (Kind.CHOICE, Kind.CHOICES):
        codes = st.sampled_from([choice.code for choice in field.vocabulary.choices])
        one = st.one_of(codes, ANY_TEXT)
        return st.lists(one, max_size=4) if field.kind is Kind.CHOICES else one
    if field.kind is Kind.BOOLEAN:
        return st.one_of(st.sampled_from(["yes", "no"]), ANY_TEXT)
    if field.kind is Kind.PARTIAL_DATE:
        return st.one_of(st.sampled_from(["2024", "2024-05", "2024-05-31", "2024-13"]), SOMETHING)
    if field.kind is Kind.EMAIL:
        return st.one_of(st.just("team@ns.example"), SOMETHING)
    if field.kind is Kind.URL:
        return st.one_of(st.just("https://ns.example/tool"), SOMETHING)
    return SOMETHING


SECTIONS = [section for section in schema.SECTIONS if section.fields]


@st.composite
def section_forms(draw) -> tuple[schema.Section, dict]:
    section = draw(st.sampled_from(SECTIONS))
    form = {}
    for field in section.fields:
        if draw(st.booleans()):
            form[field.name] = draw(_answer(field))
    return section, form


def _draft_state(world, reference: str) -> tuple[dict, dict, int]:
    return (
        world.draft_values(reference),
        world.draft_rows(reference),
        world.lock_version(reference),
    )


def test_any_answers_to_any_section_are_saved_whole_or_not_at_all(world):
    reference = world.entry(rows={"risks": [{"name": "Bias"}]})
    editor = world.client("editor")
    token = editor.csrf_token("/manage/entries/new")

    @FEW
    @given(section_forms())
    def post(section_and_form) -> None:
        section, form = section_and_form
        values, rows, lock = _draft_state(world, reference)
        data = {**form, "csrf_token": token, "lock_version": str(lock)}
        url = f"/manage/entries/{reference}/{section.slug}"
        response = editor.client.post(url, data=data)
        assert response.status_code in (200, 302, 400), response.status_code
        after_values, after_rows, after_lock = _draft_state(world, reference)
        assert after_rows == rows
        if response.status_code != 302:
            assert (after_values, after_lock) == (values, lock), "a refused form wrote something"
            return
        own = {field.name for field in section.fields}
        others = {name: value for name, value in values.items() if name not in own}
        assert {k: v for k, v in after_values.items() if k not in own} == others
        assert after_lock >= lock

    post()


QUERY_NAMES = st.one_of(st.sampled_from(sorted(PARAMETERS)), ANY_TEXT)
QUERIES = st.lists(st.tuples(QUERY_NAMES, SOMETHING), max_size=5)

SEARCHED = [
    "/entries",
    "/entries.csv",
    "/entries.json",
    "/entries.atom",
    "/api/v1/entries",
    "/organisations/northshire-county-council",
]


@pytest.mark.parametrize("path", SEARCHED)
def test_any_query_string_gets_an_answer_not_a_failure(app, world, path):
    world.entry("published")
    world.entry("published")
    client = world.client(None).client
    before = fingerprint(app)

    @settings(FEW, max_examples=30)
    @given(QUERIES)
    def ask(pairs) -> None:
        with app.app_context():
            limiter.reset()
        response = client.get(f"{path}?{urlencode(pairs)}")
        body = response.get_data()  # a download fails, if at all, while it streams
        assert response.status_code in (200, 400), (response.status_code, body[:300])
        if path.startswith("/api/") and response.status_code == 400:
            assert response.get_json()["error"]["status"] == 400

    ask()
    assert changed_tables(before, fingerprint(app)) == []


FEEDBACK_FIELDS = st.fixed_dictionaries(
    {},
    optional={
        "text": SOMETHING,
        "email": st.one_of(st.just("reader@public.example"), SOMETHING),
        "website": st.one_of(st.just(""), ANY_TEXT),
        "version": st.one_of(st.just("1"), ANY_TEXT),
        "entry": st.one_of(st.just("AIR-00001"), ANY_TEXT),
    },
)


def test_any_report_of_a_problem_is_stored_whole_or_not_at_all(app, world, monkeypatch):
    monkeypatch.setitem(app.config, "FEEDBACK_RATE_LIMIT", "100000 per minute")
    monkeypatch.setitem(app.config, "FEEDBACK_ENTRY_RATE_LIMIT", "100000 per minute")
    world.entry("published")
    visitor = world.client(None)
    form = report_form(visitor, "AIR-00001")

    @FEW
    @given(FEEDBACK_FIELDS)
    def send(fields) -> None:
        before = stored(app)
        data = {**form, **fields}
        response = visitor.client.post("/entries/AIR-00001/report-a-problem", data=data)
        assert response.status_code in (200, 303, 400), response.status_code
        after = stored(app)
        if response.status_code != 303 or data.get("website", "").strip():
            assert after == before
            return
        [new] = after[len(before) :]
        assert new["kind"] == "problem"
        assert new["text"] == data["text"].replace("\r\n", "\n").strip()

    send()


def test_any_next_address_leads_somewhere_on_this_site(world):
    admin = world.client("admin").client

    @FEW
    @given(st.one_of(ANY_TEXT, st.builds(lambda s: "/" + s, ANY_TEXT)))
    def follow(target) -> None:
        response = admin.get(f"/sign-in?next={quote(target, safe='')}")
        assert response.status_code in (302, 400)
        if response.status_code == 302:
            location = response.headers["Location"]
            assert local_path(location) == location

    follow()


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(st.text())
def test_a_local_path_is_always_a_path_of_this_site(target):
    found = local_path(target)
    if found is not None:
        assert found == target
        assert found.startswith("/") and not found.startswith("//")
        assert re.fullmatch(r"[!-\[\]-~]+", found), "only printable ASCII, no backslash"


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(st.text(), st.sampled_from(["csv", "json", "zip"]))
def test_a_download_is_always_named_safely(stem, extension):
    name = safe_filename(stem, extension, datetime(2025, 3, 1, tzinfo=UTC))
    assert re.fullmatch(r"[A-Za-z0-9_-]+-2025-03-01\.(csv|json|zip)", name)
