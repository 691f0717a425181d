"""Email waits in the outbox, encrypted, until `flask register send-email` hands it to the
SMTP server the settings name; without one it stays there (and, in development, in the log).

Here the SMTP server is replaced by a recorder of what `smtplib` was asked to do.
"""

from __future__ import annotations

import smtplib
import threading
from datetime import UTC, datetime, timedelta

import pytest

from register import mail, one_time_links
from register.extensions import db
from register.mail import sender
from register.mail.transports import SmtpTransport

from .emails import RecordingTransport, emptied_outbox, link_in, outbox_rows, send_waiting


class RecordingSMTP:
    """Stands in for `smtplib.SMTP`, remembering what a real server would have been told."""

    sessions: list[RecordingSMTP] = []
    refuse = False
    unreachable = False

    def __init__(self, host: str, port: int, timeout: float) -> None:
        if self.unreachable:
            raise ConnectionRefusedError(111, "Connection refused")
        self.address = (host, port)
        self.timeout = timeout
        self.calls: list[str] = []
        self.messages = []
        RecordingSMTP.sessions.append(self)

    def __enter__(self) -> RecordingSMTP:
        return self

    def __exit__(self, *exc) -> None:
        self.calls.append("quit")

    def starttls(self) -> None:
        self.calls.append("starttls")

    def login(self, username: str, password: str) -> None:
        self.calls.append(f"login {username} {password}")

    def send_message(self, message) -> None:
        if message["To"] in self.refuse:
            raise smtplib.SMTPRecipientsRefused({message["To"]: (550, b"5.1.1 No such user")})
        self.calls.append("send")
        self.messages.append(message)


@pytest.fixture
def smtp_server(app, monkeypatch):
    monkeypatch.setattr(smtplib, "SMTP", RecordingSMTP)
    monkeypatch.setattr(RecordingSMTP, "sessions", [])
    monkeypatch.setattr(RecordingSMTP, "refuse", ())
    monkeypatch.setattr(RecordingSMTP, "unreachable", False)
    for key, value in {
        "MAIL_SERVER": "smtp.register.example",
        "MAIL_PORT": 2525,
        "MAIL_USERNAME": "register",
        "MAIL_PASSWORD": "mail-password",
        "MAIL_USE_TLS": True,
        "MAIL_SENDER": "no-reply@register.example",
    }.items():
        monkeypatch.setitem(app.config, key, value)
    return RecordingSMTP


@pytest.fixture
def outbox(app):
    return emptied_outbox(app)


def _queue(app, *recipients: str, subject: str = "A subject") -> None:
    with app.test_request_context():
        for to in recipients:
            mail.queue(to, subject, "A body with a link: https://register.example/x\n")
        db.session.commit()


def test_without_a_mail_server_email_waits_and_is_logged_in_development(app, caplog):
    _queue(app, "someone@ns.example")
    (row,) = outbox_rows(app)
    assert (row.recipient, row.subject, row.state) == ("someone@ns.example", "A subject", "waiting")
    assert "DEVELOPMENT ONLY" in caplog.text and "A body with a link" in caplog.text


def test_in_production_the_log_names_only_the_subject(app, caplog, monkeypatch):
    monkeypatch.setitem(app.config, "LOG_UNSENT_EMAIL", False)
    _queue(app, "someone@ns.example")
    assert "waits in the outbox: A subject" in caplog.text
    assert "someone@ns.example" not in caplog.text and "A body" not in caplog.text


def test_a_waiting_body_is_encrypted_and_deleted_once_sent(app, smtp_server, runner):
    _queue(app, "someone@ns.example")
    (row,) = outbox_rows(app)
    assert "A body" not in row.sealed_body and "register.example" not in row.sealed_body
    assert "Sent 1 emails" in send_waiting(runner)
    (row,) = outbox_rows(app)
    assert row.state == "sent" and row.sealed_body is None and row.sent_at is not None


def test_send_email_without_a_transport_says_so_and_sends_nothing(app, runner):
    _queue(app, "someone@ns.example")
    result = runner.invoke(args=["register", "send-email"])
    assert result.exit_code == 1
    assert "No mail transport is set" in result.output and "1 emails wait" in result.output
    assert outbox_rows(app)[0].state == "waiting"


def test_with_a_mail_server_email_goes_out_over_starttls(app, smtp_server, runner):
    _queue(app, "someone@ns.example", subject="You’ve been invited")
    send_waiting(runner)
    (session,) = smtp_server.sessions
    assert session.address == ("smtp.register.example", 2525)
    assert session.timeout == app.config["MAIL_TIMEOUT_SECONDS"]
    assert session.calls == ["starttls", "login register mail-password", "send", "quit"]
    (message,) = session.messages
    assert message["To"] == "someone@ns.example"
    assert message["Subject"] == "You’ve been invited"
    assert message["Message-ID"] == outbox_rows(app)[0].message_id
    assert "A body with a link" in message.get_content()


def test_without_tls_or_a_user_name_neither_is_used(app, smtp_server, monkeypatch, runner):
    monkeypatch.setitem(app.config, "MAIL_USE_TLS", False)
    monkeypatch.setitem(app.config, "MAIL_USERNAME", "")
    _queue(app, "someone@ns.example")
    send_waiting(runner)
    assert smtp_server.sessions[0].calls == ["send", "quit"]


def test_a_refused_recipient_fails_alone_with_its_reason(app, smtp_server, runner):
    smtp_server.refuse = ("nobody@ns.example",)
    _queue(app, "first@ns.example", "nobody@ns.example", "last@ns.example")
    assert "Sent 2 emails; 0 to try again later; 1 failed." in send_waiting(runner)
    first, refused, last = outbox_rows(app)
    assert (first.state, last.state) == ("sent", "sent")
    # Its body is kept, encrypted, for a few days, so that an administrator can retry it.
    assert refused.state == "failed" and refused.sealed_body is not None
    assert refused.last_error == "The mail server answered 550 5.1.1 No such user"
    # Nothing is tried again, however often the sender runs.
    assert "Sent 0 emails" in send_waiting(runner)


def test_a_server_that_is_down_is_tried_again_later_then_given_up_on(app, smtp_server):
    smtp_server.unreachable = True
    _queue(app, "someone@ns.example")
    start = datetime.now(UTC)
    with app.app_context():
        assert sender.deliver_waiting(smtp_server_transport(app), now=lambda: start).retrying == 1
        # Not due yet: nothing happens.
        assert sender.deliver_waiting(smtp_server_transport(app), now=lambda: start).retrying == 0
    (row,) = outbox_rows(app)
    assert row.state == "waiting" and "could not be reached" in row.last_error
    assert row.attempts == 1
    later = start + sender.retry_delay(1)
    with app.app_context():
        assert sender.deliver_waiting(smtp_server_transport(app), now=lambda: later).retrying == 1
    assert outbox_rows(app)[0].attempts == 2
    too_late = start + timedelta(hours=app.config["MAIL_GIVE_UP_AFTER_HOURS"], minutes=1)
    with app.app_context():
        assert sender.deliver_waiting(smtp_server_transport(app), now=lambda: too_late).failed == 1
    (row,) = outbox_rows(app)
    assert row.state == "failed"
    assert row.last_error.startswith("Given up after 1 day")
    # The body is kept for a retry for MAIL_KEEP_FAILED_DAYS, then deleted by the sender.
    after_that = too_late + timedelta(days=app.config["MAIL_KEEP_FAILED_DAYS"], minutes=1)
    with app.app_context():
        sender.deliver_waiting(smtp_server_transport(app), now=lambda: after_that)
    assert outbox_rows(app)[0].sealed_body is None


def test_the_wait_between_attempts_doubles_up_to_an_hour():
    assert [sender.retry_delay(n).total_seconds() for n in (1, 2, 3, 7, 20)] == [
        60,
        120,
        240,
        3600,
        3600,
    ]


def test_a_message_left_sending_by_a_dead_sender_is_sent_after_the_timeout(app, outbox):
    _queue(app, "someone@ns.example")
    start = datetime.now(UTC)
    with app.app_context():
        (claimed,) = sender.claim(start)  # the sender dies here, before handing it over
        assert sender.claim(start) == []  # no other sender takes it meanwhile
    assert outbox == []
    with app.app_context():
        sender.deliver_waiting(outbox.transport, now=lambda: start + sender.sending_timeout() * 2)
    assert [message.to for message in outbox] == ["someone@ns.example"]
    assert outbox_rows(app)[0].attempts == 2


def test_a_sender_told_to_stop_finishes_the_message_in_hand_and_gives_back_the_rest(app):
    _queue(app, "first@ns.example", "second@ns.example", "third@ns.example")
    stop = threading.Event()

    class StopAfterOne(RecordingTransport):
        def send(self, message) -> None:
            super().send(message)
            stop.set()  # SIGTERM arrives while the first message is handed over

    transport = StopAfterOne()
    with app.app_context():
        assert sender.deliver_waiting(transport, stop=stop).sent == 1
    assert [message.to for message in transport.received] == ["first@ns.example"]
    rows = outbox_rows(app)
    assert [(row.state, row.attempts) for row in rows] == [
        ("sent", 1),
        ("waiting", 0),
        ("waiting", 0),
    ]
    assert all(row.claimed_by is None for row in rows)


def test_a_reset_request_does_not_wait_for_the_mail_server(
    app, client_request, make_user, smtp_server
):
    make_user("admin@ns.example", is_admin=True)
    response = client_request.post("/forgot-password", {"email": "admin@ns.example"}, 302)
    response.close()
    assert response.headers["Location"] == "/forgot-password/sent"
    assert smtp_server.sessions == []
    (row,) = outbox_rows(app)
    assert row.recipient == "admin@ns.example" and row.state == "waiting"


def test_links_use_the_registers_own_address_when_it_is_set(app, make_user, outbox, monkeypatch):
    make_user("admin@ns.example", is_admin=True)
    monkeypatch.setitem(app.config, "REGISTER_BASE_URL", "https://register.example/")
    # A request whose Host header was forged must not send a link to the forger's site.
    with app.test_request_context("/forgot-password", base_url="http://attacker.example"):
        one_time_links.request_password_reset("admin@ns.example")
    (message,) = outbox
    assert "https://register.example/reset-password/" in message.body
    assert "attacker.example" not in message.body
    assert link_in(message).startswith("/reset-password/")


def smtp_server_transport(app):
    return SmtpTransport(app.config)
