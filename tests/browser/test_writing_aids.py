"""Writing aids in a real Chromium: plain-English advice beside a saved summary and its
score on check your answers, and broken links marked on the dashboard; no axe-core
violations on any of them, reached by keyboard."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from register.links import checks, fetch
from tests.browser.actions import press, sign_in_as, tab_to
from tests.factories import publishable_values
from tests.manage_world import PEOPLE, WORLD

pytestmark = pytest.mark.browser
world = WORLD

WORDY = "We leverage NLP to deliver robust outcomes for stakeholders going forward."


def test_advice_on_a_saved_summary_is_shown_beside_it_and_scored_on_check_answers(page, axe, world):
    world.entry()
    sign_in_as(page, PEOPLE["editor"][0])
    page.goto("/manage/entries/AIR-00001/about")
    tab_to(page, "#summary")
    page.keyboard.type(WORDY)
    press(page, "button[name=save_as_draft]")

    page.goto("/manage/entries/AIR-00001/about")
    advice = page.locator("#summary-advice")
    assert "Instead of “leverage”, try “use”." in advice.inner_text()
    assert "Say what “NLP” stands for" in advice.inner_text()
    assert page.locator(".govuk-error-summary").count() == 0
    axe(page)

    page.goto("/manage/entries/AIR-00001/check")
    axe(page)
    press(page, "a[href$='#summary-advice']")
    assert page.url.endswith("/manage/entries/AIR-00001/about#summary-advice")
    assert page.locator("#summary-advice").is_visible()


def test_the_dashboard_marks_an_entry_whose_link_is_broken(page, axe, world, app):
    world.entry("published", values=publishable_values(source_code_url="https://code.example/x"))
    with app.test_request_context():
        checks.check_links(datetime.now(UTC), check=lambda url: fetch.Outcome(False, "HTTP 404"))
    sign_in_as(page, PEOPLE["publisher"][0])
    cells = page.locator("#broken-links ~ table").first.inner_text()
    assert "Source code: https://code.example/x (HTTP 404)" in cells
    axe(page)
