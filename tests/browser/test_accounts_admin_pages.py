"""The administrator's pages and the emailed-link pages, in a real Chromium: no axe-core
violations, with and without errors, and the invitation journey by keyboard alone."""

from __future__ import annotations

import pytest

from tests.browser.actions import sign_in_as, tab_to
from tests.emails import emptied_outbox, link_in

pytestmark = pytest.mark.browser

NEW_PASSWORD = "a pass phrase of my own"


@pytest.fixture
def people(make_organisation, make_user):
    organisation = make_organisation("Northshire County Council")
    editor = make_user(
        "editor@ns.example", name="Eddie Editor", organisation=organisation.slug, role="editor"
    )
    admin = make_user("admin@register.example", name="Ada Admin", is_admin=True)
    return {"slug": organisation.slug, "editor": editor, "admin": admin}


def _submit(page) -> None:
    page.locator("#main-content form button[type=submit]").first.click()
    page.wait_for_load_state()


def test_the_administrators_pages_have_no_accessibility_violations(page, axe, people):
    sign_in_as(page, people["admin"].email)
    slug, editor = people["slug"], people["editor"].id
    for path in (
        "/admin/organisations",
        "/admin/organisations/new",
        f"/admin/organisations/{slug}/edit",
        f"/admin/organisations/{slug}/people",
        f"/admin/organisations/{slug}/people/invite",
        f"/admin/organisations/{slug}/people/{editor}/role",
        f"/admin/organisations/{slug}/people/{editor}/remove",
        "/admin/people",
        f"/admin/people/{editor}/administrator",
        f"/admin/people/{people['admin'].id}/administrator",
    ):
        assert page.goto(path).status == 200, path
        axe(page)


def test_the_administrators_forms_with_errors_have_no_accessibility_violations(page, axe, people):
    sign_in_as(page, people["admin"].email)
    for path in (
        "/admin/organisations/new",
        f"/admin/organisations/{people['slug']}/people/invite",
    ):
        page.goto(path)
        _submit(page)
        assert page.locator(".govuk-error-summary").is_visible()
        axe(page)


def test_the_emailed_link_pages_have_no_accessibility_violations(app, page, axe, people):
    outbox = emptied_outbox(app)
    for path in ("/forgot-password", "/reset-password/not-a-token", "/invitations/not-a-token"):
        page.goto(path)
        axe(page)
    page.goto("/forgot-password")
    _submit(page)
    axe(page)  # with the error summary
    page.fill("#email", people["editor"].email)
    _submit(page)
    assert page.locator("h1").inner_text() == "Check your email"
    axe(page)
    page.goto(link_in(outbox[-1]))
    axe(page)
    _submit(page)
    axe(page)  # with the error summary


def test_an_invited_person_joins_by_keyboard_alone(app, browser, live_server, page, people):
    outbox = emptied_outbox(app)
    sign_in_as(page, people["admin"].email)
    page.goto(f"/admin/organisations/{people['slug']}/people/invite")
    tab_to(page, "#email")
    page.keyboard.type("new.person@ns.example")
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")  # from Editor to Publisher
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/people")
    (message,) = outbox

    context = browser.new_context(base_url=live_server)
    try:
        invited = context.new_page()
        invited.goto(link_in(message))
        tab_to(invited, "#name")
        invited.keyboard.type("Nia Person")
        for field in ("#new_password", "#confirm_password"):
            tab_to(invited, field)
            invited.keyboard.type(NEW_PASSWORD)
        invited.keyboard.press("Enter")
        invited.wait_for_url(live_server + "/manage")
    finally:
        context.close()
    page.goto(f"/admin/organisations/{people['slug']}/people")
    row = page.locator("tbody tr", has_text="new.person@ns.example")
    assert "Publisher" in row.inner_text()
