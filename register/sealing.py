"""Secrets kept in the database encrypted, with keys derived from SECRET_KEY.

Each purpose (a second factor's shared secret, an email waiting to be sent) has a key of its
own, so none is ever the key that signs cookies and one leaked key opens nothing else.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app


def _fernet(purpose: str) -> Fernet:
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=f"register {purpose}".encode()
    ).derive(current_app.config["SECRET_KEY"].encode())
    return Fernet(base64.urlsafe_b64encode(key))


def seal(text: str, purpose: str) -> str:
    """`text` encrypted and authenticated with the key for `purpose`."""
    return _fernet(purpose).encrypt(text.encode()).decode()


def unseal(token: str | None, purpose: str) -> str | None:
    """What `seal` was given, or None if `token` was not sealed with this SECRET_KEY and
    purpose."""
    if not token:
        return None
    try:
        return _fernet(purpose).decrypt(token.encode()).decode()
    except (InvalidToken, ValueError):
        return None
