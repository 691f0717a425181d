"""A sent-back entry as its editor meets it in a real Chromium, and turning workflow emails
off, by keyboard, with no axe-core violations."""

from __future__ import annotations

import pytest

from register import publishing
from tests.browser.actions import sign_in_as, tab_to
from tests.manage_world import PEOPLE, WORLD

pytestmark = pytest.mark.browser
world = WORLD

COMMENT = "Say who is affected by the triage."


def test_an_editor_finds_the_changes_requested_and_the_comment_by_keyboard(page, axe, world):
    reference = world.entry("in_review")
    with world.app.app_context():
        publishing.send_back(world.load(reference), world.user("publisher"), COMMENT)
    sign_in_as(page, PEOPLE["editor"][0])

    row = page.locator("#draft + table tbody tr", has_text=reference)
    assert row.locator(".govuk-tag").inner_text() == "Changes requested"
    axe(page)

    tab_to(page, f"a[href='/manage/entries/{reference}']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    banner = page.locator(".govuk-notification-banner")
    assert "Changes requested" in banner.inner_text()
    assert COMMENT in banner.inner_text()

    tab_to(page, f"a[href='/manage/entries/{reference}/about']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert COMMENT in page.locator("#review-comment").inner_text()
    assert (
        f"{PEOPLE['publisher'][0]} sent this entry back on"
        in page.locator(".govuk-notification-banner").inner_text()
    )
    axe(page)


def test_a_person_turns_an_email_off_on_their_account_page_by_keyboard(page, axe, world):
    sign_in_as(page, PEOPLE["editor"][0])
    tab_to(page, "a[href='/account/password']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, "a[href='/account/emails']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == "Emails about entries"
    axe(page)

    tab_to(page, "input[name=kinds][value=sent_back]")
    page.keyboard.press("Space")
    tab_to(page, "button[type=submit], input[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert (
        "Your choice of emails has been saved."
        in page.locator(".govuk-notification-banner").inner_text()
    )
    assert not page.locator("input[value=sent_back]").is_checked()
    assert page.locator("input[value=published]").is_checked()
    axe(page)
