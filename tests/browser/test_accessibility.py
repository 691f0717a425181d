"""Every page, in a real Chromium: no axe-core violations, usable by keyboard, styled."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

# Every page the register delivers, and the error page as a visitor meets it.
PAGES = [
    pytest.param("/", 200, id="home"),
    pytest.param("/accessibility", 200, id="accessibility"),
    pytest.param("/privacy", 200, id="privacy"),
    pytest.param("/sign-in", 200, id="sign-in"),
    pytest.param("/no-such-page", 404, id="not-found"),
]
# Each of them in Welsh too (tests/browser/test_accessibility_in_welsh.py has the others).
PAGES += [pytest.param(f"/cy{p.values[0]}", p.values[1], id=f"cy-{p.id}") for p in PAGES]
VIEWPORTS = [
    pytest.param({"width": 1280, "height": 800}, id="desktop"),
    pytest.param({"width": 320, "height": 640}, id="narrow"),
]


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize(("path", "status"), PAGES)
def test_page_has_no_accessibility_violations(page, axe, path, status, viewport):
    page.set_viewport_size(viewport)
    response = page.goto(path)
    assert response.status == status
    axe(page)


def focused(page) -> dict:
    return page.evaluate(
        """() => {
            const element = document.activeElement;
            return {
                tag: element.tagName.toLowerCase(),
                id: element.id,
                className: element.className,
                inMain: Boolean(element.closest("main")),
            };
        }"""
    )


@pytest.mark.parametrize(("path", "status"), PAGES)
def test_first_tab_reaches_the_skip_link_which_moves_focus_to_the_main_content(page, path, status):
    page.goto(path)
    page.keyboard.press("Tab")
    assert "govuk-skip-link" in focused(page)["className"]
    assert page.locator(".govuk-skip-link").is_visible(), "the focused skip link is not shown"

    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main-content"


def test_without_javascript_the_skip_link_still_takes_keyboard_users_past_the_header(
    browser, live_server
):
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/")
        page.keyboard.press("Tab")
        assert "govuk-skip-link" in focused(page)["className"]

        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        assert focused(page)["inMain"], f"Tab after the skip link reached {focused(page)}"
    finally:
        context.close()


def test_page_loads_its_stylesheet_and_scripts_and_is_set_in_arial(page):
    failures = []
    # The register serves no fonts and none of GOV.UK's images, so a page asks for neither.
    fonts_and_images = []
    page.on(
        "request",
        lambda request: (
            fonts_and_images.append(request.url)
            if request.resource_type in {"font", "image"}
            and not request.url.endswith("/favicon.ico")
            else None
        ),
    )
    page.on(
        "response",
        lambda response: (
            failures.append(f"{response.status} {response.url}")
            if response.status >= 400 and not response.url.endswith("/favicon.ico")
            else None
        ),
    )
    page.on("requestfailed", lambda request: failures.append(f"failed {request.url}"))
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    with page.expect_response(lambda response: response.url.endswith(".css")) as stylesheet:
        page.goto("/")
    assert stylesheet.value.status == 200
    css = stylesheet.value.text()
    assert "@font-face" not in css and "GDS Transport" not in css
    page.wait_for_load_state("networkidle")

    assert failures == []
    assert errors == []
    assert fonts_and_images == []
    # GOV.UK Frontend sets the font on its components, not on <body>.
    for selector in ("h1", "main p", ".govuk-footer"):
        font = page.eval_on_selector(selector, "element => getComputedStyle(element).fontFamily")
        assert font.lower().startswith("arial"), f"{selector} is set in {font}"
    # GOV.UK Frontend's JavaScript ran and recognised the browser.
    assert "govuk-frontend-supported" in page.get_attribute("body", "class")
