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


def answer_every_section(page, axe, added: str = "The data source has been added.") -> None:
    """From the first section of a new entry, answer every question of the pothole triage
    tool by keyboard, section by section, to the "Other information" page; `added` is what
    the page says once its data source is added, in the page's language."""
    type_into(page, "#summary", "Sorts reports of potholes by how urgent the repair is.")
    choose(page, "policy_area", 3)  # economic affairs
    choose(page, "status")  # planned
    type_into(page, "#contact_email", "highways@ns.example")
    press(page, "button[name=save_and_continue]", axe)

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
    assert added in page.locator("main").inner_text()
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
