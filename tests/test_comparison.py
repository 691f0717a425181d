"""Comparing two versions' answers, without a database: words, choices, rows and counts."""

from __future__ import annotations

from register import schema
from register.comparison import (
    ADDED,
    CHANGED,
    EQUAL,
    REMOVED,
    Piece,
    compare,
    compare_field,
    compare_rows,
    compare_words,
)

from .factories import publishable_values

FIELDS = {f.name: f for f in schema.all_fields()}
RISKS = next(g for g in schema.groups() if g.name == "risks")
NO_ROWS: dict = {}


def test_words_added_and_removed_are_marked_and_the_rest_kept():
    pieces = compare_words("The cat sat on the mat.", "The black cat sat on a mat.")
    assert pieces == (
        Piece(EQUAL, "The "),
        Piece(ADDED, "black"),
        Piece(EQUAL, " cat sat on "),
        Piece(REMOVED, "the"),
        Piece(EQUAL, " "),
        Piece(ADDED, "a"),
        Piece(EQUAL, " mat."),
    )


def test_reading_only_the_kept_and_added_words_gives_the_new_text():
    before = "First paragraph here.\n\nSecond one, which is longer and changes."
    after = "First paragraph, rewritten.\n\nSecond one, which is longer and still changes."
    pieces = compare_words(before, after)
    assert "".join(p.text for p in pieces if p.kind != REMOVED).split() == after.split()
    assert "".join(p.text for p in pieces if p.kind != ADDED).split() == before.split()


def test_words_replaced_at_the_end_stay_apart():
    assert compare_words("one two", "one three") == (
        Piece(EQUAL, "one "),
        Piece(REMOVED, "two"),
        Piece(EQUAL, " "),
        Piece(ADDED, "three"),
    )


def test_text_given_for_the_first_time_is_all_added():
    assert compare_words("", "Brand new") == (Piece(ADDED, "Brand new"),)


def test_blank_answers_are_the_same_however_they_are_stored():
    assert compare_field(FIELDS["team"], None, "") is None
    assert compare_field(FIELDS["techniques"], [], None) is None
    assert compare_field(FIELDS["uses_special_category_data"], None, None) is None


def test_no_is_a_change_from_not_provided():
    change = compare_field(FIELDS["uses_special_category_data"], None, False)
    assert change is not None and (change.before, change.after) == (None, False)


def test_a_long_text_change_compares_words_and_a_short_one_does_not():
    assert compare_field(FIELDS["purpose"], "a b", "a c").words
    assert compare_field(FIELDS["title"], "a b", "a c").words == ()


def test_rows_are_matched_by_name_whatever_their_place():
    before = [{"name": "Bias"}, {"name": "Drift"}]
    after = [{"name": "Drift", "mitigation": "Retrain"}, {"name": "Outage"}]
    changes = list(compare_rows(RISKS, before, after))
    assert [(c.kind, c.number, c.row["name"]) for c in changes] == [
        (REMOVED, 1, "Bias"),
        (CHANGED, 1, "Drift"),
        (ADDED, 2, "Outage"),
    ]
    assert [f.field.name for f in changes[1].changes] == ["mitigation"]
    assert all(f.after is None for f in changes[0].changes)


def test_a_renamed_row_is_one_change_not_a_removal_and_an_addition():
    changes = list(compare_rows(RISKS, [{"name": "Bias"}], [{"name": "Unfair outcomes"}]))
    assert [(c.kind, [f.field.name for f in c.changes]) for c in changes] == [(CHANGED, ["name"])]


def test_identical_versions_have_no_changes_and_every_question_unchanged():
    values = publishable_values()
    result = compare(values, NO_ROWS, dict(values), NO_ROWS)
    assert result.changed == 0
    questions = sum(
        1
        for s in schema.SECTIONS
        for item in s.items
        if isinstance(item, schema.Group) or item.kind is not schema.Kind.ORGANISATION
    )
    assert result.unchanged == questions


def test_changes_are_grouped_by_section_in_the_schemas_order():
    before = publishable_values()
    after = publishable_values(risk_level="high", title="New", techniques=["rule_based"])
    result = compare(before, NO_ROWS, after, {"risks": [{"name": "Bias"}]})
    changed = {
        s.section.slug: [f.field.name for f in s.fields] + [g.group.name for g in s.groups]
        for s in result.sections
        if s.changed
    }
    assert changed == {
        "about": ["title"],
        "technology": ["techniques"],
        "risks": ["risk_level", "risks"],
    }
    assert result.changed == 4
