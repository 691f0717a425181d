"""The listing and the organisation pages in a real Chromium: no axe-core violations with and
without filters and results, and a search made by keyboard alone, without JavaScript."""

from __future__ import annotations

import pytest

from tests.browser.actions import tab_to
from tests.manage_world import WORLD
from tests.search_corpus import build

pytestmark = pytest.mark.browser
world = WORLD

VIEWPORTS = [
    pytest.param({"width": 1280, "height": 800}, id="desktop"),
    pytest.param({"width": 320, "height": 640}, id="narrow"),
]
PAGES = [
    "/entries",
    "/entries?status=in_use&risk_level=low&techniques=rule_based&sort=title",
    "/entries?q=predicting&organisation_type=police",
    "/entries?q=zeppelin&status=pilot",
    "/entries?page_size=2&page=2",
    "/entries?page=99999999&status=sideways",
    "/organisations",
    "/organisations?organisation_type=police",
    "/organisations/northshire-county-council",
    "/organisations/northshire-county-council?q=chat",
]


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_listing_pages_have_no_accessibility_violations(page, axe, world, viewport):
    build(world)
    page.set_viewport_size(viewport)
    for path in PAGES:
        assert page.goto(path).status == 200, path
        axe(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"{path} is {width}px wide"


def test_a_search_and_a_filter_work_by_keyboard_without_javascript(browser, live_server, world):
    build(world)
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/entries")
        tab_to(page, "#q")
        page.keyboard.type("predicting")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.locator(".register-result").count() == 2

        # Open the "Status" filter, tick "Retired" and apply, all from the keyboard.
        tab_to(page, "#filter-status summary")
        page.keyboard.press("Enter")
        tab_to(page, "input[name=status][value=retired]")
        page.keyboard.press("Space")
        tab_to(page, "#apply-filters")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "status=retired" in page.url and "q=predicting" in page.url
        assert page.locator(".register-result h3").all_inner_texts() == [
            "Burglary hotspot prediction"
        ]
    finally:
        context.close()
