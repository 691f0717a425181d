"""Feedback, review dates and statistics in a real Chromium: no axe-core violations, no
Content-Security-Policy violations, and the journeys work by keyboard without an account."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import update

from register.extensions import db
from register.models import Entry
from tests.browser.actions import sign_in_as, tab_to
from tests.feedback_world import report, stored
from tests.manage_world import WORLD
from tests.public_entries import revise

pytestmark = pytest.mark.browser
world = WORLD

VIEWPORTS = [
    pytest.param({"width": 1280, "height": 800}, id="desktop"),
    pytest.param({"width": 320, "height": 640}, id="narrow"),
]


def _overdue(app, reference: str) -> None:
    with app.app_context():
        db.session.execute(
            update(Entry)
            .where(Entry.reference == reference)
            .values(next_review_due=date.today() - timedelta(days=3))
        )
        db.session.commit()


@pytest.fixture
def answered(app, world):
    """AIR-00001 in two versions, overdue for review, with a problem resolved publicly and
    another one open; AIR-00002 in another organisation."""
    world.entry("published")
    revise(world, "AIR-00001", {"risk_level": "medium", "uses_personal_data": True})
    world.entry("published", organisation="Southvale Police", author="outside_editor")
    report(world, "AIR-00001", text="The contact address bounces.", email="reader@example.org")
    report(world, "AIR-00001", text="The risks section is out of date.")
    world.client("publisher").post(
        "/manage/feedback/1/resolve",
        {"response": "Thank you: the contact address is now correct."},
        302,
        form_url="/manage/feedback/1",
    )
    _overdue(app, "AIR-00001")
    return world


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_public_pages_with_feedback_and_statistics_have_no_violations(
    page, axe, answered, viewport
):
    page.set_viewport_size(viewport)
    for path in (
        "/entries/AIR-00001",
        "/entries/AIR-00001/versions/1",
        "/entries/AIR-00001/report-a-problem?version=2",
        "/entries/AIR-00001/feedback/thanks?version=2&answer=no",
        "/stats",
    ):
        assert page.goto(path).status == 200, path
        axe(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"{path} is {width}px wide"
    page.goto("/entries/AIR-00001")
    assert page.locator("#review-overdue").is_visible()
    assert page.locator("#responses").inner_text().count("Thank you: the contact") == 1
    # The robots' field is there for robots only.
    assert not page.locator("#useful-website").is_visible()
    assert page.context.cookies() == []


def test_a_reader_answers_and_reports_by_keyboard_without_any_cookie(app, page, axe, world):
    world.entry("published")
    page.goto("/entries/AIR-00001")
    tab_to(page, "#feedback button[value=yes]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == "Thank you for your feedback"

    page.goto("/entries/AIR-00001/report-a-problem")
    with page.expect_navigation():
        page.get_by_role("button", name="Send report").click()
    assert page.locator(".govuk-error-summary").is_visible()
    axe(page)
    tab_to(page, "#text")
    page.keyboard.type("The contact address bounces.")
    tab_to(page, "#email")
    page.keyboard.type("reader@example.org")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == "Thank you for your feedback"
    assert page.context.cookies() == []
    assert [item["kind"] for item in stored(app)] == ["useful", "problem"]


def test_publishers_pages_for_feedback_and_review_dates_have_no_violations(page, axe, answered):
    sign_in_as(page, "publisher@ns.example")
    for path in (
        "/manage",
        "/manage/feedback/1",
        "/manage/feedback/2",
        "/manage/entries/AIR-00001/review-date",
    ):
        assert page.goto(path).status == 200, path
        axe(page)
    page.goto("/manage/entries/AIR-00001/review-date")
    with page.expect_navigation():
        page.get_by_role("button", name="Change the review date").click()
    page.get_by_label("Day").fill("")
    with page.expect_navigation():
        page.get_by_role("button", name="Change the review date").click()
    assert page.locator(".govuk-error-summary").is_visible()
    axe(page)


def test_a_bar_of_a_chart_leads_to_the_listing_filtered_that_way(page, answered):
    page.goto("/stats")
    bar = page.locator("#by-status svg a[href='/entries?status=in_use']")
    with page.expect_navigation():
        bar.locator("rect").click()
    assert page.url.endswith("/entries?status=in_use")
