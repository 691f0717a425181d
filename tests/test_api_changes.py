"""The change log at /api/v1/changes: every public event in order of time, a page at a
time by cursor, and only what the public may read."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from register import accounts

from .manage_world import WORLD
from .public_entries import retire, revise, withdraw
from .test_api import error_of, get

world = WORLD


def _path(url: str) -> str:
    return url.removeprefix("http://localhost")


def _events(page) -> list[tuple]:
    return [
        (change["kind"], change["reference"] or change["organisation"], change["version"])
        for change in page["changes"]
    ]


def _rename(world, name: str, new_name: str) -> None:
    with world.app.app_context():
        organisation = world.organisation(name)
        accounts.update_organisation(
            organisation,
            name=new_name,
            type_code=organisation.type,
            website=organisation.website,
            contact_email=organisation.contact_email,
            allows_self_publishing=organisation.allows_self_publishing,
            actor=world.user("admin"),
        )


def test_the_change_log_tells_every_public_event_in_order(world):
    kept = world.entry("published")
    revise(world, kept, {"title": "Second edition"}, note="Renamed the tool.")
    retire(world, kept, "No longer used.")
    gone = world.entry("published")
    withdraw(world, gone, "Published in error.")
    world.entry("in_review")  # never public, never told
    _rename(world, "Northshire County Council", "Northshire Council")
    page = get(world, "/api/v1/changes").json
    assert _events(page) == [
        ("published", kept, 1),
        ("revised", kept, 2),
        ("retired", kept, 3),
        ("withdrawn", gone, 1),  # its publication is no longer public
        ("organisation_renamed", "northshire-county-council", None),
    ]
    revised, withdrawn, renamed = page["changes"][1], page["changes"][3], page["changes"][4]
    assert revised["note"] == "Renamed the tool."
    assert revised["links"]["version"] == f"http://localhost/api/v1/entries/{kept}/versions/2"
    assert withdrawn["note"] == "Published in error."
    assert withdrawn["links"]["version"] is None
    assert (renamed["former_name"], renamed["name"]) == (
        "Northshire County Council",
        "Northshire Council",
    )
    assert renamed["links"]["entry"] is None
    assert renamed["links"]["organisation"].endswith("organisation=northshire-county-council")
    moments = [change["at"] for change in page["changes"]]
    assert moments == sorted(moments) and all(moment.endswith("Z") for moment in moments)
    assert page["links"]["next"] is None


def test_the_change_log_pages_by_cursor_and_resumes_with_what_happened_since(world):
    references = [world.entry("published") for _ in range(3)]
    page = get(world, "/api/v1/changes?page_size=2").json
    told = _events(page)
    while page["links"]["next"]:
        page = get(world, _path(page["links"]["next"])).json
        told += _events(page)
    assert told == [("published", reference, 1) for reference in references]
    resume = page["links"]["resume"]
    assert get(world, _path(resume)).json["changes"] == []
    revise(world, references[0], {"title": "Second edition"})
    assert _events(get(world, _path(resume)).json) == [("revised", references[0], 2)]


def test_since_leaves_out_earlier_events(world):
    earlier = world.entry("published")
    moment = datetime.now(UTC).isoformat()
    later = world.entry("published")
    page = get(world, "/api/v1/changes", query_string={"since": moment}).json
    assert _events(page) == [("published", later, 1)]
    assert earlier not in str(page)
    assert page["since"] is not None
    next_page = get(world, _path(page["links"]["resume"])).json
    assert parse_qs(urlsplit(page["links"]["resume"]).query)["since"]
    assert next_page["changes"] == []


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("since=yesterday", "since"),
        ("since=2025-02-30", "since"),
        ("cursor=made-up", "cursor"),
        ("cursor=", "cursor"),
        ("page_size=0", "page_size"),
        ("page_size=101", "page_size"),
        ("page_size=99999999999999999999", "page_size"),
        ("changed_since=2025-01-01", "changed_since"),
    ],
)
def test_bad_parameters_of_the_change_log_are_refused_naming_the_parameter(world, query, parameter):
    error_of(get(world, f"/api/v1/changes?{query}"), 400, parameter)


def test_a_cursor_of_the_entries_walk_is_not_a_cursor_of_the_change_log(world):
    for _ in range(2):
        world.entry("published")
    walk = get(world, "/api/v1/entries?page_size=1&cursor=start").json
    [cursor] = parse_qs(urlsplit(walk["links"]["next"]).query)["cursor"]
    error_of(get(world, f"/api/v1/changes?cursor={cursor}"), 400, "cursor")


def test_an_event_is_told_only_once_the_delay_has_passed(world):
    """So a bulk publication still being saved, its versions stamped earlier, is not
    passed over by a client that asked meanwhile."""
    reference = world.entry("published")
    world.app.config["CHANGE_LOG_DELAY_SECONDS"] = 3600
    try:
        waiting = get(world, "/api/v1/changes").json
    finally:
        world.app.config["CHANGE_LOG_DELAY_SECONDS"] = 0
    assert waiting["changes"] == []
    assert _events(get(world, _path(waiting["links"]["resume"])).json) == [
        ("published", reference, 1)
    ]
