"""Reading a search from query-string parameters, and writing it back as the canonical URL."""

from __future__ import annotations

from urllib.parse import parse_qsl

import pytest
from werkzeug.datastructures import MultiDict

from register import schema
from register.search import FILTERS, SearchError, SearchQuery, parse_query
from register.search.text import MAX_TERMS, terms_of


def parsed(params: str, **options) -> tuple[SearchQuery, list[str]]:
    return parse_query(MultiDict(parse_qsl(params, keep_blank_values=True)), **options)


def test_the_filters_are_the_schema_s_filter_fields_the_organisation_s_type_and_review():
    names = [item.name for item in FILTERS]
    expected = [field.name for field in schema.all_fields() if field.filter]
    added = ("organisation_type", "review", "source", "supplier", "published")
    assert [name for name in names if name not in added] == expected
    assert names.index("organisation_type") == names.index("organisation") + 1
    assert names[-4:] == ["review", "source", "supplier", "published"]
    for item in FILTERS:
        field = next((f for f in schema.all_fields() if f.name == item.name), None)
        if field is not None and field.vocabulary is not None:
            assert item.codes == field.vocabulary.codes


def test_a_plain_mapping_of_lists_is_read_like_a_query_string(app_context):
    query, notices = parse_query({"status": ["pilot", "in_use"], "q": ["chatbot"], "page": ["2"]})
    assert notices == []
    assert query == SearchQuery(text="chatbot", filters=(("status", ("pilot", "in_use")),), page=2)


def test_the_canonical_parameters_leave_out_defaults_and_keep_the_schema_s_order(app_context):
    query, _ = parsed(
        "risk_level=high&status=in_use&status=pilot&q=+chat++bot+&sort=updated&page=1&page_size=20"
    )
    assert query.to_params() == [
        ("q", "chat bot"),
        ("status", "pilot"),
        ("status", "in_use"),
        ("risk_level", "high"),
        ("sort", "updated"),
    ]
    assert parse_query(MultiDict(query.to_params()))[0] == query
    assert query.at_page(3).to_params(paging=False) == query.to_params()
    months, _ = parsed("published=2025-03&review=overdue&published=2024-12")
    assert months.to_params() == [
        ("review", "overdue"),
        ("published", "2024-12"),
        ("published", "2025-03"),
    ]


def test_without_words_relevance_is_not_an_order_worth_writing_down(app_context):
    query, _ = parsed("sort=relevance")
    assert query.order == "updated"
    assert query.to_params() == []
    assert parsed("q=chatbot")[0].order == "relevance"


def test_removing_a_code_or_the_text_goes_back_to_the_first_page(app_context):
    query, _ = parsed("q=chat&status=pilot&status=in_use&page=3")
    assert query.without("status", "pilot").to_params() == [("q", "chat"), ("status", "in_use")]
    assert query.without_text().to_params() == [("status", "pilot"), ("status", "in_use")]


@pytest.mark.parametrize(
    ("params", "notice"),
    [
        ("status=sideways", "“sideways” is not a known status"),
        ("organisation=nowhere", "“nowhere” is not a known organisation"),
        ("organisation_type=club", "“club” is not a known organisation type"),
        ("uses_personal_data=maybe", "not a known does the tool use personal data?"),
        ("sort=bogus", "cannot be sorted by “bogus”"),
        ("page=0", "There is no page “0”"),
        ("page=-3", "There is no page “-3”"),
        ("page=abc", "There is no page “abc”"),
        ("page=1e3", "There is no page “1e3”"),
        ("page=%C2%B2", "There is no page “²”"),
        ("page=" + "9" * 5000, "There is no page"),
        ("page_size=0", "is not a number of results per page"),
        ("page_size=1000", "At most 100 results are shown on a page"),
        ("published=2025-13", "“2025-13” is not a month such as 2025-03"),
        ("published=2025", "“2025” is not a month"),
        ("published=abc", "“abc” is not a month"),
    ],
)
def test_a_parameter_that_cannot_be_used_is_left_out_with_a_notice(app_context, params, notice):
    query, notices = parsed(params)
    assert len(notices) == 1 and notice in notices[0], notices
    assert query.filters == ()
    assert query.page == 1
    assert query.sort == ""
    assert query.page_size == (100 if "1000" in params else 20)


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ("status=sideways", "status"),
        ("organisation=nowhere", "organisation"),
        ("sort=bogus", "sort"),
        ("page=0", "page"),
        ("page_size=1000", "page_size"),
        ("published=2025-13", "published"),
        ("published=2025", "published"),
    ],
)
def test_strict_reading_refuses_what_it_cannot_use_and_says_which_parameter(
    app_context, params, parameter
):
    with pytest.raises(SearchError) as refused:
        parsed(params, strict=True)
    assert refused.value.parameter == parameter
    assert refused.value.message


def test_an_unknown_code_beside_known_ones_is_left_out_without_widening_the_rest(app_context):
    query, notices = parsed("status=pilot&status=sideways")
    assert query.codes("status") == ("pilot",)
    assert notices


def test_repeated_parameters(app_context):
    query, notices = parsed("q=council&q=tax&page=2&page=5&sort=title&sort=updated&status=pilot")
    assert notices == []
    assert (query.text, query.page, query.sort) == ("council tax", 2, "title")
    assert parsed("status=pilot&status=pilot")[0].codes("status") == ("pilot",)


def test_a_very_page_far_away_is_kept_for_the_results_to_say_it_is_empty(app_context):
    assert parsed("page=99999999")[0].page == 99999999


@pytest.mark.parametrize(
    ("text", "words", "phrases"),
    [
        ("Chatbot", ("chatbot",), ()),
        ('"council tax" bills', ("bill",), (("council", "tax"),)),
        ("“home care”", (), (("home", "care"),)),
        ('"open quote', ("open", "quot"), ()),
        ('"one"', ("one",), ()),
        ("NEAR(a, b) AND * -c", ("near", "b", "c"), ()),
        ("the rules of the road", ("rule", "road"), ()),
        ('"the rules of the road"', (), (("the", "rule", "of", "the", "road"),)),
        ("'; DROP TABLE entry; --", ("drop", "tabl", "entri"), ()),
        ("snake_case col:val", ("snake", "case", "col", "val"), ()),
        ("café naïve", ("cafe", "naiv"), ()),
        ("children's childrens children’s", ("children",), ()),
        ('"children’s services"', (), (("children", "servic"),)),
        ('"community well-being"', (), (("communiti", "well", "be"),)),
        ("\ufffd\ufffd", (), ()),
    ],
)
def test_the_search_box_gives_the_stems_of_words_and_phrases_of_letters_and_digits(
    text, words, phrases
):
    terms, _ = terms_of(text)
    assert terms.words == words
    assert terms.phrases == phrases


@pytest.mark.parametrize(
    ("text", "compounds"),
    [
        ("well-being", (("wellb", ("well", "be")),)),
        ("GPT-4 e‑mail", (("gpt4", ("gpt", "4")), ("email", ("e", "mail")))),
    ],
)
def test_a_hyphenated_word_is_looked_for_joined_or_as_its_parts(text, compounds):
    terms, _ = terms_of(text)
    assert (terms.words, terms.compounds) == ((), compounds)


@pytest.mark.parametrize(
    ("text", "reference"),
    [
        ("AIR-00042", "AIR-00042"),
        ("air-00042", "AIR-00042"),
        (" AIR 00042 ", "AIR-00042"),
        ("Air00042", "AIR-00042"),
        ("AIR-123456", "AIR-123456"),
        ("AIR-42", ""),
        ("air 2024", ""),
        ("XYZ-00042", ""),
        ("AIR-00042 chatbot", ""),
    ],
)
def test_a_search_of_only_a_reference_looks_for_that_entry(text, reference):
    terms, notices = terms_of(text)
    assert (terms.reference, notices) == (reference, ())
    if reference:
        assert (terms.words, terms.phrases, terms.compounds) == ((), (), ())


def test_long_searches_are_cut_down_with_a_notice():
    terms, notices = terms_of(" ".join(f"word{n}" for n in range(100)))
    assert len(terms.words) == MAX_TERMS
    assert notices == (f"Only the first {MAX_TERMS} words of your search were used.",)
    terms, notices = terms_of("x" * 2000)
    assert not terms
    assert any("longer than" in notice for notice in notices)


def test_a_search_of_only_common_words_says_it_was_not_used():
    terms, notices = terms_of("the of and")
    assert not terms
    assert "only very common words" in notices[0]
    assert terms_of("***")[1] == ("Your search has no letters or numbers, so it was not used.",)


def test_yes_or_no_filters_take_true_and_false_as_the_downloads_write_them(app_context):
    assert parsed("uses_personal_data=true")[0] == parsed("uses_personal_data=yes")[0]
    assert parsed("uses_personal_data=false")[0] == parsed("uses_personal_data=no")[0]
    assert parsed("uses_personal_data=true")[0].codes("uses_personal_data") == ("yes",)
    with pytest.raises(SearchError):
        parsed("uses_personal_data=maybe", strict=True)
