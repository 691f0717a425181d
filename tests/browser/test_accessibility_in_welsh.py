"""The Welsh pages in a real Chromium: every page the English browser tests check with axe-core
is checked at its /cy address too (the public pages, signing in, the second factor, the
administrator's pages, alerts, feedback and the error pages), with the same rules, with and
without errors. Welsh words run longer than English ones, so the public pages are checked
at a phone's width as well. The `axe` fixture also checks each page's language: `lang="cy"`,
no English of the interface left unmarked, each language's name marked as itself."""

from __future__ import annotations

from urllib.parse import urlsplit

import pyotp
import pytest

from tests.alerts_world import ORGANISATION, confirm_link
from tests.browser.actions import sign_in_as
from tests.conftest import TEST_PASSWORD
from tests.emails import emptied_outbox, link_in
from tests.feedback_world import report
from tests.manage_world import PEOPLE, WORLD

from .welsh import check_welsh, register_to_read

pytestmark = pytest.mark.browser
world = WORLD

PHONE = {"width": 320, "height": 640}


@pytest.fixture
def register(world) -> dict[str, str]:
    """The search tests' register (a retired entry in two versions, a withdrawn one), an
    entry bought from a supplier and a problem reported with it; references by key."""
    references = register_to_read(world)
    report(world, references["bought"], text="The contact address bounces.")
    return references


def _public_pages(references: dict[str, str]) -> list[tuple[str, int]]:
    hotspot, bought = references["hotspot"], references["bought"]
    return [
        # The listing and the organisations, as tests/browser/test_listing_pages.py has them.
        ("/cy/entries", 200),
        ("/cy/entries?status=in_use&risk_level=low&techniques=rule_based&sort=title", 200),
        ("/cy/entries?q=predicting&organisation_type=police", 200),
        ("/cy/entries?q=zeppelin&status=pilot", 200),
        ("/cy/entries?page_size=2&page=2", 200),
        ("/cy/entries?page=99999999&status=sideways", 200),
        ("/cy/organisations", 200),
        ("/cy/organisations?organisation_type=police", 200),
        (f"/cy/organisations/{ORGANISATION}", 200),
        (f"/cy/organisations/{ORGANISATION}?q=chat", 200),
        ("/cy/coverage", 200),
        # An entry, retired, in two versions; its versions and what changed; a withdrawn one.
        (f"/cy/entries/{hotspot}", 200),
        (f"/cy/entries/{hotspot}/versions", 200),
        (f"/cy/entries/{hotspot}/versions/1", 200),
        (f"/cy/entries/{hotspot}/versions/1/changes", 200),
        (f"/cy/entries/{hotspot}/versions/2/changes", 200),
        (f"/cy/entries/{references['withdrawn']}", 410),
        (f"/cy/entries/{bought}", 200),
        ("/cy/suppliers", 200),
        ("/cy/suppliers/roadscan-vision-ltd", 200),
        ("/cy/stats", 200),
        ("/cy/open-data", 200),
        ("/cy/api", 200),
        # Feedback and alerts.
        (f"/cy/entries/{bought}/report-a-problem?version=1", 200),
        (f"/cy/entries/{bought}/feedback/thanks?version=1&answer=no", 200),
        (f"/cy/alerts/subscribe?organisation={ORGANISATION}", 200),
        ("/cy/alerts/check-your-email", 200),
        # The pages an emailed link leads to, when the link is not (or no longer) good.
        ("/cy/alerts/confirm/not-a-token", 404),
        ("/cy/alerts/unsubscribe/not-a-token", 404),
        ("/cy/forgot-password", 200),
        ("/cy/forgot-password/sent", 200),
        ("/cy/reset-password/not-a-token", 404),
        ("/cy/invitations/not-a-token", 404),
    ]


def test_the_welsh_public_pages_have_no_accessibility_violations(page, axe, app, register):
    for path, status in _public_pages(register):
        assert page.goto(path).status == status, path
        axe(page)
        check_welsh(page, app)


def test_the_public_pages_fit_a_phone_in_welsh_and_in_english(page, axe, register):
    """Every public page at a phone's width, in Welsh (whose words run longer) and in
    English, and axe there on one page of each kind. Wide tables stack each row into lines
    of "Heading: value" there, and long code breaks anywhere."""
    page.set_viewport_size(PHONE)
    hotspot = register["hotspot"]
    kinds = {
        "/cy/entries?status=in_use&risk_level=low&techniques=rule_based&sort=title",
        f"/cy/organisations/{ORGANISATION}",
        f"/cy/entries/{hotspot}",
        f"/cy/entries/{hotspot}/versions/2/changes",
        "/cy/suppliers/roadscan-vision-ltd",
        "/cy/open-data",
        f"/cy/entries/{register['bought']}/report-a-problem?version=1",
        f"/cy/alerts/subscribe?organisation={ORGANISATION}",
    }
    for path, status in _public_pages(register):
        assert page.goto(path).status == status, path
        if path in kinds:
            axe(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{path} is {width}px wide"
        english = path.removeprefix("/cy")
        assert page.goto(english).status == status, english
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{english} is {width}px wide"


def _submit(page) -> None:
    with page.expect_navigation():
        page.locator("#main-content form button[type=submit]").first.click()


def test_the_welsh_public_forms_with_errors_have_no_accessibility_violations(
    page, axe, app, register
):
    for path in (
        "/cy/sign-in",
        f"/cy/entries/{register['bought']}/report-a-problem",
        f"/cy/alerts/subscribe?organisation={ORGANISATION}",
        "/cy/forgot-password",
    ):
        page.goto(path)
        _submit(page)
        summary = page.locator(".govuk-error-summary")
        assert summary.is_visible(), path
        assert page.locator(".govuk-error-summary h2").inner_text() == "Mae problem wedi codi"
        assert page.title().startswith("Gwall: "), path
        axe(page)
        check_welsh(page, app)


def test_the_welsh_alerts_and_password_pages_from_an_email_have_no_violations(
    app, page, axe, world
):
    world.entry("published")
    outbox = emptied_outbox(app)
    page.goto(f"/cy/alerts/subscribe?organisation={ORGANISATION}")
    page.get_by_label("Cyfeiriad e-bost").fill("darllenydd@example.com")
    page.get_by_label("Unwaith y dydd").check()
    _submit(page)
    assert page.locator("h1").inner_text() == "Gwiriwch eich e-bost"
    confirm = urlsplit(confirm_link(outbox[-1])).path
    assert confirm.startswith("/cy/"), "the email was asked for on a Welsh page"
    page.goto(confirm)
    axe(page)
    _submit(page)
    assert page.locator("h1").inner_text() == "Mae eich hysbysiadau e-bost wedi’u cadarnhau"
    axe(page)

    page.goto("/cy/forgot-password")
    page.get_by_label("Cyfeiriad e-bost").fill(PEOPLE["editor"][0])
    _submit(page)
    reset = urlsplit(link_in(outbox[-1])).path
    assert reset.startswith("/cy/"), "the reset was asked for on a Welsh page"
    page.goto(reset)
    axe(page)
    _submit(page)
    assert page.locator(".govuk-error-summary").is_visible()
    axe(page)


def test_the_welsh_administrators_pages_have_no_accessibility_violations(app, page, axe, world):
    with app.app_context():
        editor, admin = world.user("editor").id, world.user("admin").id
    slug = ORGANISATION
    sign_in_as(page, PEOPLE["admin"][0], language="cy")
    for path in (
        "/cy/admin/organisations",
        "/cy/admin/organisations/new",
        f"/cy/admin/organisations/{slug}/edit",
        f"/cy/admin/organisations/{slug}/people",
        f"/cy/admin/organisations/{slug}/people/invite",
        f"/cy/admin/organisations/{slug}/people/{editor}/role",
        f"/cy/admin/organisations/{slug}/people/{editor}/remove",
        "/cy/admin/people",
        f"/cy/admin/people/{editor}/administrator",
        f"/cy/admin/people/{admin}/administrator",
        f"/cy/admin/people/{editor}/second-factor",
        "/cy/admin/security-events",
        "/cy/admin/security-events?kind=signed_in",
        "/cy/admin/settings",
        "/cy/admin/email",
        "/cy/account/password",
        "/cy/account/emails",
    ):
        assert page.goto(path).status == 200, path
        axe(page)
        check_welsh(page, app)
    for path in ("/cy/admin/organisations/new", f"/cy/admin/organisations/{slug}/people/invite"):
        page.goto(path)
        _submit(page)
        assert page.locator(".govuk-error-summary").is_visible(), path
        axe(page)


def test_the_welsh_second_factor_pages_have_no_accessibility_violations(app, page, axe, world):
    email = PEOPLE["publisher"][0]
    sign_in_as(page, email, language="cy")
    page.goto("/cy/account/second-factor")
    axe(page)
    page.goto("/cy/account/second-factor/set-up")
    axe(page)
    secret = page.locator("#setup-key").inner_text().replace(" ", "")
    wrong = "000000" if pyotp.TOTP(secret).now() != "000000" else "111111"
    page.fill("#code", wrong)
    _submit(page)
    assert page.locator(".govuk-error-summary").is_visible()
    axe(page)
    page.fill("#code", pyotp.TOTP(secret).now())
    _submit(page)
    codes = page.locator("#recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    axe(page)
    check_welsh(page, app)

    page.context.clear_cookies()
    page.goto("/cy/sign-in")
    page.fill("#email", email)
    page.fill("#password", TEST_PASSWORD)
    _submit(page)
    assert urlsplit(page.url).path == "/cy/sign-in/code"
    axe(page)
    page.goto("/cy/sign-in/recovery-code")
    axe(page)
    page.fill("#code", codes[0])
    _submit(page)
    page.wait_for_url("**/cy/manage")


def test_the_welsh_page_that_refuses_a_guesser_has_no_accessibility_violations(
    app, page, axe, world, monkeypatch
):
    monkeypatch.setitem(app.config, "SIGN_IN_FAILURE_LIMIT", "1 per hour")
    for _ in range(2):
        page.goto("/cy/sign-in")
        page.fill("#email", PEOPLE["publisher"][0])
        page.fill("#password", "not the password at all")
        _submit(page)
    assert (
        page.locator("h1").inner_text()
        == "Mae’n ddrwg gennym, bu gormod o ymdrechion i fewngofnodi"
    )
    axe(page)
    check_welsh(page, app)
