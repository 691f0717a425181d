"""The upload page in a real Chromium with JavaScript on: while a file of a few thousand rows
is sent and checked, the page says how far it has got, truly and without axe-core
violations, then opens the report as the form without JavaScript would."""

from __future__ import annotations

import re
import time

import pytest

from register.importing import progress
from tests.browser.actions import sign_in_as
from tests.manage_world import PEOPLE, WORLD
from tests.test_import import us_row
from tests.test_import_upload import csv_bytes

pytestmark = pytest.mark.browser
world = WORLD

ROWS = 3000
# Everything the status says, kept in the tab's session storage so it outlives the page.
RECORD_STATUS = """
document.addEventListener("DOMContentLoaded", () => {
  const status = document.querySelector("[data-import-progress-status]");
  if (!status) return;
  new MutationObserver(() => {
    const said = JSON.parse(sessionStorage.getItem("said") || "[]");
    said.push(status.textContent);
    sessionStorage.setItem("said", JSON.stringify(said));
  }).observe(status, {childList: true, characterData: true, subtree: true});
});
"""
CHECKED = re.compile(r"([\d,]+) rows checked of about ([\d,]+)\.")


def number(text: str) -> int:
    return int(text.replace(",", ""))


def test_a_large_file_shows_how_far_its_check_has_got_then_its_report(
    app, page, axe, world, tmp_path, monkeypatch
):
    world.entry()  # the organisations and people exist once an entry does
    path = tmp_path / "inventory.csv"
    path.write_bytes(csv_bytes([us_row(n) for n in range(1, ROWS + 1)]))
    # A slower machine: the check takes a few seconds, long enough to watch (and longer
    # than the page allows by default).
    monkeypatch.setitem(app.config, "IMPORT_MAX_SECONDS", 60)
    counting = progress.Recorder.__call__

    def slower(recorder, rows: int) -> None:
        counting(recorder, rows)
        time.sleep(0.001)

    monkeypatch.setattr(progress.Recorder, "__call__", slower)
    page.add_init_script(RECORD_STATUS)
    sign_in_as(page, PEOPLE["publisher"][0])
    page.goto("/manage/import")
    page.set_input_files("input[type=file]", str(path))
    page.check("input[name=format][value=us-2025]")
    page.click("button[name=check]")

    status = page.locator("[data-import-progress-status]")
    page.wait_for_function(
        "() => / rows checked of about /.test("
        "document.querySelector('[data-import-progress-status]')?.textContent)"
    )
    assert page.locator("[data-import-progress]").is_visible()
    assert page.locator("[data-import-progress] h2").inner_text() == "Checking your file"
    checked, about = map(number, CHECKED.search(status.inner_text()).groups())
    assert 0 < checked < ROWS
    assert abs(about - ROWS) < ROWS / 10
    axe(page)

    page.wait_for_url(re.compile(r"/manage/import/[A-Za-z0-9_-]+$"))
    assert page.locator("h1").inner_text() == "Import report for inventory.csv"
    assert (
        f"{ROWS:,} rows read: {ROWS:,} entries to create" in page.locator("#headline").inner_text()
    )
    said = page.evaluate("JSON.parse(sessionStorage.getItem('said') || '[]')")
    counts = [tuple(map(number, found.groups())) for found in map(CHECKED.search, said) if found]
    assert counts == sorted(counts)  # never going backwards
    assert all(0 < checked <= ROWS and abs(about - ROWS) < ROWS / 10 for checked, about in counts)
    sent = [
        int(found[1]) for found in (re.search(r"(\d+)% of the file sent", t) for t in said) if found
    ]
    assert all(0 <= share <= 100 for share in sent)
    assert said[-1] == "The report is ready. Opening it."


def test_errors_found_after_the_file_is_sent_are_shown_as_the_form_without_javascript_shows_them(
    page, axe, world, tmp_path
):
    world.entry()
    path = tmp_path / "inventory.csv"
    path.write_bytes(csv_bytes([us_row(n) for n in range(1, 11)]))
    sign_in_as(page, PEOPLE["publisher"][0])
    page.goto("/manage/import")
    page.set_input_files("input[type=file]", str(path))
    page.click("button[name=check]")  # no format chosen

    summary = page.locator(".govuk-error-summary")
    assert "Choose the format the file is in" in summary.inner_text()
    assert page.evaluate("document.activeElement.closest('.govuk-error-summary') !== null")
    assert "Choose the format the file is in" in page.locator("#format-error").inner_text()
    assert page.title().startswith("Error: ")
    assert page.url.endswith("/manage/import")
    axe(page)

    # The form shown is a new one, and works the same way.
    page.set_input_files("input[type=file]", str(path))
    page.check("input[name=format][value=us-2025]")
    page.click("button[name=check]")
    page.wait_for_url(re.compile(r"/manage/import/[A-Za-z0-9_-]+$"))
    assert "10 rows read: 10 entries to create" in page.locator("#headline").inner_text()
