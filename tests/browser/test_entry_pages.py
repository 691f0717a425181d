"""The public entry pages in a real Chromium: no axe-core violations on an entry, a retired
and a withdrawn entry, the versions page, an earlier version and a comparison."""

from __future__ import annotations

import pytest

from tests.manage_world import WORLD
from tests.public_entries import retire, revise, rows_of_each_group, withdraw

pytestmark = pytest.mark.browser
world = WORLD

VIEWPORTS = [
    pytest.param({"width": 1280, "height": 800}, id="desktop"),
    pytest.param({"width": 320, "height": 640}, id="narrow"),
]


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_entry_pages_have_no_accessibility_violations(page, axe, world, viewport):
    world.entry("published", rows=rows_of_each_group(2))
    revise(
        world,
        "AIR-00001",
        {
            "purpose": "Reports arrive much faster than the inspectors can read them.",
            "techniques": ["classical_ml", "generative_ai"],
            "risk_level": "high",
            "web_page": "https://northshire.example/a/very/long/address/that/must/wrap/" * 4,
        },
        rows={"risks": [{"name": "Risk number 2", "mitigation": "Checked weekly"}]},
        note="Reassessed the risks.",
    )
    world.entry("published")
    retire(world, "AIR-00002", "Replaced by the new highways system.")
    world.entry("published")
    withdraw(world, "AIR-00003", "Published in error.")

    page.set_viewport_size(viewport)
    paths = [
        ("/entries/AIR-00001", 200),
        ("/entries/AIR-00001/versions", 200),
        ("/entries/AIR-00001/versions/1", 200),
        ("/entries/AIR-00001/versions/1/changes", 200),
        ("/entries/AIR-00001/versions/2/changes", 200),
        ("/entries/AIR-00002", 200),
        ("/entries/AIR-00002/versions/2/changes", 200),
        ("/entries/AIR-00003", 410),
    ]
    for path, status in paths:
        assert page.goto(path).status == status, path
        axe(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"{path} is {width}px wide"


def test_additions_and_removals_do_not_rely_on_colour(page, world):
    world.entry("published")
    revise(world, "AIR-00001", {"purpose": "Reports arrive much faster than inspectors read."})
    page.goto("/entries/AIR-00001/versions/2/changes")
    added = page.locator("dd ins").first
    removed = page.locator("dd del").first
    style = "(element, property) => getComputedStyle(element)[property]"
    assert "underline" in added.evaluate(style, "textDecorationLine")
    assert "line-through" in removed.evaluate(style, "textDecorationLine")
