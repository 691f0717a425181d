"""Drafts: an entry is created when its title is saved (so pressing "Create an entry" twice
leaves nothing behind), a draft that was never published can be deleted after confirming,
and an entry can be copied, the page saying what the copy takes and what it leaves."""

from __future__ import annotations

from sqlalchemy import func, select

from register import drafts, schema
from register.extensions import db
from register.models import AuditEvent, Entry

from .factories import publishable_values
from .manage_world import WORLD, banner, messages

world = WORLD

NEW = "/manage/entries/new"
ENTRY = "/manage/entries/AIR-00001"


def entry_count(world) -> int:
    with world.app.app_context():
        return db.session.scalar(select(func.count()).select_from(Entry))


# Creating an entry on its first save --------------------------------------------------------


def test_opening_the_new_entry_page_again_and_again_creates_nothing(world):
    editor = world.client("editor")
    for _ in range(3):
        page = editor.get(NEW)
    assert page.select_one("label[for=title]").get_text(strip=True) == "What is the tool called?"
    assert entry_count(world) == 0


def test_pressing_save_twice_creates_one_entry(world):
    editor = world.client("editor")
    answers = {"organisation": "1", "title": "Pothole triage"}
    first = editor.post(NEW, answers, 302, form_url=NEW)
    second = editor.post(NEW, answers, 302, form_url=NEW)
    assert first.headers["Location"] == second.headers["Location"] == ENTRY
    assert entry_count(world) == 1
    # Another title is another entry.
    editor.post(NEW, {**answers, "title": "Bin collection routes"}, 302, form_url=NEW)
    assert entry_count(world) == 2


def test_a_title_is_needed_and_too_long_a_one_is_refused(world):
    editor = world.client("editor")
    page = editor.post_page(NEW, {"organisation": "1", "title": "  "})
    assert messages(page) == ["Enter the tool’s title"]
    assert page.select_one("#title-error")
    page = editor.post_page(NEW, {"organisation": "1", "title": "x" * 121})
    assert len(messages(page)) == 1 and "120" in messages(page)[0]
    assert entry_count(world) == 0


# Deleting a draft ----------------------------------------------------------------------------


def test_an_editor_deletes_a_draft_that_was_never_published_after_confirming(world):
    world.entry()
    editor = world.client("editor")
    task_list = editor.get(ENTRY)
    link = task_list.find("a", string="Delete this draft")
    assert link["href"] == f"{ENTRY}/delete"

    page = editor.get(f"{ENTRY}/delete")
    assert page.h1.get_text(strip=True) == "Are you sure you want to delete this draft?"
    assert "You cannot undo this." in page.select_one(".govuk-warning-text").get_text()
    assert entry_count(world) == 1  # asking deletes nothing

    response = editor.post(f"{ENTRY}/delete", {}, 302, form_url=f"{ENTRY}/delete")
    assert response.headers["Location"] == "/manage"
    assert "The draft “Chatbot” (AIR-00001) has been deleted." in banner(editor.get("/manage"))
    assert entry_count(world) == 0
    editor.get(ENTRY, 404)
    with world.app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "draft_deleted"))
        assert (event.actor.email, event.detail) == ("editor@ns.example", "AIR-00001 Chatbot")
    # Its reference is never handed out again.
    assert world.entry() == "AIR-00002"


def test_a_published_entrys_draft_and_a_submitted_entry_cannot_be_deleted(world):
    world.entry("revision")
    world.entry("in_review")
    editor = world.client("editor")
    for reference in ("AIR-00001", "AIR-00002"):
        url = f"/manage/entries/{reference}"
        assert editor.get(url).find("a", string="Delete this draft") is None
        response = editor.post(f"{url}/delete", {}, 302, form_url=url)
        assert response.headers["Location"] == url
        assert "Only a draft that has never been published can be deleted." in banner(
            editor.get(url)
        )
    assert entry_count(world) == 2


def test_nobody_outside_the_organisation_can_delete_a_draft(world):
    world.entry()
    world.client("outside_publisher").get(f"{ENTRY}/delete", 404)
    world.client("outside_publisher").post(f"{ENTRY}/delete", {}, 404, form_url="/manage")
    assert entry_count(world) == 1


# Copying an entry -----------------------------------------------------------------------------


COPIED = publishable_values(
    team="Highways",
    started_on="2023",
    web_page="https://ns.example/potholes",
    senior_responsible_owner="Director of Highways",
    purpose_cy="Blaenoriaethu adroddiadau am dyllau yn y ffordd.",
    retirement_reason="Replaced by a new system.",
    retirement_reason_cy="Daeth system newydd yn ei le.",
)
ROWS = {
    "risks": [
        {
            "name": "Bias",
            "category": "bias_discrimination",
            "mitigation": "Checked.",
            "mitigation_cy": "Wedi'i wirio.",
        }
    ],
    "impact_assessments": [
        {"kind": "data_protection", "title": "DPIA", "date": "2024-05", "summary": "Done."}
    ],
}


def test_the_copy_page_lists_what_is_copied_and_what_is_not(world):
    world.entry("published", values=COPIED, rows=ROWS)
    page = world.client("outside_editor").get(f"{ENTRY}/copy")
    assert page.h1.get_text(strip=True) == "Copy Pothole report triage"
    copied = {
        row.dt.get_text(strip=True): [li.get_text(strip=True) for li in row.select("li")]
        for row in page.select(".govuk-summary-list__row")
    }
    assert copied["Purpose and use"][:2] == ["Purpose", "Benefits"]
    assert "Impact assessments (without their date)" in copied["Risks and impact"]
    assert "Public contact email" not in copied["About the tool"]
    not_copied = [li.get_text(strip=True) for li in page.select("#not-copied-list li")]
    assert not_copied == [
        "Organisation",
        "Team",
        "Status",
        "Work started",
        "In use from",
        "Retired on",
        "Reason for retirement",
        "Public contact email",
        "Postal address",
        "Web page",
        "Senior responsible owner",
        "EU database registration number",
        "Impact assessment dates",
        "Its reviews and review dates",
        "Its history: earlier versions, change notes and who did what",
        "Where it was imported from",
        "Feedback from the public",
    ]
    assert page.select_one("#title")["value"] == "Pothole report triage"


def test_every_question_is_either_copied_or_said_not_to_be(world):
    copied = {answer for part in drafts.what_is_copied() for answer in part.answers}
    not_copied = set(drafts.what_is_not_copied())
    for field in schema.all_fields():
        if field.welsh_of:  # a Welsh version goes with its answer, and is listed with it
            assert field.label not in copied | not_copied, field.name
            continue
        assert (field.label in copied) != (field.label in not_copied), field.name
    for group in schema.groups():
        assert any(answer.startswith(group.label) for answer in copied), group.name


def test_another_councils_editor_copies_a_published_entry_exactly_as_the_page_says(world):
    world.entry("published", values=COPIED, rows=ROWS)
    copier = world.client("outside_editor")
    response = copier.post(
        f"{ENTRY}/copy",
        {"organisation": "2", "title": "Pothole triage at Southvale"},
        302,
        form_url=f"{ENTRY}/copy",
    )
    assert response.headers["Location"] == "/manage/entries/AIR-00002"
    assert "This is a copy of AIR-00001." in banner(copier.get("/manage/entries/AIR-00002"))

    with world.app.app_context():
        copy = world.load("AIR-00002")
        assert (copy.organisation.name, copy.state, copy.source) == (
            "Southvale Police",
            "draft",
            None,
        )
        assert copy.published_versions == [] and copy.next_review_due is None
    values = world.draft_values("AIR-00002")
    with world.app.app_context():
        source = drafts.copied_answers(world.load("AIR-00001").current_version)[0]
    for name, value in values.items():
        if name == "title":
            assert value == "Pothole triage at Southvale"
        elif name == "organisation":
            assert value == 2
        elif name.removesuffix("_cy") in drafts.NOT_COPIED:
            assert value in (None, []), name
        else:
            assert value == source[name], name
    assert values["purpose"] == COPIED["purpose"]
    assert values["purpose_cy"] == COPIED["purpose_cy"]
    assert values["retirement_reason_cy"] is None
    rows = world.draft_rows("AIR-00002")
    assert rows["risks"] == [
        {
            "name": "Bias",
            "category": "bias_discrimination",
            "description": None,
            "description_cy": None,
            "mitigation": "Checked.",
            "mitigation_cy": "Wedi'i wirio.",
        }
    ]
    assert rows["impact_assessments"] == [
        {
            "kind": "data_protection",
            "title": "DPIA",
            "date": None,
            "summary": "Done.",
            "summary_cy": None,
            "link": None,
        }
    ]
    # The entry copied is as it was.
    assert world.state("AIR-00001") == "published"


def test_a_draft_of_another_organisation_cannot_be_copied_or_found(world):
    world.entry(values={"title": "Secret chatbot"})
    outsider = world.client("outside_editor")
    outsider.get(f"{ENTRY}/copy", 404)
    outsider.post(f"{ENTRY}/copy", {"organisation": "2", "title": "Mine"}, 404, form_url="/manage")
    page = outsider.get("/manage/entries/copy?q=secret")
    assert "Secret chatbot" not in page.main.get_text()
    assert entry_count(world) == 1


def test_people_find_an_entry_to_copy_by_reference_or_title(world):
    world.entry("published")  # AIR-00001 Pothole report triage, public
    world.entry(values={"title": "Pothole photo sorter"})  # AIR-00002, a Northshire draft
    world.entry(
        values={"title": "Pothole tracker"},
        organisation="Southvale Police",
        author="outside_editor",
    )  # AIR-00003, the searcher's own draft
    editor = world.client("outside_editor")
    page = editor.get("/manage/entries/copy?q=pothole")
    found = [a.get_text(" ", strip=True) for a in page.select("main li a")]
    assert found == ["Copy Pothole report triage (AIR-00001)", "Copy Pothole tracker (AIR-00003)"]
    page = editor.get("/manage/entries/copy?q=air-00001")
    assert [a["href"] for a in page.select("main li a")] == [f"{ENTRY}/copy"]
    page = editor.get("/manage/entries/copy?q=")
    assert messages(page) == ["Enter a reference or words from a title"]


def test_a_signed_in_reader_of_a_public_entry_can_start_from_it(world):
    world.entry("published")
    link = "a[href='/manage/entries/AIR-00001/copy']"
    assert world.client(None).get("/entries/AIR-00001").select_one(link) is None
    page = world.client("outside_editor").get("/entries/AIR-00001")
    assert page.select_one(link).get_text(strip=True) == "Use this entry as a start"
    assert world.client("editor").get(ENTRY).find("a", string="Copy this entry")


def test_copying_twice_with_one_press_makes_one_copy(world):
    world.entry("published")
    copier = world.client("outside_editor")
    answers = {"organisation": "2", "title": "Pothole triage"}
    first = copier.post(f"{ENTRY}/copy", answers, 302, form_url=f"{ENTRY}/copy")
    second = copier.post(f"{ENTRY}/copy", answers, 302, form_url=f"{ENTRY}/copy")
    assert first.headers["Location"] == second.headers["Location"]
    assert entry_count(world) == 2
