"""What the record definition says a valid answer is, and what a person is told: every
question has its own messages, and the rules between answers point at real questions."""

from __future__ import annotations

from datetime import date

import pytest

from register import schema, validation
from register.schema import Kind
from register.schema.fields import COUNTED_FROM
from register.validation import broken_rules, check_value, counted_questions, is_after

ASKED = [
    *(field for field in schema.all_fields()),
    *(field for group in schema.groups() for field in group.fields),
]
DATES = {field.name for field in schema.all_fields() if field.kind is Kind.PARTIAL_DATE}


def field(name: str) -> schema.Field:
    return next(item for item in schema.all_fields() if item.name == name)


def row_field(group: str, name: str) -> schema.Field:
    return next(g for g in schema.groups() if g.name == group).get(name)


@pytest.fixture
def today_is(monkeypatch):
    """Set the day every rule about dates sees."""

    def set_today(day: date) -> None:
        monkeypatch.setattr(validation, "today", lambda: day)

    return set_today


@pytest.mark.parametrize("item", ASKED, ids=lambda item: item.name)
def test_every_question_has_its_own_messages_not_made_from_its_label(item):
    messages = item.messages
    assert messages is not None, f"{item.name} has no messages"
    label = item.label.lower()
    made_from_label = {f"Enter {label}", f"Select {label}", f"Enter the {label}"}
    assert messages.missing not in made_from_label
    assert messages.missing.split()[0] in ("Enter", "Select")
    assert "?" not in messages.missing
    if item.kind in (Kind.CHOICE, Kind.CHOICES, Kind.BOOLEAN, Kind.ORGANISATION):
        assert messages.missing.startswith("Select")
    else:
        assert messages.missing.startswith("Enter") and messages.name
    if item.kind in (Kind.EMAIL, Kind.URL, Kind.PARTIAL_DATE) or item.pattern:
        assert messages.invalid.startswith("Enter") and "like " in messages.invalid


def test_a_yes_or_no_question_asks_whether_not_the_question_itself():
    assert field("uses_personal_data").messages.missing == (
        "Select whether the tool uses personal data"
    )
    assert field("in_use_from").messages.missing == "Enter the date the tool went into use"


@pytest.mark.parametrize("item", ASKED, ids=lambda item: item.name)
def test_rules_compare_dates_with_dates_of_the_same_record_or_row(item):
    group = next((g for g in schema.groups() if item in g.fields), None)
    names = {f.name for f in (group.fields if group else schema.all_fields())}
    for rule in item.rules:
        if rule.not_before:
            assert rule.not_before in names and rule.not_before in DATES | {"date"}
        if rule.when:
            other, codes = rule.when
            assert set(codes) <= set(field(other).vocabulary.codes)


def test_a_question_required_by_another_answer_says_when_and_counts_within_that_answer():
    counted = {item.name for item in counted_questions()}
    for item in schema.all_fields():
        if item.required_if:
            assert item.needed_when and not item.is_optional
            assert item.required_if[0] in counted
            assert item.name not in counted


def test_partial_dates_compare_at_the_precision_of_the_less_precise():
    assert is_after("2025", "2024-12-31")
    assert not is_after("2024", "2024-06")
    assert not is_after("2024-06", "2024")
    assert is_after("2024-07", "2024-06-30")
    assert not is_after("2024-06-30", "2024-06")


@pytest.mark.parametrize(
    "number",
    ["01234567", "SC123456", "sc123456", "NI012345", "OC301234", "HRB 86891", "552 100 554"],
)
def test_company_numbers_of_uk_and_other_registers_are_accepted(number):
    assert check_value(field("supplier_company_number"), number) is None


@pytest.mark.parametrize(
    "number", ["NOT-A-NUMBER!!", "ABCDEFGH", "0123 4567!", "-01234567", "12--34"]
)
def test_what_is_not_a_company_number_is_refused_with_the_question_s_message(number):
    assert check_value(field("supplier_company_number"), number) == (
        "Enter the supplier’s company number in the correct format, like 01234567 or SC123456"
    )


def test_dates_of_what_has_happened_are_not_in_the_future(today_is):
    today_is(date(2026, 5, 1))
    assert check_value(field("retired_on"), "2026-05") is None
    assert check_value(field("retired_on"), "2026-05-02") == (
        "The date it was retired must be today or in the past"
    )
    assert check_value(row_field("impact_assessments", "date"), "2099") == (
        "The date of the impact assessment must be today or in the past"
    )
    today_is(date(2099, 1, 1))
    assert check_value(field("retired_on"), "2099-01-01") is None


def test_a_tool_in_use_went_into_use_by_today_but_a_planned_one_may_give_a_future_date(today_is):
    today_is(date(2026, 5, 1))
    fields = schema.all_fields()
    in_use = {"status": "in_use", "in_use_from": "2031"}
    assert broken_rules(fields, in_use) == {
        "in_use_from": "The date it went into use must be today or in the past for a tool in "
        "use or retired"
    }
    assert broken_rules(fields, {**in_use, "status": "pilot"}) == {}
    assert broken_rules(fields, {"status": "planned", "started_on": "2027"}) == {}
    assert "started_on" in broken_rules(fields, {"status": "pilot", "started_on": "2027"})


def test_dates_follow_one_another_and_a_rule_waits_for_both_answers():
    fields = schema.all_fields()
    assert broken_rules(fields, {"started_on": "2024-06", "in_use_from": "2024-03"}) == {
        "in_use_from": "The date it went into use must be the same as or after the date work "
        "started"
    }
    assert broken_rules(fields, {"started_on": "2024-06", "in_use_from": "2024"}) == {}
    retired = broken_rules(fields, {"in_use_from": "2024", "retired_on": "2023-12"})
    assert retired == {
        "retired_on": "The date it was retired must be the same as or after the date it went "
        "into use"
    }
    # The other answer is blank, or not a date: its own message says what is wrong.
    assert broken_rules(fields, {"retired_on": "2023-12"}) == {}
    assert broken_rules(fields, {"in_use_from": "soon", "retired_on": "2023-12"}) == {}


def test_the_progress_count_has_the_same_total_whatever_the_answers():
    totals = {
        validation.completeness(values, {})[1]
        for values in (
            {},
            {"status": "in_use"},
            {"status": "retired"},
            {"built_by": "external_supplier"},
        )
    }
    assert totals == {len(counted_questions())}


def test_a_status_that_calls_for_dates_is_not_counted_until_they_are_given():
    answered, _ = validation.completeness({"status": "retired"}, {})
    assert answered == 0
    missing = [item.name for item in validation.missing_answers({"status": "retired"}, {})]
    assert {"in_use_from", "retired_on", "retirement_reason"} <= set(missing)
    assert "status" not in missing
    values = {
        "status": "retired",
        "in_use_from": "2020",
        "retired_on": "2021",
        "retirement_reason": "Replaced",
    }
    assert validation.completeness(values, {})[0] == 1


def test_long_and_limited_text_questions_show_a_character_count():
    counted = {item.name for item in ASKED if item.is_counted}
    assert {"title", "team", "summary", "supplier_name"} <= counted
    assert "supplier_company_number" not in counted
    assert all(
        item.max_length >= COUNTED_FROM for item in ASKED if item.is_counted and item.max_length
    )
