"""A real SMTP server on loopback (aiosmtpd) that remembers what it accepted, can refuse a
recipient, and can stall in the middle of taking a message; and a port that never answers."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email import message_from_bytes

from aiosmtpd.controller import Controller


@dataclass(frozen=True)
class Received:
    to: str
    subject: str
    message_id: str
    body: str


class Mailbox:
    """aiosmtpd's handler: accepts everything except the addresses in `refuse`."""

    def __init__(self, refuse: tuple[str, ...] = (), stall_at: int = 0) -> None:
        self.received: list[Received] = []
        self.refuse = set(refuse)
        # With `stall_at` = n, the n-th message is taken in (and remembered) but not answered
        # until `release` is set: the sender is then in the middle of handing it over.
        self.stall_at = stall_at
        self.stalled = threading.Event()
        self.release = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        if address in self.refuse:
            return f"550 5.1.1 <{address}>: Recipient address rejected"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        email = message_from_bytes(envelope.content)
        for to in envelope.rcpt_tos:
            self.received.append(
                Received(to, email["Subject"], email["Message-ID"], email.get_payload())
            )
        if self.stall_at and len(self.received) == self.stall_at:
            self.stalled.set()
            while not self.release.is_set():
                await asyncio.sleep(0.02)
        return "250 Message accepted for delivery"

    def count(self, to: str) -> int:
        return sum(1 for message in self.received if message.to == to)


@contextmanager
def smtp_server(port: int, mailbox: Mailbox) -> Iterator[Mailbox]:
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield mailbox
    finally:
        mailbox.release.set()
        controller.stop()


@contextmanager
def silent_server() -> Iterator[int]:
    """A port that takes connections and never says a word: a mail server that hangs."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    try:
        yield listener.getsockname()[1]
    finally:
        listener.close()
