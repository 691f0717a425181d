"""A whole import approved in one step, in a real Chromium: one publisher imports a file
asking to publish it, a second reads the import's entries and publishes them all by keyboard,
and the public entry page says what the source did not record; no axe-core violations on
any of these pages."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from register.extensions import db
from register.models import Entry, EntryProvenance
from register.models.entry import PUBLISHED
from tests.browser.actions import sign_in_as, tab_to
from tests.manage_world import PEOPLE, WORLD
from tests.test_import import us_row
from tests.test_import_upload import csv_bytes

pytestmark = pytest.mark.browser
world = WORLD


def test_a_second_publisher_publishes_a_whole_import_by_keyboard(
    page, axe, world, tmp_path, browser, live_server
):
    world.entry()  # the organisations and people exist once an entry does
    sign_in_as(page, PEOPLE["publisher"][0])
    path = tmp_path / "inventory.csv"
    path.write_bytes(csv_bytes([us_row(1), us_row(2)]))
    page.goto("/manage/import")
    page.set_input_files("input[type=file]", str(path))
    page.check("input[name=format][value=us-2025]")
    page.check("input[name=publish]")
    with page.expect_navigation():
        page.click("button[name=check]")
    with page.expect_navigation():
        page.click("button[name=import_all]")
    with world.app.app_context():
        batch_id = db.session.scalar(select(EntryProvenance.batch_id))

    second = browser.new_page(base_url=live_server)
    sign_in_as(second, PEOPLE["second_publisher"][0])
    second.goto(f"/manage/imports/{batch_id}/review")
    assert second.locator("h1").inner_text() == "Review the import of inventory.csv"
    axe(second)
    tab_to(second, "a.govuk-button")
    with second.expect_navigation():
        second.keyboard.press("Enter")
    assert second.locator("#to-publish li").count() == 2
    axe(second)
    tab_to(second, "button[name=publish_all]")
    with second.expect_navigation():
        second.keyboard.press("Enter")
    assert "2 entries are published." in second.locator(".govuk-notification-banner").inner_text()

    with world.app.app_context():
        entries = db.session.scalars(select(Entry)).all()
        imported = [entry for entry in entries if entry.source]
        assert {entry.state for entry in imported} == {PUBLISHED}
        reference = imported[0].reference
    second.goto(f"/entries/{reference}")
    assert "Not recorded in US federal AI use case inventory 2025" in second.inner_text("main")
    axe(second)
    second.close()
