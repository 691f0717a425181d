"""The second factor and the security pages, in a real Chromium: set up and used by keyboard
alone, and no axe-core violations on any of their pages, with and without errors."""

from __future__ import annotations

import pyotp
import pytest

from tests.browser.actions import sign_in_as, tab_to
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def people(make_organisation, make_user):
    organisation = make_organisation("Northshire County Council")
    publisher = make_user(
        "publisher@ns.example",
        name="Pat Publisher",
        organisation=organisation.slug,
        role="publisher",
    )
    admin = make_user("admin@register.example", name="Ada Admin", is_admin=True)
    return {"publisher": publisher, "admin": admin}


def _type_into(page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.type(text)


def _press_enter_and_wait(page) -> None:
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_a_publisher_sets_up_a_second_factor_and_signs_in_with_it_by_keyboard(page, axe, people):
    sign_in_as(page, people["publisher"].email)
    page.goto("/account/second-factor")
    axe(page)
    page.goto("/account/second-factor/set-up")
    axe(page)
    secret = page.locator("#setup-key").inner_text().replace(" ", "")
    assert page.locator("img[alt^='QR code']").is_visible()

    _type_into(page, "#code", "000000" if pyotp.TOTP(secret).now() != "000000" else "111111")
    _press_enter_and_wait(page)
    assert page.locator(".govuk-error-summary").is_visible()
    axe(page)  # with the error summary

    _type_into(page, "#code", pyotp.TOTP(secret).now())
    _press_enter_and_wait(page)
    codes = page.locator("#recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    axe(page)

    page.context.clear_cookies()
    page.goto("/sign-in")
    _type_into(page, "#email", people["publisher"].email)
    page.keyboard.press("Tab")
    page.keyboard.type(TEST_PASSWORD)
    _press_enter_and_wait(page)
    assert "/sign-in/code" in page.url
    axe(page)
    page.goto("/sign-in/recovery-code")
    axe(page)
    _type_into(page, "#code", codes[0])
    _press_enter_and_wait(page)
    page.wait_for_url("**/manage")


def test_the_administrators_security_pages_have_no_accessibility_violations(page, axe, people):
    sign_in_as(page, people["admin"].email)
    for path in (
        "/admin/security-events",
        "/admin/security-events?kind=signed_in",
        "/admin/settings",
        f"/admin/people/{people['publisher'].id}/second-factor",
    ):
        assert page.goto(path).status == 200, path
        axe(page)
    rows = page.goto("/admin/security-events")
    assert rows.status == 200
    assert "Signed in" in page.locator("main table").inner_text()


def test_the_page_that_refuses_a_guesser_has_no_accessibility_violations(
    app, page, axe, people, monkeypatch
):
    monkeypatch.setitem(app.config, "SIGN_IN_FAILURE_LIMIT", "1 per hour")
    for _ in range(2):
        page.goto("/sign-in")
        page.fill("#email", people["publisher"].email)
        page.fill("#password", "not the password at all")
        with page.expect_navigation():
            page.locator("#main-content form button[type=submit]").click()
    assert "too many attempts" in page.locator("h1").inner_text().lower()
    axe(page)
