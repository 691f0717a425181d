"""Bulk actions in a real Chromium: a publisher ticks entries on the dashboard by keyboard,
reads the confirmation with what stops one of them, unticks it and publishes the rest,
without JavaScript doing any of it and without axe-core violations."""

from __future__ import annotations

import pytest

from tests.browser.actions import sign_in_as, tab_to
from tests.manage_world import PEOPLE, WORLD
from tests.test_import_real_us import imported_sample_2025

pytestmark = pytest.mark.browser
world = WORLD


def test_a_publisher_publishes_several_submissions_at_once_by_keyboard(page, axe, world):
    first = world.entry("in_review")
    second = world.entry("in_review")
    own = world.entry("in_review", author="publisher")
    sign_in_as(page, PEOPLE["publisher"][0])
    axe(page)

    # Nothing ticked: the error is beside the buttons, and the summary leads to it.
    tab_to(page, "button[name=action][value=publish]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.title().startswith("Error: ")
    assert "Select the entries to publish" in page.locator("#bulk-actions").inner_text()
    axe(page)

    for reference in (first, second, own):
        tab_to(page, f"#choose-in_review-{reference}")
        page.keyboard.press("Space")
    tab_to(page, "button[name=action][value=publish]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == "Publish 3 entries"
    assert "another publisher must review it" in page.locator(".govuk-error-summary").inner_text()
    axe(page)

    tab_to(page, "[name=confirm]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.title().startswith("Error: ")  # nothing was published
    assert world.state(first) == "in_review"
    axe(page)

    own_box = page.locator(f"#entries input[value={own}]")
    tab_to(page, f"#{own_box.get_attribute('id')}")
    page.keyboard.press("Space")
    tab_to(page, "[name=confirm]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_url("**/manage")
    assert "2 entries published." in page.locator("main").inner_text()
    assert [world.state(r) for r in (first, second, own)] == ["published", "published", "in_review"]
    axe(page)


def test_the_confirmation_works_with_javascript_turned_off(browser, live_server, world):
    reference = world.entry("published")
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in_as(page, PEOPLE["publisher"][0])
        page.check(f"#choose-published-{reference}")
        with page.expect_navigation():
            page.click("button[name=action][value=retire]")
        assert page.locator("h1").inner_text() == "Retire 1 entry"
        page.fill("#retirement_reason", "Replaced by a new service.")
        with page.expect_navigation():
            page.click("button:has-text('Retire these tools')")
        assert "1 entry recorded as retired." in page.locator("main").inner_text()
    finally:
        context.close()


def test_pages_about_imported_entries_pass_axe(page, axe, world, runner):
    world.entry("published")
    imported_sample_2025(runner, "--publish")
    for address in ("/entries", "/entries?source=written_here", "/stats"):
        page.goto(address)
        axe(page)
    page.goto("/entries")
    page.locator("#filter-source summary").click()
    page.check("#filter-source input[value='US federal AI use case inventory 2025']")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "source=US+federal" in page.url
    axe(page)
    sign_in_as(page, PEOPLE["admin"][0])
    assert page.locator("#not-recorded").is_visible()
    axe(page)
