"""Paging through /api/v1/entries while the register changes: a walk by cursor meets every
entry public for the whole walk exactly once; and `changed_since`, which every surface
reading a search accepts alike."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from werkzeug.datastructures import MultiDict

from register import accounts, publishing
from register.search import parse_query

from .factories import publishable_values
from .manage_world import WORLD
from .public_entries import revise, withdraw
from .test_api import error_of, get

world = WORLD


def _path(url: str) -> str:
    return url.removeprefix("http://localhost")


def _references(page) -> list[str]:
    return [record["reference"] for record in page["entries"]]


def test_a_walk_by_cursor_meets_each_entry_once_while_entries_are_published_and_changed(world):
    waiting = world.entry("in_review")  # created first, so its place is before the walk's
    first, second, third, fourth, fifth = (world.entry("published") for _ in range(5))
    page = get(world, "/api/v1/entries?page_size=2&cursor=start").json
    assert page["page"] is None and page["count"] == 5
    seen = _references(page)
    assert seen == [first, second]
    # Between page fetches: a new entry, one published from review, two revisions (of an
    # entry already met, which moves it to the top of the newest-first order, and of one
    # still to come), and a withdrawal of one still to come.
    newcomer = world.entry("published")
    with world.app.app_context():
        publishing.publish(world.load(waiting), world.user("publisher"))
    revise(world, first, {"title": "First, revised"})
    revise(world, fourth, {"title": "Fourth, revised"})
    withdraw(world, fifth, "Published in error.")
    while page["links"]["next"]:
        page = get(world, _path(page["links"]["next"])).json
        seen += _references(page)
    assert len(seen) == len(set(seen)), "an entry was shown twice"
    assert {first, second, third, fourth} <= set(seen), "an entry public throughout was missed"
    assert fifth not in seen
    assert newcomer in seen  # published behind the walk's place, so met on the way
    assert waiting not in seen  # its place was already passed


def test_a_page_by_number_offers_a_walk_through_the_same_search(world):
    in_use = [world.entry("published") for _ in range(3)]
    world.entry("published", values=publishable_values(status="pilot"))
    page = get(world, "/api/v1/entries?status=in_use&page_size=2&sort=title").json
    walk = page["links"]["walk"]
    assert "status=in_use" in walk and "cursor=start" in walk and "sort" not in walk
    page = get(world, _path(walk)).json
    seen = _references(page)
    assert page["links"]["prev"] is None
    while page["links"]["next"]:
        assert "status=in_use" in page["links"]["next"]
        page = get(world, _path(page["links"]["next"])).json
        seen += _references(page)
    assert seen == in_use  # in order of reference


def test_a_cursor_the_register_did_not_give_out_is_refused(world):
    for _ in range(3):
        world.entry("published")
    page = get(world, "/api/v1/entries?page_size=1&cursor=start").json
    [cursor] = parse_qs(urlsplit(page["links"]["next"]).query)["cursor"]
    tampered = cursor[:-2] + ("AA" if cursor[-2:] != "AA" else "BB")
    for bad in ("nonsense", "", tampered, "x" * 2000):
        message = error_of(get(world, f"/api/v1/entries?page_size=1&cursor={bad}"), 400, "cursor")
        assert "cursor=start" in message
    other = error_of(get(world, f"/api/v1/entries?status=pilot&cursor={cursor}"), 400, "cursor")
    assert "another search" in other
    assert "leave it out" in error_of(
        get(world, f"/api/v1/entries?cursor={cursor}&page=2"), 400, "page"
    )
    error_of(get(world, "/api/v1/entries?cursor=start&sort=title"), 400, "sort")


@pytest.mark.parametrize(
    ("given", "read_as"),
    [
        ("2025-03-01", "2025-03-01T00:00:00Z"),
        ("2025-03-01T09:30:00", "2025-03-01T09:30:00Z"),
        ("2025-03-01T10:30:00+01:00", "2025-03-01T09:30:00Z"),
        ("2025-03-01T09:30:00.250000Z", "2025-03-01T09:30:00.250000Z"),
    ],
)
def test_changed_since_reads_a_date_or_a_time_in_utc_and_writes_it_back(app, given, read_as):
    with app.app_context():
        query, notices = parse_query(MultiDict([("changed_since", given)]))
        assert notices == []
        assert query.to_params() == [("changed_since", read_as)]
        again, _ = parse_query(MultiDict(query.to_params()))
    assert again == query
    assert not query.finds_everything


@pytest.mark.parametrize(
    "address", ["/api/v1/entries", "/entries.csv", "/entries.json", "/entries.atom"]
)
def test_a_changed_since_that_is_not_a_moment_is_refused_everywhere(world, address):
    message = error_of(get(world, f"{address}?changed_since=last+tuesday"), 400, "changed_since")
    assert "last tuesday" in message


def test_the_listing_says_it_could_not_use_changed_since(world):
    page = world.client(None).get("/entries?changed_since=2025-13-45")
    assert "2025-13-45" in page.get_text()


@pytest.mark.parametrize(
    ("asked", "shown"),
    [
        ("2025-03-01", "Changed since: 1 March 2025"),
        ("2025-03-01T09:30:00Z", "Changed since: 1 March 2025 at 09:30 UTC"),
    ],
)
def test_the_listing_shows_changed_since_as_a_filter_that_can_be_removed(world, asked, shown):
    world.entry("published")
    page = world.client(None).get(f"/entries?q=tool&changed_since={asked}")

    tags = {
        tag.get_text(" ", strip=True): tag["href"] for tag in page.select(".register-chosen__tag")
    }
    assert f"Remove {shown} ×" in tags
    assert "changed_since" not in tags[f"Remove {shown} ×"]
    assert "q=tool" in tags[f"Remove {shown} ×"]
    # A new search from the form keeps it.
    carried = page.select_one("form input[type=hidden][name=changed_since]")
    assert carried is not None and carried["value"].startswith("2025-03-01T")


def test_changed_since_finds_entries_revised_or_whose_organisation_changed_since(world):
    unchanged = world.entry("published")
    revised = world.entry("published")
    renamed = world.entry("published", organisation="Southvale Police", author="outside_editor")
    moment = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    revise(world, revised, {"title": "Second edition"})
    with world.app.app_context():
        organisation = world.organisation("Southvale Police")
        accounts.update_organisation(
            organisation,
            name="Southvale Constabulary",
            type_code=organisation.type,
            website=organisation.website,
            contact_email=organisation.contact_email,
            allows_self_publishing=organisation.allows_self_publishing,
            actor=world.user("admin"),
        )
    client = world.client(None).client
    since = f"changed_since={moment}"
    api = _references(get(world, f"/api/v1/entries?{since}").json)
    assert sorted(api) == sorted([revised, renamed])
    assert unchanged not in api
    as_json = [r["reference"] for r in client.get(f"/entries.json?{since}", buffered=True).json]
    assert as_json == api
    feed = client.get(f"/entries.atom?{since}", buffered=True).get_data(as_text=True)
    assert revised in feed and unchanged not in feed
    walked = _references(get(world, f"/api/v1/entries?{since}&cursor=start").json)
    assert sorted(walked) == sorted(api)
