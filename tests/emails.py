"""What people receive: the outbox delivered by the real sender to a recording transport."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from urllib.parse import urlsplit

from flask import Flask
from sqlalchemy import select

from register.extensions import db
from register.mail import Message, NotDelivered, Refused
from register.mail.sender import deliver_waiting
from register.models import OutboxMessage


class RecordingTransport:
    """Stands in for a mail server that accepts everything, remembering each message. An
    address in `refuse` is refused for good, one in `defer` asked to come back later."""

    def __init__(self, refuse: Sequence[str] = (), defer: Sequence[str] = ()) -> None:
        self.received: list[Message] = []
        self.refuse = set(refuse)
        self.defer = set(defer)

    def send(self, message: Message) -> None:
        if message.to in self.refuse:
            raise Refused(f"The mail server answered 550 No such user: {message.to}")
        if message.to in self.defer:
            raise NotDelivered("The mail server answered 451 Try again later")
        self.received.append(message)


class Delivered(Sequence[Message]):
    """The messages people have received since this was made: reading it first runs the
    sender, so whatever the register has queued (and committed) by then is delivered."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.transport = RecordingTransport()

    def deliver(self) -> list[Message]:
        with self.app.app_context():
            deliver_waiting(self.transport)
            db.session.remove()
        return self.transport.received

    def __getitem__(self, index):  # type: ignore[override]
        return self.deliver()[index]

    def __len__(self) -> int:
        return len(self.deliver())

    def __iter__(self) -> Iterator[Message]:
        return iter(list(self.deliver()))

    def __eq__(self, other: object) -> bool:
        return list(self.deliver()) == list(other)  # type: ignore[call-overload]

    def __repr__(self) -> str:
        return repr(self.transport.received)

    def clear(self) -> None:
        """Deliver what waits, then forget everything received so far."""
        self.deliver().clear()


def emptied_outbox(app: Flask) -> Delivered:
    """Deliver (and forget) what already waits; messages sent afterwards appear in the
    returned sequence, each as its recipient receives it."""
    delivered = Delivered(app)
    delivered.clear()
    return delivered


def link_in(message: Message) -> str:
    """The path of the one web address in `message`, as a test client requests it."""
    addresses = re.findall(r"https?://\S+", message.body)
    assert len(addresses) == 1, f"wanted one link in the email, found {addresses}"
    return urlsplit(addresses[0]).path


def outbox_rows(app: Flask) -> list[OutboxMessage]:
    """Every message in the outbox, oldest first, as stored now."""
    with app.app_context():
        rows = list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
        db.session.expunge_all()
        return rows


def send_waiting(runner) -> str:
    """Run `flask register send-email` once, as cron would; what it printed."""
    result = runner.invoke(args=["register", "send-email"])
    assert result.exit_code == 0, result.output
    return result.output
