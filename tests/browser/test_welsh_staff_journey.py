"""An entry recorded, submitted, reviewed and published on the Welsh pages, by keyboard alone,
in a real Chromium: from signing in at /cy/sign-in to the published entry's Welsh page. Every
page on the way stays Welsh (its address, `lang="cy"`, every link and form) and has no
axe-core violations; the sign-in page, the navigation, the dashboard and the public entry
page are in Welsh."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.browser.actions import answer_every_section, press, sign_in_as, type_into
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

    answer_every_section(page, axe, added="Mae’r ffynhonnell ddata wedi’i ychwanegu.")

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
