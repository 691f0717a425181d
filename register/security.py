"""Security headers on every response: a strict Content-Security-Policy and its companions.

Flask-Talisman sets them. Scripts need the per-request nonce that base.html puts on the
GOV.UK template's one inline script and on our module; no inline style is allowed at all.
"""

from __future__ import annotations

import time

from flask import Flask, session
from flask_login import logout_user, user_logged_in, user_logged_out
from flask_talisman import Talisman

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

talisman = Talisman()


def init_security(app: Flask) -> None:
    """Install the headers. HTTPS is left to the proxy in front (FORCE_HTTPS to redirect here)."""
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


def init_sessions(app: Flask) -> None:
    """Signed-in sessions expire when idle (PERMANENT_SESSION_LIFETIME, renewed by each
    request) and absolutely, SESSION_ABSOLUTE_HOURS after signing in."""

    @user_logged_in.connect_via(app)
    def _remember_when(sender: Flask, user: object, **extra: object) -> None:
        session.permanent = True
        session.setdefault("signed_in_at", int(time.time()))

    @user_logged_out.connect_via(app)
    def _forget_when(sender: Flask, user: object, **extra: object) -> None:
        session.pop("signed_in_at", None)

    @app.before_request
    def _end_old_sessions() -> None:
        signed_in_at = session.get("signed_in_at")
        limit = app.config["SESSION_ABSOLUTE_HOURS"] * 3600
        if isinstance(signed_in_at, int) and time.time() - signed_in_at > limit:
            logout_user()
