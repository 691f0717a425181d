"""The pages for recording and reviewing entries, in a real Chromium: no axe-core violations,
with and without errors, and a whole entry recorded, submitted and published by keyboard."""

from __future__ import annotations

import pytest

from register import schema
from tests.browser.actions import answer_every_section, press, sign_in_as, type_into
from tests.manage_world import PEOPLE, WORLD

pytestmark = pytest.mark.browser
world = WORLD


def test_the_entry_pages_have_no_accessibility_violations(page, axe, world):
    world.entry(
        rows={
            "risks": [{"name": "Bias", "category": "bias_discrimination"}],
            "data_sources": [{"name": "Reports", "contains_personal_data": True}],
            "impact_assessments": [{"kind": "equality", "title": "Equality check"}],
        }
    )
    world.entry("in_review")
    world.entry("published")
    sign_in_as(page, PEOPLE["admin"][0])
    draft = "/manage/entries/AIR-00001"
    paths = [
        "/manage",
        "/manage/entries/new",
        draft,
        *[f"{draft}/{section.slug}" for section in schema.SECTIONS],
        f"{draft}/risks/add",
        f"{draft}/risks/1",
        f"{draft}/risks/1/remove",
        f"{draft}/data-sources/1",
        f"{draft}/impact-assessments/1",
        f"{draft}/check",
        f"{draft}/history",
        "/manage/entries/AIR-00002",
        "/manage/entries/AIR-00002/review",
        "/manage/entries/AIR-00003",
        "/manage/entries/AIR-00003/retire",
        "/manage/entries/AIR-00003/withdraw",
    ]
    for path in paths:
        assert page.goto(path).status == 200, path
        axe(page)


def test_the_entry_pages_with_errors_have_no_accessibility_violations(page, axe, world):
    world.entry()
    world.entry("in_review")
    sign_in_as(page, PEOPLE["publisher"][0])

    page.goto("/manage/entries/AIR-00001/about")
    page.fill("#title", "T" * 130)
    page.fill("#contact_email", "not an address")
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").is_visible()
    axe(page)

    page.goto("/manage/entries/AIR-00001/check")
    page.get_by_role("button", name="Submit for review").click()
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").is_visible()
    axe(page)

    page.goto("/manage/entries/AIR-00002/review")
    page.get_by_role("button", name="Send back").click()
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").is_visible()
    axe(page)


def test_a_conflict_page_has_no_accessibility_violations(page, axe, world):
    world.entry()
    sign_in_as(page, PEOPLE["editor"][0])
    page.goto("/manage/entries/AIR-00001/about")
    world.client("publisher").post(
        "/manage/entries/AIR-00001/about",
        {"lock_version": world.lock_version("AIR-00001"), "title": "Theirs"},
        302,
    )
    page.fill("#title", "Mine")
    page.get_by_role("button", name="Save as draft").click()
    page.wait_for_load_state()
    assert page.locator("#changes").is_visible()
    axe(page)


def test_an_entry_is_recorded_submitted_and_published_by_keyboard_alone(page, axe, world):
    sign_in_as(page, PEOPLE["editor"][0])
    axe(page)
    press(page, "a[href='/manage/entries/new']", axe)
    type_into(page, "#title", "Pothole report triage")  # the entry is created with its title
    press(page, "button[name=create]", axe)
    press(page, "a.govuk-task-list__link[href$='/about']", axe)

    answer_every_section(page, axe)

    assert page.locator("h1").inner_text() == "Other information"
    press(page, "button[name=save_and_continue]", axe)

    assert page.locator("h1").inner_text() == "Check your answers"
    assert "Quiet streets are ranked lower" in page.locator("main").inner_text()
    press(page, "button[name=submit_for_review]", axe)
    assert "submitted for review" in page.locator(".govuk-notification-banner").inner_text()
    press(page, "form[action='/sign-out'] button")

    sign_in_as(page, PEOPLE["publisher"][0])
    axe(page)
    press(page, "a[href='/manage/entries/AIR-00001']", axe)
    press(page, "a[href='/manage/entries/AIR-00001/review']", axe)
    press(page, "button[name=publish]", axe)
    assert "Version 1 of AIR-00001 is published." in page.locator("main").inner_text()
    assert world.state("AIR-00001") == "published"
