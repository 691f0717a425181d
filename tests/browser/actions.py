"""What a person does in the browser, shared by the browser tests."""

from __future__ import annotations

import pytest

from register.languages import prefix
from tests.conftest import TEST_PASSWORD


def sign_in_as(page, email: str, password: str = TEST_PASSWORD, language: str = "en") -> None:
    """Sign in through the form, by keyboard, and wait for the dashboard it leads to; on the
    pages in `language` ("cy" for Welsh)."""
    page.goto(f"{prefix(language)}/sign-in")
    tab_to(page, "#email")
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_url(f"**{prefix(language)}/manage")


def tab_to(page, selector: str, most: int = 200) -> None:
    """Press Tab until `selector` has the focus, as a keyboard user would."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    pytest.fail(f"Tab never reached {selector} on {page.url}")


def press(page, selector: str, axe=None) -> None:
    """Tab to a button or link and press Enter, as a keyboard user would; wait for the page
    it leads to, and run `axe` on it if given."""
    tab_to(page, selector)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    if axe is not None:
        axe(page)


def type_into(page, selector: str, text: str) -> None:
    """Tab to a field and type into it, as a keyboard user would."""
    tab_to(page, selector)
    page.keyboard.type(text)


def choose(page, name: str, steps: int = 0) -> None:
    """Tab into a group of radios, select the first with Space, then move down `steps`."""
    tab_to(page, f"input[name={name}]")
    page.keyboard.press("Space")
    for _ in range(steps):
        page.keyboard.press("ArrowDown")
