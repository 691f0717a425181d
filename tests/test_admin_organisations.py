"""Administrators add organisations and change their details, with the checks the command line
makes; bad input is named at its field and changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from register.extensions import db
from register.models import AuditEvent, Organisation

VALID = {
    "name": "Northshire Fire and Rescue Service",
    "type": "fire_rescue",
    "website": "https://fire.northshire.example",
    "contact_email": "Data@Fire.Northshire.example",
    "allows_self_publishing": "yes",
}


@pytest.fixture
def admin(make_user, sign_in):
    admin = make_user("admin@register.example", is_admin=True)
    sign_in(admin)
    return admin


def _error_messages(page) -> list[str]:
    return [item.get_text(strip=True) for item in page.select(".govuk-error-summary__list li")]


def _organisations(app) -> list[tuple]:
    with app.app_context():
        return [
            (o.name, o.slug, o.type, o.website, o.contact_email, o.allows_self_publishing)
            for o in db.session.scalars(select(Organisation).order_by(Organisation.id))
        ]


def test_an_administrator_adds_an_organisation(app, client_request, admin):
    page = client_request.get("/admin/organisations")
    assert page.find("a", string="Add an organisation")["href"] == "/admin/organisations/new"
    page = client_request.get("/admin/organisations/new")
    assert page.h1.get_text(strip=True) == "Add an organisation"
    response = client_request.post("/admin/organisations/new", VALID, 302)
    slug = "northshire-fire-and-rescue-service"
    assert response.headers["Location"] == f"/admin/organisations/{slug}/people"
    assert _organisations(app) == [
        (
            "Northshire Fire and Rescue Service",
            slug,
            "fire_rescue",
            "https://fire.northshire.example",
            "data@fire.northshire.example",
            True,
        )
    ]
    with app.app_context():
        event = db.session.scalar(select(AuditEvent))
        assert (event.action, event.actor_id, event.detail) == (
            "organisation_added",
            admin.id,
            "Northshire Fire and Rescue Service",
        )
    page = client_request.get("/admin/organisations")
    row = page.select_one("tbody tr")
    assert [cell.get_text(strip=True) for cell in row.find_all(["th", "td"])][:4] == [
        "Northshire Fire and Rescue Service",
        "Fire and rescue service",
        "0",
        "Yes",
    ]


def test_website_and_contact_email_are_optional(app, client_request, admin):
    data = dict(VALID, website="", contact_email="", allows_self_publishing="no")
    client_request.post("/admin/organisations/new", data, 302)
    assert _organisations(app)[0][3:] == (None, None, False)


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"name": "  "}, "name", "Enter the organisation’s name"),
        ({"name": "x" * 201}, "name", "The name must be 200 characters or fewer"),
        ({"name": "!!!"}, "name", "The organisation needs a name or slug with letters or digits"),
        ({"name": "North\x07shire"}, "name", "The organisation’s name must be letters"),
        ({"type": "castle"}, "type", "Select the type of organisation"),
        ({"type": ""}, "type", "Select the type of organisation"),
        ({"website": "javascript:alert(1)"}, "website", "Enter the website as a full address"),
        ({"website": "https://" + "a" * 2000 + ".example"}, "website", "The address is too long"),
        ({"website": "https://ns.example/\x07"}, "website", "Enter the website as a full address"),
        ({"contact_email": "not an address"}, "contact_email", "Enter the contact email address"),
        ({"allows_self_publishing": "maybe"}, "allows_self_publishing", "Select yes if"),
        ({"allows_self_publishing": ""}, "allows_self_publishing", "Select yes if"),
    ],
)
def test_bad_details_are_named_at_their_field_and_nothing_is_added(
    app, client_request, admin, change, field, message
):
    page = client_request.post_page("/admin/organisations/new", dict(VALID, **change))
    assert page.title.get_text().startswith("Error: ")
    (summary,) = _error_messages(page)
    assert summary.startswith(message)
    assert page.select_one(f"#{field}-error").get_text(strip=True).endswith(summary)
    assert page.select_one(".govuk-error-summary__list a")["href"] == f"#{field}"
    if field != "name":
        assert page.select_one("#name")["value"] == VALID["name"]
    assert _organisations(app) == []


def test_a_second_organisation_with_the_same_name_is_refused(
    app, client_request, admin, make_organisation
):
    make_organisation("Northshire Fire and Rescue Service", "fire_rescue")
    page = client_request.post_page(
        "/admin/organisations/new", dict(VALID, name="NORTHSHIRE fire and rescue service")
    )
    assert _error_messages(page)[0].startswith("An organisation called")
    assert len(_organisations(app)) == 1


def test_an_administrator_changes_an_organisations_details(
    app, client_request, admin, make_organisation
):
    organisation = make_organisation("Northshire County Council", "local_government")
    url = f"/admin/organisations/{organisation.slug}/edit"
    page = client_request.get(url)
    assert page.select_one("#name")["value"] == "Northshire County Council"
    assert page.select_one("input[name=type][checked]")["value"] == "local_government"
    assert page.select_one("input[name=allows_self_publishing][checked]")["value"] == "no"
    client_request.post(
        url,
        {
            "name": "Northshire Council",
            "type": "other",
            "website": "https://northshire.example",
            "contact_email": "ai@northshire.example",
            "allows_self_publishing": "yes",
        },
        302,
    )
    assert _organisations(app) == [
        (
            "Northshire Council",
            "northshire-county-council",  # the slug stays, so links keep working
            "other",
            "https://northshire.example",
            "ai@northshire.example",
            True,
        )
    ]
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
        assert actions == ["organisation_added", "organisation_changed"]


def test_an_organisation_keeps_its_own_name_but_not_anothers(
    app, client_request, admin, make_organisation
):
    organisation = make_organisation("Northshire County Council")
    make_organisation("Southshire District Council")
    url = f"/admin/organisations/{organisation.slug}/edit"
    same = {"name": "Northshire County Council", "type": "local_government"}
    client_request.post(url, dict(same, allows_self_publishing="yes"), 302)
    page = client_request.post_page(
        url, dict(same, name="southshire district council", allows_self_publishing="no")
    )
    assert _error_messages(page)[0].startswith("An organisation called")
    assert page.select_one("#name")["value"] == "southshire district council"
    assert [row[0] for row in _organisations(app)] == [
        "Northshire County Council",
        "Southshire District Council",
    ]


def test_an_organisation_that_does_not_exist_is_not_found(client_request, admin):
    client_request.get("/admin/organisations/nowhere/edit", 404)
    client_request.get("/admin/organisations/nowhere/people", 404)
