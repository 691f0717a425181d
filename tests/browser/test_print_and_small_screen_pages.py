"""Printing an entry, the dashboard on a 320 pixel wide phone, and pending invitations
resent and cancelled by keyboard, in a real Chromium with axe-core on each page."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from register.extensions import db
from tests.browser.actions import sign_in_as, tab_to
from tests.feedback_world import report
from tests.manage_world import PEOPLE, WORLD
from tests.public_entries import rows_of_each_group

pytestmark = pytest.mark.browser
world = WORLD

# Everything there is to navigate by, which a printout leaves off.
NAVIGATION = (
    ".govuk-header",
    ".govuk-service-navigation",
    ".govuk-breadcrumbs",
    ".govuk-footer",
)


def _shown(page, selector: str) -> bool:
    return any(element.is_visible() for element in page.locator(selector).all())


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_dashboard_fits_a_320_pixel_screen(page, axe, world):
    world.entry(values={"title": "A draft with a long title about housing repairs"})
    world.entry("in_review")
    overdue = world.entry("published")
    report(world, overdue, text="The phone number given for the highways team is wrong.")
    with world.app.app_context():
        world.load(overdue).next_review_due = date.today() - timedelta(days=3)
        db.session.commit()
    page.set_viewport_size({"width": 320, "height": 800})
    sign_in_as(page, PEOPLE["publisher"][0])

    assert page.locator("#overdue + p + table").is_visible()
    assert _fits(page), "the dashboard scrolls sideways at 320 pixels"
    # Each stacked cell still says which column it is.
    cell = page.locator("#overdue ~ table tbody td").first
    label = cell.evaluate("cell => getComputedStyle(cell, '::before').content")
    assert label == '"Reference: "'
    axe(page)


def test_printing_leaves_the_navigation_off(page, axe, world):
    reference = world.entry("published", rows=rows_of_each_group(1))
    page.goto(f"/entries/{reference}")
    page.get_by_role("link", name="Print this entry").click()
    page.wait_for_url(f"**/entries/{reference}/print")
    # The print view has nothing to navigate by, and a button to print where scripts run.
    for selector in NAVIGATION:
        assert page.locator(selector).count() == 0, selector
    assert page.get_by_role("button", name="Print this page").is_visible()
    axe(page)
    page.emulate_media(media="print")
    assert not page.get_by_role("button", name="Print this page").is_visible()
    assert not page.get_by_role("link", name="Back to the entry").is_visible()
    assert page.locator("#section-oversight").is_visible()

    # Any entry page prints without its navigation and its feedback forms, too.
    page.goto(f"/entries/{reference}")
    assert page.locator("#at-a-glance").is_visible()
    for selector in (*NAVIGATION, ".register-feedback"):
        assert not _shown(page, selector), f"{selector} is printed"
    page.emulate_media(media="screen")
    assert _shown(page, ".govuk-service-navigation")


def test_the_sign_off_print_view(page, axe, world):
    reference = world.entry(rows=rows_of_each_group(1))
    sign_in_as(page, PEOPLE["editor"][0])
    page.goto(f"/manage/entries/{reference}/check")
    page.get_by_role("link", name="Print these answers to sign them off").click()
    page.wait_for_url(f"**/manage/entries/{reference}/print")
    axe(page)
    page.emulate_media(media="print")
    for selector in NAVIGATION:
        assert not _shown(page, selector), f"{selector} is printed"
    assert page.get_by_text("Printed on").is_visible()


def test_an_administrator_resends_and_cancels_invitations_by_keyboard(app, page, axe, world):
    sign_in_as(page, PEOPLE["admin"][0])
    people = "/admin/organisations/northshire-county-council/people"
    page.goto(f"{people}/invite")
    page.fill("#email", "new.person@ns.example")
    page.get_by_label("Editor", exact=True).check()
    page.get_by_role("button", name="Send invitation").click()
    page.wait_for_url(f"**{people}")
    banner = page.locator(".govuk-notification-banner--success")
    assert "Invitation sent to new.person@ns.example" in banner.inner_text()
    axe(page)

    tab_to(page, "form[action$='/resend'] button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Invitation sent to new.person@ns.example" in banner.inner_text()

    tab_to(page, "a[href$='/cancel']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == "Cancel the invitation to new.person@ns.example?"
    axe(page)
    tab_to(page, "#main-content button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "is cancelled" in banner.inner_text()
    assert page.get_by_text("Invitations not yet accepted").count() == 0
