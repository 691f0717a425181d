"""Validators for public pages: an ETag from the page's bytes and a Last-Modified, so a
browser that already has the page is answered `304 Not Modified`.

Two things in a page's bytes would differ on every request. The forms' feedback token is
stamped to the hour (see `views.feedback`), so it stays the same for an hour. The
Content-Security-Policy nonce on the page's scripts is new for every response, and a 304
passes on the headers of the moment to the copy the browser keeps, so its policy must name
the nonce in that copy, or the copy's scripts are blocked. So the ETag is the hash of the
bytes without the nonce, then the nonce and a signature: a browser's If-None-Match says which
nonce its copy has, and the 304 gives it that nonce again, once the signature shows the
register issued it.

Pages made for a signed-in person are kept out of every cache by the app's own rule
(`security.init_sessions`); other pages may be kept, but must be checked each time.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime

from flask import current_app, request
from itsdangerous import Signer
from werkzeug.wrappers import Response

from ..signed_in import signed_in

# Keeps these signatures apart from anything else made with the secret key.
NONCE_SALT = "page-nonce"
# What a nonce may be made of (URL-safe base64).
NONCE = re.compile(r"[A-Za-z0-9_-]{8,64}")


def _signer() -> Signer:
    return Signer(current_app.secret_key, salt=NONCE_SALT)


def _digest(body: bytes, nonce: str) -> str:
    """The hash of the page's bytes with its nonce taken out."""
    if nonce:
        body = body.replace(nonce.encode("ascii"), b"")
    return hashlib.sha256(body).hexdigest()[:32]


def _etag(digest: str, nonce: str) -> str:
    return f"{digest}.{_signer().sign(nonce).decode('ascii')}" if nonce else digest


def _nonce_of_copy(digest: str, nonce: str) -> str | None:
    """The nonce of the browser's copy, if If-None-Match names a copy with these bytes (and,
    when pages carry a nonce, one the register issued); None if it names none. `nonce` is
    the nonce of the page just made."""
    if request.if_none_match.star_tag:
        return nonce
    for tag in request.if_none_match.as_set(include_weak=True):
        if not nonce:
            if tag == digest:
                return nonce
            continue
        found, _, signed = tag.partition(".")
        theirs = signed.partition(".")[0]
        if found == digest and NONCE.fullmatch(theirs) and _signer().validate(signed):
            return theirs
    return None


def _not_modified(page: Response, etag: str) -> Response:
    unchanged = current_app.response_class(status=304)
    for name in ("Last-Modified", "Cache-Control", "Vary"):
        if name in page.headers:
            unchanged.headers[name] = page.headers[name]
    unchanged.set_etag(etag)
    return unchanged


def validated(page: Response, last_changed: datetime) -> Response:
    """`page` (a public page, answered 200) with its validators, or 304 if the browser's copy,
    named by If-None-Match or else If-Modified-Since, is current."""
    if request.method not in ("GET", "HEAD") or page.status_code != 200:
        return page
    nonce = getattr(request, "csp_nonce", "") or ""
    digest = _digest(page.get_data(), nonce)
    page.set_etag(_etag(digest, nonce))
    page.last_modified = last_changed
    page.vary.add("Cookie")
    if signed_in() is None:
        # Any cache may keep it, but must ask each time whether it is still current.
        page.headers["Cache-Control"] = "no-cache"
    if request.if_none_match:
        copy = _nonce_of_copy(digest, nonce)
        if copy is None:
            return page
        # The policy of the 304 names the nonce the browser's copy carries.
        request.csp_nonce = copy  # type: ignore[attr-defined]
        return _not_modified(page, _etag(digest, copy))
    since = request.if_modified_since
    if since is not None and last_changed <= since:
        return _not_modified(page, _etag(digest, nonce))
    return page
