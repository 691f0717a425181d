"""Email goes through SMTP when a server is set, and otherwise to the log and the outbox.

The SMTP server is outside the machine, so it is the one thing replaced: by a recorder.
"""

from __future__ import annotations

import smtplib

import pytest

from register import mail, one_time_links

from .emails import emptied_outbox, link_in


class RecordingSMTP:
    """Stands in for `smtplib.SMTP`, remembering what a real server would have been told."""

    sessions: list[RecordingSMTP] = []
    refuse = False

    def __init__(self, host: str, port: int, timeout: float) -> None:
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
        if self.refuse:
            raise smtplib.SMTPRecipientsRefused({message["To"]: (550, b"No such user")})
        self.calls.append("send")
        self.messages.append(message)


@pytest.fixture
def smtp_server(app, monkeypatch):
    monkeypatch.setattr(smtplib, "SMTP", RecordingSMTP)
    monkeypatch.setattr(RecordingSMTP, "sessions", [])
    monkeypatch.setattr(RecordingSMTP, "refuse", False)
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


def test_without_a_mail_server_email_is_logged_and_kept(app, outbox, caplog):
    with app.test_request_context():
        mail.send("someone@ns.example", "A subject", "A body with a link.\n")
    assert outbox == [mail.Message("someone@ns.example", "A subject", "A body with a link.\n")]
    assert "MAIL_SERVER is not set" in caplog.text
    assert "A body with a link." in caplog.text


def test_the_outbox_keeps_only_the_latest_messages(app, outbox):
    with app.test_request_context():
        for number in range(mail.OUTBOX_SIZE + 5):
            mail.send("someone@ns.example", f"Message {number}", "Body\n")
    assert len(outbox) == mail.OUTBOX_SIZE
    assert outbox[-1].subject == f"Message {mail.OUTBOX_SIZE + 4}"


def test_with_a_mail_server_email_goes_out_over_starttls(app, smtp_server, outbox):
    with app.test_request_context():
        mail.send("someone@ns.example", "You’ve been invited", "Hello.\n")
    (session,) = smtp_server.sessions
    assert session.address == ("smtp.register.example", 2525)
    assert session.timeout == mail.SMTP_TIMEOUT_SECONDS
    assert session.calls == ["starttls", "login register mail-password", "send", "quit"]
    (message,) = session.messages
    assert message["To"] == "someone@ns.example"
    assert message["From"] == "Public Sector AI Register <no-reply@register.example>"
    assert message["Subject"] == "You’ve been invited"
    assert message.get_content_type() == "text/plain"
    assert message.get_content() == "Hello.\n"
    assert outbox == []


def test_without_tls_or_a_user_name_neither_is_used(app, smtp_server, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_USE_TLS", False)
    monkeypatch.setitem(app.config, "MAIL_USERNAME", "")
    with app.test_request_context():
        mail.send("someone@ns.example", "Subject", "Body\n")
    assert smtp_server.sessions[0].calls == ["send", "quit"]


def test_a_refused_message_is_a_mail_error(app, smtp_server, caplog):
    smtp_server.refuse = True
    with app.test_request_context(), pytest.raises(mail.MailError):
        mail.send("someone@ns.example", "Subject", "Body\n")
    assert "Could not send email 'Subject'" in caplog.text


def test_a_reset_link_is_emailed_only_after_the_response_has_gone(
    app, client_request, make_user, smtp_server
):
    make_user("admin@ns.example", is_admin=True)
    response = client_request.post("/forgot-password", {"email": "admin@ns.example"}, 302)
    assert smtp_server.sessions == []
    response.close()
    (session,) = smtp_server.sessions
    assert session.messages[0]["To"] == "admin@ns.example"


def test_a_failed_reset_email_is_logged_and_the_answer_is_unchanged(
    app, client_request, make_user, smtp_server, caplog
):
    make_user("admin@ns.example", is_admin=True)
    smtp_server.refuse = True
    response = client_request.post("/forgot-password", {"email": "admin@ns.example"}, 302)
    response.close()
    assert response.headers["Location"] == "/forgot-password/sent"
    assert "Could not send email" in caplog.text


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
