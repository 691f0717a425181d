"""An entry recorded, submitted, reviewed and published on the Welsh pages, by keyboard alone,
in a real Chromium: from signing in at /cy/sign-in to the published entry's Welsh page. Every
page on the way stays Welsh (its address, `lang="cy"`, every link and form) and has no
axe-core violations; the sign-in page, the navigation, the dashboard and the public entry
page are in Welsh."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.browser.actions import choose, press, sign_in_as, tab_to, type_into
from tests.manage_world import PEOPLE, WORLD

from .welsh import check_welsh

pytestmark = pytest.mark.browser
world = WORLD


def _on(page, app, path: str) -> None:
    """Assert the page shown is the Welsh page at `path`, and in Welsh."""
    assert urlsplit(page.url).path == path
    check_welsh(page, app)


def _heading(page) -> str:
    return page.locator("h1").inner_text()


def _signed_in_welsh(page, app, who: str, axe) -> None:
    """Sign in on the Welsh sign-in page, by keyboard, and land on the Welsh dashboard."""
    page.goto("/cy/sign-in")
    assert _heading(page) == "Mewngofnodi"
    sign_in_as(page, PEOPLE[who][0], language="cy")
    _on(page, app, "/cy/manage")
    assert _heading(page) == "Eich cofnodion"
    current = page.locator(".govuk-service-navigation__item--active")
    assert current.inner_text() == "Eich cofnodion"
    assert page.get_by_role("button", name="Allgofnodi").is_visible()
    axe(page)


def test_an_entry_is_recorded_reviewed_and_published_in_welsh_by_keyboard(app, page, axe, world):
    _signed_in_welsh(page, app, "editor", axe)
    press(page, "a[href='/cy/manage/entries/new']", axe)
    _on(page, app, "/cy/manage/entries/new")
    type_into(page, "#title", "Pothole report triage")
    press(page, "button[name=create]", axe)
    _on(page, app, "/cy/manage/entries/AIR-00001")
    press(page, "a.govuk-task-list__link[href$='/about']", axe)
    _on(page, app, "/cy/manage/entries/AIR-00001/about")

    type_into(page, "#summary", "Sorts reports of potholes by how urgent the repair is.")
    choose(page, "policy_area", 3)  # economic affairs
    choose(page, "status")  # planned
    type_into(page, "#contact_email", "highways@ns.example")
    press(page, "button[name=save_and_continue]", axe)
    _on(page, app, "/cy/manage/entries/AIR-00001/purpose")

    type_into(page, "#purpose", "Reports arrive faster than inspectors can read them.")
    type_into(page, "#benefits", "Dangerous potholes are repaired sooner.")
    choose(page, "decision_role", 2)  # recommends, and a person decides
    press(page, "button[name=save_and_continue]", axe)

    tab_to(page, "input[name=techniques][value=classical_ml]")
    page.keyboard.press("Space")
    choose(page, "built_by")  # in-house
    press(page, "button[name=save_and_continue]", axe)

    choose(page, "uses_personal_data", 1)  # no
    press(page, "button[name=add_row][value=data_sources]", axe)
    type_into(page, "#name", "Reports from the public")
    press(page, "button[name=save_row]", axe)
    press(page, "button[name=save_and_continue]", axe)

    choose(page, "risk_level")  # low
    press(page, "button[name=add_row][value=risks]", axe)
    type_into(page, "#name", "Quiet streets are ranked lower")
    choose(page, "category")  # bias and discrimination
    press(page, "button[name=save_row]", axe)
    press(page, "button[name=save_and_continue]", axe)

    choose(page, "oversight_model")  # human in the loop
    type_into(page, "#oversight_description", "An inspector checks every ranking.")
    type_into(page, "#appeal_process", "Ask the highways team to look again.")
    press(page, "button[name=save_and_continue]", axe)

    _on(page, app, "/cy/manage/entries/AIR-00001/other")
    assert _heading(page) == "Gwybodaeth arall"
    press(page, "button[name=save_and_continue]", axe)

    _on(page, app, "/cy/manage/entries/AIR-00001/check")
    assert _heading(page) == "Gwirio eich atebion"
    assert "Quiet streets are ranked lower" in page.locator("main").inner_text()
    press(page, "button[name=submit_for_review]", axe)
    _on(page, app, "/cy/manage/entries/AIR-00001")
    assert world.state("AIR-00001") == "in_review"
    press(page, "form[action='/cy/sign-out'] button")
    _on(page, app, "/cy/")

    _signed_in_welsh(page, app, "publisher", axe)
    press(page, "a[href='/cy/manage/entries/AIR-00001']", axe)
    press(page, "a[href='/cy/manage/entries/AIR-00001/review']", axe)
    _on(page, app, "/cy/manage/entries/AIR-00001/review")
    press(page, "button[name=publish]", axe)
    _on(page, app, "/cy/manage/entries/AIR-00001")
    assert world.state("AIR-00001") == "published"

    # The entry as the public now reads it, found in the Welsh listing.
    press(page, ".govuk-service-navigation a[href='/cy/entries']", axe)
    press(page, ".register-result a[href='/cy/entries/AIR-00001']", axe)
    _on(page, app, "/cy/entries/AIR-00001")
    assert _heading(page) == "Pothole report triage"
    assert page.locator("#at-a-glance .govuk-summary-card__title").inner_text() == "Cipolwg"
    assert "Quiet streets are ranked lower" in page.locator("main").inner_text()
