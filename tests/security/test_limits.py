"""Limits: how often each kind of request may come, and how large and well-formed a body
must be. A request over a limit is refused whole (429 or 413, or 400 when it cannot be
read) and changes nothing; none answers 500.

Each rate limit is a setting read when a request is counted, so these tests lower it for
a moment instead of sending hundreds of requests.
"""

from __future__ import annotations

import io
import logging

import pytest
from limits.storage import storage_from_string
from sqlalchemy import func, select

from register import api_tokens, create_app
from register.config import config_for
from register.extensions import db
from register.models import Invitation

from ..feedback_world import report_form
from ..manage_world import WORLD
from .guarded_world import changed_tables, fingerprint

world = WORLD


def _limited(response) -> None:
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0


# Rate limits --------------------------------------------------------------------------------


def test_sign_in_attempts_are_limited_per_client(world, app, monkeypatch):
    monkeypatch.setitem(app.config, "SIGN_IN_RATE_LIMIT", "2 per minute")
    visitor = world.client(None)
    token = visitor.csrf_token("/sign-in")
    for attempt in range(2):
        data = {"csrf_token": token, "email": f"guess{attempt}@ns.example", "password": "x" * 12}
        assert visitor.client.post("/sign-in", data=data).status_code == 200
    _limited(visitor.client.post("/sign-in", data={"csrf_token": token, "email": "a@b.example"}))


def test_password_reset_requests_are_limited_per_address(world):
    visitor = world.client(None)
    token = visitor.csrf_token("/forgot-password")
    data = {"csrf_token": token, "email": "editor@ns.example"}
    for _ in range(3):
        assert visitor.client.post("/forgot-password", data=data).status_code == 302
    _limited(visitor.client.post("/forgot-password", data=data))


def _invitation_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Invitation))


def test_invitations_are_limited_per_administrator(world, app, monkeypatch):
    monkeypatch.setitem(app.config, "INVITATION_RATE_LIMIT", "2 per minute")
    admin = world.client("admin")
    url = "/admin/organisations/northshire-county-council/people/invite"
    for number in range(2):
        admin.post(url, {"email": f"new{number}@ns.example", "role": "editor"}, 302)
    _limited(admin.post(url, {"email": "new9@ns.example", "role": "editor"}, 429))
    assert _invitation_count(app) == 2


def test_feedback_is_limited_per_client(world, app, monkeypatch):
    monkeypatch.setitem(app.config, "FEEDBACK_RATE_LIMIT", "2 per minute")
    world.entry("published")
    visitor = world.client(None)
    data = {**report_form(visitor, "AIR-00001"), "text": "The contact address bounces."}
    url = "/entries/AIR-00001/report-a-problem"
    for _ in range(2):
        assert visitor.client.post(url, data=data).status_code == 303
    _limited(visitor.client.post(url, data=data))


def test_the_read_api_is_limited_per_client_across_all_its_addresses(world, app, monkeypatch):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "3 per minute")
    client = world.client(None).client
    for url in ("/api/v1", "/api/v1/vocabularies", "/api/v1/organisations"):
        assert client.get(url).status_code == 200
    response = client.get("/api/v1/entries")
    _limited(response)
    assert response.get_json()["error"]["status"] == 429
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_downloads_are_limited_per_client_across_all_of_them(world, app, monkeypatch):
    monkeypatch.setitem(app.config, "DOWNLOAD_RATE_LIMIT", "3 per minute")
    world.entry("published")
    client = world.client(None).client
    for url in ("/entries.csv", "/entries/AIR-00001.json", "/download/datapackage.json"):
        assert client.get(url).status_code == 200
    response = client.get("/download/register.zip")
    _limited(response)
    assert response.get_json()["error"]["status"] == 429


def test_the_default_limits_are_generous_enough_for_people(app):
    """What a person (or a polite script) does in a minute stays well inside each limit."""
    config = config_for("production")
    assert config.API_RATE_LIMIT == "300 per minute"
    assert config.DOWNLOAD_RATE_LIMIT == "60 per minute"
    assert config.INVITATION_RATE_LIMIT == "30 per hour;200 per day"
    assert config.SIGN_IN_RATE_LIMIT == "10 per minute"


@pytest.mark.parametrize(
    "setting",
    [
        "SIGN_IN_RATE_LIMIT",
        "FEEDBACK_RATE_LIMIT",
        "FEEDBACK_ENTRY_RATE_LIMIT",
        "INVITATION_RATE_LIMIT",
        "API_RATE_LIMIT",
        "DOWNLOAD_RATE_LIMIT",
        "RATELIMIT_STORAGE_URI",
    ],
)
def test_each_limit_is_read_from_the_environment(monkeypatch, setting):
    value = "redis://cache.internal:6379/2" if setting.startswith("RATELIMIT") else "7 per hour"
    monkeypatch.setenv(setting, value)
    assert getattr(config_for("production"), setting) == value


def test_rate_limits_are_kept_in_memory_in_development_and_can_be_shared_through_redis():
    assert config_for("development").RATELIMIT_STORAGE_URI == "memory://"
    # Flask-Limiter accepts the Redis address without connecting until it counts.
    assert type(storage_from_string("redis://127.0.0.1:6379")).__name__ == "RedisStorage"


def test_production_warns_when_rate_limits_are_counted_per_process(app, monkeypatch, caplog):
    monkeypatch.setenv("SECRET_KEY", "k7Hq2-vXz9LmN4pR8sT1wY6bC3dF5gJ0aE")
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    monkeypatch.setenv("REGISTER_BASE_URL", "https://register.example")
    with caplog.at_level(logging.WARNING):
        create_app("production")
    assert "RATELIMIT_STORAGE_URI is memory://" in caplog.text


# Request size -------------------------------------------------------------------------------


def test_a_body_over_the_limit_is_refused_before_it_is_read(client):
    """MAX_CONTENT_LENGTH (16 MiB) bounds every body, a plain form's included: Werkzeug
    reads those whole, so per-field limits apply to multipart forms only."""
    too_big = b"x" * (16 * 1024 * 1024 + 1)
    response = client.post(
        "/sign-in", data=too_big, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413


@pytest.mark.parametrize(
    ("name", "body", "content_type"),
    [
        (
            "one field larger than a form may hold",
            b'--b\r\nContent-Disposition: form-data; name="text"\r\n\r\n'
            + b"x" * 600_000
            + b"\r\n--b--\r\n",
            "multipart/form-data; boundary=b",
        ),
        (
            "too many parts",
            b"".join(
                b'--b\r\nContent-Disposition: form-data; name="f%d"\r\n\r\nx\r\n' % n
                for n in range(1100)
            )
            + b"--b--\r\n",
            "multipart/form-data; boundary=b",
        ),
    ],
)
def test_a_form_over_the_limits_is_refused_with_too_large(world, app, name, body, content_type):
    world.entry("published")
    before = fingerprint(app)
    for url in ("/sign-in", "/entries/AIR-00001/report-a-problem"):
        response = world.client(None).client.post(url, data=body, content_type=content_type)
        assert response.status_code == 413, f"{name} to {url}: {response.status_code}"
    assert changed_tables(before, fingerprint(app)) == []


MALFORMED = [
    (
        "a multipart body with the wrong boundary",
        b"--x\r\nnot a part",
        "multipart/form-data; boundary=y",
    ),
    (
        "a multipart body that stops",
        b'--b\r\nContent-Disposition: form-data; name="a"\r\n\r\nx',
        "multipart/form-data; boundary=b",
    ),
    ("multipart without a boundary", b"text=x", "multipart/form-data"),
    (
        "bytes that are not UTF-8",
        b"text=%ff%fe%fd&email=%c3%28",
        "application/x-www-form-urlencoded",
    ),
    ("raw bytes that are not UTF-8", b"text=\xff\xfe\xfd", "application/x-www-form-urlencoded"),
    ("a charset nobody knows", b"text=x", "application/x-www-form-urlencoded; charset=klingon"),
    ("JSON instead of a form", b'{"text": "x"}', "application/json"),
    ("JSON that is not JSON", b'{"text": ', "application/json"),
    (
        "XML",
        b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><x>&e;</x>",
        "application/xml",
    ),
    ("no content type", b"text=x", ""),
    ("a null character", b"text=a%00b", "application/x-www-form-urlencoded"),
]


@pytest.mark.parametrize(("name", "body", "content_type"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_a_malformed_body_is_refused_and_changes_nothing(world, app, name, body, content_type):
    world.entry("published")
    editor = world.client("editor")
    before = fingerprint(app)
    urls = [
        ("editor", "/manage/entries/new"),
        ("editor", "/manage/entries/AIR-00001/revise"),
        (None, "/sign-in"),
        (None, "/entries/AIR-00001/report-a-problem"),
        (None, "/entries/AIR-00001/feedback"),
    ]
    for who, url in urls:
        browser = editor if who else world.client(None)
        response = browser.client.post(url, data=body, content_type=content_type)
        assert response.status_code in (400, 413, 415), f"{url}: {response.status_code}"
    assert changed_tables(before, fingerprint(app)) == []


@pytest.mark.parametrize(
    ("name", "body", "content_type"),
    [m for m in MALFORMED if m[0] != "a null character"],
    ids=[m[0] for m in MALFORMED if m[0] != "a null character"],
)
def test_the_submission_api_refuses_a_malformed_body_as_json(world, app, name, body, content_type):
    if "submissions.create" not in app.view_functions:
        pytest.skip("this register has no submission API")
    with app.app_context():
        _token, secret = api_tokens.create(
            world.organisation(), "Case system", world.user("publisher")
        )
    before = fingerprint(app)
    response = world.client(None).client.post(
        "/api/v1/submissions",
        data=io.BytesIO(body),
        content_type=content_type,
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert 400 <= response.status_code < 500, response.status_code
    assert response.get_json()["error"]["status"] == response.status_code
    # Using a token notes when it was last used; nothing else may change.
    assert changed_tables(before, fingerprint(app)) in ([], ["api_token"])
