"""Importing a file by mapping its columns, in a real Chromium: New York City's compliance
report (tests/data/real/nyc/) uploaded, mapped, previewed, its mapping saved and the file
imported, by keyboard alone; axe-core on each page of the journey and on its errors; and the
same journey with JavaScript turned off."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.actions import sign_in_as, tab_to
from tests.manage_world import PEOPLE, WORLD

pytestmark = pytest.mark.browser
world = WORLD

SAMPLE = Path(__file__).parents[1] / "data" / "real" / "nyc" / "nyc-algorithmic-tools-sample.csv"
NAME = "Algorithmic tools compliance report"


def press_enter_on(page, selector: str) -> None:
    tab_to(page, selector)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def choose_by_typing(page, select: str, label: str) -> None:
    """Tab to a select and pick an option by typing the start of it, as keyboard users do."""
    tab_to(page, select)
    page.keyboard.type(label)


def test_a_publisher_maps_previews_saves_and_imports_the_nyc_sample_by_keyboard(page, axe, world):
    world.entry()  # the organisations and people exist once an entry does
    sign_in_as(page, PEOPLE["publisher"][0])

    page.goto("/manage/import/columns")
    axe(page)
    press_enter_on(page, "button[name=upload]")
    assert "Choose a file to import" in page.locator(".govuk-error-summary").inner_text()
    axe(page)

    page.set_input_files("input[type=file]", str(SAMPLE))
    press_enter_on(page, "button[name=upload]")
    assert page.locator("h1").inner_text() == "Map the columns of nyc-algorithmic-tools-sample.csv"
    title_select = "select[name=columns-2]"  # tool_name, the third column
    assert page.locator(title_select).input_value() == "title"
    axe(page)

    # A mapping without a title is refused, with the problem above the table of columns.
    choose_by_typing(page, title_select, "Other information")
    assert page.locator(title_select).input_value() == "other"
    press_enter_on(page, "button[name=preview]")
    assert "no column goes to Title" in page.locator("#column-table-error").inner_text()
    axe(page)

    choose_by_typing(page, title_select, "Title")
    assert page.locator(title_select).input_value() == "title"
    choose_by_typing(page, "select[name=columns-13]", "Does the tool use personal")
    assert page.locator("select[name=columns-13]").input_value() == "uses_personal_data"
    press_enter_on(page, "button[name=preview]")
    assert page.locator("h1").inner_text() == (
        "Preview the entries from nyc-algorithmic-tools-sample.csv"
    )
    assert "15 rows read" in page.locator("#headline").inner_text()
    assert page.locator("#entry-1 h3").inner_text().startswith("Row 2: RBIS")
    axe(page)

    tab_to(page, "input[name=name]")
    page.keyboard.type(NAME)
    press_enter_on(page, "button[name=go_on]")
    assert page.locator("h1").inner_text() == ("Import report for nyc-algorithmic-tools-sample.csv")
    axe(page)

    press_enter_on(page, "button[name=import_valid]")
    assert "entries created" in page.locator(".govuk-notification-banner").inner_text()

    # The saved mapping is offered for next year's copy.
    page.goto("/manage/import/columns")
    assert f"{NAME} (Northshire County Council)" in page.locator("#saved_mapping").inner_text()
    axe(page)


def test_the_journey_works_without_javascript(browser, live_server, world):
    world.entry()
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in_as(page, PEOPLE["publisher"][0])
        page.goto("/manage/import/columns")
        page.set_input_files("input[type=file]", str(SAMPLE))
        press_enter_on(page, "button[name=upload]")
        press_enter_on(page, "button[name=preview]")
        assert "15 rows read" in page.locator("#headline").inner_text()
        press_enter_on(page, "button[name=go_on]")
        assert page.locator("h1").inner_text() == (
            "Import report for nyc-algorithmic-tools-sample.csv"
        )
    finally:
        context.close()
