"""Who may publish through an import: the same two-person rule as the forms and the API.

The outside test found that a publisher whose organisation does not allow self-publishing
could upload a file with "publish" chosen and have its entries public at once, and make a
second published version by importing a changed file. Now what one person asks to publish
through an import is submitted for another publisher's review instead, unless the
organisation allows its publishers to approve their own entries; administrators are held to
the same rule. Only the command line, run by an operator on the server, publishes directly.
"""

from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import select

from register import publishing
from register.extensions import db
from register.models import Entry
from register.models.entry import IN_REVIEW, PUBLISHED

from ..factories import publishable_values
from ..manage_world import WORLD, banner

world = WORLD

UPLOAD = "/manage/import"
RECORD = {**publishable_values(title="Pothole report triage"), "reference": "EXT-00007"}


def _import(world, who: str, record: dict, *, publish: bool = True, confirm: bool = True) -> str:
    """Upload a file with one record for Northshire, as `who`, and import it: what the
    report page's headline and summary said, then the message after importing."""
    browser = world.client(who)
    with world.app.app_context():
        organisation = world.organisation().id
    token = browser.csrf_token(UPLOAD)
    data = {
        "csrf_token": token,
        "file": (io.BytesIO(json.dumps([record]).encode()), "entries.json"),
        "format": "native",
        "organisation": str(organisation),
    }
    if publish:
        data["publish"] = "y"
    response = browser.client.post(UPLOAD, data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    report_url = response.headers["Location"]
    page = browser.get(report_url)
    said = page.select_one("#headline").get_text(" ", strip=True)
    summary = page.select_one(".govuk-summary-list").get_text(" ", strip=True)
    if not confirm:
        return f"{said}\n{summary}"
    browser.post(report_url, {"import_all": "y"}, 302)
    done = banner(browser.get("/manage"))
    return f"{said}\n{summary}\n{done}"


def _entry(world) -> Entry:
    db.session.expire_all()
    return db.session.scalar(select(Entry).where(Entry.source_id == "EXT-00007"))


def _public_titles(world) -> list[str]:
    """The titles of the entry's published versions, oldest first."""
    with world.app.app_context():
        return [version.title for version in _entry(world).published_versions]


def _allow_self_publishing(world) -> None:
    with world.app.app_context():
        world.organisation().allows_self_publishing = True
        db.session.commit()


@pytest.mark.parametrize("who", ["publisher", "admin"])
def test_an_import_asked_to_publish_is_submitted_for_another_publishers_review(world, who):
    said = _import(world, who, RECORD)
    assert "1 entry to create" in said
    assert "submitted for review: another publisher must publish them" in said
    assert "Imported as Submitted for review by another publisher, not published" in said
    assert "1 entry created" in said.splitlines()[-1]
    assert "submitted for review" in said.splitlines()[-1]
    with world.app.app_context():
        entry = _entry(world)
        assert entry.state == IN_REVIEW
        assert entry.published_versions == []
        assert entry.submitted_by_id == world.user(who).id
        reference = entry.reference
    world.client(None).get(f"/entries/{reference}", 404)


def test_the_importer_cannot_then_publish_their_own_import_but_another_publisher_can(world):
    _import(world, "publisher", RECORD)
    with world.app.app_context():
        with pytest.raises(publishing.NotAllowed):
            publishing.publish(_entry(world), world.user("publisher"))
        publishing.publish(_entry(world), world.user("second_publisher"))
    assert _public_titles(world) == ["Pothole report triage"]


def test_importing_a_changed_file_cannot_publish_a_new_version_without_review(world):
    _import(world, "publisher", RECORD)
    with world.app.app_context():
        publishing.publish(_entry(world), world.user("second_publisher"))

    said = _import(world, "publisher", {**RECORD, "title": "Pothole triage, second edition"})
    assert "1 to update" in said
    assert "submitted for review" in said.splitlines()[-1]
    assert _public_titles(world) == ["Pothole report triage"]
    with world.app.app_context():
        entry = _entry(world)
        assert entry.state == IN_REVIEW
        assert entry.current_version.title == "Pothole report triage"
        assert entry.draft.title == "Pothole triage, second edition"


def test_importing_the_same_file_again_leaves_the_submission_waiting_as_it_is(world):
    _import(world, "publisher", RECORD)
    said = _import(world, "publisher", RECORD, confirm=False)
    assert "1 row read: 0 entries to create, 0 to update, 1 unchanged" in said
    with world.app.app_context():
        assert _entry(world).state == IN_REVIEW


def test_where_the_organisation_allows_self_publishing_an_import_publishes(world):
    _allow_self_publishing(world)
    said = _import(world, "publisher", RECORD)
    assert "(as published)" in said
    assert "Imported as Published entries" in said
    assert _public_titles(world) == ["Pothole report triage"]

    _import(world, "publisher", {**RECORD, "title": "Pothole triage, second edition"})
    assert _public_titles(world) == ["Pothole report triage", "Pothole triage, second edition"]
    with world.app.app_context():
        assert _entry(world).state == PUBLISHED


def test_an_import_as_drafts_stays_drafts(world):
    said = _import(world, "publisher", RECORD, publish=False)
    assert "(as drafts)" in said
    with world.app.app_context():
        assert _entry(world).state == "draft"


def test_a_kept_report_that_no_longer_holds_is_shown_again_not_imported(world, app):
    """The report is kept from the upload; if the register changes before the person
    decides, importing does what the register says now, after showing it."""
    browser = world.client("publisher")
    with app.app_context():
        organisation = world.organisation().id
    data = {
        "csrf_token": browser.csrf_token(UPLOAD),
        "file": (io.BytesIO(json.dumps([RECORD]).encode()), "entries.json"),
        "format": "native",
        "organisation": str(organisation),
        "publish": "y",
    }
    report_url = browser.client.post(UPLOAD, data=data, content_type="multipart/form-data").headers[
        "Location"
    ]
    _allow_self_publishing(world)

    page = browser.post_page(report_url, {"import_all": "y"})
    assert "The register has changed since this report was made" in banner(page)
    assert "(as published)" in page.select_one("#headline").get_text(" ", strip=True)
    with app.app_context():
        assert _entry(world) is None
    browser.post(report_url, {"import_all": "y"}, 302)
    assert _public_titles(world) == ["Pothole report triage"]
