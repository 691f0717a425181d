"""Signing in, the administrator's pages, the public's forms and the error pages in Welsh:
what someone reading /cy/... sees, errors next to the fields included, while the English
pages stay exactly as they were."""

from __future__ import annotations

from bs4 import BeautifulSoup

from .alerts_world import ORGANISATION
from .conftest import TEST_PASSWORD
from .feedback_world import report_form
from .manage_world import WORLD, form_data, messages
from .pages import check_page
from .snapshots import built_once

world = WORLD

ADMIN = "admin@register.example"


def _page(response) -> BeautifulSoup:
    page = check_page(response)
    assert page.find("html")["lang"] == "cy"
    return page


def _sign_in_form(client, password: str) -> dict[str, str]:
    page = BeautifulSoup(client.get("/cy/sign-in").get_data(as_text=True), "html.parser")
    token = page.select_one("main form input[name=csrf_token]")["value"]
    return {"csrf_token": token, "email": ADMIN, "password": password}


def test_a_wrong_password_on_the_welsh_sign_in_page_is_explained_in_welsh(client, make_user):
    make_user(ADMIN, is_admin=True)
    response = client.post("/cy/sign-in", data=_sign_in_form(client, "not the password"))
    assert response.status_code == 200
    page = _page(response)
    assert page.title.get_text(strip=True).startswith("Gwall: Mewngofnodi – ")
    summary = page.select_one(".govuk-error-summary")
    assert summary.h2.get_text(strip=True) == "Mae problem wedi codi"
    assert messages(page) == ["Rhowch gyfeiriad e-bost a chyfrinair cywir"]
    # Next to the field, with the hidden "Error:" a screen reader reads first, in Welsh.
    error = page.select_one("#email-error")
    assert error.get_text(" ", strip=True) == ("Gwall: Rhowch gyfeiriad e-bost a chyfrinair cywir")
    assert page.select_one("label[for=email]").get_text(strip=True) == "Cyfeiriad e-bost"
    assert page.select_one("label[for=password]").get_text(strip=True) == "Cyfrinair"
    # The password's "Show" button is written by GOV.UK's script, from these texts.
    password = page.select_one("[data-module=govuk-password-input]")
    assert password["data-i18n.show-password"] == "Dangos"
    assert password["data-i18n.hide-password-aria-label"] == "Cuddio’r cyfrinair"
    buttons = [button.get_text(strip=True) for button in page.select("main button")]
    assert buttons == ["Dangos", "Mewngofnodi"]


def test_the_english_sign_in_page_keeps_its_english_and_govuk_texts(client, make_user):
    make_user(ADMIN, is_admin=True)
    page = BeautifulSoup(client.get("/sign-in").get_data(as_text=True), "html.parser")
    token = page.select_one("main form input[name=csrf_token]")["value"]
    data = {"csrf_token": token, "email": ADMIN, "password": "not the password"}
    page = check_page(client.post("/sign-in", data=data))
    assert page.find("html")["lang"] == "en"
    assert page.select_one(".govuk-error-summary h2").get_text(strip=True) == ("There is a problem")
    assert page.select_one("#email-error").get_text(" ", strip=True) == (
        "Error: Enter a correct email address and password"
    )
    # GOV.UK's own English is left to GOV.UK: nothing passed in.
    password = page.select_one("[data-module=govuk-password-input]")
    assert not any(name.startswith("data-i18n") for name in password.attrs)


def test_an_administrator_signs_in_in_welsh_and_sees_the_people_pages_in_welsh(
    client, make_user, make_organisation
):
    make_organisation("Northshire County Council")
    make_user(ADMIN, is_admin=True, name="Alex Admin")
    response = client.post(
        "/cy/sign-in?next=/cy/admin/people", data=_sign_in_form(client, TEST_PASSWORD)
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/cy/admin/people"

    page = _page(client.get("/cy/admin/people"))
    assert page.h1.get_text(strip=True) == "Pobl"
    assert page.title.get_text(strip=True) == (
        "Pobl – Cofrestr Deallusrwydd Artiffisial y Sector Cyhoeddus"
    )
    headings = [th.get_text(strip=True) for th in page.select("thead th")]
    assert headings[:5] == ["Enw", "Cyfeiriad e-bost", "Sefydliadau", "Gweinyddwr", "Ail ffactor"]
    assert page.select_one("caption").get_text(strip=True) == "1 person"
    breadcrumbs = page.select_one(".govuk-breadcrumbs")
    assert breadcrumbs["aria-label"] == "Briwsion bara"
    assert breadcrumbs.a.get_text(strip=True) == "Sefydliadau"
    assert breadcrumbs.a["href"] == "/cy/admin/organisations"

    page = _page(client.get("/cy/admin/organisations/northshire-county-council/people"))
    assert page.h1.get_text(strip=True) == "Northshire County Council"
    assert page.find("h2", string="Pobl") is not None
    assert page.find("a", string="Gwahodd person")["href"] == (
        "/cy/admin/organisations/northshire-county-council/people/invite"
    )
    assert "Nid oes neb yn perthyn i Northshire County Council eto." in page.get_text(" ")


def _entry(world):
    built_once(world.app, "one published entry", lambda: world.entry("published"))
    return world


def test_a_problem_report_left_empty_is_explained_in_welsh(world):
    visitor = _entry(world).client(None)
    data = {**report_form(visitor, "AIR-00001"), "text": "   "}
    response = visitor.client.post("/cy/entries/AIR-00001/report-a-problem", data=data)
    assert response.status_code == 200
    page = _page(response)
    assert page.title.get_text(strip=True).startswith("Gwall: Rhoi gwybod am broblem")
    assert page.select_one(".govuk-error-summary h2").get_text(strip=True) == (
        "Mae problem wedi codi"
    )
    assert messages(page) == ["Rhowch beth sydd o’i le ar y cofnod hwn"]
    assert page.select_one("#text-error").get_text(" ", strip=True) == (
        "Gwall: Rhowch beth sydd o’i le ar y cofnod hwn"
    )
    assert page.select_one("label[for=text]").get_text(strip=True) == (
        "Beth sydd o’i le ar y cofnod hwn?"
    )
    # The character count's own texts, in Welsh.
    assert page.select_one("#text-info").get_text(strip=True) == "Gallwch roi hyd at 2000 nod"
    count = page.select_one("[data-module=govuk-character-count]")
    assert count["data-i18n.characters-under-limit.one"] == "Mae gennych 1 nod ar ôl"
    assert count["data-i18n.characters-under-limit.few"] == "Mae gennych %{count} nod ar ôl"


def test_asking_for_alerts_without_an_address_is_explained_in_welsh(world):
    _entry(world)
    visitor = world.client(None)
    page = _page(visitor.client.get(f"/cy/alerts/subscribe?organisation={ORGANISATION}"))
    assert page.h1.get_text(strip=True) == "Cael negeseuon e-bost am y cofnodion hyn"
    data = {**form_data(page), "email": "not an address"}
    response = visitor.client.post("/cy/alerts/subscribe", data=data)
    assert response.status_code == 200
    page = _page(response)
    assert messages(page) == [
        "Rhowch gyfeiriad e-bost yn y fformat cywir, fel enw@example.com",
        "Dewiswch pa mor aml rydych eisiau negeseuon e-bost",
    ]
    assert page.select_one("#frequency-error").get_text(" ", strip=True) == (
        "Gwall: Dewiswch pa mor aml rydych eisiau negeseuon e-bost"
    )
    legend = page.select_one("fieldset legend").get_text(strip=True)
    assert legend == "Pa mor aml rydych eisiau negeseuon e-bost?"
    choices = [label.get_text(strip=True) for label in page.select(".govuk-radios__label")]
    assert choices == ["Unwaith y dydd", "Unwaith yr wythnos"]


def test_a_page_not_found_says_so_in_welsh(client):
    response = client.get("/cy/no-such-page")
    assert response.status_code == 404
    page = _page(response)
    assert page.h1.get_text(strip=True) == "Heb ddod o hyd i’r dudalen"
    assert page.title.get_text(strip=True) == (
        "Heb ddod o hyd i’r dudalen – Cofrestr Deallusrwydd Artiffisial y Sector Cyhoeddus"
    )
    assert page.find("a", string="Mynd i’r hafan")["href"] == "/cy/"


PUBLIC_PAGES = {
    "/cy/accessibility": "Datganiad hygyrchedd",
    "/cy/privacy": "Hysbysiad preifatrwydd",
    "/cy/organisations": "Sefydliadau",
    "/cy/coverage": "Pwy sydd wedi cofnodi beth",
    "/cy/forgot-password": "Ailosod eich cyfrinair",
    "/cy/forgot-password/sent": "Gwiriwch eich e-bost",
}
ADMIN_PAGES = {
    "/cy/admin/organisations": "Sefydliadau",
    "/cy/admin/organisations/new": "Ychwanegu sefydliad",
    "/cy/admin/people": "Pobl",
    "/cy/admin/security-events": "Log diogelwch",
    "/cy/admin/email": "E-bost",
    "/cy/admin/settings": "Gosodiadau’r gofrestr",
    "/cy/account/password": "Newid eich cyfrinair",
    "/cy/account/emails": "Negeseuon e-bost am gofnodion",
    "/cy/account/second-factor": "Ail ffactor",
    "/cy/account/second-factor/set-up": "Gosod ail ffactor",
}


def test_the_public_and_staff_pages_read_in_welsh(world):
    _entry(world)
    for who, pages in ((None, PUBLIC_PAGES), ("admin", ADMIN_PAGES)):
        browser = world.client(who)
        for path, heading in pages.items():
            page = _page(browser.client.get(path))
            assert page.h1.get_text(" ", strip=True) == heading, path
    organisation = _page(world.client(None).client.get(f"/cy/organisations/{ORGANISATION}"))
    assert organisation.select_one("#record-heading").get_text(strip=True) == (
        "Pa mor gyflawn yw ei gofnod"
    )
    crumbs = organisation.select_one(".govuk-breadcrumbs")
    assert crumbs["aria-label"] == "Briwsion bara"
