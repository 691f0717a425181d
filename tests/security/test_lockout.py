"""Guessing passwords is slowed down without letting anyone lock the owner out.

Failures are counted per address from one client address, and per client across every
address it tries; none is counted for the address alone. So a guesser is refused, even with
the right password, while the owner signing in from anywhere else gets in. Each client here
is a browser of its own with its own network address.
"""

from __future__ import annotations

import pytest
from flask import Flask

from register.config import config_for

from ..conftest import TEST_PASSWORD, ClientRequest

OWNER = "editor@ns.example"
GUESSER = "203.0.113.66"
OWNER_AT_WORK = "198.51.100.7"


@pytest.fixture
def owner(make_organisation, make_user):
    organisation = make_organisation()
    return make_user(OWNER, organisation=organisation.slug, role="editor")


def _browser(app: Flask, address: str) -> ClientRequest:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return ClientRequest(client)


def _sign_in(browser: ClientRequest, email: str, password: str) -> int:
    token = browser.csrf_token("/sign-in")
    data = {"csrf_token": token, "email": email, "password": password}
    return browser.client.post("/sign-in", data=data).status_code


def test_many_wrong_passwords_from_one_client_do_not_lock_the_owner_out(app, owner):
    guesser = _browser(app, GUESSER)
    answers = [_sign_in(guesser, OWNER, f"guess number {n}") for n in range(20)]
    assert answers[:5] == [200] * 5
    assert set(answers[5:]) == {429}

    owner_browser = _browser(app, OWNER_AT_WORK)
    response = owner_browser.post("/sign-in", {"email": OWNER, "password": TEST_PASSWORD}, 302)
    assert response.headers["Location"] == "/manage"


def test_the_guessing_client_is_refused_even_with_the_right_password(app, owner):
    guesser = _browser(app, GUESSER)
    for n in range(5):
        assert _sign_in(guesser, OWNER, f"guess number {n}") == 200
    response = guesser.post("/sign-in", {"email": OWNER, "password": TEST_PASSWORD}, 429)
    assert int(response.headers["Retry-After"]) > 0
    # The same client may still try another address, which it has not failed on.
    assert _sign_in(guesser, "someone.else@ns.example", "a first guess") == 200


def test_the_refusal_says_plainly_what_to_do(app, owner):
    guesser = _browser(app, GUESSER)
    for n in range(5):
        _sign_in(guesser, OWNER, f"guess number {n}")
    page = guesser.post_page(
        "/sign-in", {"email": OWNER, "password": TEST_PASSWORD}, expected_status=429
    )
    assert page.h1.get_text(strip=True) == "Sorry, there have been too many attempts to sign in"
    text = " ".join(page.select_one("main").get_text().split())
    assert "Wait 15 minutes, then try again" in text
    assert page.find("a", string="reset your password")["href"] == "/forgot-password"


def test_spraying_one_password_over_many_addresses_from_one_client_is_refused(
    app, owner, monkeypatch
):
    # Above the per-client limit on attempts, so only the limit on failures is tested.
    monkeypatch.setitem(app.config, "SIGN_IN_RATE_LIMIT", "100 per minute")
    sprayer = _browser(app, GUESSER)
    for n in range(30):
        assert _sign_in(sprayer, f"person{n}@ns.example", "Summer2025!") == 200
    assert _sign_in(sprayer, "person30@ns.example", "Summer2025!") == 429
    assert _sign_in(sprayer, OWNER, TEST_PASSWORD) == 429
    # Everyone else signs in as usual.
    assert _sign_in(_browser(app, OWNER_AT_WORK), OWNER, TEST_PASSWORD) == 302


def test_signing_in_successfully_is_never_counted_as_a_failure(app, owner):
    browser = _browser(app, OWNER_AT_WORK)
    for _ in range(4):
        assert _sign_in(browser, OWNER, "a wrong password") == 200
        assert _sign_in(browser, OWNER, TEST_PASSWORD) == 302
        browser.client.delete_cookie("session")
    assert _sign_in(browser, OWNER, "a wrong password") == 200


def test_the_failure_limits_are_settings(app, owner, monkeypatch):
    monkeypatch.setitem(app.config, "SIGN_IN_FAILURE_LIMIT", "2 per minute")
    guesser = _browser(app, GUESSER)
    assert [_sign_in(guesser, OWNER, "wrong") for _ in range(3)] == [200, 200, 429]
    monkeypatch.setitem(app.config, "SIGN_IN_CLIENT_FAILURE_LIMIT", "3 per minute")
    sprayer = _browser(app, "203.0.113.99")
    answers = [_sign_in(sprayer, f"person{n}@ns.example", "wrong") for n in range(4)]
    assert answers == [200, 200, 200, 429]


@pytest.mark.parametrize(
    ("setting", "default"),
    [
        ("SIGN_IN_FAILURE_LIMIT", "5 per 15 minutes"),
        ("SIGN_IN_CLIENT_FAILURE_LIMIT", "30 per hour"),
    ],
)
def test_the_failure_limits_are_read_from_the_environment(monkeypatch, setting, default):
    monkeypatch.delenv(setting, raising=False)
    assert getattr(config_for("development"), setting) == default
    monkeypatch.setenv(setting, "7 per hour")
    assert getattr(config_for("development"), setting) == "7 per hour"
