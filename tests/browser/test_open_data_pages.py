"""The open-data and API pages in a real Chromium: no axe-core violations, at any width."""

from __future__ import annotations

import pytest

from register import demo

pytestmark = pytest.mark.browser


@pytest.fixture
def some_entries(app):
    with app.app_context():
        demo.load(5, seed=11)


@pytest.mark.parametrize("width", [1280, 320])
@pytest.mark.parametrize("path", ["/open-data", "/api"])
def test_open_data_pages_have_no_accessibility_violations(page, axe, some_entries, path, width):
    page.set_viewport_size({"width": width, "height": 800})
    response = page.goto(path)
    assert response.status == 200
    axe(page)
