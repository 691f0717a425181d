"""Administrators change people's roles, take them out of organisations, and make others
administrators; the last administrator always stays one."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from register.extensions import db
from register.models import AuditEvent, Membership, User

from .conftest import ClientRequest


@pytest.fixture
def organisation(make_organisation):
    return make_organisation("Northshire County Council")


@pytest.fixture
def editor(make_user, organisation):
    return make_user(
        "editor@ns.example", name="Eddie Editor", organisation=organisation.slug, role="editor"
    )


@pytest.fixture
def admin(make_user, sign_in):
    admin = make_user("admin@register.example", name="Ada Admin", is_admin=True)
    sign_in(admin)
    return admin


def _roles(app, user) -> list[tuple[int, str]]:
    with app.app_context():
        rows = db.session.execute(
            select(Membership.organisation_id, Membership.role).where(Membership.user_id == user.id)
        )
        return [tuple(row) for row in rows]


def _is_admin(app, user) -> bool:
    with app.app_context():
        return db.session.get(User, user.id).is_admin


def _events(app, action) -> list[tuple]:
    with app.app_context():
        rows = db.session.execute(
            select(AuditEvent.actor_id, AuditEvent.organisation_id, AuditEvent.detail)
            .where(AuditEvent.action == action)
            .order_by(AuditEvent.id)
        )
        return [tuple(row) for row in rows]


def test_the_organisation_page_lists_its_people_and_roles(
    client_request, admin, editor, organisation, make_user
):
    make_user("pub@ns.example", name="Pia", organisation=organisation.slug, role="publisher")
    page = client_request.get(f"/admin/organisations/{organisation.slug}/people")
    rows = [
        [cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])[:3]]
        for row in page.select("tbody tr")
    ]
    assert rows == [
        ["Eddie Editor", "editor@ns.example", "Editor"],
        ["Pia", "pub@ns.example", "Publisher"],
    ]


def test_an_administrator_changes_a_persons_role(app, client_request, admin, editor, organisation):
    url = f"/admin/organisations/{organisation.slug}/people/{editor.id}/role"
    page = client_request.get(url)
    assert page.select_one("input[name=role][checked]")["value"] == "editor"
    response = client_request.post(url, {"role": "publisher"}, 302)
    assert response.headers["Location"] == f"/admin/organisations/{organisation.slug}/people"
    assert _roles(app, editor) == [(organisation.id, "publisher")]
    assert _events(app, "role_changed") == [
        (admin.id, organisation.id, "editor@ns.example: Editor to Publisher")
    ]


@pytest.mark.parametrize("role", ["owner", "", "editor publisher"])
def test_an_unknown_role_is_refused_at_the_field(
    app, client_request, admin, editor, organisation, role
):
    url = f"/admin/organisations/{organisation.slug}/people/{editor.id}/role"
    page = client_request.post_page(url, {"role": role})
    assert page.select_one("#role-error").get_text(strip=True).endswith("Select a role")
    assert _roles(app, editor) == [(organisation.id, "editor")]
    assert _events(app, "role_changed") == []


def test_people_outside_the_organisation_cannot_be_reached_through_it(
    app, client_request, admin, editor, organisation, make_organisation, make_user
):
    elsewhere = make_organisation("Southshire District Council")
    outsider = make_user("out@ss.example", organisation=elsewhere.slug, role="editor")
    for action in ("role", "remove"):
        url = f"/admin/organisations/{organisation.slug}/people/{outsider.id}/{action}"
        client_request.get(url, 404)
        client_request.post(url, {"role": "publisher"}, 404, form_url="/admin/people")
        client_request.get(f"/admin/organisations/{organisation.slug}/people/99999/{action}", 404)
    assert _roles(app, outsider) == [(elsewhere.id, "editor")]


def test_an_administrator_removes_a_person_after_confirming(
    app, client_request, admin, editor, organisation
):
    url = f"/admin/organisations/{organisation.slug}/people/{editor.id}/remove"
    page = client_request.get(url)
    assert page.h1.get_text(strip=True) == ("Remove Eddie Editor from Northshire County Council?")
    assert _roles(app, editor) == [(organisation.id, "editor")]  # looking changes nothing
    client_request.post(url, {}, 302)
    assert _roles(app, editor) == []
    with app.app_context():
        assert db.session.get(User, editor.id) is not None  # the account stays
    assert _events(app, "person_removed") == [(admin.id, organisation.id, "editor@ns.example")]
    client_request.get(url, 404)


def test_everyone_is_listed_with_their_organisations(client_request, admin, editor):
    page = client_request.get("/admin/people")
    rows = {
        row.th.get_text(strip=True): [cell.get_text(" ", strip=True) for cell in row("td")]
        for row in page.select("tbody tr")
    }
    assert rows["Eddie Editor"][:3] == [
        "editor@ns.example",
        "Northshire County Council : editor",
        "No",
    ]
    assert rows["Ada Admin"][:3] == ["admin@register.example", "None", "Yes"]


def test_an_administrator_makes_someone_else_an_administrator(app, client_request, admin, editor):
    url = f"/admin/people/{editor.id}/administrator"
    page = client_request.get(url)
    assert page.h1.get_text(strip=True) == "Make an administrator: Eddie Editor?"
    client_request.post(url, {"make_administrator": "yes"}, 302)
    assert _is_admin(app, editor)
    assert _events(app, "administrator_added") == [(admin.id, None, "editor@ns.example")]


def test_an_administrator_takes_away_another_administrators_rights(
    app, client_request, admin, make_user
):
    other = make_user("other@register.example", is_admin=True)
    client_request.post(
        f"/admin/people/{other.id}/administrator", {"make_administrator": "no"}, 302
    )
    assert not _is_admin(app, other)
    assert _events(app, "administrator_removed") == [(admin.id, None, "other@register.example")]


def test_a_confirmation_is_never_reversed_by_a_second_click(app, client_request, admin, editor):
    url = f"/admin/people/{editor.id}/administrator"
    client_request.post(url, {"make_administrator": "yes"}, 302)
    client_request.post(url, {"make_administrator": "yes"}, 302, form_url="/admin/people")
    assert _is_admin(app, editor)
    assert len(_events(app, "administrator_added")) == 1


@pytest.mark.parametrize("data", [{}, {"make_administrator": "maybe"}])
def test_a_tampered_administrator_form_is_refused(app, client_request, admin, editor, data):
    client_request.post(f"/admin/people/{editor.id}/administrator", data, 400)
    assert not _is_admin(app, editor)


def test_the_last_administrator_cannot_give_up_their_rights(app, client_request, admin):
    url = f"/admin/people/{admin.id}/administrator"
    page = client_request.get(url)
    assert "You are the only administrator" in page.select_one(".govuk-inset-text").get_text()
    assert page.select_one("#main-content form[method=post]") is None
    page = client_request.post_page(url, {"make_administrator": "no"}, form_url="/admin/people")
    assert page.title.get_text().startswith("Error: ")
    assert (
        page.select_one(".govuk-error-summary")
        .get_text(" ", strip=True)
        .endswith("You are the only administrator. Make someone else an administrator first.")
    )
    assert _is_admin(app, admin)
    assert _events(app, "administrator_removed") == []


def test_with_another_administrator_one_may_step_down_and_loses_access_at_once(
    app, client_request, admin, make_user
):
    make_user("other@register.example", is_admin=True)
    client_request.post(
        f"/admin/people/{admin.id}/administrator", {"make_administrator": "no"}, 302
    )
    assert not _is_admin(app, admin)
    client_request.get("/admin/people", 403)


def test_an_administrator_who_cannot_sign_in_does_not_count(app, client_request, admin, make_user):
    dormant = make_user("dormant@register.example", is_admin=True)
    with app.app_context():
        db.session.get(User, dormant.id).is_active = False
        db.session.commit()
    client_request.post_page(
        f"/admin/people/{admin.id}/administrator",
        {"make_administrator": "no"},
        form_url="/admin/people",
    )
    assert _is_admin(app, admin)


def test_someone_who_is_not_there_is_not_found(client_request, admin):
    client_request.get("/admin/people/99999/administrator", 404)


def test_an_administrator_page_never_fails_on_odd_addresses(client_request: ClientRequest, admin):
    assert client_request.client.get("/admin/organisations/%00/people").status_code == 400
    for url in (
        "/admin/organisations/x/people/abc/role",
        "/admin/people/-1/administrator",
        "/admin/people/99999999999999999999/administrator",
    ):
        assert client_request.client.get(url).status_code == 404
