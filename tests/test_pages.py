"""The public pages and error pages: what a visitor reads, in the register's own layout."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from flask import Flask, abort, render_template_string
from werkzeug.exceptions import TooManyRequests

from register import create_app
from register.views.errors import ERROR_PAGES
from register.views.session_end import PERSON_COOKIE

from .pages import check_page

REGISTER_NAME = "Public Sector AI Register"
LICENCE = "Open Government Licence v3.0"


def assert_register_layout(page: BeautifulSoup) -> None:
    """The register's header, navigation and footer, and nothing that belongs to GOV.UK."""
    html = str(page)
    header_link = page.select_one(".govuk-generic-header__homepage-link")
    assert header_link is not None and header_link.get_text(strip=True) == REGISTER_NAME
    assert page.select_one(".govuk-skip-link")["href"] == "#main-content"
    assert page.select_one("main#main-content") is not None
    assert page.select_one("nav.govuk-service-navigation__wrapper") is not None
    assert page.select_one(".govuk-phase-banner .govuk-tag").get_text(strip=True) == "Beta"

    footer = page.select_one("footer .govuk-footer")
    assert LICENCE in footer.get_text(" ", strip=True)
    assert footer.find("a", rel="license")["href"].startswith("https://")
    footer_links = {a.get_text(strip=True): a["href"] for a in footer.select("ul a")}
    assert footer_links == {
        "Accessibility statement": "/accessibility",
        "Privacy": "/privacy",
        "Open data": "/open-data",
        "API": "/api",
    }

    # No crown, crest, GOV.UK name or GOV.UK icons: this is not a GOV.UK service.
    assert "GOV.UK" not in html
    assert "crown" not in html.lower()
    assert page.select(".govuk-header, .govuk-logo, .govuk-footer__crown") == []
    assert page.select("link[rel~=icon], link[rel=manifest], link[rel=mask-icon]") == []


@pytest.mark.parametrize(
    ("url", "heading", "title"),
    [
        ("/", REGISTER_NAME, REGISTER_NAME),
        ("/accessibility", "Accessibility statement", f"Accessibility statement – {REGISTER_NAME}"),
        ("/privacy", "Privacy notice", f"Privacy notice – {REGISTER_NAME}"),
    ],
)
def test_public_page_has_its_heading_title_and_the_register_layout(
    client_request, url, heading, title
):
    page = client_request.get(url)
    assert page.h1.get_text(strip=True) == heading
    assert page.title.get_text(strip=True) == title
    assert_register_layout(page)


def test_home_page_says_who_the_register_is_for_and_links_only_to_pages_that_exist(
    client, client_request
):
    page = client_request.get("/")
    text = page.main.get_text(" ", strip=True)
    for audience in ("Members of the public", "Researchers and journalists", "Public servants"):
        assert audience in text
    for link in page.select("a[href^='/']"):
        assert client.get(link["href"]).status_code == 200, f"{link['href']} is broken"


def test_navigation_marks_the_current_page(client_request):
    home = client_request.get("/").select_one(".govuk-service-navigation__link")
    assert home.get_text(strip=True) == "Home"
    assert home["aria-current"] == "page"

    elsewhere = client_request.get("/privacy").select_one(".govuk-service-navigation__link")
    assert not elsewhere.has_attr("aria-current")


def test_accessibility_statement_says_the_standard_how_we_test_and_how_to_report(client_request):
    text = client_request.get("/accessibility").main.get_text(" ", strip=True)
    assert "(WCAG) version 2.2 at level AA" in text
    assert "axe" in text and "keyboard" in text
    assert "register@example.org" in text
    assert "Enforcement procedure" in text


def test_privacy_notice_names_the_data_held_and_the_cookies(app, client_request):
    page = client_request.get("/privacy")
    text = page.main.get_text(" ", strip=True)
    assert "Accounts for public servants" in text
    assert "Server logs" in text
    assert "register@example.org" in text
    cookies = [row.td.get_text(strip=True) for row in page.select("tbody tr")]
    assert cookies == [app.config["SESSION_COOKIE_NAME"], PERSON_COOKIE]


@pytest.mark.parametrize("url", ["/", "/accessibility", "/privacy", "/no-such-page"])
def test_reading_the_register_sets_no_cookie(client, url):
    # The privacy notice promises readers no cookies; only signing in may set one.
    response = client.get(url)
    assert "Set-Cookie" not in response.headers


# Error pages --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def failing_app(app: Flask) -> Flask:
    """A second app on the same database, with routes that fail in each way a visitor may meet."""
    failing = create_app(
        "testing",
        {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "MAX_CONTENT_LENGTH": 1024,
        },
    )

    @failing.post("/form")
    def form() -> str:
        return "accepted"

    @failing.get("/forbidden")
    def forbidden() -> str:
        abort(403)

    @failing.get("/busy")
    def busy() -> str:
        raise TooManyRequests(retry_after=60)

    @failing.get("/broken")
    def broken() -> str:
        raise RuntimeError("something unexpected")

    return failing


@pytest.fixture
def failing_client(failing_app: Flask) -> Iterator:
    with failing_app.test_client() as client:
        yield client


def error_page(response, code: int) -> BeautifulSoup:
    assert response.status_code == code
    page = check_page(response)
    title, advice = ERROR_PAGES[code]
    assert page.h1.get_text(strip=True) == title
    assert page.title.get_text(strip=True) == f"{title} – {REGISTER_NAME}"
    assert advice in page.main.get_text(" ", strip=True)
    assert page.main.find("a", href="/").get_text(strip=True) == "Go to the home page"
    assert_register_layout(page)
    return page


def test_unknown_address_shows_page_not_found(client):
    error_page(client.get("/no-such-page"), 404)


def test_posting_to_a_read_only_page_shows_not_allowed_and_says_what_is(client):
    # No view accepts the POST, so the CSRF check has nothing to protect: 405, not 400.
    response = client.post("/accessibility")
    error_page(response, 405)
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "HEAD"}


def test_form_sent_without_its_csrf_token_shows_a_problem_with_the_request(failing_client):
    error_page(failing_client.post("/form", data={"name": "x"}), 400)


def test_form_too_large_shows_that_it_is_too_large(failing_client):
    error_page(failing_client.post("/form", data={"text": "x" * 2048}), 413)


def test_forbidden_page_shows_no_permission(failing_client):
    error_page(failing_client.get("/forbidden"), 403)


def test_too_many_attempts_says_to_wait_and_keeps_retry_after(failing_client):
    response = failing_client.get("/busy")
    error_page(response, 429)
    assert int(response.headers["Retry-After"]) > 0


def test_unexpected_error_shows_the_styled_service_problem_page(failing_client):
    error_page(failing_client.get("/broken"), 500)


# The layout's own behaviour -------------------------------------------------------------------

LAYOUT_PAGE = '{% extends "base.html" %}{% block title %}Describe the tool{% endblock %}'


def render_layout(app: Flask, **context) -> BeautifulSoup:
    with app.test_request_context("/"):
        return BeautifulSoup(render_template_string(LAYOUT_PAGE, **context), "html.parser")


def test_title_starts_with_error_when_the_form_has_errors(app):
    form = SimpleNamespace(errors={"title": ["Enter a title"]})
    page = render_layout(app, form=form)
    assert page.title.get_text(strip=True) == f"Error: Describe the tool – {REGISTER_NAME}"

    valid = SimpleNamespace(errors={})
    page = render_layout(app, form=valid)
    assert page.title.get_text(strip=True) == f"Describe the tool – {REGISTER_NAME}"


@pytest.mark.parametrize("nonce", ["n0nce-value", lambda: "n0nce-value"], ids=["text", "callable"])
def test_scripts_carry_the_csp_nonce_when_there_is_one(app, nonce):
    page = render_layout(app, csp_nonce=nonce)
    scripts = page.find_all("script")
    assert scripts and all(script.get("nonce") == "n0nce-value" for script in scripts)

    page = render_layout(app)
    assert all(not script.has_attr("nonce") for script in page.find_all("script"))


def test_phase_banner_follows_the_settings(app):
    page = render_layout(app, register_phase="alpha", register_phase_text="Try it out.")
    banner = page.select_one(".govuk-phase-banner")
    assert banner.select_one(".govuk-tag").get_text(strip=True) == "Alpha"
    assert "Try it out." in banner.get_text(" ", strip=True)
    assert banner.find("a")["href"] == "mailto:register@example.org"

    assert render_layout(app, register_phase="").select_one(".govuk-phase-banner") is None


def test_licence_without_a_web_address_is_named_without_a_link(app):
    page = render_layout(app, register_licence_name="CC BY 4.0", register_licence_url="")
    licence = page.select_one(".govuk-footer__licence-description")
    assert "CC BY 4.0" in licence.get_text(" ", strip=True)
    assert licence.find("a") is None


@pytest.mark.parametrize(
    "url",
    [
        "/entries%00",
        "/?q=%00",
        "/?%00=1",
        "/manage/entries/AIR-00001/risks/1%00",
        "/entries?organisation=a&organisation=%00",
    ],
)
def test_a_null_character_anywhere_in_the_address_is_a_clear_400(client_request, url):
    page = client_request.get(url, expected_status=400)
    assert page.h1.get_text(strip=True) == "Sorry, there is a problem with your request"


def test_a_null_character_in_a_form_is_a_clear_400_and_signs_nobody_in(client_request):
    response = client_request.post(
        "/sign-in", {"email": "a\x00@example.org", "password": "x"}, expected_status=400
    )
    assert "there is a problem with your request" in response.get_data(as_text=True)


def test_a_database_that_cannot_be_reached_gives_a_clear_503(tmp_path):
    unreachable = create_app(
        "testing",
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'missing' / 'nowhere.db'}"},
    )
    client = unreachable.test_client()
    token_page = client.get("/sign-in")
    assert token_page.status_code == 200  # pages without data still work
    token = BeautifulSoup(token_page.get_data(as_text=True), "html.parser").select_one(
        "form[method=post] input[name=csrf_token]"
    )["value"]
    response = client.post(
        "/sign-in", data={"email": "a@example.org", "password": "x", "csrf_token": token}
    )
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    page = check_page(response)
    assert page.h1.get_text(strip=True) == "Sorry, the service is unavailable"
    assert "Traceback" not in response.get_data(as_text=True)
