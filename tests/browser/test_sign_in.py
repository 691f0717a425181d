"""Signing in and out in a real browser, by keyboard, with no accessibility violations."""

from __future__ import annotations

import pytest

from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser


def test_a_person_signs_in_and_out_by_keyboard(page, axe, make_organisation, make_user):
    organisation = make_organisation()
    make_user("editor@ns.example", organisation=organisation.slug, role="editor")
    page.goto("/sign-in")
    page.focus("#email")
    page.keyboard.type("editor@ns.example")
    page.keyboard.press("Tab")
    page.keyboard.type(TEST_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/manage")
    assert page.get_by_role("button", name="Sign out").is_visible()
    page.goto("/account/password")
    assert page.locator("h1").inner_text() == "Change your password"
    axe(page)
    page.get_by_role("button", name="Sign out").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/")
    assert "You have signed out." in page.locator(".govuk-notification-banner").inner_text()
    assert page.get_by_role("link", name="Sign in").is_visible()


def test_a_failed_sign_in_shows_the_error_summary_without_violations(page, axe):
    page.goto("/sign-in")
    page.focus("#email")
    page.keyboard.type("nobody@ns.example")
    page.keyboard.press("Tab")
    page.keyboard.type("wrong password")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    summary = page.locator(".govuk-error-summary")
    assert "Enter a correct email address and password" in summary.inner_text()
    # GOV.UK Frontend moves focus to the summary so screen readers announce it.
    assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")
    axe(page)
