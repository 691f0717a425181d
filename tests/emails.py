"""Reading the register's outbox, where email waits when no mail server is set (as in tests)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import Flask

from register.mail import Message


def emptied_outbox(app: Flask) -> list[Message]:
    """The outbox, emptied; messages sent afterwards appear in the returned list."""
    kept = app.extensions.setdefault("outbox", [])
    kept.clear()
    return kept


def link_in(message: Message) -> str:
    """The path of the one web address in `message`, as a test client requests it."""
    addresses = re.findall(r"https?://\S+", message.body)
    assert len(addresses) == 1, f"wanted one link in the email, found {addresses}"
    return urlsplit(addresses[0]).path
