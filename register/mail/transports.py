"""Ways of handing a message to the world, chosen by the configuration: GOV.UK Notify when
`NOTIFY_API_KEY` is set, otherwise SMTP when `MAIL_SERVER` is, otherwise none (the messages
wait in the outbox).

A transport's `send(message)` returns once the message is handed over, raises `Refused`
when it never will be, and `NotDelivered` when it may be later.
"""

from __future__ import annotations

import re
import smtplib
from email.message import EmailMessage
from email.utils import formataddr
from typing import Any, Protocol

from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient

from . import Message, NotDelivered, Refused

SMTP_TIMEOUT_SECONDS = 15
NOTIFY_BASE_URL = "https://api.notifications.service.gov.uk"
# A Notify API key is its name, the service id and the secret: `name-<uuid>-<uuid>`.
NOTIFY_KEY_FORMAT = re.compile(
    r"^.+-[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}-[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$"
)
NOTIFY_TEMPLATE_FORMAT = re.compile(r"^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$")


class MailSettingsError(ValueError):
    """The mail settings cannot work; the message says which and why."""


class Transport(Protocol):
    def send(self, message: Message) -> None: ...


class SmtpTransport:
    """An SMTP server (with STARTTLS when `MAIL_USE_TLS` is on), as the MAIL_* settings say."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.server = config["MAIL_SERVER"]
        self.port = config["MAIL_PORT"]
        self.username = config["MAIL_USERNAME"]
        self.password = config["MAIL_PASSWORD"]
        self.use_tls = config["MAIL_USE_TLS"]
        self.timeout = config.get("MAIL_TIMEOUT_SECONDS", SMTP_TIMEOUT_SECONDS)
        self.sender = formataddr((config["REGISTER_NAME"], config["MAIL_SENDER"]))

    def send(self, message: Message) -> None:
        email = EmailMessage()
        email["From"] = self.sender
        email["To"] = message.to
        email["Subject"] = message.subject
        email["Message-ID"] = message.message_id
        for name, value in message.headers.items():
            email[name] = value
        email.set_content(message.body)
        try:
            with smtplib.SMTP(self.server, self.port, timeout=self.timeout) as smtp:
                if self.use_tls:
                    smtp.starttls()
                if self.username:
                    smtp.login(self.username, self.password)
                smtp.send_message(email)
        except smtplib.SMTPRecipientsRefused as error:
            code, reply = next(iter(error.recipients.values()))
            _raise_for(code, reply)
        except smtplib.SMTPResponseException as error:
            _raise_for(error.smtp_code, error.smtp_error)
        except (OSError, smtplib.SMTPException) as error:
            raise NotDelivered(f"The mail server could not be reached: {error}") from error


def _raise_for(code: int, reply: bytes | str) -> None:
    text = reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)
    reason = f"The mail server answered {code} {text}".strip()
    # 5xx is a permanent refusal; 4xx asks to try again later.
    if 500 <= code < 600:
        raise Refused(reason)
    raise NotDelivered(reason)


class NotifyTransport:
    """GOV.UK Notify, through its client library, with one email template whose subject
    and body are the personalisation fields `subject` and `body` (see docs/email.md)."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.template_id = config["NOTIFY_TEMPLATE_ID"]
        self.client = NotificationsAPIClient(
            config["NOTIFY_API_KEY"],
            base_url=config.get("NOTIFY_BASE_URL") or NOTIFY_BASE_URL,
            timeout=config.get("MAIL_TIMEOUT_SECONDS", SMTP_TIMEOUT_SECONDS),
        )

    def send(self, message: Message) -> None:
        # Notify writes the List-Unsubscribe headers itself, from the address it is given.
        unsubscribe = message.headers.get("List-Unsubscribe", "").strip("<>") or None
        try:
            self.client.send_email_notification(
                email_address=message.to,
                template_id=self.template_id,
                personalisation={"subject": message.subject, "body": message.body},
                # Notify keeps the reference with the notification, so a repeat can be found.
                reference=message.message_id,
                one_click_unsubscribe_url=unsubscribe,
            )
        except APIError as error:
            reason = f"GOV.UK Notify answered {error.status_code}: {_notify_reason(error)}"
            # 400 means this message will never be accepted (an address Notify refuses, say);
            # anything else (a bad key, rate limits, Notify down) may pass later.
            if error.status_code == 400:
                raise Refused(reason) from error
            raise NotDelivered(reason) from error


def _notify_reason(error: APIError) -> str:
    message = error.message
    if isinstance(message, list):
        return "; ".join(str(item.get("message", item)) for item in message)
    return str(message)


def configured_transport(config: dict[str, Any]) -> Transport | None:
    """The transport the settings choose, or None when none is set; `MailSettingsError` if
    the Notify settings are incomplete or malformed."""
    if config.get("NOTIFY_API_KEY"):
        if not NOTIFY_KEY_FORMAT.match(config["NOTIFY_API_KEY"]):
            raise MailSettingsError(
                "NOTIFY_API_KEY is not a GOV.UK Notify API key: copy the whole key from "
                "Notify's API integration page (its name, then two long identifiers)."
            )
        if not NOTIFY_TEMPLATE_FORMAT.match(config.get("NOTIFY_TEMPLATE_ID") or ""):
            raise MailSettingsError(
                "NOTIFY_TEMPLATE_ID must be the template's ID from GOV.UK Notify, such as "
                "f33517ff-2a88-4f6e-b855-c550268ce08a."
            )
        return NotifyTransport(config)
    if config.get("MAIL_SERVER"):
        return SmtpTransport(config)
    return None
