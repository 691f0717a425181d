"""Administrators see the invitations not yet accepted, and resend or cancel them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from register.extensions import db
from register.models import AuditEvent, Invitation

from .conftest import ClientRequest
from .emails import emptied_outbox, link_in


@pytest.fixture
def outbox(app):
    return emptied_outbox(app)


@pytest.fixture
def organisation(make_organisation):
    return make_organisation("Northshire County Council")


@pytest.fixture
def people_url(organisation) -> str:
    return f"/admin/organisations/{organisation.slug}/people"


@pytest.fixture
def invited(client_request, sign_in, make_user, people_url, outbox):
    """An administrator, signed in, who has invited new.person@northshire.example: the
    link that was emailed."""
    sign_in(make_user("admin@register.example", name="Ada Admin", is_admin=True))
    client_request.post(
        f"{people_url}/invite", {"email": "New.Person@Northshire.example", "role": "editor"}, 302
    )
    (message,) = outbox
    outbox.clear()
    return link_in(message)


def _invitation_id(app) -> int:
    with app.app_context():
        return db.session.scalar(select(Invitation.id))


def _banner(page) -> str:
    """The words of the page's green "Success" banner."""
    banner = page.select_one(".govuk-notification-banner--success")
    assert banner is not None, "no success banner"
    assert banner.select_one(".govuk-notification-banner__title").get_text(strip=True) == "Success"
    return " ".join(banner.select_one(".govuk-notification-banner__content").stripped_strings)


def _events(app, action: str) -> list[str | None]:
    with app.app_context():
        return list(
            db.session.scalars(select(AuditEvent.detail).where(AuditEvent.action == action))
        )


def _link_works(app, link: str) -> bool:
    stranger = ClientRequest(app.test_client())
    return stranger.client.get(link).status_code == 200


def test_after_inviting_the_people_page_says_the_invitation_was_sent(
    client_request, invited, people_url
):
    page = client_request.get(people_url)
    assert _banner(page) == "Invitation sent to new.person@northshire.example"
    waiting = page.find("h2", string="Invitations not yet accepted").find_next("table")
    row = waiting.select_one("tbody tr")
    assert "new.person@northshire.example" in row.get_text()
    actions = [" ".join(a.stripped_strings) for a in row.select("button, a")]
    assert actions == [
        "Resend the invitation to new.person@northshire.example",
        "Cancel the invitation to new.person@northshire.example",
    ]
    # The banner is shown once.
    assert client_request.get(people_url).select_one(".govuk-notification-banner") is None


def test_resending_emails_a_new_link_and_the_old_one_stops_working(
    app, client_request, invited, people_url, outbox
):
    assert _link_works(app, invited)
    invitation_id = _invitation_id(app)
    response = client_request.post(
        f"/admin/organisations/northshire-county-council/invitations/{invitation_id}/resend",
        expected_status=302,
        form_url=people_url,
    )
    assert response.headers["Location"] == people_url
    page = client_request.get(people_url)
    assert _banner(page) == "Invitation sent to new.person@northshire.example"

    (message,) = outbox
    assert message.to == "new.person@northshire.example"
    assert "Ada Admin has invited you to join Northshire County Council" in message.body
    new_link = link_in(message)
    assert new_link != invited
    assert not _link_works(app, invited)
    assert _link_works(app, new_link)
    assert _events(app, "invitation_resent") == ["new.person@northshire.example as editor"]


def test_cancelling_asks_first_then_the_link_stops_working(
    app, client_request, invited, people_url, outbox
):
    cancel_url = (
        f"/admin/organisations/northshire-county-council/invitations/{_invitation_id(app)}/cancel"
    )
    page = client_request.get(people_url)
    assert page.find("a", href=cancel_url) is not None
    page = client_request.get(cancel_url)
    assert page.h1.get_text(strip=True) == (
        "Cancel the invitation to new.person@northshire.example?"
    )
    assert page.find("a", string="Keep the invitation")["href"] == people_url
    assert _link_works(app, invited)  # asking changed nothing

    response = client_request.post(cancel_url, expected_status=302)
    assert response.headers["Location"] == people_url
    page = client_request.get(people_url)
    assert "The invitation to new.person@northshire.example is cancelled" in _banner(page)
    assert page.find("h2", string="Invitations not yet accepted") is None
    assert not _link_works(app, invited)
    assert _events(app, "invitation_cancelled") == ["new.person@northshire.example as editor"]
    assert len(outbox) == 0
    # Gone means gone: neither can be done again.
    client_request.get(cancel_url, 404)
    client_request.post(cancel_url.replace("cancel", "resend"), expected_status=404)


def test_an_accepted_invitation_cannot_be_resent_or_cancelled(app, client_request, invited):
    stranger = ClientRequest(app.test_client())
    password = "a pass phrase of my own"
    stranger.post(
        invited, {"name": "Nia", "new_password": password, "confirm_password": password}, 302
    )
    base = f"/admin/organisations/northshire-county-council/invitations/{_invitation_id(app)}"
    client_request.get(f"{base}/cancel", 404)
    client_request.post(f"{base}/resend", expected_status=404)


def test_another_organisations_invitation_is_not_found_through_this_one(
    app, client_request, invited, make_organisation
):
    other = make_organisation("Southvale Police")
    base = f"/admin/organisations/{other.slug}/invitations/{_invitation_id(app)}"
    client_request.get(f"{base}/cancel", 404)
    client_request.post(f"{base}/cancel", expected_status=404)
    client_request.post(f"{base}/resend", expected_status=404)
    client_request.get(
        "/admin/organisations/northshire-county-council/invitations/99999/cancel", 404
    )
    assert _link_works(app, invited)
