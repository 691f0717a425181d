"""Email to people: invitations and password reset links, in plain text.

With `MAIL_SERVER` set, messages go out through that SMTP server (with STARTTLS when
`MAIL_USE_TLS` is on). Without it, each message is kept in an outbox (`outbox()`), which is
what the tests read, and written to the log in development (in production only its subject,
since the body holds one-time links): nothing leaves the machine.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from typing import Any

from flask import after_this_request, current_app
from werkzeug.wrappers import Response

# Without a mail server the outbox keeps only the latest messages, so it cannot grow forever.
OUTBOX_SIZE = 100
SMTP_TIMEOUT_SECONDS = 15


class MailError(Exception):
    """The message could not be handed to the mail server."""


@dataclass(frozen=True)
class Message:
    to: str
    subject: str
    body: str


def outbox() -> list[Message]:
    """The messages kept because no mail server is set, oldest first."""
    return current_app.extensions.setdefault("outbox", [])


def signed_off(paragraphs: list[str]) -> str:
    """The body of an email: short paragraphs, then the register's name."""
    return "\n\n".join([*paragraphs, current_app.config["REGISTER_NAME"]]) + "\n"


def send(to: str, subject: str, body: str) -> None:
    """Send a message now; `MailError` if the mail server refuses or cannot be reached."""
    message = Message(to=to, subject=subject, body=body)
    if not current_app.config.get("MAIL_SERVER"):
        _keep(message)
        return
    try:
        _deliver(_settings(), message)
    except (OSError, smtplib.SMTPException) as error:
        # The error's class only: a refusal's text names the recipients.
        current_app.logger.error("Could not send email %r: %s", subject, type(error).__name__)
        raise MailError(str(error)) from error


def send_after_response(to: str, subject: str, body: str) -> None:
    """Send a message once the response has gone, so how long the answer takes does not
    show whether an email was sent. Failures are logged; nobody is waiting to be told."""
    message = Message(to=to, subject=subject, body=body)
    if not current_app.config.get("MAIL_SERVER"):
        _keep(message)
        return
    settings = _settings()
    logger = current_app.logger

    def deliver_later() -> None:
        try:
            _deliver(settings, message)
        except (OSError, smtplib.SMTPException) as error:
            logger.error("Could not send email %r: %s", subject, type(error).__name__)

    @after_this_request
    def _on_close(response: Response) -> Response:
        response.call_on_close(deliver_later)
        return response


def _keep(message: Message) -> None:
    kept = outbox()
    kept.append(message)
    del kept[:-OUTBOX_SIZE]
    if not current_app.config.get("LOG_UNSENT_EMAIL"):
        # In production the address and the one-time link stay out of the log.
        current_app.logger.warning(
            "MAIL_SERVER is not set, so an email was not sent: %s", message.subject
        )
        return
    current_app.logger.warning(
        "MAIL_SERVER is not set, so this email was not sent.\nTo: %s\nSubject: %s\n\n%s",
        message.to,
        message.subject,
        message.body,
    )


def _settings() -> dict[str, Any]:
    config = current_app.config
    return {
        "server": config["MAIL_SERVER"],
        "port": config["MAIL_PORT"],
        "username": config["MAIL_USERNAME"],
        "password": config["MAIL_PASSWORD"],
        "use_tls": config["MAIL_USE_TLS"],
        "sender": formataddr((config["REGISTER_NAME"], config["MAIL_SENDER"])),
    }


def _deliver(settings: dict[str, Any], message: Message) -> None:
    email = EmailMessage()
    email["From"] = settings["sender"]
    email["To"] = message.to
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid()
    email.set_content(message.body)
    with smtplib.SMTP(settings["server"], settings["port"], timeout=SMTP_TIMEOUT_SECONDS) as smtp:
        if settings["use_tls"]:
            smtp.starttls()
        if settings["username"]:
            smtp.login(settings["username"], settings["password"])
        smtp.send_message(email)
