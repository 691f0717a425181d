"""Publishing an import through the web: the two-person rule holds, and a second publisher
approves the whole import in one step after reading it, each update's changes shown; then
the public pages say where each entry came from and what its source did not record."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

from sqlalchemy import select

from register import schema
from register.extensions import db
from register.models import Entry, EntryProvenance
from register.models.entry import IN_REVIEW, PUBLISHED
from register.views.entry_display import ImportedFrom, row_cards

from .manage_world import WORLD, banner
from .test_import import us_row
from .test_import_upload import csv_bytes

world = WORLD

UPLOAD = "/manage/import"
SOURCE = "US federal AI use case inventory 2025"


def _import(world, who: str, rows: list[dict[str, str]], filename: str = "inventory.csv") -> str:
    """Upload a US 2025 file for Northshire as `who`, asking to publish, and import it; the
    message after importing."""
    browser = world.client(who)
    with world.app.app_context():
        organisation = world.organisation().id
    response = browser.client.post(
        UPLOAD,
        data={
            "csrf_token": browser.csrf_token(UPLOAD),
            "file": (io.BytesIO(csv_bytes(rows)), filename),
            "format": "us-2025",
            "organisation": str(organisation),
            "publish": "y",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    browser.post(response.headers["Location"], {"import_all": "y"}, 302)
    return banner(browser.get("/manage"))


def _latest_batch(world) -> int:
    with world.app.app_context():
        return db.session.scalar(
            select(EntryProvenance.batch_id).order_by(EntryProvenance.id.desc())
        )


def _states(world) -> list[str]:
    with world.app.app_context():
        return list(db.session.scalars(select(Entry.state).where(Entry.source.is_not(None))))


def _publish_all(world, who: str, batch_id: int):
    """Follow the batch page's "Publish all" to its confirmation, and confirm."""
    browser = world.client(who)
    page = browser.get(f"/manage/imports/{batch_id}/review")
    button = page.select_one("a.govuk-button")
    confirm_url = button["href"]
    confirmation = browser.get(confirm_url)
    listed = [item.get_text(" ", strip=True) for item in confirmation.select("#to-publish li")]
    data = {
        field["name"]: field.get("value", "")
        for field in confirmation.select("main form[method=post] input")
    }
    response = browser.post(confirm_url, data, 302)
    return button.get_text(strip=True), listed, response


def test_one_publishers_import_waits_for_a_second_who_publishes_it_all_at_once(world):
    said = _import(world, "publisher", [us_row(1), us_row(2), us_row(3)])

    assert "submitted for review" in said
    assert _states(world) == [IN_REVIEW] * 3
    batch_id = _latest_batch(world)

    # The publisher who imported it may not publish it themselves.
    own = world.client("publisher").get(f"/manage/imports/{batch_id}/review")
    assert own.select_one("#waiting").get_text(strip=True) == (
        "No entry of this import is waiting for you to review."
    )
    assert len(own.select("#for-someone-else + p + ul li")) == 3
    assert own.select_one("a.govuk-button") is None
    refused = world.client("publisher").post(
        f"/manage/imports/{batch_id}/review/publish", {"entries": "anything"}, 302
    )
    assert refused.headers["Location"].endswith(f"/manage/imports/{batch_id}/review")
    assert _states(world) == [IN_REVIEW] * 3

    # A second publisher reads the list, confirms, and every entry is published.
    button, listed, response = _publish_all(world, "second_publisher", batch_id)

    assert button == "Publish all 3"
    assert [re.sub(r"^AIR-\d+: ", "", line) for line in listed] == [
        "Pavement crack finder 1",
        "Pavement crack finder 2",
        "Pavement crack finder 3",
    ]
    assert response.headers["Location"] == "/manage"
    assert "3 entries are published." in banner(world.client("second_publisher").get("/manage"))
    assert _states(world) == [PUBLISHED] * 3


def test_an_updated_entrys_changes_are_shown_before_the_whole_import_is_published(world):
    _import(world, "publisher", [us_row(1), us_row(2)])
    _publish_all(world, "second_publisher", _latest_batch(world))

    _import(
        world,
        "publisher",
        [us_row(1), us_row(2, benefits="Cracks are found a year sooner.")],
        filename="inventory-2026.csv",
    )
    batch_id = _latest_batch(world)
    page = world.client("second_publisher").get(f"/manage/imports/{batch_id}/review")

    assert page.select_one("#updated").get_text(strip=True) == "Updated entries (1)"
    card = page.select_one("#updated ~ .govuk-summary-card")
    assert "Pavement crack finder 2" in card.select_one("h3").get_text()
    assert [ins.get_text(" ", strip=True) for ins in card.select("ins")] == [
        "added: a year sooner. (end of addition)"
    ]
    assert page.select_one("#created") is None

    _publish_all(world, "second_publisher", batch_id)
    with world.app.app_context():
        entry = db.session.scalar(select(Entry).where(Entry.source_id == "DOT-0002"))
        assert entry.state == PUBLISHED
        assert entry.current_version.change_note == "Updated from inventory-2026.csv."
        assert [p.action for p in entry.provenance] == ["created", "updated"]


def test_nothing_is_published_if_the_list_changed_since_it_was_read(world):
    _import(world, "publisher", [us_row(1)])
    batch_id = _latest_batch(world)
    browser = world.client("second_publisher")
    confirm_url = f"/manage/imports/{batch_id}/review/publish"
    confirmation = browser.get(confirm_url)
    token = confirmation.select_one("input[name=csrf_token]")["value"]

    response = browser.post(confirm_url, {"csrf_token": token, "entries": "0" * 64}, 302)

    assert response.headers["Location"].endswith(f"/manage/imports/{batch_id}/review")
    assert "have changed since you read the list" in banner(browser.get("/manage"))
    assert _states(world) == [IN_REVIEW]


def test_another_organisations_publisher_cannot_see_the_import(world):
    _import(world, "publisher", [us_row(1)])
    batch_id = _latest_batch(world)

    world.client("outside_publisher").get(f"/manage/imports/{batch_id}/review", 404)
    world.client("outside_publisher").get(f"/manage/imports/{batch_id}/review/publish", 404)
    world.client("editor").get(f"/manage/imports/{batch_id}/review", 404)
    world.client("second_publisher").get("/manage/imports/999999/review", 404)


def test_the_review_page_of_one_entry_leads_to_the_whole_import(world):
    _import(world, "publisher", [us_row(1)])
    with world.app.app_context():
        reference = db.session.scalar(select(Entry.reference))

    page = world.client("second_publisher").get(f"/manage/entries/{reference}/review")

    said = page.select_one("#imported")
    assert said.get_text(" ", strip=True).startswith(f"Imported from {SOURCE} on ")
    assert said.select_one("a")["href"] == f"/manage/imports/{_latest_batch(world)}/review"
    # What the inventory does not record is not "missing": the entry can be published.
    assert not page.select(".govuk-tag--red")


# The public entry page -----------------------------------------------------------------


def _public_answers(world, reference: str) -> dict[str, tuple[str, str | None]]:
    """Each question on the public page: the answer's words and where it links, if it does."""
    page = world.client(None).get(f"/entries/{reference}")
    answers = {}
    for row in page.select(".govuk-summary-list__row"):
        value = row.select_one("dd")
        link = value.select_one("a")
        answers[row.select_one("dt").get_text(" ", strip=True)] = (
            value.get_text(" ", strip=True),
            link["href"] if link else None,
        )
    return answers


def test_a_question_the_source_does_not_answer_says_so_on_the_public_page(world):
    _import(world, "publisher", [us_row(1)])
    _publish_all(world, "second_publisher", _latest_batch(world))
    with world.app.app_context():
        entry = db.session.scalar(select(Entry))
        reference, home = entry.reference, entry.provenance[0].batch.source_url

    answers = _public_answers(world, reference)

    # Required and not in the file: not recorded there, linked to the source.
    assert answers["Role in decisions"] == (f"Not recorded in {SOURCE}", home)
    assert answers["Risk level"] == (f"Not recorded in {SOURCE}", home)
    # Answered by the file: as it says.
    assert answers["Benefits"] == ("Cracks are found before they become potholes.", None)
    # Not required and not given: not provided, as on any entry.
    assert answers["Legal basis"] == ("Not provided", None)
    source, link = answers["Source"]
    assert re.fullmatch(rf"Imported from {SOURCE} on \d{{1,2}} \w+ \d{{4}}", source)
    assert link == home


def test_an_entry_written_on_the_register_says_nothing_of_a_source(world):
    reference = world.entry("published")

    answers = _public_answers(world, reference)

    assert "Source" not in answers
    assert not any(text.startswith("Not recorded") for text, _ in answers.values())


def test_questions_not_recorded_count_against_completeness(world):
    _import(world, "publisher", [us_row(1)])
    with world.app.app_context():
        reference = db.session.scalar(select(Entry.reference))

    page = world.client("second_publisher").get(f"/manage/entries/{reference}/check")

    answered, total = map(
        int, re.search(r"(\d+) of (\d+) required", page.get_text(" ", strip=True)).groups()
    )
    assert answered < total


def test_where_publishers_may_approve_their_own_entries_an_import_is_public_at_once(world):
    with world.app.app_context():
        world.organisation().allows_self_publishing = True
        db.session.commit()

    said = _import(world, "publisher", [us_row(1), us_row(2)])

    assert "submitted for review" not in said
    assert _states(world) == [PUBLISHED] * 2


def test_a_row_whose_source_left_a_required_answer_blank_says_it_was_not_recorded():
    """A repeating group's row reads as the entry's own questions do: a required answer the
    source left blank was not recorded there, and an entry written here says not provided."""
    risks = next(group for group in schema.groups() if group.name == "risks")
    row = {"description": "Answers may be wrong for people who write in other languages."}
    source = ImportedFrom(SOURCE, datetime.now(UTC), "https://example.gov/inventory")

    [imported] = row_cards(risks, [row], source)
    [written_here] = row_cards(risks, [row])

    name = next(answer.shown for answer in imported.answers if answer.label == "Name")
    assert (name.blank, name.not_recorded_in, name.source_href) == (
        True,
        SOURCE,
        "https://example.gov/inventory",
    )
    category = next(answer.shown for answer in imported.answers if answer.label == "Category")
    assert category.blank and not category.not_recorded_in  # not required: not provided
    name_here = next(answer.shown for answer in written_here.answers if answer.label == "Name")
    assert name_here.blank and not name_here.not_recorded_in
