"""The administrators' email pages and the dashboard's warning, in a real Chromium: no
axe-core violations, and a failed email retried by keyboard alone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from register import mail
from register.extensions import db
from register.mail.sender import deliver_waiting
from register.models import OutboxMessage
from tests.browser.actions import sign_in_as, tab_to
from tests.emails import RecordingTransport

pytestmark = pytest.mark.browser


@pytest.fixture
def failed_email(app, make_user):
    make_user("admin@register.example", name="Ada Admin", is_admin=True)
    with app.test_request_context():
        mail.queue("nobody@ns.example", "Your invitation", "Body\n")
        mail.queue("someone@ns.example", "Reset your password", "Body\n")
        db.session.commit()
        deliver_waiting(RecordingTransport(refuse=["nobody@ns.example"]))
        mail.queue("later@ns.example", "Still waiting", "Body\n")
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.recipient == "later@ns.example")
            .values(waiting_since=datetime.now(UTC) - timedelta(hours=2))
        )
        db.session.commit()
        message_id = db.session.scalar(
            select(OutboxMessage.id).where(OutboxMessage.recipient == "nobody@ns.example")
        )
        db.session.remove()
    return message_id


def test_the_email_pages_have_no_accessibility_violations(page, axe, failed_email):
    sign_in_as(page, "admin@register.example")
    for path in (
        "/admin/email",
        "/admin/email?state=waiting",
        "/admin/email?state=sent",
        "/admin/email?state=sending",
        f"/admin/email/{failed_email}/retry",
        "/manage",
    ):
        assert page.goto(path).status == 200, path
        axe(page)
    assert page.locator("#email-warning").is_visible()


def test_an_administrator_retries_a_failed_email_by_keyboard_alone(app, page, failed_email):
    sign_in_as(page, "admin@register.example")
    page.goto("/admin/email?state=failed")
    tab_to(page, "a[href$='/retry']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/admin/email/{failed_email}/retry")
    tab_to(page, "#main-content form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/admin/email?state=waiting")
    assert "will be sent again" in page.locator(".govuk-notification-banner").inner_text()
    with app.app_context():
        assert db.session.get(OutboxMessage, failed_email).state == "waiting"
        db.session.remove()
