"""A forged Host header neither takes over an account nor puts another site into links.

The attack seen from outside: a password reset asked for with `Host: evil.example` emailed the
account holder a link to evil.example, whose owner then had the token; feeds, sitemaps, the
API and the open-data page put the forged host into their links too. Production now needs
the register's own address, builds every absolute link from it, and refuses requests that
name any other host, directly or through a proxy's `X-Forwarded-Host`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from register import create_app, mail
from register.addresses import check_base_url

from ..emails import Delivered
from ..manage_world import WORLD

world = WORLD

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "k7Hq2-vXz9LmN4pR8sT1wY6bC3dF5gJ0aE"
OWN = "https://register.example"
EVIL = "evil.example"
# Every public answer that carries absolute links.
LINKED = [
    "/entries.atom",
    "/organisations/northshire-county-council.atom",
    "/sitemap.xml",
    "/sitemaps/pages.xml",
    "/sitemaps/entries-1.xml",
    "/api/v1",
    "/api/v1/entries?page_size=1",
    "/api/v1/entries/AIR-00001/versions",
    "/open-data",
    "/download/datapackage.json",
]


def _production(app, monkeypatch, **settings: str):
    monkeypatch.setenv("SECRET_KEY", STRONG_KEY)
    monkeypatch.setenv("DATABASE_URL", app.config["SQLALCHEMY_DATABASE_URI"])
    monkeypatch.setenv("REGISTER_BASE_URL", OWN)
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    return create_app(
        "production", {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]}
    )


@pytest.fixture
def production(app, monkeypatch):
    return _production(app, monkeypatch)


def _reset_form(client, host: str, **headers: str):
    """The forgot-password form's CSRF token, fetched as `host`, or the refusal."""
    response = client.get("/forgot-password", base_url=f"https://{host}", headers=headers)
    if response.status_code != 200:
        return response, None
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    return response, page.select_one("main form input[name=csrf_token]")["value"]


def _ask_for_reset(client, host: str, token: str, **headers: str):
    return client.post(
        "/forgot-password",
        data={"csrf_token": token, "email": "admin@register.example"},
        base_url=f"https://{host}",
        headers=headers,
    )


def _sent(app_) -> list[mail.Message]:
    return list(Delivered(app_))


def test_a_reset_asked_for_with_a_forged_host_is_refused_and_sends_nothing(world, production):
    client = production.test_client()
    _form, token = _reset_form(client, "register.example")
    response = _ask_for_reset(client, EVIL, token, Host=EVIL)
    assert response.status_code == 400
    assert _sent(production) == []
    # Nor can the attacker fetch the form itself through their host.
    refused, _ = _reset_form(production.test_client(), EVIL)
    assert refused.status_code == 400


def test_the_reset_link_always_names_the_registers_own_address(world, production, monkeypatch):
    # Even through a host the register accepts (an internal name), the link is its own.
    internal = _production(world.app, monkeypatch, REGISTER_EXTRA_HOSTS="internal.example")
    client = internal.test_client()
    _form, token = _reset_form(client, "internal.example")
    assert _ask_for_reset(client, "internal.example", token).status_code == 302
    (message,) = _sent(internal)
    links = re.findall(r"https?://\S+", message.body)
    assert links and all(link.startswith(f"{OWN}/reset-password/") for link in links)


def test_behind_a_proxy_a_forged_forwarded_host_is_refused(world, app, monkeypatch):
    proxied = _production(app, monkeypatch, PROXY_COUNT="1")
    client = proxied.test_client()
    _form, token = _reset_form(client, "register.example", **{"X-Forwarded-Proto": "https"})
    forged = {"X-Forwarded-Host": EVIL, "X-Forwarded-Proto": "https"}
    response = _ask_for_reset(client, "register.example", token, **forged)
    assert response.status_code == 400
    assert _sent(proxied) == []
    for url in LINKED:
        answer = client.get(url, base_url=f"{OWN}", headers=forged)
        assert answer.status_code == 400, url
        assert EVIL not in answer.get_data(as_text=True), url


@pytest.mark.parametrize("url", LINKED)
def test_open_data_asked_for_with_a_forged_host_is_refused(world, production, url):
    world.entry("published")
    response = production.test_client().get(url, base_url=f"https://{EVIL}")
    assert response.status_code == 400
    assert EVIL not in response.get_data(as_text=True)


@pytest.mark.parametrize("url", LINKED)
def test_every_absolute_link_in_open_data_is_on_the_registers_address(world, app, monkeypatch, url):
    world.entry("published")
    internal = _production(app, monkeypatch, REGISTER_EXTRA_HOSTS="internal.example")
    response = internal.test_client().get(url, base_url="http://internal.example")
    assert response.status_code == 200, url
    body = response.get_data(as_text=True)
    links = re.findall(r"https?://[^\s\"'<>]+", body)
    ours = [link for link in links if link.startswith(f"{OWN}/")]
    assert ours, f"{url} has no link to the register"
    assert "internal.example" not in body


@pytest.mark.parametrize("value", [None, "", "register.example", "ftp://register.example"])
def test_production_refuses_to_start_without_its_public_address(monkeypatch, value):
    monkeypatch.setenv("SECRET_KEY", STRONG_KEY)
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    if value is None:
        monkeypatch.delenv("REGISTER_BASE_URL", raising=False)
    else:
        monkeypatch.setenv("REGISTER_BASE_URL", value)
    with pytest.raises(RuntimeError, match="REGISTER_BASE_URL"):
        create_app("production")


@pytest.mark.parametrize(
    "value", ["https://register.example/?next=x", "https://user:pw@register.example"]
)
def test_a_public_address_with_a_query_or_a_user_is_refused(value):
    with pytest.raises(ValueError, match="REGISTER_BASE_URL"):
        check_base_url(value)


def test_a_register_served_under_a_path_links_to_that_path_once(world, app, monkeypatch):
    """Behind a proxy that serves the register at /register (SCRIPT_NAME), links carry the
    path the address names, not that path twice."""
    world.entry("published")
    monkeypatch.setenv("REGISTER_BASE_URL", "https://council.example/register")
    monkeypatch.setenv("SECRET_KEY", STRONG_KEY)
    monkeypatch.setenv("DATABASE_URL", app.config["SQLALCHEMY_DATABASE_URI"])
    served = create_app(
        "production", {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]}
    )
    response = served.test_client().get("/api/v1", base_url="https://council.example/register")
    assert response.get_json()["entries"] == "https://council.example/register/api/v1/entries"


def test_no_code_builds_an_absolute_address_from_the_request():
    """Only register/addresses.py may: through REGISTER_BASE_URL, or in development."""
    forbidden = re.compile(r"_external\s*=\s*True|url_root|host_url|request\.url\b")
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for folder, pattern in (("register", "*.py"), ("templates", "*.html"))
        for path in (ROOT / folder).rglob(pattern)
        if path.name != "addresses.py"
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if forbidden.search(line)
    ]
    assert offenders == []
