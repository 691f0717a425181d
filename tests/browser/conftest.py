"""Fixtures for tests that drive a real Chromium: a live server, a browser, a page, and axe.

Browser tests skip, with the reason, when Chromium, axe-core or the compiled stylesheet is
missing. With REQUIRE_BROWSER=1 a missing piece is an error instead, so CI never passes
without really running them.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from werkzeug.serving import make_server

from tests.pages import check_choices_are_asked

from .welsh import language_problems

ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
STYLESHEET = ROOT / "static" / "css" / "register.css"
# WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's own good-practice rules.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def missing(reason: str) -> None:
    """Skip the test, or fail it when the browser tests are required to run."""
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def chromium_path() -> str | None:
    """The Chromium to drive: CHROMIUM_PATH if set, else the system's own."""
    return (
        os.environ.get("CHROMIUM_PATH")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )


@pytest.fixture(scope="session")
def live_server(app: Flask) -> Iterator[str]:
    """Serve the test app on a free local port from a background thread; yields its URL."""
    if not STYLESHEET.exists():
        missing("the stylesheet is not compiled: run `make assets`")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """One headless Chromium for the whole run."""
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("the playwright package is not installed")
    executable = chromium_path()
    if not executable:
        missing("Chromium is not installed (or set CHROMIUM_PATH to a Chromium build)")
    if not Path(executable).exists():
        missing(f"there is no Chromium at CHROMIUM_PATH={executable}")
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
    except PlaywrightError as error:
        playwright.stop()
        missing(f"Chromium at {executable} did not start: {error}")
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def page(browser, live_server: str) -> Iterator:
    """A fresh page in its own browser context, with `base_url` set to the live server."""
    context = browser.new_context(base_url=live_server)
    page = context.new_page()
    # Anything the Content-Security-Policy blocks is a bug: the page relies on it.
    blocked = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page
    context.close()
    assert not blocked, "the Content-Security-Policy blocked:\n" + "\n".join(blocked)


def describe_violations(url: str, violations: list[dict]) -> str:
    """Every axe violation with its rule, what it means and the elements that break it."""
    lines = [f"{len(violations)} accessibility violation(s) on {url}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact') or 'no impact given'}): "
            f"{violation['help']} <{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            lines.append(f"    at {' '.join(map(str, node['target']))}")
    return "\n".join(lines)


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_SCRIPT.exists():
        missing("axe-core is not installed: run `npm ci`")
    return AXE_SCRIPT.read_text(encoding="utf-8")


@pytest.fixture
def axe(axe_source: str) -> Callable:
    """`axe(page)` runs axe-core on the page as it is now and fails listing every violation;
    it also applies the page checker's own rule that every group of choices asks its question,
    and checks the page is in the language of its address, its parts in another marked so
    (see welsh.py)."""

    def check(page) -> None:
        # Evaluated, not added as a <script>, so a Content-Security-Policy cannot block it.
        page.evaluate(axe_source)
        results = page.evaluate(
            """tags => axe.run(document, {
                runOnly: {type: "tag", values: tags},
                resultTypes: ["violations"],
            })""",
            AXE_TAGS,
        )
        violations = results["violations"]
        if violations:
            pytest.fail(describe_violations(page.url, violations), pytrace=False)
        check_choices_are_asked(BeautifulSoup(page.content(), "html.parser"))
        problems = language_problems(page)
        if problems:
            pytest.fail(f"text in the wrong language on {page.url}:\n" + "\n".join(problems))

    return check
