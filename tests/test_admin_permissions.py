"""Every administrator's page, for everyone: administrators may, others may not, and anyone
not signed in is asked to sign in first."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from register.extensions import db
from register.models import AuditEvent, Invitation, Membership, Organisation, User

from .conftest import ClientRequest

ADMIN_PAGES = [
    "/admin/organisations",
    "/admin/organisations/new",
    "/admin/organisations/{slug}/edit",
    "/admin/organisations/{slug}/people",
    "/admin/organisations/{slug}/people/invite",
    "/admin/organisations/{slug}/people/{editor_id}/role",
    "/admin/organisations/{slug}/people/{editor_id}/remove",
    "/admin/people",
    "/admin/people/{editor_id}/administrator",
]

# What a hostile form would send to each page that changes something.
ADMIN_FORMS = [
    (
        "/admin/organisations/new",
        {"name": "Rogue", "type": "other", "allows_self_publishing": "no"},
    ),
    (
        "/admin/organisations/{slug}/edit",
        {"name": "Renamed", "type": "other", "allows_self_publishing": "yes"},
    ),
    ("/admin/organisations/{slug}/people/invite", {"email": "x@rogue.example", "role": "editor"}),
    ("/admin/organisations/{slug}/people/{editor_id}/role", {"role": "publisher"}),
    ("/admin/organisations/{slug}/people/{editor_id}/remove", {}),
    ("/admin/people/{editor_id}/administrator", {"make_administrator": "yes"}),
]

PEOPLE = ["anonymous", "editor", "publisher", "publisher elsewhere", "administrator"]


@pytest.fixture
def register(make_organisation, make_user):
    organisation = make_organisation("Northshire County Council")
    elsewhere = make_organisation("Southshire District Council")
    return {
        "slug": organisation.slug,
        "editor": make_user("editor@ns.example", organisation=organisation.slug, role="editor"),
        "publisher": make_user(
            "publisher@ns.example", organisation=organisation.slug, role="publisher"
        ),
        "publisher elsewhere": make_user(
            "publisher@ss.example", organisation=elsewhere.slug, role="publisher"
        ),
        "administrator": make_user("admin@register.example", is_admin=True),
    }


def _url(template: str, register: dict) -> str:
    return template.format(slug=register["slug"], editor_id=register["editor"].id)


def _as(person: str, register: dict, sign_in) -> None:
    if person != "anonymous":
        sign_in(register[person])


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_only_administrators_see_the_administrators_pages(
    client_request, sign_in, register, person, page
):
    _as(person, register, sign_in)
    url = _url(page, register)
    if person == "administrator":
        client_request.get(url)
    elif person == "anonymous":
        response = client_request.client.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/sign-in?next=")
    else:
        page = client_request.get(url, 403)
        assert page.h1.get_text(strip=True) == "You do not have permission to see this page"


def _state(app) -> dict:
    with app.app_context():
        return {
            "organisations": sorted(db.session.scalars(select(Organisation.name))),
            "memberships": sorted(
                tuple(row)
                for row in db.session.execute(select(Membership.user_id, Membership.role))
            ),
            "administrators": sorted(db.session.scalars(select(User.email).where(User.is_admin))),
            "invitations": db.session.scalars(select(Invitation.email)).all(),
            "events": sorted(
                db.session.scalars(
                    select(AuditEvent.action).where(AuditEvent.action != "organisation_added")
                )
            ),
        }


@pytest.mark.parametrize("person", ["anonymous", "editor", "publisher", "publisher elsewhere"])
@pytest.mark.parametrize("form", ADMIN_FORMS, ids=[url for url, _ in ADMIN_FORMS])
def test_nobody_but_an_administrator_changes_anything(
    app, client_request: ClientRequest, sign_in, register, person, form
):
    _as(person, register, sign_in)
    before = _state(app)
    template, data = form
    expected = 302 if person == "anonymous" else 403
    response = client_request.post(
        _url(template, register), data, expected, form_url="/forgot-password"
    )
    if person == "anonymous":
        assert response.headers["Location"].startswith("/sign-in?next=")
    assert _state(app) == before
