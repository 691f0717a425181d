"""Signing in with an organisation's own account in a real browser: the register's sign-in
page, the provider's own page (a real OpenID Connect provider on this machine), back to the
register signed in, and signing out at both."""

from __future__ import annotations

import pytest

from tests.sign_in_world import (
    DOMAIN,
    set_up_provider,
)

pytestmark = pytest.mark.browser


def test_a_person_signs_in_and_out_through_their_organisations_provider(
    app, page, axe, make_organisation, make_user, provider
):
    organisation = make_organisation()
    make_user("admin@register.example", is_admin=True)
    set_up_provider(app, organisation.slug, provider.issuer, lets_domain_join=True)
    email = f"priya.shah@{DOMAIN}"
    provider.set_person("priya", email=email, email_verified=True, name="Priya Shah")

    page.goto("/sign-in")
    axe(page)
    assert "leave the password empty" in page.locator("#password-hint").inner_text()
    page.focus("#email")
    page.keyboard.type(email)
    page.keyboard.press("Enter")  # the password left empty

    # The provider's own page, where its test accounts are chosen by their subject.
    page.wait_for_url(f"{provider.issuer}/oauth2/authorize?**")
    page.fill("input[name=sub]", "priya")
    page.get_by_role("button", name="Authorize").click()

    page.wait_for_url("**/manage")
    assert page.get_by_role("button", name="Sign out").is_visible()

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{provider.issuer}/oauth2/end_session?**")
    page.get_by_role("button", name="End session").click()
    page.wait_for_url("**/")
    assert "You have signed out." in page.locator(".govuk-notification-banner").inner_text()
    page.goto("/manage")
    page.wait_for_url("**/sign-in?next=**")
