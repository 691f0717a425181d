"""Administrators see the outbox by state (recipient and subject, never a body), retry a
failed email, and are warned on the dashboard when email has waited over an hour."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from register import mail
from register.extensions import db
from register.mail.sender import deliver_waiting
from register.models import AuditEvent, OutboxMessage

from .emails import RecordingTransport, outbox_rows

SECRET_LINK = "https://register.example/reset-password/secret-token"


@pytest.fixture
def admin(make_user):
    return make_user("admin@register.example", is_admin=True)


def _queue(app, *recipients: str) -> None:
    with app.test_request_context():
        for to in recipients:
            mail.queue(to, f"Reset your password, {to}", f"Use {SECRET_LINK}\n")
        db.session.commit()


def _deliver(app, transport) -> None:
    with app.app_context():
        deliver_waiting(transport)
        db.session.remove()


def _table(page) -> list[list[str]]:
    return [
        [cell.get_text(" ", strip=True) for cell in row.select("td")]
        for row in page.select("table tbody tr")
    ]


def test_only_administrators_see_the_email_page(
    app, client_request, sign_in, make_user, make_organisation, admin
):
    client_request.get("/admin/email", 302)
    organisation = make_organisation()
    sign_in(make_user("editor@ns.example", organisation=organisation.slug, role="editor"))
    client_request.get("/admin/email", 403)


def test_a_refused_email_is_listed_as_failed_with_its_reason_and_never_its_body(
    app, client_request, sign_in, admin, caplog
):
    _queue(app, "someone@ns.example", "nobody@ns.example")
    _deliver(app, RecordingTransport(refuse=["nobody@ns.example"]))
    sign_in(admin)
    page = client_request.get("/admin/email")
    (row,) = _table(page)
    assert row[:2] == ["nobody@ns.example", "Reset your password, nobody@ns.example"]
    assert "550 No such user" in row[4]
    sent = _table(client_request.get("/admin/email?state=sent"))
    assert [r[0] for r in sent] == ["someone@ns.example"]
    for state in ("waiting", "sending", "sent", "failed", "no-such-state"):
        text = client_request.get(f"/admin/email?state={state}").get_text()
        assert "secret-token" not in text and "Use " not in text


def test_an_administrator_retries_a_failed_email_and_it_is_sent(
    app, client_request, sign_in, admin
):
    _queue(app, "nobody@ns.example")
    _deliver(app, RecordingTransport(refuse=["nobody@ns.example"]))
    (failed,) = outbox_rows(app)
    sign_in(admin)
    url = f"/admin/email/{failed.id}/retry"
    page = client_request.get(url)
    assert page.select_one("h1").get_text(strip=True) == "Retry the email to nobody@ns.example?"
    client_request.post(url, {}, 302, form_url=url)
    (row,) = outbox_rows(app)
    assert row.state == "waiting"
    transport = RecordingTransport()  # the mail server accepts it now
    _deliver(app, transport)
    assert [message.to for message in transport.received] == ["nobody@ns.example"]
    assert outbox_rows(app)[0].state == "sent"
    with app.app_context():
        actions = list(db.session.scalars(select(AuditEvent.action)))
    assert actions == ["email_retried"]


def test_only_a_failed_email_can_be_retried(app, client_request, sign_in, admin):
    _queue(app, "someone@ns.example")
    (waiting,) = outbox_rows(app)
    sign_in(admin)
    url = f"/admin/email/{waiting.id}/retry"
    page = client_request.post_page(url, {})
    assert "Only an email that has failed can be retried." in page.get_text()
    assert outbox_rows(app)[0].state == "waiting" and outbox_rows(app)[0].attempts == 0
    client_request.get("/admin/email/99999/retry", 404)
    client_request.get("/admin/email/99999999999999/retry", 404)


def test_a_failed_email_whose_text_was_deleted_cannot_be_retried(
    app, client_request, sign_in, admin
):
    _queue(app, "nobody@ns.example")
    _deliver(app, RecordingTransport(refuse=["nobody@ns.example"]))
    with app.app_context():
        db.session.execute(
            update(OutboxMessage).values(updated_at=datetime.now(UTC) - timedelta(days=8))
        )
        db.session.commit()
    _deliver(app, RecordingTransport())  # any pass of the sender forgets old failed bodies
    (row,) = outbox_rows(app)
    assert row.sealed_body is None
    sign_in(admin)
    assert "Retry" not in _table(client_request.get("/admin/email?state=failed"))[0][-1]
    page = client_request.post_page(f"/admin/email/{row.id}/retry", {})
    assert "can no longer be retried" in page.get_text()
    assert outbox_rows(app)[0].state == "failed"


def test_the_dashboard_warns_administrators_when_email_has_waited_an_hour(
    app, client_request, sign_in, admin
):
    _queue(app, "someone@ns.example")
    sign_in(admin)
    assert client_request.get("/manage").select_one("#email-warning") is None
    with app.app_context():
        db.session.execute(
            update(OutboxMessage).values(waiting_since=datetime.now(UTC) - timedelta(minutes=61))
        )
        db.session.commit()
    warning = client_request.get("/manage").select_one("#email-warning")
    assert "1 email has waited over an hour to be sent" in warning.get_text(" ", strip=True)
    assert warning.select_one("a")["href"] == "/admin/email"
