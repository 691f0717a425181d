"""Reviewing, publishing, sending back, revising, retiring and withdrawing through the web, and
the history of an entry. Each transition allowed, and each refused."""

from __future__ import annotations

from register import publishing, schema
from register.extensions import db

from .manage_world import WORLD, banner, messages

world = WORLD

ENTRY = "/manage/entries/AIR-00001"
REVIEW = f"{ENTRY}/review"
PUBLISH = f"{REVIEW}/publish"
SEND_BACK = f"{REVIEW}/send-back"


def test_a_publisher_reviews_every_answer_and_publishes_version_1(world):
    world.entry("in_review")
    publisher = world.client("publisher")
    page = publisher.get(ENTRY)
    assert page.select_one(f"a[href='{REVIEW}']").get_text(strip=True) == "Review this entry"

    page = publisher.get(REVIEW)
    assert page.h1.get_text(strip=True) == "Review Pothole report triage"
    assert "Submitted for review by editor@ns.example" in page.main.get_text(" ", strip=True)
    assert len(page.select(".govuk-summary-card")) == len(schema.SECTIONS)
    assert page.select(".govuk-summary-list__actions") == []  # nothing to change here

    response = publisher.post(PUBLISH, {"change_note": ""}, 302, form_url=REVIEW)
    assert response.headers["Location"] == ENTRY
    page = publisher.get(ENTRY)
    assert "Version 1 of AIR-00001 is published." in banner(page)
    with world.app.app_context():
        entry = world.load("AIR-00001")
        assert entry.state == "published"
        assert entry.current_version.number == 1
        assert entry.current_version.change_note == "First publication."


def test_an_editor_cannot_review_or_publish(world):
    world.entry("in_review")
    editor = world.client("editor")
    editor.get(REVIEW, 403)
    editor.post(PUBLISH, {}, 403, form_url=ENTRY)
    editor.post(SEND_BACK, {"comment": "No"}, 403, form_url=ENTRY)
    assert world.state("AIR-00001") == "in_review"
    assert editor.get(ENTRY).select(f"a[href='{REVIEW}']") == []


def test_a_publisher_cannot_approve_their_own_submission(world):
    world.entry("in_review", author="publisher")
    publisher = world.client("publisher")
    page = publisher.get(REVIEW)
    assert "You submitted this entry, so another publisher must review it." in page.main.get_text()
    assert page.select_one("#who-else-can-publish").get_text(" ", strip=True) == (
        "Who can publish it: second@ns.example, or a register administrator."
    )

    page = publisher.post_page(PUBLISH, {}, form_url=REVIEW)
    assert messages(page) == [
        "You submitted this entry, so another publisher must review it. "
        "Northshire County Council does not allow publishers to approve their own entries."
    ]
    assert world.state("AIR-00001") == "in_review"

    world.client("second_publisher").post(PUBLISH, {}, 302, form_url=REVIEW)
    assert world.state("AIR-00001") == "published"


def test_an_organisation_can_allow_publishers_to_approve_their_own_entries(world):
    with world.app.app_context():
        world.organisation().allows_self_publishing = True
        db.session.commit()
    world.entry("in_review", author="publisher")
    world.client("publisher").post(PUBLISH, {}, 302, form_url=REVIEW)
    assert world.state("AIR-00001") == "published"


def test_sending_back_needs_a_comment_which_the_editors_then_see(world):
    world.entry("in_review")
    publisher = world.client("publisher")
    page = publisher.post_page(SEND_BACK, {"comment": "  "}, form_url=REVIEW)
    assert messages(page) == ["Enter a comment saying what needs to change"]
    assert page.select_one(".govuk-error-summary__list a")["href"] == "#comment"
    assert world.state("AIR-00001") == "in_review"

    publisher.post(SEND_BACK, {"comment": "Say who checks the rankings."}, 302, form_url=REVIEW)
    assert world.state("AIR-00001") == "draft"
    page = world.client("editor").get(ENTRY)
    assert "Say who checks the rankings." in banner(page)
    assert page.select(".govuk-task-list__link")  # the sections can be changed again


def test_an_entry_that_is_not_waiting_for_review_cannot_be_published_or_sent_back(world):
    world.entry()
    publisher = world.client("publisher")
    response = publisher.client.get(REVIEW)
    assert response.status_code == 302
    assert "not waiting for review" in banner(publisher.get(ENTRY))
    publisher.post(PUBLISH, {}, 302, form_url=ENTRY)
    publisher.post(SEND_BACK, {"comment": "No"}, 302, form_url=ENTRY)
    assert "Only an entry waiting for review can be sent back." in banner(publisher.get(ENTRY))
    assert world.state("AIR-00001") == "draft"


def test_updating_a_published_entry_starts_a_new_version_that_needs_a_change_note(world):
    world.entry("published")
    editor = world.client("editor")
    page = editor.get(ENTRY)
    assert page.select_one("button[name=start_revision]").get_text(strip=True) == (
        "Update this entry"
    )
    editor.post(f"{ENTRY}/revise", {}, 302, form_url=ENTRY)
    page = editor.get(ENTRY)
    assert "You are now editing a new version." in banner(page)
    assert "Version 1 is public." in page.main.get_text()
    with world.app.app_context():
        entry = world.load("AIR-00001")
        assert entry.state == "draft"
        assert entry.current_version.number == 1

    editor.post(f"{ENTRY}/submit", {}, 302, form_url=ENTRY)
    publisher = world.client("publisher")
    page = publisher.post_page(PUBLISH, {"change_note": ""}, form_url=REVIEW)
    assert messages(page) == ["Enter a change note saying what is new in this version"]
    assert world.state("AIR-00001") == "in_review"
    publisher.post(PUBLISH, {"change_note": "Added the team."}, 302, form_url=REVIEW)
    with world.app.app_context():
        assert world.load("AIR-00001").current_version.number == 2


def test_only_a_published_entry_can_be_updated(world):
    world.entry("in_review")
    editor = world.client("editor")
    editor.post(f"{ENTRY}/revise", {}, 302, form_url=ENTRY)
    assert "Only a published entry can be revised." in banner(editor.get(ENTRY))
    assert world.state("AIR-00001") == "in_review"


def test_a_publisher_retires_a_tool_with_a_reason(world):
    world.entry("published")
    publisher = world.client("publisher")
    page = publisher.post_page(f"{ENTRY}/retire", {"retirement_reason": ""})
    assert messages(page) == ["Enter the reason the tool was retired"]
    page = publisher.post_page(
        f"{ENTRY}/retire", {"retirement_reason": "Replaced.", "retired_on": "2025-02-31"}
    )
    assert messages(page) == ["The date it was retired must be a real date"]
    assert page.select_one("#retirement_reason").get_text() == "Replaced."

    answers = {"retirement_reason": "Replaced.", "retired_on": "2025-02"}
    page = publisher.post_page(f"{ENTRY}/retire", answers)  # shows how it will read first
    assert world.state("AIR-00001") == "published"
    assert "It was retired in February 2025." in page.select_one("#public-preview").get_text()
    publisher.post(f"{ENTRY}/retire", {**answers, "retire": "Retire this tool"}, 302)
    assert "The tool is recorded as retired." in banner(publisher.get(ENTRY))
    with world.app.app_context():
        version = world.load("AIR-00001").current_version
        assert (version.number, version.status, version.retired_on) == (2, "retired", "2025-02")


def test_an_editor_cannot_retire_and_a_draft_cannot_be_retired(world):
    world.entry("published")
    world.client("editor").get(f"{ENTRY}/retire", 403)
    world.entry()
    publisher = world.client("publisher")
    response = publisher.client.get("/manage/entries/AIR-00002/retire")
    assert response.status_code == 302
    assert "Only a published entry can be retired." in banner(
        publisher.get("/manage/entries/AIR-00002")
    )


def test_an_administrator_withdraws_an_entry_with_a_public_reason(world):
    world.entry("published")
    world.client("publisher").get(f"{ENTRY}/withdraw", 403)
    admin = world.client("admin")
    assert admin.get(ENTRY).select_one(f"a[href='{ENTRY}/withdraw']")
    page = admin.post_page(f"{ENTRY}/withdraw", {"reason": ""})
    assert messages(page) == [
        "Enter the reason, which will be shown to the public",
        "Confirm that you understand withdrawing cannot be undone",
    ]
    admin.post(f"{ENTRY}/withdraw", {"reason": "Published in error.", "understood": "y"}, 302)
    assert world.state("AIR-00001") == "withdrawn"
    page = admin.get(ENTRY)
    assert "Withdrawn: Published in error." in page.main.get_text()
    assert admin.client.get(f"{ENTRY}/withdraw").status_code == 302  # not twice


def test_publishers_and_administrators_read_the_history_and_editors_cannot(world):
    world.entry("revision")
    world.client("editor").get(f"{ENTRY}/history", 403)
    for who in ("publisher", "admin"):
        page = world.client(who).get(f"{ENTRY}/history")
        rows = [
            [cell.get_text(strip=True) for cell in row.select("td")]
            for row in page.select("tbody tr")
        ]
        assert [row[1:5] for row in rows] == [
            ["editor@ns.example", "Created", "", "Draft"],
            ["editor@ns.example", "Saved answers", "Draft", "Draft"],
            ["editor@ns.example", "Submitted for review", "Draft", "In review"],
            ["publisher@ns.example", "Published", "In review", "Published"],
            ["editor@ns.example", "Started a new version", "Published", "Draft"],
        ]
        assert rows[3][5] == "Version 1"


def what_changed(page) -> dict[str, list[tuple[str, str]]]:
    """The review page's changes, by section: each changed question with what it says now."""
    found: dict[str, list[tuple[str, str]]] = {}
    heading = page.find(id="what-changed")
    for element in heading.find_all_next(["h2", "h3", "h4", "h5", "dl"]):
        if element.name == "h2":
            break  # the next part of the page
        if element.name == "h3":
            section = found.setdefault(element.get_text(strip=True), [])
        elif element.name in ("h4", "h5"):
            section.append((element.get_text(" ", strip=True), ""))
        else:
            section.extend(
                (
                    row.dt.get_text(" ", strip=True),
                    " ".join(row.dd.get_text(" ", strip=True).split()),
                )
                for row in element.select(".govuk-summary-list__row")
            )
    return found


def test_reviewing_a_revision_shows_what_changed_since_the_published_version_first(world):
    world.entry("revision")
    with world.app.app_context():
        entry = world.load("AIR-00001")
        editor = world.user("editor")
        publishing.save_draft(
            entry,
            editor,
            {"title": "Pothole triage", "status": "pilot", "team": "Highways"},
            based_on=entry.draft.lock_version,
            rows={"risks": [{"name": "Missed potholes", "category": "accuracy_reliability"}]},
        )
        publishing.submit(entry, editor)

    page = world.client("publisher").get(REVIEW)
    heading = page.find(id="what-changed")
    assert heading.get_text(strip=True) == "What changed since version 1"
    assert heading.find_previous("h2") is None  # the first thing reviewed
    text = " ".join(heading.find_next("p").get_text(" ", strip=True).split())
    assert "4 answers changed." in text
    assert what_changed(page) == {
        "About the tool": [
            ("Title", "Before: Pothole report triage After: Pothole triage"),
            ("Team", "Before: not provided After: Highways"),
            ("Status", "Before: In use After: Pilot"),
        ],
        "Risks and impact": [
            ("Risks", ""),
            ("Added: Risk 1: Missed potholes", ""),
            ("Name", "Missed potholes"),
            ("Category", "Accuracy and reliability"),
            ("Description", "Not provided"),
            ("Mitigation", "Not provided"),
        ],
    }


def test_reviewing_a_revision_with_no_changes_says_so(world):
    world.entry("revision")
    world.client("editor").post(f"{ENTRY}/submit", {}, 302, form_url=ENTRY)
    page = world.client("publisher").get(REVIEW)
    assert page.find(id="what-changed").get_text(strip=True) == "What changed since version 1"
    assert "No answers changed." in page.find(id="what-changed").find_next("p").get_text()
    assert what_changed(page) == {}


def test_reviewing_a_first_version_says_all_of_it_is_new(world):
    world.entry("in_review")
    page = world.client("publisher").get(REVIEW)
    assert page.find(id="what-changed").get_text(strip=True) == "A new entry"
    assert "has not been published before" in page.find(id="what-changed").find_next("p").text
