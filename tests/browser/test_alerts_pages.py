"""Asking for email alerts in a real Chromium: from an organisation's page to "Check your
email", by keyboard alone, with no axe-core violations on the way (errors included)."""

from __future__ import annotations

import pytest

from tests.alerts_world import ORGANISATION, subscriptions
from tests.manage_world import WORLD

from .actions import press, tab_to

pytestmark = pytest.mark.browser
world = WORLD


def test_asking_for_alerts_by_keyboard_reaches_check_your_email(page, axe, world):
    world.entry("published")
    page.goto(f"/organisations/{ORGANISATION}")
    press(page, "a.govuk-link[href^='/alerts/subscribe']", axe)
    assert page.locator("h1").inner_text() == "Get emails about these entries"
    assert "Northshire County Council" in page.locator(".govuk-summary-list").inner_text()
    # Sent empty: both problems are shown next to their fields.
    press(page, "main form button", axe)
    assert page.title().startswith("Error: ")
    assert page.locator(".govuk-error-summary__list li").all_inner_texts() == [
        "Enter your email address",
        "Select how often you want emails",
    ]
    tab_to(page, "#email")
    page.keyboard.type("reader@example.com")
    tab_to(page, "input[name=frequency]")  # the group takes one Tab; arrows choose
    page.keyboard.press("ArrowDown")
    assert page.locator("input[name=frequency][value=weekly]").is_checked()
    press(page, "main form button", axe)
    assert page.locator("h1").inner_text() == "Check your email"
    assert subscriptions(world) == [
        {
            "email": "reader@example.com",
            "search": f"organisation={ORGANISATION}",
            "frequency": "weekly",
            "confirmed": False,
        }
    ]
