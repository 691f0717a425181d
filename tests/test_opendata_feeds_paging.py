"""Paged feeds (RFC 5005): a reader follows `next` back through every publication and
withdrawal, and `previous` forward again, without repeats or gaps, even while entries are
published; `since` narrows a feed to what changed from a moment."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from defusedxml import ElementTree
from sqlalchemy import update

from register.extensions import db
from register.models import Entry, EntryVersion
from register.opendata import feeds

from .manage_world import WORLD
from .public_entries import revise, withdraw

world = WORLD

ATOM = "{http://www.w3.org/2005/Atom}"
TOMBSTONE = "{http://purl.org/atompub/tombstones/1.0}"
MOMENT = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)


@pytest.fixture
def short_pages(monkeypatch):
    monkeypatch.setattr(feeds, "FEED_LENGTH", 2)


def published_at(world, reference: str, moment: datetime) -> None:
    """Say the entry's versions were published at `moment` (and withdrawn then, if it was)."""
    with world.app.app_context():
        entry = world.load(reference)
        db.session.execute(
            update(EntryVersion)
            .where(EntryVersion.entry_id == entry.id, EntryVersion.number.is_not(None))
            .values(published_at=moment)
        )
        if entry.withdrawn_at is not None:
            db.session.execute(
                update(Entry).where(Entry.id == entry.id).values(withdrawn_at=moment)
            )
        db.session.commit()


def fetch(world, address: str):
    """The feed at `address` (absolute or a path), parsed."""
    response = world.client(None).client.get(address.removeprefix("http://localhost"))
    assert response.status_code == 200, response.data
    assert response.mimetype == "application/atom+xml"
    return ElementTree.fromstring(response.data)


def link(feed, relation: str) -> str | None:
    found = feed.find(f"{ATOM}link[@rel='{relation}']")
    return None if found is None else found.get("href")


def events(feed) -> list[str]:
    """The ids of the page's items, then the refs of its tombstones (marked "gone:")."""
    ids = [entry.findtext(f"{ATOM}id") for entry in feed.findall(f"{ATOM}entry")]
    gone = [f"gone:{t.get('ref')}" for t in feed.findall(f"{TOMBSTONE}deleted-entry")]
    return ids + gone


def walk(world, address: str, relation: str = "next") -> list[list[str]]:
    """The events of each page from `address` on, following `relation` links to the end."""
    pages = []
    while address is not None:
        feed = fetch(world, address)
        pages.append(events(feed))
        address = link(feed, relation)
        assert len(pages) < 20, "the walk never ends"
    return pages


def item(reference: str, version: int = 1) -> str:
    return f"http://localhost/entries/{reference}/versions/{version}"


def test_a_reader_walks_every_page_back_and_forward_again(world, short_pages):
    references = [world.entry("published") for _ in range(4)]
    gone = world.entry("published")
    withdraw(world, gone, "Published in error.")
    # Three events in one moment: the order within it still holds across pages.
    for reference in (references[1], references[2], gone):
        published_at(world, reference, MOMENT)
    published_at(world, references[0], datetime(2024, 1, 1, tzinfo=UTC))

    first = fetch(world, "/entries.atom")
    assert link(first, "previous") is None
    assert link(first, "first") == "http://localhost/entries.atom"
    pages = walk(world, "/entries.atom")
    assert pages == [
        [item(references[3]), item(references[2])],
        [item(references[1]), f"gone:{item(gone)}"],
        [item(references[0])],
    ]
    # Every page is a page of the same feed, with the same id.
    last_address = "/entries.atom"
    for _ in pages[1:]:
        last_address = link(fetch(world, last_address), "next")
    last = fetch(world, last_address)
    assert last.findtext(f"{ATOM}id") == "http://localhost/entries.atom"
    assert link(last, "next") is None
    assert walk(world, last_address, "previous") == list(reversed(pages))


def test_a_walk_while_entries_are_published_neither_repeats_nor_misses(world, short_pages):
    references = [world.entry("published") for _ in range(5)]
    feed = fetch(world, "/entries.atom")
    seen = events(feed)
    world.entry("published")
    revise(world, references[4], {"team": "Roads"}, note="New team.")
    seen += [event for page in walk(world, link(feed, "next")) for event in page]
    # The revision and the new entry are newer than the walk: the first page has them.
    assert seen == [item(reference) for reference in reversed(references)]


def test_each_organisations_feed_pages_through_its_own_withdrawals(world, short_pages):
    kept = world.entry("published")
    gone = [world.entry("published") for _ in range(2)]
    for reference in gone:
        withdraw(world, reference, "Published in error.")
    world.entry("published", organisation="Southvale Police", author="outside_editor")
    pages = walk(world, "/organisations/northshire-county-council.atom")
    assert pages == [
        [f"gone:{item(gone[1])}", f"gone:{item(gone[0])}"],
        [item(kept)],
    ]


@pytest.mark.parametrize(
    "address",
    [
        "/entries.atom?cursor=2",
        "/entries.atom?cursor=o1740821400000000.x1",
        "/entries.atom?status=in_use&cursor=o999999999999999999.p1",
        "/organisations/northshire-county-council.atom?cursor=",
    ],
)
def test_a_cursor_the_feed_did_not_give_is_refused(world, address):
    response = world.client(None).client.get(address)
    assert response.status_code == 400
    assert response.json["error"]["status"] == 400
    assert response.json["error"]["parameter"] == "cursor"
    assert response.json["error"]["message"].endswith(
        "follow the feed's own links from its first page"
    )


def test_since_keeps_what_changed_from_that_moment_and_the_withdrawals_after_it(world):
    old = world.entry("published")
    published_at(world, old, datetime(2024, 1, 1, tzinfo=UTC))
    old_gone = world.entry("published")
    withdraw(world, old_gone, "Published in error.")
    published_at(world, old_gone, datetime(2024, 1, 1, tzinfo=UTC))
    new = world.entry("published")
    new_gone = world.entry("published")
    withdraw(world, new_gone, "Duplicate.")
    expected = [item(new), f"gone:{item(new_gone)}"]

    since = fetch(world, "/entries.atom?since=2025-01-01")
    assert events(since) == expected
    # The listing of the same search, by the listing's name for the moment.
    assert link(since, "alternate").endswith("/entries?changed_since=2025-01-01T00%3A00%3A00Z")
    assert events(fetch(world, "/entries.atom?changed_since=2025-01-01T00:00:00Z")) == expected
    organisation = "/organisations/northshire-county-council.atom"
    assert events(fetch(world, f"{organisation}?since=2025-01-01")) == expected
    assert events(fetch(world, organisation)) == [
        item(new),
        item(old),
        f"gone:{item(new_gone)}",
        f"gone:{item(old_gone)}",
    ]
    assert link(fetch(world, f"{organisation}?since=2025-01-01"), "first").endswith(
        f"{organisation}?since=2025-01-01"
    )


@pytest.mark.parametrize(
    ("address", "parameter"),
    [
        ("/entries.atom?since=yesterday", "since"),
        ("/organisations/northshire-county-council.atom?since=2025-13-01", "since"),
        ("/organisations/northshire-county-council.atom?changed_since=soon", "changed_since"),
        ("/entries.atom?since=2025-01-01&changed_since=2025-01-01", "since"),
    ],
)
def test_a_moment_the_feed_cannot_read_is_refused(world, address, parameter):
    response = world.client(None).client.get(address)
    assert response.status_code == 400
    assert response.json["error"]["parameter"] == parameter
