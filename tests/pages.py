"""Checks that hold on every HTML page the register serves."""

from __future__ import annotations

from bs4 import BeautifulSoup
from werkzeug.test import TestResponse


def check_page(response: TestResponse) -> BeautifulSoup:
    """Parse an HTML response and assert the invariants every page shares.

    A title, exactly one h1, a language on <html>, and a CSRF token in every POST form.
    """
    assert response.mimetype == "text/html", f"not a page: {response.mimetype}"
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    title = page.find("title")
    assert title is not None and title.get_text(strip=True), "the page has no <title>"
    headings = page.find_all("h1")
    assert len(headings) == 1, f"the page has {len(headings)} <h1> elements, not one"
    html = page.find("html")
    assert html is not None and html.get("lang"), "<html> has no lang attribute"
    for form in page.find_all("form"):
        if (form.get("method") or "get").lower() == "post":
            assert form.find("input", attrs={"name": "csrf_token"}), (
                f"a POST form to {form.get('action')!r} has no CSRF token"
            )
    return page
