"""Security headers on every response, session expiry, safe redirects and rate-limit settings.

Flask-Talisman sets the headers. Scripts need the per-request nonce that base.html puts on
the GOV.UK template's one inline script and on our module; no inline style is allowed at
all. docs/security.md says which threat each measure here answers, and which test proves it.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from flask import Flask, current_app, g, request, session
from flask_limiter.util import get_remote_address
from flask_login import current_user, logout_user, user_logged_in, user_logged_out
from flask_talisman import Talisman
from werkzeug.exceptions import SecurityError
from werkzeug.wrappers import Response
from werkzeug.wsgi import get_host

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

from .addresses import trusted_hosts

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

# Browser features the register never uses, switched off for it and anything it embeds.
PERMISSIONS_POLICY = {
    feature: "()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
        "interest-cohort",
    )
}

SECURE_SESSION_COOKIE = "__Host-session"
# Where Flask-WTF keeps the session's CSRF secret (WTF_CSRF_FIELD_NAME), in the session and
# for the request in `g`.
CSRF_SESSION_KEY = "csrf_token"

talisman = Talisman()


def init_security(app: Flask) -> None:
    """Install the headers. HTTPS is left to the proxy in front (FORCE_HTTPS to redirect here)."""
    if app.config["SESSION_COOKIE_SECURE"] and app.config["SESSION_COOKIE_NAME"] == "session":
        # Browsers accept a __Host- cookie only over HTTPS, for the whole site and from this
        # host alone, so no other site or subdomain can plant or overwrite the session.
        app.config["SESSION_COOKIE_NAME"] = SECURE_SESSION_COOKIE
        app.config["SESSION_COOKIE_DOMAIN"] = False
        app.config["SESSION_COOKIE_PATH"] = "/"
    # Registered before Talisman's, so it runs after Talisman has written the policy.
    app.after_request(_name_other_form_targets)
    talisman.init_app(
        app,
        force_https=app.config["FORCE_HTTPS"],
        strict_transport_security=True,
        strict_transport_security_max_age=365 * 24 * 60 * 60,
        content_security_policy=CONTENT_SECURITY_POLICY,
        content_security_policy_nonce_in=["script-src"],
        frame_options="DENY",
        # No page address (some carry one-time tokens) is ever sent to another site.
        referrer_policy="no-referrer",
        permissions_policy=PERMISSIONS_POLICY,
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        session_cookie_samesite="Lax",
        session_cookie_http_only=True,
        x_xss_protection=False,
    )
    storage = app.config["RATELIMIT_STORAGE_URI"]
    if app.config["ENV_NAME"] == "production" and storage.startswith("memory://"):
        app.logger.warning(
            "RATELIMIT_STORAGE_URI is memory://: each worker process counts requests on its "
            "own, so rate limits are looser than configured. Use redis:// with several workers."
        )


# Where this response's forms may also send people (see `allow_forms_to_lead_to`).
FORM_TARGETS_KEY = "form_targets"
_ORIGIN = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?")


def allow_forms_to_lead_to(origins: Iterable[str]) -> None:
    """Let this page's forms lead on to these other sites' origins (such as an
    organisation's sign-in provider, where the sign-in and sign-out forms redirect):
    browsers check a form's redirects against the page's `form-action` too."""
    wanted = getattr(g, FORM_TARGETS_KEY, set())
    # Only plain origins: anything else could change the policy's meaning.
    wanted.update(origin for origin in origins if _ORIGIN.fullmatch(origin or ""))
    setattr(g, FORM_TARGETS_KEY, wanted)


def _name_other_form_targets(response: Response) -> Response:
    targets = sorted(getattr(g, FORM_TARGETS_KEY, ()))
    policy = response.headers.get("Content-Security-Policy")
    if targets and policy:
        allowed = " ".join(targets)
        response.headers["Content-Security-Policy"] = policy.replace(
            "form-action 'self'", f"form-action 'self' {allowed}"
        )
    return response


class UnknownHostRefusal:
    """WSGI middleware that answers 400 to a request naming a host the register is not
    served at, before Flask sees it: nothing, not even an error page, is built for it.

    It sits inside ProxyFix, so behind a proxy it checks the `X-Forwarded-Host` the proxy
    passed on as well as `Host`.
    """

    def __init__(self, wsgi_app: WSGIApplication, hosts: list[str]) -> None:
        self.wsgi_app = wsgi_app
        self.hosts = hosts

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        try:
            get_host(environ, trusted_hosts=self.hosts)
        except SecurityError:
            refusal = Response(
                "Bad request: the register is not served at the address this request names.\n",
                status=400,
                mimetype="text/plain",
                headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"},
            )
            return refusal(environ, start_response)
        return self.wsgi_app(environ, start_response)


def init_hosts(app: Flask) -> None:
    """With the register's address set, refuse requests that name any other host (in `Host`,
    or in `X-Forwarded-Host` from a trusted proxy) with 400. Call before the proxy fix is
    installed, so that this check runs after it."""
    hosts = trusted_hosts(app.config["REGISTER_BASE_URL"], app.config["REGISTER_EXTRA_HOSTS"])
    # Flask checks the same list too, should anything build a URL from the request.
    app.config["TRUSTED_HOSTS"] = hosts
    if hosts:
        app.wsgi_app = UnknownHostRefusal(app.wsgi_app, hosts)


def init_sessions(app: Flask) -> None:
    """Signed-in sessions expire when idle (PERMANENT_SESSION_LIFETIME, renewed by each
    request) and absolutely, SESSION_ABSOLUTE_HOURS after signing in. Pages shown to anyone
    with a session may hold drafts or people's details, so no browser or proxy keeps them."""
    cookie_name = app.config["SESSION_COOKIE_NAME"]

    @user_logged_in.connect_via(app)
    def _remember_when(sender: Flask, user: object, **extra: object) -> None:
        session.permanent = True
        session.setdefault("signed_in_at", int(time.time()))
        # A new CSRF secret for the signed-in session: a token someone planted or read before
        # signing in (on a shared computer, say) must not work for the signed-in person.
        session.pop(CSRF_SESSION_KEY, None)
        g.pop(CSRF_SESSION_KEY, None)

    @user_logged_out.connect_via(app)
    def _forget_when(sender: Flask, user: object, **extra: object) -> None:
        session.pop("signed_in_at", None)

    @app.before_request
    def _end_old_sessions() -> None:
        signed_in_at = session.get("signed_in_at")
        limit = app.config["SESSION_ABSOLUTE_HOURS"] * 3600
        if isinstance(signed_in_at, int) and time.time() - signed_in_at > limit:
            logout_user()

    @app.after_request
    def _keep_private_pages_out_of_caches(response: Response) -> Response:
        # Public pages and open data set their own caching; readers have no session cookie.
        if (
            request.cookies.get(cookie_name)
            and response.mimetype == "text/html"
            and "Cache-Control" not in response.headers
        ):
            response.headers["Cache-Control"] = "no-store"
        return response


def local_path(target: str | None) -> str | None:
    """`target` if it is a path on this site that no browser could read as another site's
    address (no open redirect), else None.

    Only printable ASCII without a backslash is accepted: browsers drop tabs and line breaks
    from an address and read a backslash as a slash, so a slash, a tab and "/evil.example"
    would reach evil.example.
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if any(not "!" <= character <= "~" or character == "\\" for character in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def limit_from(setting: str) -> Callable[[], str]:
    """A rate limit read from the app's settings when each request is counted, so that
    deployments (and tests) can change it."""
    return lambda: current_app.config[setting]


def per_person() -> str:
    """A rate-limit key for signed-in people: their own allowance wherever they connect from."""
    if current_user.is_authenticated:
        return f"person:{current_user.id}"
    return get_remote_address()
