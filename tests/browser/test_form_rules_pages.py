"""The record's rules in a real Chromium: dates and a company number that would make the
public page wrong are refused next to their questions, by keyboard; limited text shows
GOV.UK's character count as the person types; no axe-core violations."""

from __future__ import annotations

import pytest

from tests.browser.actions import sign_in_as, tab_to
from tests.manage_world import PEOPLE, WORLD

pytestmark = pytest.mark.browser
world = WORLD

ENTRY = "/manage/entries/AIR-00001"


def _type_into(page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.type(text)


def _save(page) -> None:
    tab_to(page, "button[name=save_and_continue]")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _error_next_to(page, field_id: str) -> str:
    group = page.locator(f".govuk-form-group:has(#{field_id})").last
    return group.locator(".govuk-error-message").inner_text()


def test_values_that_make_the_public_page_wrong_are_refused_next_to_their_fields(page, axe, world):
    world.entry()
    sign_in_as(page, PEOPLE["editor"][0])
    page.goto(f"{ENTRY}/about")
    tab_to(page, "input[name=status]")
    page.keyboard.press("Space")  # planned
    for _ in range(4):
        page.keyboard.press("ArrowDown")  # retired
    _type_into(page, "#started_on", "2024-06")
    _type_into(page, "#in_use_from", "2024-03")
    _type_into(page, "#retired_on", "2099-01-01")
    _type_into(page, "#retirement_reason", "Replaced by a new service.")
    _save(page)

    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert summary.locator("li").all_inner_texts() == [
        "The date it went into use must be the same as or after the date work started",
        "The date it was retired must be today or in the past",
    ]
    assert "must be today or in the past" in _error_next_to(page, "retired_on")
    assert "after the date work started" in _error_next_to(page, "in_use_from")
    axe(page)
    # The summary's link takes the keyboard to the question.
    tab_to(page, ".govuk-error-summary a[href='#retired_on']")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "retired_on"

    page.goto(f"{ENTRY}/technology")
    _type_into(page, "#supplier_company_number", "NOT-A-NUMBER!!")
    _save(page)
    assert "in the correct format, like 01234567 or SC123456" in _error_next_to(
        page, "supplier_company_number"
    )
    axe(page)


def test_limited_text_counts_its_characters_as_the_person_types(page, axe, world):
    world.entry()
    sign_in_as(page, PEOPLE["editor"][0])
    page.goto(f"{ENTRY}/about")
    status = page.locator(".govuk-character-count:has(#title) .govuk-character-count__status")
    # "Chatbot" is saved already: 7 of 120 characters.
    assert status.inner_text() == "You have 113 characters remaining"
    tab_to(page, "#title")
    page.keyboard.press("End")
    page.keyboard.type(" for housing repairs")
    page.wait_for_function(
        "document.querySelector('.govuk-character-count:has(#title) "
        ".govuk-character-count__status').textContent.includes('93')"
    )
    assert status.inner_text() == "You have 93 characters remaining"
    # Optional questions say so where they are asked.
    assert page.locator("label[for=team]").inner_text() == "Team (optional)"
    axe(page)
