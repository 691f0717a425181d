"""An organisation renamed: its published versions keep the name they were published under,
the data package keeps its history of names, and caches learn that the register changed."""

from __future__ import annotations

from datetime import timedelta

from register import accounts
from register.extensions import db

from .manage_world import WORLD
from .opendata_world import csv_rows, fetch
from .public_entries import revise

world = WORLD
OLD, NEW = "Northshire County Council", "Northshire Council"


def rename(world, name: str = NEW, type_code: str | None = None) -> None:
    with world.app.app_context():
        organisation = world.organisation(OLD) or world.organisation(NEW)
        accounts.update_organisation(
            organisation,
            name=name,
            type_code=type_code or organisation.type,
            website=organisation.website,
            contact_email=organisation.contact_email,
            allows_self_publishing=organisation.allows_self_publishing,
            actor=world.user("admin"),
        )
        db.session.commit()


def test_versions_keep_the_name_they_were_published_under(world):
    reference = world.entry("published")
    rename(world)
    revise(world, reference, {"team": "Roads"}, note="New team.")
    client = world.client(None).client

    versions = csv_rows(fetch(client, "/download/versions.csv").data)
    assert [(row["version"], row["organisation"]) for row in versions] == [("1", OLD), ("2", NEW)]
    first = fetch(client, f"/api/v1/entries/{reference}/versions/1").json
    assert first["organisation"]["name"] == OLD
    assert first["organisation"]["slug"] == "northshire-county-council"
    assert fetch(client, f"/api/v1/entries/{reference}").json["organisation"]["name"] == NEW
    # The listing's download, which the database writes itself, says the same.
    [row] = csv_rows(fetch(client, "/entries.csv").data)
    assert row["organisation"] == NEW


def test_the_data_package_keeps_every_name_an_organisation_went_by(world):
    world.entry("published")
    rename(world)
    rename(world, "Northshire Unitary Council")
    names = csv_rows(fetch(world.client(None).client, "/download/organisation_names.csv").data)
    assert [(row["slug"], row["name"]) for row in names] == [
        ("northshire-county-council", OLD),
        ("northshire-county-council", NEW),
        ("northshire-county-council", "Northshire Unitary Council"),
    ]
    assert names[0]["used_until"] == names[1]["used_from"]
    assert names[1]["used_until"] == names[2]["used_from"]
    assert names[2]["used_until"] == ""


def published_a_minute_ago(world, reference: str) -> None:
    """Last-Modified counts in seconds: publish well before the rename, as in life."""
    with world.app.app_context():
        entry = world.load(reference)
        for version in entry.versions:
            version.published_at -= timedelta(minutes=1)
        entry.first_published_at -= timedelta(minutes=1)
        entry.last_published_at -= timedelta(minutes=1)
        db.session.commit()


def test_a_rename_moves_the_validators_of_every_download_it_changes(world):
    reference = world.entry("published")
    published_a_minute_ago(world, reference)
    client = world.client(None).client
    whole = fetch(client, "/entries.csv")
    one = fetch(client, f"/entries/{reference}.json")
    rename(world, type_code="central_government")

    for before, address in ((whole, "/entries.csv"), (one, f"/entries/{reference}.json")):
        after = fetch(client, address)
        assert after.data != before.data, address
        assert after.headers["ETag"] != before.headers["ETag"], address
        assert after.headers["Last-Modified"] != before.headers["Last-Modified"], address
        since = {"If-Modified-Since": before.headers["Last-Modified"]}
        assert fetch(client, address, headers=since).status_code == 200, address
        stale = fetch(client, address, headers={"If-None-Match": before.headers["ETag"]})
        assert stale.status_code == 200, address
