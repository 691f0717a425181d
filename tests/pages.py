"""Checks that hold on every HTML page the register serves."""

from __future__ import annotations

import re

import html5lib
from bs4 import BeautifulSoup
from html5lib.html5parser import ParseError
from werkzeug.test import TestResponse

from register.html_text import FORBIDDEN

# What a form page's title starts with while its form shows errors (GOV.UK's pattern), in
# English and in Welsh.
ERROR_PREFIXES = ("Error: ", "Gwall: ")


def check_page(response: TestResponse) -> BeautifulSoup:
    """Parse an HTML response and assert the invariants every page shares.

    HTML that parses without errors, a title that starts with the h1 (after "Error: " when
    the form has errors), exactly one h1, a language on <html>, and a CSRF token in every
    POST form.
    """
    assert response.mimetype == "text/html", f"not a page: {response.mimetype}"
    html_text = response.get_data(as_text=True)
    check_parses_strictly(html_text)
    page = BeautifulSoup(html_text, "html.parser")
    title = page.find("title")
    assert title is not None and title.get_text(strip=True), "the page has no <title>"
    headings = page.find_all("h1")
    assert len(headings) == 1, f"the page has {len(headings)} <h1> elements, not one"
    check_title_matches_heading(title.get_text(), headings[0].get_text())
    html = page.find("html")
    assert html is not None and html.get("lang"), "<html> has no lang attribute"
    for form in page.find_all("form"):
        if (form.get("method") or "get").lower() == "post":
            assert form.find("input", attrs={"name": "csrf_token"}), (
                f"a POST form to {form.get('action')!r} has no CSRF token"
            )
    check_choices_are_asked(page)
    return page


def check_choices_are_asked(page: BeautifulSoup) -> None:
    """Assert every group of radios, and of checkboxes sharing a name, sits in a fieldset
    whose legend says what is asked: without it a screen reader announces the choices alone
    ("Yes, radio button") and nobody can tell the question from the page's layout."""
    groups: dict[tuple[str, str], list] = {}
    for choice in page.select("input[type=radio], input[type=checkbox]"):
        groups.setdefault((choice["type"], choice.get("name", "")), []).append(choice)
    for (kind, name), choices in groups.items():
        if kind == "checkbox" and len(choices) == 1:
            continue  # a single checkbox's own label is its question
        fieldset = choices[0].find_parent("fieldset")
        legend = fieldset.find("legend") if fieldset else None
        question = legend.get_text(" ", strip=True) if legend else ""
        what = "radio buttons" if kind == "radio" else "checkboxes"
        assert question, f"the {what} named {name!r} are asked with no legend saying what"


# A page's CSP nonce and tokens (CSRF, feedback forms) change from one response to the next;
# with them left out, most pages a run fetches have been seen whole before.
UNIQUE_TO_RESPONSE = re.compile(r'(?<=nonce=")[\w+/=-]+(?=")|(?<=value=")[\w.-]{40,}(?=")')
_parsed_before: set[int] = set()


def check_parses_strictly(html_text: str) -> None:
    """Assert the page has no parse errors by the HTML standard's rules (html5lib's strict
    mode stops at the first), naming the line it is on. A page that differs from one already
    parsed only in its nonce and tokens is not parsed again: html5lib is slow."""
    seen = hash(UNIQUE_TO_RESPONSE.sub("", html_text))
    if seen in _parsed_before:
        return
    parser = html5lib.HTMLParser(strict=True)
    try:
        parser.parse(html_text)
    except ParseError as error:
        (line, column), code, _details = parser.errors[-1]
        forbidden = FORBIDDEN.search(html_text)
        if code == "invalid-codepoint" and forbidden:
            # Found while the text is read, before the position is counted.
            at = forbidden.start()
            line = html_text.count("\n", 0, at) + 1
            column = at - html_text.rfind("\n", 0, at)
        source = html_text.splitlines()[line - 1] if line else ""
        raise AssertionError(
            f"the page does not parse: {error} at line {line}, column {column}: {source.strip()}"
        ) from None
    _parsed_before.add(seen)


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def check_title_matches_heading(title: str, heading: str) -> None:
    """Assert the <title> starts with the h1's text, allowing the "Error: " prefix."""
    title, heading = _words(title), _words(heading)
    named = next(
        (title.removeprefix(start) for start in ERROR_PREFIXES if title.startswith(start)), title
    )
    assert named.startswith(heading), f"the title {title!r} does not start with the h1 {heading!r}"
