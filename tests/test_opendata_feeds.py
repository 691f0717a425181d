"""Atom feeds of new and updated entries, and the sitemap: valid XML a reader can follow."""

from __future__ import annotations

from defusedxml import ElementTree

from .manage_world import WORLD
from .opendata_world import AWKWARD_TITLE, publish_awkward
from .public_entries import revise, withdraw

world = WORLD

ATOM = "{http://www.w3.org/2005/Atom}"
TOMBSTONE = "{http://purl.org/atompub/tombstones/1.0}"
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


def test_a_withdrawn_entry_leaves_a_tombstone_naming_the_item_readers_hold(world):
    kept = world.entry("published")
    gone = world.entry("published")
    revise(world, gone, {"team": "Roads"}, note="New team.")
    elsewhere = world.entry("published", organisation="Southvale Police", author="outside_editor")
    withdraw(world, gone, "Published in error.")
    withdraw(world, elsewhere, "Duplicate of another entry.")

    feed = atom(world, "/entries.atom")
    tombstones = feed.findall(f"{TOMBSTONE}deleted-entry")
    refs = [tombstone.get("ref") for tombstone in tombstones]
    # Newest withdrawal first; each names the id the feed gave the entry's last version.
    assert refs == [
        f"http://localhost/entries/{elsewhere}/versions/1",
        f"http://localhost/entries/{gone}/versions/2",
    ]
    assert tombstones[1].get("when").endswith("Z")
    assert "Published in error." in tombstones[1].findtext(f"{TOMBSTONE}comment")
    assert tombstones[1].find(f"{ATOM}link").get("href") == f"http://localhost/entries/{gone}"
    assert [e.findtext(f"{ATOM}id") for e in feed.findall(f"{ATOM}entry")] == [
        f"http://localhost/entries/{kept}/versions/1"
    ]
    assert feed.findtext(f"{ATOM}updated") == tombstones[0].get("when")

    # An organisation's feed has its own withdrawals only.
    own = atom(world, "/organisations/northshire-county-council.atom")
    assert [t.get("ref") for t in own.findall(f"{TOMBSTONE}deleted-entry")] == refs[1:]
    # A search's feed cannot tell which withdrawn entries it would have held.
    searched = atom(world, "/entries.atom?status=in_use")
    assert searched.findall(f"{TOMBSTONE}deleted-entry") == []


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
    assert "http://localhost/organisations" in urls
    assert "http://localhost/organisations/northshire-county-council" in urls


def test_a_sitemap_file_the_index_does_not_list_is_not_found(world):
    world.entry("published")
    client = world.client(None).client
    index = ElementTree.fromstring(client.get("/sitemap.xml").data)
    listed = {loc.text.removeprefix("http://localhost") for loc in index.iter(f"{SITEMAP}loc")}
    assert "/sitemaps/entries-1.xml" in listed
    assert "/sitemaps/entries-2.xml" not in listed
    assert client.get("/sitemaps/entries-2.xml").status_code == 404
    assert client.get("/sitemaps/entries-999.xml").status_code == 404


def test_robots_txt_points_crawlers_to_the_sitemap_and_away_from_signed_in_pages(world):
    response = world.client(None).client.get("/robots.txt")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    lines = response.text.splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /manage" in lines and "Disallow: /admin" in lines
    assert "Sitemap: http://localhost/sitemap.xml" in lines
    assert "Disallow: /entries" not in lines
