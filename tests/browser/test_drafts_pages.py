"""Drafts and the steps that are confirmed, in a real Chromium: an entry created when its
title is saved and deleted after confirming, by keyboard; an entry copied from its public
page; retiring previewed and withdrawing confirmed. axe-core on each new page."""

from __future__ import annotations

import pytest

from tests.browser.actions import press, sign_in_as, tab_to
from tests.manage_world import PEOPLE, WORLD

pytestmark = pytest.mark.browser
world = WORLD


def test_an_entry_is_created_when_its_title_is_saved_and_deleted_after_confirming(page, axe, world):
    sign_in_as(page, PEOPLE["editor"][0])
    press(page, "a[href='/manage/entries/new']", axe)
    press(page, "button[name=create]", axe)  # no title yet: an error, and no entry
    assert "Enter the tool’s title" in page.locator(".govuk-error-summary").inner_text()
    tab_to(page, "#title")
    page.keyboard.type("Pothole report triage")
    press(page, "button[name=create]", axe)
    assert page.locator("h1").inner_text() == "Pothole report triage"
    assert page.url.endswith("/manage/entries/AIR-00001")

    press(page, "a[href='/manage/entries/AIR-00001/delete']", axe)
    assert "You cannot undo this." in page.locator(".govuk-warning-text").inner_text()
    press(page, "button[name=delete]")
    assert page.url.endswith("/manage")
    assert "has been deleted" in page.locator(".govuk-notification-banner").inner_text()
    assert page.goto("/manage/entries/AIR-00001").status == 404


def test_an_editor_starts_an_entry_from_another_councils_public_entry(page, axe, world):
    world.entry("published")
    sign_in_as(page, PEOPLE["outside_editor"][0])
    page.goto("/manage/entries/copy")
    axe(page)
    tab_to(page, "#q")
    page.keyboard.type("pothole")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    axe(page)
    assert page.locator("#found").inner_text() == "1 entry found"

    page.goto("/entries/AIR-00001")
    page.get_by_role("link", name="Use this entry as a start").click()
    page.wait_for_load_state()
    axe(page)
    assert "Public contact email" in page.locator("#not-copied-list").inner_text()
    press(page, "button[name=copy]", axe)
    assert page.url.endswith("/manage/entries/AIR-00002")
    assert "This is a copy of AIR-00001." in page.locator(".govuk-notification-banner").inner_text()


def test_retiring_is_previewed_and_withdrawing_is_confirmed(page, axe, world):
    world.entry("published")
    world.entry("published")
    sign_in_as(page, PEOPLE["publisher"][0])
    page.goto("/manage/entries/AIR-00001/retire")
    tab_to(page, "#retirement_reason")
    page.keyboard.type("Replaced by the new highways system.")
    press(page, "button[name=check]", axe)
    preview = page.locator("#public-preview").inner_text()
    assert "This tool is no longer in use." in preview
    assert "Replaced by the new highways system." in preview
    press(page, "button[name=retire]")
    assert "The tool is recorded as retired." in page.locator("main").inner_text()
    page.context.clear_cookies()  # an administrator now, in the same browser

    sign_in_as(page, PEOPLE["admin"][0])
    page.goto("/manage/entries/AIR-00002/withdraw")
    tab_to(page, "#reason")
    page.keyboard.type("Published in error.")
    press(page, "button[name=withdraw]", axe)  # not confirmed: an error at the checkbox
    assert "cannot be undone" in page.locator("#understood-error").inner_text()
    tab_to(page, "#understood")
    page.keyboard.press("Space")
    press(page, "button[name=withdraw]")
    assert world.state("AIR-00002") == "withdrawn"
