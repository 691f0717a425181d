"""Validators on an entry's public pages: a browser whose copy is current is answered 304,
with the script nonce its copy carries; any change the page shows (an organisation renamed,
say) gives a new ETag and Last-Modified; pages made for a signed-in person stay out of caches."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime

import pytest
from sqlalchemy import update

from register.extensions import db
from register.models import Entry, EntryVersion

from .conftest import check_page
from .manage_world import WORLD
from .public_entries import revise
from .test_opendata_renames import NEW, OLD, rename

world = WORLD

LONG_AGO = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
# Thirteen minutes into an hour, so a minute later is the same hour.
MOMENT = 1_700_000_000


def published_long_ago(world, reference: str) -> None:
    """Date every change to the entry long ago, so a change now moves Last-Modified."""
    with world.app.app_context():
        entry_id = world.load(reference).id
        db.session.execute(
            update(Entry)
            .where(Entry.id == entry_id)
            .values(first_published_at=LONG_AGO, last_published_at=LONG_AGO, updated_at=LONG_AGO)
        )
        db.session.execute(
            update(EntryVersion)
            .where(EntryVersion.entry_id == entry_id)
            .values(published_at=LONG_AGO)
        )
        db.session.commit()


def nonce(response) -> str:
    return re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)


def test_a_browser_with_a_current_copy_is_told_so_with_its_copys_nonce(world, monkeypatch):
    reference = world.entry("published")
    client = world.client(None).client
    monkeypatch.setattr(time, "time", lambda: MOMENT)
    first = client.get(f"/entries/{reference}")
    assert first.status_code == 200
    assert first.headers["Cache-Control"] == "no-cache"
    assert "Cookie" in first.headers["Vary"]
    assert first.last_modified is not None
    etag, _ = first.get_etag()

    # A minute later nothing has changed: the browser's copy is current.
    monkeypatch.setattr(time, "time", lambda: MOMENT + 60)
    again = client.get(f"/entries/{reference}", headers={"If-None-Match": f'"{etag}"'})
    assert again.status_code == 304
    assert again.data == b""
    assert again.get_etag()[0] == etag
    # The policy that comes with the 304 lets the scripts of the copy run.
    assert nonce(again) == nonce(first)
    assert nonce(first) in first.text

    since = {"If-Modified-Since": first.headers["Last-Modified"]}
    assert client.get(f"/entries/{reference}", headers=since).status_code == 304


def test_a_nonce_the_register_did_not_issue_is_not_given_back(world):
    reference = world.entry("published")
    client = world.client(None).client
    etag, _ = client.get(f"/entries/{reference}").get_etag()
    digest, issued, signature = etag.split(".")
    for forged in (f"{digest}.attacker1.{signature}", f"{digest}.{issued}.0000", digest):
        response = client.get(f"/entries/{reference}", headers={"If-None-Match": f'"{forged}"'})
        assert response.status_code == 200
        assert "attacker1" not in response.headers["Content-Security-Policy"]


def test_renaming_the_organisation_moves_the_validators_and_an_old_copy_gets_the_new_name(world):
    reference = world.entry("published")
    published_long_ago(world, reference)
    client = world.client(None).client
    before = client.get(f"/entries/{reference}")
    assert OLD in before.text
    etag, _ = before.get_etag()
    assert before.last_modified == LONG_AGO

    rename(world)
    after = client.get(f"/entries/{reference}", headers={"If-None-Match": f'"{etag}"'})
    assert after.status_code == 200
    assert NEW in check_page(after).select_one("#entry-details").get_text()
    assert after.get_etag()[0].split(".")[0] != etag.split(".")[0]
    assert after.last_modified > LONG_AGO
    since = {"If-Modified-Since": before.headers["Last-Modified"]}
    assert client.get(f"/entries/{reference}", headers=since).status_code == 200


@pytest.mark.parametrize(
    "page", ["/entries/{}/versions", "/entries/{}/versions/1", "/entries/{}/versions/2/changes"]
)
def test_the_history_pages_have_validators_too(world, page):
    reference = world.entry("published")
    revise(world, reference, {"team": "Roads"}, note="New team.")
    client = world.client(None).client
    address = page.format(reference)
    etag, _ = client.get(address).get_etag()
    assert client.get(address, headers={"If-None-Match": f'"{etag}"'}).status_code == 304
    # Each page names the entry by its newest title.
    revise(world, reference, {"title": "Pothole triage, second edition"}, note="Renamed.")
    again = client.get(address, headers={"If-None-Match": f'"{etag}"'})
    assert again.status_code == 200
    assert "Pothole triage, second edition" in again.text


def test_a_page_made_for_a_signed_in_person_is_kept_out_of_caches(world):
    reference = world.entry("published")
    visitor = world.client(None).client.get(f"/entries/{reference}")
    person = world.client("editor").client.get(f"/entries/{reference}")
    assert "Use this entry as a start" in person.text
    assert "Use this entry as a start" not in visitor.text
    assert person.headers["Cache-Control"] == "no-store"
    assert "Cookie" in person.headers["Vary"] and "Cookie" in visitor.headers["Vary"]
    # Different bytes, different validators.
    assert person.get_etag()[0].split(".")[0] != visitor.get_etag()[0].split(".")[0]
