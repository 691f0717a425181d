"""A real OpenID Connect provider for the tests, on this machine's loopback address: it serves
discovery and keys, shows its own sign-in page, and signs real ID tokens (oidc-provider-mock).

A test chooses who signs in (the subject) and their claims, and can make the provider's
answer go wrong the ways a real one might: a token for another client or from another
issuer, an expired one, one signed with another key, or one replayed from an earlier sign-in.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

import flask
import oidc_provider_mock
import requests
from joserfc import jwt
from joserfc.jwk import RSAKey
from werkzeug.serving import make_server

Claims = dict[str, Any]


class Provider:
    """The running provider: `issuer` is its address."""

    def __init__(self) -> None:
        self.app = oidc_provider_mock.app(require_nonce=True)
        self.app.after_request(self._tamper)
        # Set by a test, cleared by `reset`.
        self.rewrite: Callable[[Claims], Claims] | None = None
        self.sign_with_another_key = False
        self.replay: str | None = None
        self.last_id_token: str | None = None
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.issuer = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=5)

    def reset(self) -> None:
        self.rewrite = None
        self.sign_with_another_key = False
        self.replay = None

    def set_person(self, sub: str, **claims: Any) -> None:
        """What the provider says of the account `sub` when it signs in."""
        response = requests.put(f"{self.issuer}/users/{sub}", json=claims, timeout=5)
        response.raise_for_status()

    def sign_in(self, authorization_url: str, sub: str) -> str:
        """Sign in on the provider's own page as `sub`, as a person would: the address
        (path and query) the provider sends the browser back to."""
        assert authorization_url.startswith(self.issuer), authorization_url
        response = requests.post(
            authorization_url, data={"sub": sub}, allow_redirects=False, timeout=5
        )
        assert response.status_code == 302, response.text
        back = urlsplit(response.headers["Location"])
        return f"{back.path}?{back.query}"

    # Answers that go wrong ----------------------------------------------------------------

    def _tamper(self, response: flask.Response) -> flask.Response:
        if flask.request.path != "/oauth2/token" or response.status_code != 200:
            return response
        body = response.get_json()
        storage = flask.g.oidc_provider_mock_storage
        own_key = RSAKey.import_key(storage.jwk.as_dict(is_private=True))
        token = jwt.decode(body["id_token"], own_key)
        if self.replay:
            body["id_token"] = self.replay
        elif self.rewrite or self.sign_with_another_key:
            claims = self.rewrite(dict(token.claims)) if self.rewrite else token.claims
            key = RSAKey.generate_key(2048) if self.sign_with_another_key else own_key
            header = {"alg": "RS256", "kid": token.header.get("kid", own_key.kid)}
            body["id_token"] = jwt.encode(header, claims, key)
        self.last_id_token = body["id_token"]
        response.set_data(flask.json.dumps(body))
        return response


def expired(claims: Claims) -> Claims:
    """An ID token that expired an hour ago."""
    an_hour_ago = int(time.time()) - 3600
    return {**claims, "iat": an_hour_ago - 600, "exp": an_hour_ago}


@contextmanager
def running_provider() -> Iterator[Provider]:
    provider = Provider()
    try:
        yield provider
    finally:
        provider.stop()


@contextmanager
def stopped_provider() -> Iterator[str]:
    """The address of a provider that was running a moment ago and has stopped."""
    with running_provider() as provider:
        issuer = provider.issuer
    yield issuer
