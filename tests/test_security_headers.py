"""Every response carries the security headers, and the page's scripts carry its nonce."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest
from flask import request

from register import create_app


@pytest.mark.parametrize("url", ["/", "/sign-in", "/no-such-page"])
def test_every_page_has_a_strict_content_security_policy(client, url):
    response = client.get(url)
    policy = dict(
        part.strip().split(" ", 1)
        for part in response.headers["Content-Security-Policy"].split(";")
    )
    nonce = re.search(r"'nonce-([^']+)'", policy["script-src"]).group(1)
    assert policy["script-src"] == f"'self' 'nonce-{nonce}'"
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    scripts = re.findall(r"<script([^>]*)>", response.get_data(as_text=True))
    assert scripts, "the layout has scripts"
    for attributes in scripts:
        if "application/ld+json" not in attributes:
            assert f'nonce="{nonce}"' in attributes
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "camera=()" in response.headers["Permissions-Policy"]


def test_each_request_gets_a_new_nonce(client):
    first = client.get("/").headers["Content-Security-Policy"]
    second = client.get("/").headers["Content-Security-Policy"]
    assert first != second


def test_hsts_is_sent_over_https_only(client):
    assert "Strict-Transport-Security" not in client.get("/").headers
    secure = client.get("/", base_url="https://register.example")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_the_session_cookie_is_http_only_and_same_site(client_request, make_user):
    make_user("admin@register.example", is_admin=True)
    response = client_request.post(
        "/sign-in",
        {"email": "admin@register.example", "password": "correct horse battery staple"},
        302,
    )
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def _signed_in(client_request, make_user):
    make_user("admin@register.example", is_admin=True)
    client_request.post(
        "/sign-in",
        {"email": "admin@register.example", "password": "correct horse battery staple"},
        302,
    )


def test_a_signed_in_session_ends_after_the_absolute_limit(client_request, make_user):
    _signed_in(client_request, make_user)
    client = client_request.client
    assert client.get("/account/password").status_code == 200
    with client.session_transaction() as session:
        session["signed_in_at"] -= 13 * 3600
    response = client.get("/account/password")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


def test_a_signed_in_session_cookie_expires_when_idle(app, client_request, make_user):
    _signed_in(client_request, make_user)
    response = client_request.client.get("/account/password")
    cookie = response.headers["Set-Cookie"]
    expires = parsedate_to_datetime(re.search(r"Expires=([^;]+)", cookie).group(1))
    # Thirty minutes without a request, as ASVS level 2 asks.
    assert app.config["PERMANENT_SESSION_LIFETIME"].total_seconds() == 1800
    assert timedelta(minutes=29) < expires - datetime.now(UTC) <= timedelta(minutes=30)


@pytest.mark.parametrize("key", ["", "short", "changeme", "a" * 40, "test-secret-key"])
def test_production_refuses_a_missing_or_weak_secret_key(monkeypatch, key):
    monkeypatch.setenv("SECRET_KEY", key)
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production")


def test_production_starts_with_a_strong_secret_key(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "k7Hq2-vXz9LmN4pR8sT1wY6bC3dF5gJ0aE")
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    monkeypatch.setenv("REGISTER_BASE_URL", "https://register.example")
    app = create_app("production")
    assert app.config["SESSION_COOKIE_SECURE"] is True


def _client_as_seen(app_, headers: dict[str, str]) -> dict[str, object]:
    seen: dict[str, object] = {}

    @app_.get("/as-seen")
    def as_seen() -> str:
        seen.update(address=request.remote_addr, secure=request.is_secure)
        return "ok"

    app_.test_client().get("/as-seen", headers=headers)
    return seen


FORWARDED = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}


def test_forwarded_headers_are_ignored_unless_a_proxy_is_configured(app):
    direct = create_app(
        "testing", {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]}
    )
    assert _client_as_seen(direct, FORWARDED) == {"address": "127.0.0.1", "secure": False}


def test_behind_a_proxy_the_client_address_and_scheme_come_from_its_headers(app, monkeypatch):
    monkeypatch.setenv("PROXY_COUNT", "1")
    behind = create_app(
        "testing", {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]}
    )
    assert _client_as_seen(behind, FORWARDED) == {"address": "203.0.113.9", "secure": True}
