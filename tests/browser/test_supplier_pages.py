"""The supplier pages and an entry's similar entries, in a real Chromium: no axe-core
violations, and a reader gets from an entry to who else uses its product by keyboard."""

from __future__ import annotations

import pytest

from tests.factories import publishable_values
from tests.manage_world import WORLD

from .actions import press

pytestmark = pytest.mark.browser
world = WORLD


def _bought(title: str) -> dict:
    return publishable_values(
        title=title,
        built_by="external_supplier",
        supplier_name="Roadscan Vision Ltd",
        supplier_registry="gb_coh",
        supplier_company_number="SC123456",
        product_name="Roadscan Inspector",
    )


@pytest.fixture
def register(world):
    """The same product at Northshire County Council and Southvale Police."""
    world.entry("published", values=_bought("Pothole finder"))
    world.entry(
        "published",
        values=_bought("Street defect camera"),
        organisation="Southvale Police",
        author="outside_editor",
    )
    return world


@pytest.mark.parametrize(
    "viewport",
    [
        pytest.param({"width": 1280, "height": 800}, id="desktop"),
        pytest.param({"width": 320, "height": 640}, id="narrow"),
    ],
)
@pytest.mark.parametrize("path", ["/suppliers", "/suppliers/roadscan-vision-ltd"])
def test_supplier_pages_have_no_accessibility_violations(page, axe, register, path, viewport):
    page.set_viewport_size(viewport)
    assert page.goto(path).status == 200
    axe(page)


def test_an_entry_leads_to_the_same_product_elsewhere_and_to_its_supplier(page, axe, register):
    page.goto("/entries/AIR-00001")
    axe(page)
    similar = page.locator("#similar-entries li")
    assert similar.count() == 1
    assert "Uses the same product: Roadscan Inspector" in similar.first.inner_text()
    assert "Southvale Police" in similar.first.inner_text()
    press(page, "#similar-entries a[href='/suppliers/roadscan-vision-ltd']", axe)
    assert page.url.endswith("/suppliers/roadscan-vision-ltd")
    assert page.locator("h1").inner_text() == "Roadscan Vision Ltd"
    titles = page.locator("main ul.govuk-list a").all_inner_texts()
    assert titles == ["Pothole finder", "Street defect camera"]
