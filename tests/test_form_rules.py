"""The record's rules between answers, applied alike by the section forms, the submission API
and imports; what each question says about being needed; and the progress count."""

from __future__ import annotations

from datetime import date

import pytest

from register import validation
from register.importing.formats.atrs import ATRS
from register.importing.formats.us import US_2024
from register.validation import counted_questions

from .factories import publishable_values
from .import_files import atrs_csv, entry_of, us_2024_csv, warned
from .manage_world import WORLD, messages
from .submission_world import SUBMISSIONS, Api, error_fields, make_token

world = WORLD

ENTRY = "/manage/entries/AIR-00001"
ABOUT = f"{ENTRY}/about"
RETIRED_IN_FUTURE = "The date it was retired must be today or in the past"
IN_USE_IN_FUTURE = (
    "The date it went into use must be today or in the past for a tool in use or retired"
)
IN_USE_BEFORE_START = "The date it went into use must be the same as or after the date work started"
BAD_COMPANY_NUMBER = (
    "Enter the supplier’s company number in the correct format, like 01234567 or SC123456"
)
ASSESSED_IN_FUTURE = "The date of the impact assessment must be today or in the past"


@pytest.fixture(autouse=True)
def today(monkeypatch):
    """Every rule about dates sees 1 May 2026."""
    monkeypatch.setattr(validation, "today", lambda: date(2026, 5, 1))


def about(world, **answers: str) -> dict[str, str]:
    return {"lock_version": world.lock_version("AIR-00001"), "title": "Chatbot", **answers}


def error_at(page, field_id: str) -> str:
    group = page.find(id=field_id).find_parent(class_="govuk-form-group")
    return group.select_one(".govuk-error-message").get_text(" ", strip=True)


# The section forms ---------------------------------------------------------------------


def test_dates_that_make_the_public_page_wrong_are_refused_next_to_their_questions(world):
    world.entry()
    lock = world.lock_version("AIR-00001")
    editor = world.client("editor")
    page = editor.post_page(
        ABOUT,
        about(
            world,
            status="retired",
            started_on="2024-06",
            in_use_from="2024-03",
            retired_on="2099-01-01",
            retirement_reason="Replaced",
        ),
    )
    assert messages(page) == [IN_USE_BEFORE_START, RETIRED_IN_FUTURE]
    assert error_at(page, "in_use_from") == f"Error: {IN_USE_BEFORE_START}"
    assert error_at(page, "retired_on") == f"Error: {RETIRED_IN_FUTURE}"
    links = [a["href"] for a in page.select(".govuk-error-summary__list a")]
    assert links == ["#in_use_from", "#retired_on"]
    assert world.lock_version("AIR-00001") == lock

    page = editor.post_page(ABOUT, about(world, status="in_use", in_use_from="2031"))
    assert messages(page) == [IN_USE_IN_FUTURE]
    # A planned tool may give the date it is planned to go into use.
    editor.post(ABOUT, about(world, status="planned", in_use_from="2031"), 302)
    assert world.draft_values("AIR-00001")["in_use_from"] == "2031"


def test_a_company_number_and_an_impact_assessment_date_are_checked_on_their_pages(world):
    world.entry()
    editor = world.client("editor")
    technology = {"lock_version": world.lock_version("AIR-00001")}
    page = editor.post_page(
        f"{ENTRY}/technology", {**technology, "supplier_company_number": "NOT-A-NUMBER!!"}
    )
    assert messages(page) == [BAD_COMPANY_NUMBER]
    assert error_at(page, "supplier_company_number") == f"Error: {BAD_COMPANY_NUMBER}"
    editor.post(f"{ENTRY}/technology", {**technology, "supplier_company_number": "SC123456"}, 302)

    row = {"lock_version": world.lock_version("AIR-00001"), "title": "DPIA", "date": "2099"}
    page = editor.post_page(f"{ENTRY}/impact-assessments/add", row)
    assert messages(page) == [ASSESSED_IN_FUTURE]
    assert error_at(page, "date") == f"Error: {ASSESSED_IN_FUTURE}"
    assert world.draft_rows("AIR-00001")["impact_assessments"] == []


def test_a_date_that_has_become_wrong_is_listed_at_the_check_page_and_stops_submission(
    world, monkeypatch
):
    # Saved when 2031 was past; read now, when it is not.
    monkeypatch.setattr(validation, "today", lambda: date(2032, 1, 1))
    world.entry(values=publishable_values(in_use_from="2031"))
    monkeypatch.setattr(validation, "today", lambda: date(2026, 5, 1))
    editor = world.client("editor")
    check = editor.get(f"{ENTRY}/check")
    assert IN_USE_IN_FUTURE in check.main.get_text(" ", strip=True)
    page = editor.post_page(f"{ENTRY}/submit", form_url=f"{ENTRY}/check")
    assert messages(page) == [IN_USE_IN_FUTURE]
    assert [a["href"] for a in page.select(".govuk-error-summary__list a")] == [
        f"{ABOUT}#in_use_from"
    ]
    assert world.state("AIR-00001") == "draft"


# The submission API ----------------------------------------------------------------------


def test_the_api_refuses_the_same_values_naming_each_field(world):
    api = Api(world, make_token(world))
    body = publishable_values(
        status="retired",
        in_use_from="2024",
        retired_on="2099-01-01",
        retirement_reason="Replaced",
        built_by="external_supplier",
        supplier_name="Acme",
        supplier_company_number="NOT-A-NUMBER!!",
        impact_assessments=[{"title": "DPIA", "date": "2099"}],
    )
    fields = error_fields(api.post(SUBMISSIONS, body), 422)
    assert fields == {
        "retired_on": RETIRED_IN_FUTURE,
        "supplier_company_number": BAD_COMPANY_NUMBER,
        "impact_assessments-1-date": ASSESSED_IN_FUTURE,
    }
    fields = error_fields(
        api.post(SUBMISSIONS, publishable_values(started_on="2025", in_use_from="2024-05")), 422
    )
    assert fields == {"in_use_from": IN_USE_BEFORE_START}


# Imports ---------------------------------------------------------------------------------


def test_an_import_keeps_a_value_that_breaks_a_rule_in_other_information():
    entry = entry_of(
        US_2024,
        us_2024_csv(
            [
                {
                    "name": "Babel",
                    "stage": "Retired",
                    "initiated": "2019-01-01",
                    "implemented": "2018-06-01",
                    "retired": "2099-01-01",
                }
            ]
        ),
    )
    assert entry.values["started_on"] == "2019-01-01"
    assert "in_use_from" not in entry.values and "retired_on" not in entry.values
    other = entry.values["other_information"]
    assert "Date Implemented: 2018-06-01" in other and "Date Retired: 2099-01-01" in other
    assert warned(entry, "Date Implemented") == [
        f"{IN_USE_BEFORE_START}; kept in Other information"
    ]
    assert warned(entry, "Date Retired") == [f"{RETIRED_IN_FUTURE}; kept in Other information"]


def test_an_import_keeps_a_company_number_and_an_assessment_date_it_cannot_use():
    entry = entry_of(
        ATRS,
        atrs_csv(
            [
                {
                    "name": "Triage",
                    "external_supplier_identifier": "NOT-A-NUMBER!!",
                    "impact_assessment_name": "DPIA",
                    "impact_assessment_date": "2099-01-01",
                }
            ],
        ),
    )
    assert "supplier_company_number" not in entry.values
    assert all("date" not in row for row in entry.rows["impact_assessments"])
    other = entry.values["other_information"]
    assert "NOT-A-NUMBER!!" in other and "2099-01-01" in other
    assert warned(entry, "external_supplier_identifier") == [
        f"{BAD_COMPANY_NUMBER}; kept in Other information"
    ]


# What each question says about being needed ----------------------------------------------


def label_of(page, field_id: str) -> str:
    element = page.find(id=field_id)
    if element.get("type") in ("radio", "checkbox"):  # the fieldset's legend asks the question
        return element.find_parent("fieldset").legend.get_text(" ", strip=True)
    return page.select_one(f"label[for={field_id}]").get_text(" ", strip=True)


def hint_of(page, field_id: str) -> str:
    return page.select_one(f"#{field_id}-hint").get_text(" ", strip=True)


def test_optional_questions_say_so_and_conditional_ones_say_when_they_are_needed(world):
    world.entry()
    editor = world.client("editor")
    page = editor.get(ABOUT)
    assert label_of(page, "title") == "Title"
    assert label_of(page, "status") == "Status"
    assert label_of(page, "team") == "Team (optional)"
    assert label_of(page, "web_page") == "Web page (optional)"
    assert label_of(page, "in_use_from") == "In use from"
    assert hint_of(page, "in_use_from").endswith("Needed when the tool is in use or retired.")
    assert hint_of(page, "retired_on").endswith("Needed when the tool is retired.")

    data = editor.get(f"{ENTRY}/data")
    assert label_of(data, "uses_personal_data") == "Does the tool use personal data?"
    assert label_of(data, "uses_special_category_data") == (
        "Does the tool use special category data? (optional)"
    )
    link = data.select_one("#uses_special_category_data-hint a")
    assert link["href"].startswith("https://ico.org.uk/")
    assert link.get_text().endswith("(opens in new tab)")

    technology = editor.get(f"{ENTRY}/technology")
    assert "Needed when an external supplier built the tool" in hint_of(technology, "supplier_name")
    risks = editor.get(f"{ENTRY}/risks")
    assert risks.select_one("#eu_ai_act_category-hint a")["href"].startswith(
        "https://eur-lex.europa.eu/"
    )
    oversight = editor.get(f"{ENTRY}/oversight")
    choice = oversight.select_one("input[name=oversight_model][value=human_on_the_loop]")
    item = choice.find_parent(class_="govuk-radios__item")
    assert item.label.get_text(strip=True) == "Human on the loop"
    assert (
        item.select_one(".govuk-radios__hint")
        .get_text(" ", strip=True)
        .startswith("The tool acts on its own; people watch what it does")
    )
    purpose = editor.get(f"{ENTRY}/purpose")
    assert purpose.select_one("#legal_basis-hint a")["href"].startswith("https://ico.org.uk/")


def test_limited_text_questions_show_govuk_s_character_count(world):
    world.entry()
    page = world.client("editor").get(ABOUT)
    for field_id, limit in (("title", "120"), ("team", "200"), ("summary", "500")):
        counted = page.find(id=field_id).find_parent(class_="govuk-character-count")
        assert counted["data-module"] == "govuk-character-count"
        assert counted["data-maxlength"] == limit
        assert "govuk-js-character-count" in page.find(id=field_id)["class"]
        info = page.find(id=f"{field_id}-info")
        assert info.get_text(strip=True) == f"You can enter up to {limit} characters"
        assert f"{field_id}-info" in page.find(id=field_id)["aria-describedby"]


# The progress count ----------------------------------------------------------------------


def completeness(page) -> str:
    return page.select_one("#completeness").get_text(" ", strip=True)


def missing(page) -> list[str]:
    return [item.get_text(" ", strip=True) for item in page.select("#missing-answers li")]


def test_the_progress_count_keeps_its_total_and_lists_the_missing_answers(world):
    world.entry()
    editor = world.client("editor")
    total = len(counted_questions())
    task_list = editor.get(ENTRY)
    assert completeness(task_list) == f"1 of {total} required and recommended questions answered."
    assert "About the tool: Team (recommended)" in missing(task_list)
    assert "About the tool: Status (needed to publish)" in missing(task_list)

    editor.post(ABOUT, about(world, status="retired", team="Highways"), 302)
    task_list = editor.get(ENTRY)
    # The status calls for dates it does not have yet, so it does not count as answered.
    assert completeness(task_list) == f"2 of {total} required and recommended questions answered."
    found = missing(task_list)
    assert "About the tool: In use from (needed to publish)" in found
    assert "About the tool: Retired on (needed to publish)" in found
    assert not any(line.startswith("About the tool: Team") for line in found)
    link = task_list.select_one("#missing-answers a[href$='#retired_on']")
    assert link["href"] == f"{ABOUT}#retired_on"

    editor.post(
        ABOUT,
        about(
            world,
            status="retired",
            team="Highways",
            in_use_from="2020",
            retired_on="2021",
            retirement_reason="Replaced",
        ),
        302,
    )
    check = editor.get(f"{ENTRY}/check")
    assert completeness(check) == f"3 of {total} required and recommended questions answered."


def test_the_check_page_gives_each_missing_answer_its_question_s_message(world):
    world.entry()
    page = world.client("editor").get(f"{ENTRY}/check")
    text = page.main.get_text(" ", strip=True)
    for message in (
        "Select whether the tool uses personal data",
        "Select where the tool is in its life",
        "Enter how a member of the public can challenge an outcome",
    ):
        assert message in text


def test_choices_keep_their_hints_every_time_a_page_is_shown(world):
    world.entry()
    editor = world.client("editor")
    for _ in range(3):
        page = editor.get(f"{ENTRY}/oversight")
        choice = page.select_one("input[name=oversight_model][value=human_on_the_loop]")
        hint = choice.find_parent(class_="govuk-radios__item").select_one(".govuk-radios__hint")
        assert hint is not None
        assert hint.get_text(strip=True).startswith("The tool acts on its own")
