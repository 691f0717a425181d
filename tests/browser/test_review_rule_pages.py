"""What a person reads before they act, in a real Chromium: a publisher who wrote answers of
a version is told to find another reviewer, and the other publisher publishes it; questions
say whether they are optional and link the terms they use; the public page opens with what
the tool does. By keyboard, with axe-core and the legend rule on each page."""

from __future__ import annotations

import pytest

from register import publishing
from tests.browser.actions import press, sign_in_as, tab_to
from tests.factories import publishable_values
from tests.manage_world import PEOPLE, WORLD

pytestmark = pytest.mark.browser
world = WORLD

ENTRY = "/manage/entries/AIR-00001"


def test_a_publisher_who_wrote_answers_is_not_its_only_reviewer(browser, live_server, axe, world):
    # The editor's draft has every answer but the title, which a publisher writes.
    world.entry(values={**publishable_values(), "title": None})
    writer = browser.new_context(base_url=live_server).new_page()
    sign_in_as(writer, PEOPLE["publisher"][0])
    writer.goto(f"{ENTRY}/about")
    tab_to(writer, "#title")
    writer.keyboard.type("Chatbot for council tax questions")
    press(writer, "button[name=save_as_draft]")
    with world.app.app_context():
        publishing.submit(world.load("AIR-00001"), world.user("editor"))  # the editor submits

    writer.goto(f"{ENTRY}/review")
    axe(writer)
    assert "You changed answers in this version, so another publisher must review it" in (
        writer.locator("main").inner_text()
    )
    assert "second@ns.example" in writer.locator("#who-else-can-publish").inner_text()
    press(writer, "button[name=publish]")  # pressed anyway: refused, and nothing changes
    assert "another publisher must review it" in writer.locator(".govuk-error-summary").inner_text()
    assert world.state("AIR-00001") == "in_review"
    writer.context.close()

    reviewer = browser.new_context(base_url=live_server).new_page()
    sign_in_as(reviewer, PEOPLE["second_publisher"][0])
    reviewer.goto(f"{ENTRY}/review")
    axe(reviewer)
    press(reviewer, "button[name=publish]")
    assert "Version 1 of AIR-00001 is published." in (
        reviewer.locator(".govuk-notification-banner").inner_text()
    )
    reviewer.context.close()


def test_questions_say_what_is_optional_and_explain_their_terms(page, axe, world):
    world.entry()
    sign_in_as(page, PEOPLE["editor"][0])
    page.goto(f"{ENTRY}/about")
    axe(page)
    about = page.locator("main").inner_text()
    assert "Team (optional)" in about
    assert "Needed when the tool is in use or retired." in about

    page.goto(f"{ENTRY}/data")
    link = page.get_by_role("link", name="What special category data is", exact=False)
    assert "ico.org.uk" in link.get_attribute("href")
    assert "(opens in new tab)" in link.inner_text()
    page.goto(f"{ENTRY}/risks")
    assert page.get_by_role("link", name="EU Artificial Intelligence Act", exact=False).count()
    axe(page)


def test_the_public_page_opens_with_what_the_tool_does(page, axe, world):
    world.entry("published")
    page.goto("/entries/AIR-00001")
    axe(page)
    headings = page.locator("main h2").all_inner_texts()
    assert headings[0] == "At a glance"
    assert headings.index("At a glance") < headings.index("About this entry")
    glance = page.locator("#at-a-glance").inner_text()
    assert "Summary" in glance and "Oversight" in glance
