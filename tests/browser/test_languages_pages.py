"""The register in Welsh in a real Chromium: the language switcher from the English home page
to the same page in Welsh, and signing in on Welsh pages, each with no axe-core violations."""

from __future__ import annotations

import pytest

from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    "viewport",
    [
        pytest.param({"width": 1280, "height": 800}, id="desktop"),
        pytest.param({"width": 320, "height": 640}, id="narrow"),
    ],
)
def test_switching_to_welsh_shows_the_page_in_welsh(page, axe, viewport):
    page.set_viewport_size(viewport)
    assert page.goto("/").status == 200
    axe(page)
    page.get_by_role("link", name="Newid yr iaith i’r Gymraeg").click()
    page.wait_for_load_state()
    assert page.url.endswith("/cy/")
    assert page.locator("html").get_attribute("lang") == "cy"
    assert page.locator("h1").inner_text() == (
        "Cofrestr Deallusrwydd Artiffisial y Sector Cyhoeddus"
    )
    assert page.get_by_role("link", name="Datganiad hygyrchedd").is_visible()
    axe(page)
    page.get_by_role("link", name="Change the language to English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"


def test_signing_in_in_welsh_keeps_every_page_in_welsh(page, axe, make_organisation, make_user):
    make_organisation()
    make_user("admin@register.example", is_admin=True, name="Alex Admin")
    page.goto("/cy/sign-in")
    assert page.locator("html").get_attribute("lang") == "cy"
    # GOV.UK's script writes the password's button from the Welsh the page passes it.
    assert page.get_by_role("button", name="Dangos y cyfrinair").inner_text() == "Dangos"
    page.focus("#email")
    page.keyboard.type("admin@register.example")
    page.keyboard.press("Tab")
    page.keyboard.type("wrong password")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    summary = page.locator(".govuk-error-summary")
    assert "Mae problem wedi codi" in summary.inner_text()
    assert "Rhowch gyfeiriad e-bost a chyfrinair cywir" in summary.inner_text()
    assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")
    axe(page)

    page.fill("#password", TEST_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Mewngofnodi").click()
    page.wait_for_url("**/cy/manage")
    page.goto("/cy/admin/people")
    assert page.locator("h1").inner_text() == "Pobl"
    axe(page)
    page.goto("/cy/admin/organisations/northshire-county-council/people")
    assert page.get_by_role("button", name="Gwahodd person").is_visible()
    axe(page)
    page.goto("/cy/account/password")
    assert page.locator("h1").inner_text() == "Newid eich cyfrinair"
    axe(page)
    page.get_by_role("button", name="Allgofnodi").first.click()
    page.wait_for_url("**/cy/")
    assert "Rydych wedi allgofnodi." in page.locator(".govuk-notification-banner").inner_text()
