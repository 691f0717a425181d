"""The import report's choices in a real Chromium: retiring the entries a newer file no
longer has, with the reason's error next to its field, by keyboard and without axe-core
violations."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from register import versions
from register.extensions import db
from register.models import Entry
from tests.browser.actions import sign_in_as, tab_to
from tests.factories import publishable_values
from tests.manage_world import PEOPLE, WORLD
from tests.test_import import us_row
from tests.test_import_upload import csv_bytes

pytestmark = pytest.mark.browser
world = WORLD


def _upload(page, path) -> None:
    page.goto("/manage/import")
    page.set_input_files("input[type=file]", str(path))
    page.check("input[name=format][value=us-2025]")
    with page.expect_navigation():
        page.click("button[name=check]")


def test_a_publisher_retires_an_entry_the_new_file_no_longer_has_by_keyboard(
    page, axe, world, tmp_path
):
    world.entry()  # the organisations and people exist once an entry does
    sign_in_as(page, PEOPLE["publisher"][0])
    first = tmp_path / "inventory.csv"
    first.write_bytes(csv_bytes([us_row(1), us_row(2)]))
    _upload(page, first)
    with page.expect_navigation():
        page.click("button[name=import_all]")
    with world.app.app_context():
        for entry in db.session.scalars(select(Entry).where(Entry.source_format == "us-2025")):
            versions.set_values(entry.draft, publishable_values(title=entry.draft.title))
            versions.make_current(entry, entry.draft, None, 1, "First version")
        db.session.commit()

    newer = tmp_path / "inventory-2.csv"
    newer.write_bytes(csv_bytes([us_row(1)]))
    _upload(page, newer)
    assert "not in the file" in page.locator("#headline").inner_text()
    axe(page)

    tab_to(page, "input[name=retire]")
    page.keyboard.press("Space")
    tab_to(page, "button[name=import_all]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Enter the reason" in page.locator(".govuk-error-summary").inner_text()
    axe(page)

    tab_to(page, "#retirement_reason")
    page.keyboard.type("Replaced by a newer tool.")
    tab_to(page, "button[name=import_all]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "submitted for review as retired" in (
        page.locator(".govuk-notification-banner").inner_text()
    )
