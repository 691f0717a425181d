"""Withholding an answer, or a whole repeating group, in a real Chromium, by keyboard: the
page reveals the choice and the reasons, and the public entry page says "Withheld: reason"
in its place; no axe-core violations on either."""

from __future__ import annotations

import pytest

from register import publishing
from tests.browser.actions import press, sign_in_as, tab_to
from tests.factories import publishable_values
from tests.manage_world import PEOPLE, WORLD

pytestmark = pytest.mark.browser
world = WORLD


def test_an_editor_withholds_an_answer_and_the_public_page_says_why(page, axe, world, app):
    world.entry(values=publishable_values())
    sign_in_as(page, PEOPLE["editor"][0])
    page.goto("/manage/entries/AIR-00001/purpose")
    tab_to(page, "#benefits-withhold summary")
    page.keyboard.press("Enter")  # opens "I cannot publish this answer"
    tab_to(page, "#withhold__benefits")
    page.keyboard.press("Space")
    tab_to(page, "#withheld_reason__benefits")
    for _ in range(3):  # National security, Law enforcement, Commercial ..., Personal data
        page.keyboard.press("ArrowDown")
    assert page.locator("#withheld_reason__benefits-4").is_checked()
    axe(page)
    press(page, "button[name=save_as_draft]")

    page.goto("/manage/entries/AIR-00001/purpose")
    notice = page.locator("#benefits-withheld").inner_text()
    assert "Withheld: Personal data" in notice
    axe(page)

    with app.app_context():
        entry = world.load("AIR-00001")
        publishing.submit(entry, world.user("editor"))
        publishing.publish(entry, world.user("publisher"))
    page.goto("/entries/AIR-00001")
    assert "Withheld: Personal data" in page.locator("#section-purpose").inner_text()
    axe(page)


def test_an_editor_withholds_the_risks_and_the_public_page_says_why(page, axe, world, app):
    world.entry(values=publishable_values())
    sign_in_as(page, PEOPLE["editor"][0])
    page.goto("/manage/entries/AIR-00001/risks")
    tab_to(page, "#risks-withhold summary")
    page.keyboard.press("Enter")  # opens "I cannot publish this answer" under the risks
    tab_to(page, "#withhold__risks")
    page.keyboard.press("Space")
    tab_to(page, "#withheld_reason__risks")
    page.keyboard.press("ArrowDown")  # Law enforcement
    assert page.locator("#withheld_reason__risks-2").is_checked()
    axe(page)
    press(page, "button[name=save_as_draft]")

    page.goto("/manage/entries/AIR-00001/risks")
    assert "Withheld: Law enforcement" in page.locator("#risks-withheld").inner_text()
    axe(page)

    with app.app_context():
        entry = world.load("AIR-00001")
        publishing.submit(entry, world.user("editor"))
        publishing.publish(entry, world.user("publisher"))
    page.goto("/entries/AIR-00001")
    assert page.locator("#group-risks-withheld").inner_text() == "Withheld: Law enforcement"
    axe(page)
