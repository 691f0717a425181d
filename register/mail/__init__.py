"""Email to people, through a durable outbox.

`queue` writes each message as a row of the outbox in the caller's transaction, so an email
goes if and only if the change that causes it is committed, and no request ever waits for a
mail server. `flask register send-email` (see `register.mail.sender`) delivers what waits,
through the transport the configuration chooses (`register.mail.transports`). The body may
hold a one-time link, so it is kept encrypted, and deleted once the message has been
delivered or given up on.

Every email is written in its recipient's language: `send` calls the function that writes
it inside `writing_in(language)`, so its texts, dates and links (`/cy/...` for Welsh) follow,
and no caller can forget. `queue` takes text already written.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext

from .. import sealing
from ..extensions import db
from ..languages import writing_in
from ..models import OutboxMessage
from ..models.outbox import SUBJECT_LENGTH

SEALING_PURPOSE = "outbox"


class NotDelivered(Exception):
    """The transport could not hand the message over this time (server down, a temporary
    refusal): it is tried again later. The message is the reason, free of addresses."""


class Refused(Exception):
    """The transport refused the message for good (an unknown recipient, say): it is not
    tried again. The message is the reason, fit to show administrators."""


@dataclass(frozen=True)
class Message:
    to: str
    subject: str
    body: str
    message_id: str = ""
    # Extra headers, such as List-Unsubscribe, by name.
    headers: Mapping[str, str] = field(default_factory=dict)


def signed_off(paragraphs: list[str]) -> str:
    """The body of an email: short paragraphs, then the register's name (in the language
    the email is written in, when the name is the register's default)."""
    return "\n\n".join([*paragraphs, register_name()]) + "\n"


def register_name() -> str:
    """The register's name as an email writes it: the default name is translated."""
    return gettext(current_app.config["REGISTER_NAME"])


def written(language: str, compose: Callable[[], tuple[str, str]]) -> tuple[str, str]:
    """The subject and body `compose` writes, written in `language`."""
    with writing_in(language):
        return compose()


def send(
    to: str,
    language: str,
    compose: Callable[[], tuple[str, str]],
    headers: Mapping[str, str] | None = None,
) -> OutboxMessage:
    """Write an email in `language` (`compose` gives its subject and body) and add it to
    the outbox in the current transaction; the caller commits."""
    return queue(to, *written(language, compose), headers=headers)


def queue(
    to: str, subject: str, body: str, headers: Mapping[str, str] | None = None
) -> OutboxMessage:
    """Add a message to the outbox in the current transaction; the caller commits.
    `headers` are extra headers by name (such as List-Unsubscribe), kept sealed like the
    body, since they may hold a link of their own."""
    domain = current_app.config["MAIL_SENDER"].rpartition("@")[2] or "register.invalid"
    message = OutboxMessage(
        recipient=to,
        subject=subject[:SUBJECT_LENGTH],
        sealed_body=sealing.seal(body, SEALING_PURPOSE),
        sealed_headers=sealing.seal(json.dumps(dict(headers)), SEALING_PURPOSE)
        if headers
        else None,
        # From the operating system's randomness, never `random`'s, which may be seeded.
        message_id=f"<{uuid.uuid4().hex}@{domain}>",
    )
    db.session.add(message)
    if not has_transport():
        _log_unsent(message, body)
    return message


def body_of(message: OutboxMessage) -> str | None:
    """The message's body, or None if it is gone (sent, failed) or was sealed with another
    SECRET_KEY."""
    return sealing.unseal(message.sealed_body, SEALING_PURPOSE)


def headers_of(message: OutboxMessage) -> dict[str, str]:
    """The message's extra headers: none if it has none, or they are gone (sent, failed)."""
    return unseal_headers(message.sealed_headers)


def unseal_headers(sealed: str | None) -> dict[str, str]:
    """Headers sealed by `queue`; none if there are none or they cannot be read."""
    text = sealing.unseal(sealed, SEALING_PURPOSE) if sealed else None
    return json.loads(text) if text else {}


def has_transport() -> bool:
    """Whether the configuration names a way to send email (GOV.UK Notify or SMTP)."""
    config = current_app.config
    return bool(config.get("NOTIFY_API_KEY") or config.get("MAIL_SERVER"))


def _log_unsent(message: OutboxMessage, body: str) -> None:
    if not current_app.config.get("LOG_UNSENT_EMAIL"):
        # In production the address and the one-time link stay out of the log.
        current_app.logger.warning(
            "No mail transport is set, so an email waits in the outbox: %s", message.subject
        )
        return
    current_app.logger.warning(
        "DEVELOPMENT ONLY: no mail transport is set, so this email waits in the outbox and "
        "is shown here instead.\nTo: %s\nSubject: %s\n\n%s",
        message.recipient,
        message.subject,
        body,
    )
