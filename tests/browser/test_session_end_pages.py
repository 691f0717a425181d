"""The end of a session, in a real Chromium: answers typed before it ended come back after
signing in again, and the warning before it ends lets a keyboard user stay signed in."""

from __future__ import annotations

from datetime import timedelta

import pytest

from register.views.session_end import GIVEN_BACK, KEPT
from tests.browser.actions import sign_in_as, tab_to
from tests.conftest import TEST_PASSWORD
from tests.manage_world import PEOPLE, WORLD

pytestmark = pytest.mark.browser
world = WORLD

PURPOSE = "/manage/entries/AIR-00001/purpose"
TYPED = "Sorting pothole reports by how urgent they are"
DIALOG = "#session-timeout"


def test_text_typed_before_the_session_ended_elsewhere_comes_back_after_signing_in(
    page, axe, world
):
    world.entry()
    editor = PEOPLE["editor"][0]
    sign_in_as(page, editor)
    page.goto(PURPOSE)
    tab_to(page, "#purpose")
    page.keyboard.type(TYPED)

    # Signed out in a second tab of the same browser.
    other_tab = page.context.new_page()
    other_tab.goto("/manage")
    with other_tab.expect_navigation():
        other_tab.get_by_role("button", name="Sign out").click()
    other_tab.close()

    with page.expect_navigation():
        page.get_by_role("button", name="Save as draft").click()
    assert "/sign-in?next=" in page.url
    assert KEPT in page.locator(".govuk-notification-banner").inner_text()
    axe(page)
    assert world.draft_values("AIR-00001")["purpose"] is None

    tab_to(page, "#email")
    page.keyboard.type(editor)
    page.keyboard.press("Tab")
    page.keyboard.type(TEST_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_url(f"**{PURPOSE}")
    assert page.input_value("#purpose") == TYPED
    assert GIVEN_BACK in page.locator(".govuk-notification-banner").inner_text()
    axe(page)
    assert world.draft_values("AIR-00001")["purpose"] is None  # not saved until they save

    with page.expect_navigation():
        page.get_by_role("button", name="Save as draft").click()
    assert world.draft_values("AIR-00001")["purpose"] == TYPED


def test_the_warning_before_the_session_ends_lets_a_keyboard_user_stay_signed_in(
    page, axe, world, monkeypatch
):
    # A session idle for 20 seconds ends, and the warning opens 17 seconds before that.
    monkeypatch.setitem(world.app.config, "PERMANENT_SESSION_LIFETIME", timedelta(seconds=20))
    monkeypatch.setitem(world.app.config, "SESSION_WARNING_SECONDS", 17)
    world.entry()
    sign_in_as(page, PEOPLE["editor"][0])
    page.goto(PURPOSE)
    tab_to(page, "#purpose")
    page.keyboard.type(TYPED)

    dialog = page.locator(DIALOG)
    dialog.wait_for(state="visible", timeout=10_000)
    assert page.evaluate("document.activeElement.id") == "session-timeout"
    assert dialog.get_by_role("heading").inner_text() == "You’re about to be signed out"
    assert "we will sign you out in" in dialog.inner_text()
    assert "seconds" in page.locator("#session-timeout-said").inner_text()
    axe(page)

    # Tab stays inside the dialog: its first stop is "Stay signed in".
    tab_to(page, f"{DIALOG} [data-stay]", most=3)
    with page.expect_response("**/stay-signed-in") as stayed:
        page.keyboard.press("Enter")
    assert stayed.value.ok
    dialog.wait_for(state="hidden")
    # Back where the person was, with what they typed.
    assert page.evaluate("document.activeElement.id") == "purpose"
    assert page.input_value("#purpose") == TYPED

    # Escape, the next time it opens, also keeps the session going.
    dialog.wait_for(state="visible", timeout=10_000)
    with page.expect_response("**/stay-signed-in") as stayed:
        page.keyboard.press("Escape")
    assert stayed.value.ok
    dialog.wait_for(state="hidden")

    # The session is alive: saving works without signing in again.
    with page.expect_navigation():
        page.get_by_role("button", name="Save as draft").click()
    assert world.draft_values("AIR-00001")["purpose"] == TYPED
