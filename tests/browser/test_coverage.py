"""The coverage page and an organisation's record, in a real Chromium: no axe-core
violations at either width, and the type filter works from the keyboard."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.manage_world import WORLD
from tests.test_listing_overdue import set_due

from .actions import press, tab_to

pytestmark = pytest.mark.browser
world = WORLD


@pytest.fixture
def register(app, world, make_organisation):
    """Northshire County Council with an entry overdue for review; Southvale Police and
    Eastmoor Fire and Rescue with nothing public."""
    world.entry("published")
    set_due(app, "AIR-00001", date.today() - timedelta(days=1))
    make_organisation("Eastmoor Fire and Rescue", "fire_rescue")
    return world


@pytest.mark.parametrize(
    "viewport",
    [
        pytest.param({"width": 1280, "height": 800}, id="desktop"),
        pytest.param({"width": 320, "height": 640}, id="narrow"),
    ],
)
@pytest.mark.parametrize(
    "path",
    ["/coverage", "/organisations/northshire-county-council", "/organisations/southvale-police"],
)
def test_coverage_pages_have_no_accessibility_violations(page, axe, register, path, viewport):
    page.set_viewport_size(viewport)
    assert page.goto(path).status == 200
    axe(page)


def test_the_type_filter_narrows_the_list_from_the_keyboard(page, axe, register):
    page.goto("/coverage")
    assert page.locator("#recorded-nothing tbody tr").count() == 2
    tab_to(page, "#organisation-type")
    page.keyboard.type("Police")  # a closed select chooses the option typed
    assert page.locator("#organisation-type").input_value() == "police"
    press(page, "main form button[type=submit]", axe)
    assert page.url.endswith("/coverage?organisation_type=police")
    names = page.locator("#recorded-nothing tbody th").all_inner_texts()
    assert names == ["Southvale Police"]
    assert page.locator("#overdue-reviews").count() == 0
