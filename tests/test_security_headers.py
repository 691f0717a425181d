"""Every response carries the security headers, and the page's scripts carry its nonce."""

from __future__ import annotations

import re

import pytest


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
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
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
