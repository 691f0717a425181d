"""What a search finds, on a small fixed register, the same on SQLite and PostgreSQL."""

from __future__ import annotations

from urllib.parse import parse_qsl

import pytest
from werkzeug.datastructures import MultiDict

from register import search

from .manage_world import WORLD
from .search_corpus import VISIBLE, built

world = WORLD


@pytest.fixture
def corpus(world) -> dict[str, str]:
    return built(world)


def run(app, params: str) -> search.SearchResults:
    with app.app_context():
        query, _ = search.parse_query(MultiDict(parse_qsl(params, keep_blank_values=True)))
        return search.run(query)


def found(app, corpus, params: str) -> list[str]:
    """The corpus keys of what the search finds, in order."""
    key_of = {reference: key for key, reference in corpus.items()}
    return [key_of[item.reference] for item in run(app, params).items]


def test_a_word_also_finds_longer_words_that_start_with_it(app, corpus):
    assert found(app, corpus, "q=chat") == ["chatbot", "bins"]


def test_words_are_found_by_their_stem(app, corpus):
    assert set(found(app, corpus, "q=predicting")) == {"forecast", "hotspot"}
    assert set(found(app, corpus, "q=prediction")) == {"forecast", "hotspot"}
    assert found(app, corpus, "q=burglary") == ["hotspot"]


def test_a_match_in_the_title_ranks_above_a_match_in_the_text(app, corpus):
    assert found(app, corpus, "q=chatbot") == ["chatbot", "bins"]
    assert found(app, corpus, "q=reminders") == ["bins"]


def test_every_word_must_match(app, corpus):
    assert found(app, corpus, "q=council+tax") == ["chatbot"]
    assert found(app, corpus, "q=council+winter") == []


def test_double_quotes_make_a_phrase(app, corpus):
    assert found(app, corpus, 'q="council tax"') == ["chatbot"]
    assert found(app, corpus, 'q="tax council"') == []
    assert found(app, corpus, "q=“home care”") == ["forecast"]


def test_the_snippet_marks_the_matches_in_text_that_is_escaped(app, corpus):
    (item,) = run(app, "q=reminders").items
    snippet = str(item.snippet)
    assert "<mark>reminders</mark>" in snippet
    assert "&amp; letters about &#34;missed bin&#34;" in snippet
    # The text's own markup is never markup: SQLite's extract shows it escaped, and
    # PostgreSQL's leaves out what its parser takes for tags.
    assert "<b>" not in snippet
    assert snippet.replace("<mark>", "").replace("</mark>", "").count("<") == 0


def test_without_words_the_snippet_is_the_summary_escaped(app, corpus):
    items = {item.reference: item for item in run(app, "").items}
    assert str(items[corpus["bins"]].snippet) == (
        "Sends &lt;b&gt;reminders&lt;/b&gt; &amp; letters about &#34;missed bin&#34; collections."
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("chatbot*", ["chatbot", "bins"]),
        ("-chatbot", ["chatbot", "bins"]),
        ('"chatbot', ["chatbot", "bins"]),
        ("chatbot AND NOT", ["chatbot", "bins"]),
        ("NEAR(chatbot", []),
        ("chatbot:pothole", []),
        ("(chatbot) OR (pothole)", []),
        ("'; DROP TABLE entry; --", []),
        ("chatbot " * 300, ["chatbot", "bins"]),
        ("chatbot\\ \x1b\u202e", ["chatbot", "bins"]),
    ],
)
def test_query_syntax_is_read_as_plain_words(app, corpus, text, expected):
    assert found(app, corpus, f"q={text.replace('&', '%26')}") == expected
    assert len(found(app, corpus, "")) == len(VISIBLE)  # nothing was dropped


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ("status=in_use", {"pothole", "forecast", "bins", "revision"}),
        ("status=in_use&status=pilot", {"pothole", "forecast", "bins", "revision", "chatbot"}),
        ("status=in_use&risk_level=high", {"forecast"}),
        ("status=retired", {"hotspot"}),
        ("organisation=southvale-police", {"hotspot"}),
        ("organisation_type=police", {"hotspot"}),
        ("organisation_type=local_government&risk_level=high", {"forecast"}),
        ("techniques=classical_ml", {"pothole", "hotspot"}),
        ("techniques=classical_ml&techniques=forecasting", {"pothole", "hotspot", "forecast"}),
        ("uses_personal_data=yes", {"chatbot", "forecast", "hotspot"}),
        ("uses_personal_data=no", {"pothole", "bins", "revision"}),
        ("eu_ai_act_category=high_risk", {"forecast"}),
        ("decision_role=informs", {"forecast"}),
        ("q=predicting&risk_level=high", {"forecast", "hotspot"}),
        ("q=predicting&organisation_type=police", {"hotspot"}),
        ("q=chatbot&techniques=rule_based", {"bins"}),
    ],
)
def test_filters_are_or_within_a_filter_and_and_across_filters(app, corpus, params, expected):
    assert set(found(app, corpus, params)) == expected
    assert run(app, params).total == len(expected)


def _counts(results: search.SearchResults, name: str) -> dict[str, int]:
    return {option.code: option.count for option in results.facet(name).options}


def test_each_filter_counts_its_codes_with_the_other_filters_applied(app, corpus):
    results = run(app, "status=in_use")
    assert results.total == 4
    # Its own filter is left out, so the other statuses still say what they would add.
    assert _counts(results, "status") == {
        "planned": 0,
        "in_development": 0,
        "pilot": 1,
        "in_use": 4,
        "retired": 1,
    }
    assert _counts(results, "risk_level") == {"low": 3, "medium": 0, "high": 1}
    assert _counts(results, "uses_personal_data") == {"yes": 1, "no": 3}
    assert _counts(results, "techniques")["classical_ml"] == 1
    assert _counts(results, "organisation") == {"northshire-county-council": 4}
    assert _counts(results, "organisation_type")["police"] == 0


def test_the_counts_of_a_single_choice_filter_add_up_to_the_total(app, corpus):
    for params in ("", "q=chatbot", "risk_level=high", "organisation_type=police"):
        results = run(app, params)
        for name in ("status", "policy_area", "risk_level", "decision_role", "organisation"):
            if name not in params:
                assert sum(_counts(results, name).values()) == results.total, (params, name)
        # Organisation types split the organisations' entries between them.
        assert sum(_counts(results, "organisation_type").values()) == (
            results.total if "organisation_type" not in params else 6
        )


def test_each_code_counts_as_many_entries_as_choosing_it_finds(app, corpus):
    # Nothing chosen, the codes are counted grouped together; chosen, by their condition.
    everything = run(app, "")
    for item in search.FILTERS:
        if item.kind not in ("column", "choices"):
            continue
        for code, number in _counts(everything, item.name).items():
            assert run(app, f"{item.name}={code}").total == number, (item.name, code)


def test_counts_follow_the_words_searched_for(app, corpus):
    results = run(app, "q=predicting")
    assert results.total == 2
    assert _counts(results, "status")["retired"] == 1
    assert _counts(results, "organisation") == {
        "northshire-county-council": 1,
        "southvale-police": 1,
    }


def test_chosen_organisations_stay_offered_when_nothing_else_matches(app, corpus):
    results = run(app, "organisation=southvale-police&status=pilot")
    assert results.total == 0
    options = {o.code: (o.count, o.selected) for o in results.facet("organisation").options}
    assert options["southvale-police"] == (0, True)


def test_drafts_withdrawn_entries_and_unpublished_revisions_are_never_found(app, corpus):
    assert found(app, corpus, "q=secret") == []
    assert found(app, corpus, "q=face") == []
    assert found(app, corpus, "q=zebra") == []
    assert found(app, corpus, "q=renamed") == []
    listed = set(found(app, corpus, "page_size=100"))
    assert listed == set(VISIBLE)


def test_a_revision_in_progress_shows_the_published_version(app, corpus):
    (item,) = run(app, "q=library").items
    assert item.reference == corpus["revision"]
    assert item.version.title == "Library opening hours assistant"
    assert item.version.number == 1


def test_a_retired_tool_is_found_and_shows_as_retired(app, corpus):
    (item,) = run(app, "q=burglary").items
    assert item.version.status == "retired"
    assert item.version.number == 2


@pytest.mark.parametrize(
    ("sort", "first"),
    [("title", "Burglary hotspot prediction"), ("updated", "Library opening hours assistant")],
)
def test_results_sort_by_title_or_by_last_update(app, corpus, sort, first):
    titles = [item.version.title for item in run(app, f"sort={sort}").items]
    assert titles[0] == first
    if sort == "title":
        assert titles == sorted(titles)


def test_pages_split_the_results_in_order_without_overlap(app, corpus):
    everything = found(app, corpus, "sort=title")
    pages = [found(app, corpus, f"sort=title&page_size=4&page={n}") for n in (1, 2)]
    assert pages[0] + pages[1] == everything
    results = run(app, "sort=title&page_size=4&page=2")
    assert (results.first, results.last, results.page_count) == (5, 6, 2)
    assert run(app, "page=99999999").page_out_of_range


def test_matching_gives_every_result_in_the_same_order_as_the_pages(app, corpus):
    from register.extensions import db

    for params in ("q=chat", "status=in_use&sort=title", "q=predicting&sort=updated", ""):
        with app.app_context():
            query, _ = search.parse_query(MultiDict(parse_qsl(params)))
            streamed = [v.entry_id for v in db.session.scalars(search.matching(query))]
            paged = [item.version.entry_id for item in search.run(query).items]
        assert streamed == paged, params


def test_without_facets_a_search_gives_the_same_page_and_total(app, corpus):
    with app.app_context():
        query, _ = search.parse_query(MultiDict([("q", "predicting"), ("page_size", "1")]))
        bare = search.run(query, facets=False)
        whole = search.run(query)
    assert bare.facets == ()
    assert (bare.total, [i.reference for i in bare.items]) == (
        whole.total,
        [i.reference for i in whole.items],
    )
