"""Cursors: where a walk through a long list stopped, handed to the client as a token to
send back for the next page.

A cursor holds the last row's place in the list's order, so the next page starts after that
row however many rows were added or removed before it in the meantime, which page numbers
cannot do. It is signed with a key derived from SECRET_KEY, one per list, so a token the
register did not write (or wrote for another list) is refused rather than read as a place.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

# The longest token read: a cursor the register writes is well under this.
MAX_LENGTH = 500


class CursorError(ValueError):
    """A token that is not a cursor of this list, as the register wrote it."""


def _serializer(purpose: str) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt=f"cursor {purpose}")


def write_cursor(place: list[Any], purpose: str) -> str:
    """An opaque, url-safe token holding `place` (plain JSON values) for the list `purpose`."""
    return _serializer(purpose).dumps(place)


def read_cursor(token: str, purpose: str, length: int) -> list[Any]:
    """The place `write_cursor` put in `token` for the list `purpose`, a list of `length`
    values; raises `CursorError` for anything else."""
    if len(token) > MAX_LENGTH:
        raise CursorError(token)
    try:
        place = _serializer(purpose).loads(token)
    except BadSignature:
        raise CursorError(token) from None
    if not isinstance(place, list) or len(place) != length:
        raise CursorError(token)
    return place
