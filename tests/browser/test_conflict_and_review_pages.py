"""Two people on the same section in two browsers: the later save is refused, the person chooses
answer by answer by keyboard, and a blind second save is refused; and a publisher reviewing a
revision reads what changed first. No axe-core violations on either page."""

from __future__ import annotations

import pytest

from register import publishing
from tests.browser.actions import press, sign_in_as, tab_to
from tests.manage_world import PEOPLE, WORLD

pytestmark = pytest.mark.browser
world = WORLD

ABOUT = "/manage/entries/AIR-00001/about"


def test_two_people_save_the_same_section_and_the_second_chooses_by_keyboard(
    page, browser, live_server, axe, world
):
    world.entry(values={"title": "Chatbot", "status": "pilot"})
    other = browser.new_context(base_url=live_server).new_page()
    try:
        sign_in_as(page, PEOPLE["editor"][0])
        sign_in_as(other, PEOPLE["publisher"][0])
        page.goto(ABOUT)
        other.goto(ABOUT)

        other.fill("#title", "Roads chatbot")
        other.check("#status-4")  # in use
        other.get_by_role("button", name="Save as draft").click()
        other.wait_for_url("**/AIR-00001")
    finally:
        other.context.close()

    page.fill("#title", "Council chatbot")
    page.fill("#team", "Digital")
    press(page, "button[name=save_as_draft]")
    assert page.locator("#changes").is_visible()
    assert page.get_by_text("Changed by publisher@ns.example on").count() == 2
    axe(page)

    # Saving again without choosing is refused, with the error at each question.
    press(page, "button[name=save_as_draft]")
    summary = page.locator(".govuk-error-summary")
    assert summary.get_by_text("Choose which answer to save for title").is_visible()
    assert page.locator("#clash-title-error").is_visible()
    axe(page)
    assert world.draft_values("AIR-00001")["title"] == "Roads chatbot"

    # A merged title, written in the answer revealed by choosing it; their status kept.
    tab_to(page, "input[name=clash-title]")
    page.keyboard.press("Space")  # keep their answer
    page.keyboard.press("ArrowDown")  # use my answer
    page.keyboard.press("ArrowDown")  # write a merged answer
    assert page.locator("#merged-title").is_visible()
    tab_to(page, "#merged-title")
    page.keyboard.press("Control+A")
    page.keyboard.type("Roads and council chatbot")
    tab_to(page, "input[name=clash-status]")
    page.keyboard.press("Space")  # keep their answer
    axe(page)
    press(page, "button[name=save_as_draft]")
    page.wait_for_url("**/AIR-00001")

    saved = world.draft_values("AIR-00001")
    assert (saved["title"], saved["status"], saved["team"]) == (
        "Roads and council chatbot",
        "in_use",
        "Digital",
    )


def test_a_publisher_reads_what_a_revision_changes_before_publishing_it(page, axe, world):
    world.entry("revision")
    with world.app.app_context():
        entry = world.load("AIR-00001")
        editor = world.user("editor")
        publishing.save_draft(
            entry,
            editor,
            {"summary": "Sorts reports of potholes and cracks by how urgent the repair is."},
            based_on=entry.draft.lock_version,
            rows={"risks": [{"name": "Missed potholes", "category": "accuracy_reliability"}]},
        )
        publishing.submit(entry, editor)

    sign_in_as(page, PEOPLE["publisher"][0])
    page.goto("/manage/entries/AIR-00001/review")
    changes = page.locator("#what-changed")
    assert changes.inner_text() == "What changed since version 1"
    assert page.locator("ins.register-added", has_text="and cracks").count() == 1
    assert page.get_by_role("heading", name="Added: Risk 1: Missed potholes").is_visible()
    axe(page)
