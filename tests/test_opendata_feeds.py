"""Atom feeds of new and updated entries, and the sitemap: valid XML a reader can follow."""

from __future__ import annotations

from defusedxml import ElementTree

from .manage_world import WORLD
from .opendata_world import AWKWARD_TITLE, publish_awkward
from .public_entries import revise, withdraw

world = WORLD

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def atom(world, url: str):
    response = world.client(None).client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    feed = ElementTree.fromstring(response.data)
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{required}") is not None
    for entry in feed.findall(f"{ATOM}entry"):
        for required in ("id", "title", "updated", "link", "author"):
            assert entry.find(f"{ATOM}{required}") is not None, required
    return feed


def titles(feed) -> list[str]:
    return [entry.findtext(f"{ATOM}title") for entry in feed.findall(f"{ATOM}entry")]


def test_the_feed_lists_published_entries_newest_first_with_updates_as_new_items(world):
    first = world.entry("published")
    second = publish_awkward(world)
    world.entry("draft")
    withdraw(world, world.entry("published"), "Published in error.")
    revise(world, first, {"title": "Pothole triage, second edition"}, note="Renamed.")
    feed = atom(world, "/entries.atom")
    assert titles(feed) == ["Pothole triage, second edition", AWKWARD_TITLE]
    ids = [entry.findtext(f"{ATOM}id") for entry in feed.findall(f"{ATOM}entry")]
    assert ids[0].endswith(f"/entries/{first}/versions/2")
    assert ids[1].endswith(f"/entries/{second}/versions/1")
    summary = feed.find(f"{ATOM}entry").findtext(f"{ATOM}summary")
    assert summary.startswith("Version 2: Renamed.")


def test_the_feed_takes_the_listings_filters(world):
    world.entry("published")
    world.entry("published", organisation="Southvale Police", author="outside_editor")
    feed = atom(world, "/entries.atom?organisation_type=police")
    assert len(titles(feed)) == 1
    link = feed.find(f"{ATOM}link[@rel='alternate']").get("href")
    assert link.endswith("/entries?organisation_type=police")


def test_each_organisation_has_a_feed(world):
    world.entry("published")
    world.entry("published", organisation="Southvale Police", author="outside_editor")
    feed = atom(world, "/organisations/southvale-police.atom")
    assert len(titles(feed)) == 1
    assert feed.find(f"{ATOM}entry/{ATOM}author/{ATOM}name").text == "Southvale Police"
    assert world.client(None).client.get("/organisations/nobody.atom").status_code == 404


def test_the_sitemap_lists_every_public_entry(world):
    public = world.entry("published")
    draft = world.entry("draft")
    client = world.client(None).client
    index = ElementTree.fromstring(client.get("/sitemap.xml").data)
    files = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    urls = []
    for url in files:
        listed = ElementTree.fromstring(client.get(url.removeprefix("http://localhost")).data)
        urls += [loc.text for loc in listed.iter(f"{SITEMAP}loc")]
    assert f"http://localhost/entries/{public}" in urls
    assert f"http://localhost/entries/{draft}" not in urls
    assert "http://localhost/open-data" in urls
