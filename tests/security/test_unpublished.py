"""Nothing unpublished reaches a public address: not a draft, not a submission waiting for
review, not the revision being drafted of a published entry; not by its own address, not in
a listing, a search, a feed, the API or any download, whoever asks.
"""

from __future__ import annotations

import io
import zipfile

import pytest

from register.opendata import package

from ..manage_world import WORLD
from .guarded_world import SECRET, built
from .test_permissions import OPEN_DATA, PUBLIC, ROUTES

world = WORLD


@pytest.fixture
def guarded(world):
    return built(world)


def _client(guarded, who: str | None):
    return guarded.world.client(who)


PUBLIC_WITH_REFERENCE = sorted(
    endpoint
    for endpoint, route in ROUTES.items()
    if route.access in (PUBLIC, OPEN_DATA) and "{published}" in route.example
)


@pytest.mark.parametrize("state", ["draft", "in_review", "revised"])
def test_a_public_address_finds_only_what_was_published(guarded, state):
    """A draft or a submission is not found at any public address, even by its own
    organisation's people; an entry being revised shows its published version only."""
    found = []
    for endpoint in PUBLIC_WITH_REFERENCE:
        url = guarded.url(ROUTES[endpoint].example.replace("{published}", "{" + state + "}"))
        method = "POST" if endpoint == "feedback.useful" else "GET"
        for who in (None, "editor", "admin"):
            response = _client(guarded, who).client.open(url, method=method)
            if state != "revised" and response.status_code != 404:
                found.append(f"{who}: {method} {url}: {response.status_code}")
            if SECRET in response.get_data():
                found.append(f"{who}: {method} {url}: shows the unpublished title")
    assert not found, "\n".join(found)


OPEN_LISTS = [
    "/entries?q=unannounced",
    "/entries?q=awaiting",
    "/entries?q=unpublished+revision",
    "/entries",
    "/entries.csv",
    "/entries.json",
    "/entries.atom",
    "/organisations/{slug}",
    "/organisations/{slug}.atom",
    "/api/v1/entries",
    "/api/v1/entries?q=unannounced",
    "/api/v1/entries?q=awaiting",
    "/sitemaps/entries-1.xml",
    "/stats.json",
    *[f"/download/{table.name}.csv" for table in package.tables()],
]


def test_no_list_or_download_shows_a_draft_a_submission_or_an_unpublished_revision(guarded):
    for template in OPEN_LISTS:
        url = guarded.url(template)
        for who in (None, "publisher"):
            response = _client(guarded, who).client.get(url)
            assert response.status_code == 200, f"{url}: {response.status_code}"
            assert SECRET not in response.get_data(), url


def test_the_whole_register_download_holds_nothing_unpublished(guarded):
    response = _client(guarded, None).client.get("/download/register.zip")
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as package:
        for name in package.namelist():
            assert SECRET not in package.read(name), name
