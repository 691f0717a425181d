"""A member of the public uses the register in Welsh, in a real Chromium: from the Welsh home
page they search and filter, switch language and back, download what they found (the same
file as in English), read an entry, its versions and what changed, browse the organisations,
suppliers, statistics and open data, ask for email alerts and send feedback. Every page they
meet is in Welsh, and every link they follow keeps them on the Welsh pages."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.alerts_world import ORGANISATION, confirm_link, subscriptions
from tests.emails import emptied_outbox
from tests.feedback_world import stored
from tests.manage_world import WORLD

from .welsh import check_welsh, register_to_read

pytestmark = pytest.mark.browser
world = WORLD

REGISTER_NAME = "Cofrestr Deallusrwydd Artiffisial y Sector Cyhoeddus"


@pytest.fixture
def register(world) -> dict[str, str]:
    """The search tests' register, and an entry bought from a supplier; each reference by
    its key."""
    return register_to_read(world)


def _follow(page, app, name: str, *, role: str = "link", within: str = "body") -> None:
    """Follow the link (or press the button) named `name`, and check the page it leads to
    is in Welsh."""
    with page.expect_navigation():
        page.locator(within).get_by_role(role, name=name, exact=True).first.click()
    check_welsh(page, app)


def _navigate(page, app, name: str) -> None:
    """Follow a link of the service navigation at the top of every page."""
    _follow(page, app, name, within=".govuk-service-navigation")


def _heading(page) -> str:
    return page.locator("h1").inner_text()


def _where(page) -> tuple[str, dict[str, list[str]]]:
    """The path of the page shown, and its query."""
    address = urlsplit(page.url)
    return address.path, parse_qs(address.query)


def _results(page) -> list[str]:
    return page.locator(".register-result h3").all_inner_texts()


def test_a_reader_searches_filters_and_switches_language_in_welsh(page, app, register):
    assert page.goto("/cy/").status == 200
    check_welsh(page, app)
    assert _heading(page) == REGISTER_NAME
    navigation = page.locator(".govuk-service-navigation a").all_inner_texts()
    assert navigation == [
        "Hafan",
        "Cofnodion",
        "Sefydliadau",
        "Data agored",
        "Ystadegau",
        "Mewngofnodi",
    ]

    _navigate(page, app, "Cofnodion")
    assert _heading(page) == "Cofnodion"
    page.get_by_label("Chwilio cofnodion").fill("predicting")
    _follow(page, app, "Chwilio", role="button", within="main")
    assert _where(page) == ("/cy/entries", {"q": ["predicting"]})
    assert page.locator("#results-heading").inner_text() == "2 gofnod"
    assert sorted(_results(page)) == ["Burglary hotspot prediction", "Home care demand forecasting"]

    # The switcher leads to the same search in English, and back.
    with page.expect_navigation():
        page.get_by_role("link", name="Change the language to English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert _where(page) == ("/entries", {"q": ["predicting"]})
    assert _heading(page) == "Entries"
    assert page.locator("#results-heading").inner_text() == "2 entries"
    _follow(page, app, "Newid yr iaith i’r Gymraeg")
    assert _where(page) == ("/cy/entries", {"q": ["predicting"]})

    page.locator("#filter-status summary").click()
    page.locator("input[name=status][value=retired]").check()
    _follow(page, app, "Defnyddio hidlwyr", role="button")
    assert _where(page) == ("/cy/entries", {"q": ["predicting"], "status": ["retired"]})
    assert _results(page) == ["Burglary hotspot prediction"]
    assert page.locator("#results-heading").inner_text() == "1 cofnod"
    chosen = page.locator(".register-chosen").inner_text()
    assert "Eich chwiliad a’ch hidlwyr" in chosen and "Chwilio: predicting" in chosen
    # The switcher's link keeps the filters too.
    english = page.get_by_role("link", name="Change the language to English")
    assert english.get_attribute("href") == "/entries?" + urlsplit(page.url).query


def test_a_search_downloaded_from_the_welsh_listing_is_the_english_file(page, app, register):
    page.goto("/cy/entries?q=predicting&status=retired")
    check_welsh(page, app)
    link = page.get_by_role("link", name="Lawrlwytho’r canlyniadau hyn fel CSV")
    address = link.get_attribute("href")
    with page.expect_download() as download:
        link.click()
    welsh_file = Path(download.value.path()).read_bytes()

    page.goto("/entries?q=predicting&status=retired")
    english_link = page.get_by_role("link", name="Download these results as CSV")
    assert english_link.get_attribute("href") == address
    english_file = page.request.get(address).body()
    assert welsh_file == english_file
    lines = welsh_file.decode("utf-8-sig").splitlines()
    assert len(lines) == 2 and "Burglary hotspot prediction" in lines[1]


def test_a_reader_reads_an_entry_its_versions_and_changes_in_welsh(page, app, register):
    hotspot = register["hotspot"]
    page.goto("/cy/entries?q=burglary")
    _follow(page, app, "Burglary hotspot prediction", within="main")
    assert urlsplit(page.url).path == f"/cy/entries/{hotspot}"
    assert _heading(page) == "Burglary hotspot prediction"
    crumbs = page.locator(".govuk-breadcrumbs")
    assert crumbs.get_attribute("aria-label") == "Briwsion bara"
    assert crumbs.locator("a").all_inner_texts() == ["Hafan", "Cofnodion"]
    assert page.locator("#at-a-glance .govuk-summary-card__title").inner_text() == "Cipolwg"
    assert "Pam y cafodd ei ymddeol" in page.locator("main h2").all_inner_texts()

    _follow(page, app, "Pob fersiwn gyhoeddedig o’r cofnod hwn")
    assert _heading(page) == "Fersiynau o Burglary hotspot prediction"
    cards = page.locator(".govuk-summary-card__title").all_inner_texts()
    assert [" ".join(card.split()) for card in cards] == ["Fersiwn 2 Cyfredol", "Fersiwn 1"]

    _follow(page, app, "Cymharu â fersiwn 1")
    assert urlsplit(page.url).path == f"/cy/entries/{hotspot}/versions/2/changes"
    assert page.title().startswith("Newidiadau yn fersiwn 2 o Burglary hotspot prediction – ")
    page.goto(f"/cy/entries/{hotspot}/versions")
    _follow(page, app, "Gweld fersiwn 1")
    banner = page.locator(".govuk-notification-banner")
    assert banner.locator(".govuk-notification-banner__title").inner_text() == "Pwysig"
    assert banner.inner_text().count("Dyma fersiwn 1 o 2, a gyhoeddwyd ar ") == 1


def test_a_reader_browses_organisations_suppliers_statistics_and_open_data_in_welsh(
    page, app, register
):
    page.goto(f"/cy/entries/{register['bought']}")
    _follow(page, app, "Northshire County Council", within="main")
    assert urlsplit(page.url).path == f"/cy/organisations/{ORGANISATION}"
    assert page.locator("#record-heading").inner_text() == "Pa mor gyflawn yw ei gofnod"
    assert "Cofnodion gan Northshire County Council" in page.locator("main h2").all_inner_texts()

    _navigate(page, app, "Sefydliadau")
    assert _heading(page) == "Sefydliadau"
    assert "2 sefydliad" in page.locator("main h2").all_inner_texts()
    _follow(page, app, "Cyflenwyr", within="main")
    assert _heading(page) == "Cyflenwyr"
    assert page.locator("#suppliers-heading").inner_text() == "1 cyflenwr"
    _follow(page, app, "Roadscan Vision Ltd", within="main")
    assert urlsplit(page.url).path == "/cy/suppliers/roadscan-vision-ltd"
    assert page.locator(".govuk-caption-l").inner_text() == "Cyflenwr"
    assert "Yn cael ei ddefnyddio mewn" in page.locator("#supplier-details").inner_text()

    _navigate(page, app, "Ystadegau")
    assert _heading(page) == "Ystadegau"
    assert page.locator("#at-a-glance").inner_text() == "Cipolwg"

    _navigate(page, app, "Data agored")
    assert _heading(page) == "Data agored"
    assert page.locator("#downloads").inner_text() == "Lawrlwythiadau"
    files = page.eval_on_selector_all(
        "main a[href*='/download/']", "links => links.map(link => link.getAttribute('href'))"
    )
    # The files have one address, whatever the language of the page that links to them.
    assert "/download/register.zip" in files
    assert all(href.startswith("/download/") for href in files)


def test_a_reader_asks_for_email_alerts_in_welsh(app, page, world, register):
    outbox = emptied_outbox(app)
    page.goto(f"/cy/organisations/{ORGANISATION}")
    _follow(page, app, "Cael negeseuon e-bost am y cofnodion hyn", within="main")
    assert _heading(page) == "Cael negeseuon e-bost am y cofnodion hyn"

    _follow(page, app, "Cael negeseuon e-bost", role="button", within="main")
    assert page.title().startswith("Gwall: ")
    assert page.locator(".govuk-error-summary h2").inner_text() == "Mae problem wedi codi"
    page.get_by_label("Cyfeiriad e-bost").fill("darllenydd@example.com")
    page.get_by_label("Unwaith yr wythnos").check()
    _follow(page, app, "Cael negeseuon e-bost", role="button", within="main")
    assert _heading(page) == "Gwiriwch eich e-bost"
    assert (
        "Rydym wedi anfon e-bost atoch gyda dolen i gadarnhau." in page.locator("main").inner_text()
    )
    assert subscriptions(world) == [
        {
            "email": "darllenydd@example.com",
            "search": f"organisation={ORGANISATION}",
            "frequency": "weekly",
            "confirmed": False,
        }
    ]

    (message,) = outbox
    # The email is in the language of the page the alerts were asked for on, its link too.
    confirm = urlsplit(confirm_link(message)).path
    assert confirm.startswith("/cy/alerts/confirm/")
    page.goto(confirm)
    check_welsh(page, app)
    assert _heading(page) == "Cadarnhewch eich hysbysiadau e-bost"
    _follow(page, app, "Cadarnhau", role="button", within="main")
    assert _heading(page) == "Mae eich hysbysiadau e-bost wedi’u cadarnhau"
    assert subscriptions(world)[0]["confirmed"]


def test_a_reader_sends_feedback_in_welsh_without_any_cookie(app, page, register):
    pothole = register["pothole"]
    page.goto(f"/cy/entries/{pothole}")
    check_welsh(page, app)
    assert page.locator("#feedback-heading").inner_text() == "A oedd y cofnod hwn yn ddefnyddiol?"
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("^Ie")).click()
    check_welsh(page, app)
    assert _heading(page) == "Diolch am eich adborth"

    page.goto(f"/cy/entries/{pothole}")
    _follow(page, app, "Rhoi gwybod am broblem gyda’r cofnod hwn", within="main")
    assert _heading(page) == "Rhoi gwybod am broblem gyda’r cofnod hwn"
    _follow(page, app, "Anfon adroddiad", role="button", within="main")
    assert page.locator(".govuk-error-summary__list").inner_text() == (
        "Rhowch beth sydd o’i le ar y cofnod hwn"
    )
    page.get_by_label("Beth sydd o’i le ar y cofnod hwn?").fill(
        "Mae’r cyfeiriad cyswllt yn anghywir."
    )
    _follow(page, app, "Anfon adroddiad", role="button", within="main")
    assert _heading(page) == "Diolch am eich adborth"
    assert page.context.cookies() == []
    assert [(item["kind"], item["text"]) for item in stored(app)] == [
        ("useful", None),
        ("problem", "Mae’r cyfeiriad cyswllt yn anghywir."),
    ]
