"""`flask register check-links`: every public link checked against a web server on this
machine (never the internet), broken links marked on the dashboard, and publishers told once
per breakage, in one email per organisation."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from register.links import fetch
from register.mail import workflow

from .emails import emptied_outbox
from .factories import publishable_values
from .manage_world import PEOPLE, WORLD

world = WORLD


class Site(BaseHTTPRequestHandler):
    """A small web site: its pages answer as their names say; `seen` keeps each request."""

    seen: list[tuple[str, str, str]] = []
    gone: set[str] = {"/gone"}

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def do_GET(self) -> None:
        self._answer(body=True)

    def _answer(self, body: bool) -> None:
        self.seen.append((self.command, self.path, self.headers.get("User-Agent", "")))
        if self.path == "/moved":
            self._send(301, {"Location": "/ok"})
        elif self.path == "/loop":
            self._send(302, {"Location": "/loop"})
        elif self.path == "/to-private":
            self._send(302, {"Location": "http://10.1.2.3/"})
        elif self.path == "/no-head" and not body:
            self._send(405)
        elif self.path in self.gone:
            self._send(404)
        else:
            self._send(200)

    def _send(self, status: int, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def site(app, monkeypatch) -> Iterator[str]:
    """The site's address, with the register allowed to check links on this machine."""
    monkeypatch.setitem(app.config, "LINK_CHECK_ALLOW_LOOPBACK", True)
    Site.seen = []
    Site.gone = {"/gone"}
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    ("path", "working", "detail"),
    [
        ("/ok", True, "HTTP 200"),
        ("/gone", False, "HTTP 404"),
        ("/moved", True, "HTTP 200"),
        ("/no-head", True, "HTTP 200"),
        ("/loop", False, "too many redirects"),
        ("/to-private", False, "it points to a private or reserved address"),
    ],
)
def test_a_link_is_checked_by_head_then_get_following_a_few_redirects(
    app_context, site, path, working, detail
):
    assert fetch.check(site + path) == fetch.Outcome(working, detail)


def test_the_checker_says_who_it_is_and_asks_by_get_only_when_head_is_refused(app_context, site):
    fetch.check(site + "/no-head")
    assert [(method, path) for method, path, _ in Site.seen] == [
        ("HEAD", "/no-head"),
        ("GET", "/no-head"),
    ]
    assert {agent for *_, agent in Site.seen} == {
        "Public Sector AI Register link checker (+register@example.org)"
    }


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/",  # loopback, outside a test that allows it
        "http://10.0.0.8/admin",  # private
        "http://169.254.169.254/latest/meta-data/",  # link-local (cloud metadata)
        "http://[::1]/",
        "http://[::ffff:192.168.1.1]/",  # a private address written as IPv6
        "http://240.0.0.1/",  # reserved
        "http://localhost/",  # a name that resolves to loopback
    ],
)
def test_links_to_the_registers_own_network_are_refused_without_a_request(app_context, url):
    assert fetch.check(url) == fetch.Outcome(False, "it points to a private or reserved address")


@pytest.mark.parametrize("url", ["ftp://files.example/tool.zip", "https://tool.example:99999/"])
def test_a_link_that_is_not_a_web_address_is_broken(app_context, url):
    assert fetch.check(url) == fetch.Outcome(False, "not a web address")


def _published_with_links(world, site: str, organisation: str = "Northshire County Council"):
    values = publishable_values(source_code_url=f"{site}/gone")
    # Two data sources with the same link: one link to check and keep.
    rows = {
        "data_sources": [
            {"name": "Reports", "link": f"{site}/ok"},
            {"name": "Photographs", "link": f"{site}/ok"},
        ]
    }
    author = "editor" if organisation.startswith("North") else "outside_editor"
    return world.entry(
        "published", values=values, rows=rows, organisation=organisation, author=author
    )


def _check_links(runner) -> str:
    result = runner.invoke(args=["register", "check-links"])
    assert result.exit_code == 0, result.output
    return result.output


def test_publishers_get_one_email_per_organisation_listing_its_new_breakages_once(
    app, world, site, runner
):
    first = _published_with_links(world, site)
    second = _published_with_links(world, site)
    _published_with_links(world, site, "Southvale Police")
    outbox = emptied_outbox(app)

    assert _check_links(runner) == (
        "Checked 2 addresses: 3 links broken, 3 newly. Queued 3 emails to publishers.\n"
    )
    received = {message.to: message for message in outbox}
    assert set(received) == {
        PEOPLE[who][0] for who in ("publisher", "second_publisher", "outside_publisher")
    }
    north = received[PEOPLE["publisher"][0]]
    assert north.subject == "Links that stopped working: Northshire County Council"
    assert f"- {first}, Source code: {site}/gone (HTTP 404)" in north.body
    assert f"- {second}, Source code: {site}/gone (HTTP 404)" in north.body
    assert "/ok" not in north.body
    assert "/manage#broken-links" in north.body

    outbox.clear()
    assert "0 newly. Queued 0 emails" in _check_links(runner)
    assert list(outbox) == []


def test_a_link_that_works_again_and_breaks_again_is_reported_again(app, world, site, runner):
    _published_with_links(world, site)
    _check_links(runner)
    Site.gone = set()
    assert "0 links broken" in _check_links(runner)
    Site.gone = {"/gone"}
    outbox = emptied_outbox(app)
    assert "1 links broken, 1 newly" in _check_links(runner)
    assert len(outbox) == 2  # both of the organisation's publishers


def test_a_publisher_who_turned_broken_link_emails_off_is_not_sent_them(app, world, site, runner):
    with app.app_context():
        workflow.choose(world.user("publisher"), set(workflow.KINDS) - {workflow.BROKEN_LINKS})
    _published_with_links(world, site)
    outbox = emptied_outbox(app)
    _check_links(runner)
    assert [message.to for message in outbox] == [PEOPLE["second_publisher"][0]]


def test_the_dashboard_marks_entries_with_broken_links_for_their_organisation_only(
    app, world, site, runner
):
    reference = _published_with_links(world, site)
    dashboard = world.client("editor").get("/manage")
    assert (
        "No link in a published entry was broken" in dashboard.select_one("#broken-links + p").text
    )
    _check_links(runner)

    section = world.client("editor").get("/manage").select_one("#broken-links + p + *")
    rows = [
        [cell.get_text(" ", strip=True) for cell in row.select("td")]
        for row in section.select("tbody tr")
    ]
    assert len(rows) == 1
    assert rows[0][0] == reference
    assert rows[0][3] == f"Source code: {site}/gone (HTTP 404)"
    outsider = world.client("outside_editor").get("/manage")
    assert (
        "No link in a published entry was broken" in outsider.select_one("#broken-links + p").text
    )
