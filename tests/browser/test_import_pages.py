"""The import pages in a real Chromium: no axe-core violations on the form, its errors and
the report, and a file uploaded, checked and imported by keyboard."""

from __future__ import annotations

import pytest

from tests.browser.actions import sign_in_as, tab_to
from tests.manage_world import PEOPLE, WORLD
from tests.test_import import us_row
from tests.test_import_upload import csv_bytes

pytestmark = pytest.mark.browser
world = WORLD


def test_a_publisher_uploads_checks_and_imports_a_file_by_keyboard(page, axe, world, tmp_path):
    world.entry()  # the organisations and people exist once an entry does
    path = tmp_path / "inventory.csv"
    path.write_bytes(csv_bytes([us_row(1), us_row(2, use_case_name=""), us_row(3)]))
    sign_in_as(page, PEOPLE["publisher"][0])

    page.goto("/manage/import")
    axe(page)
    tab_to(page, "button[name=check]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "There is a problem" in page.locator(".govuk-error-summary").inner_text()
    axe(page)

    page.set_input_files("input[type=file]", str(path))
    tab_to(page, "input[name=format]")  # a radio group takes one Tab; arrows move in it
    choose_by_arrows(page, "format", "us-2025")
    tab_to(page, "button[name=check]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == "Import report for inventory.csv"
    assert "1 row with problems" in page.locator("#headline").inner_text()
    axe(page)

    tab_to(page, "button[name=import_valid]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "2 entries created" in page.locator(".govuk-notification-banner").inner_text()
    axe(page)


def choose_by_arrows(page, name: str, value: str) -> None:
    """Move through the focused radio group with the down arrow until `value` has the focus,
    as a person reading each choice would however many come before it, then choose it."""
    for _ in range(page.locator(f"input[name={name}]").count()):
        if page.evaluate("() => document.activeElement.value") == value:
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")  # the arrows choose as they move; Space chooses the first
    assert page.locator(f"input[name={name}]:checked").get_attribute("value") == value
