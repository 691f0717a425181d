"""Who wrote each answer, and the two-person rule that follows: a publisher who wrote any
answer of a version is not its only reviewer, however it is published; and the steps that
cannot be undone (withdrawing) or change what the public reads (retiring) are confirmed."""

from __future__ import annotations

from sqlalchemy import select

from register import authorship, bulk, drafts, publishing
from register.extensions import db
from register.models import AnswerChange, User

from .factories import publishable_values
from .manage_world import WORLD, banner, messages
from .submission_world import SUBMISSIONS, Api, make_token
from .test_import import us_row
from .test_import_publish_review import _import, _latest_batch
from .test_manage_dashboard import listed

world = WORLD

ENTRY = "/manage/entries/AIR-00001"
REVIEW = f"{ENTRY}/review"
PUBLISH = f"{REVIEW}/publish"
NOT_THEIR_OWN = (
    "You changed answers in this version, so another publisher must review it. "
    "Northshire County Council does not allow publishers to approve their own entries."
)


def changes(world, reference: str, number: int | None = None) -> set[tuple[str, str]]:
    """Each answer of the entry's working copy (or published version `number`) that someone
    changed, with that person's email."""
    with world.app.app_context():
        entry = world.load(reference)
        version = next(v for v in entry.versions if v.number == number)
        found = db.session.execute(
            select(AnswerChange.answer, User.email)
            .join(User, User.id == AnswerChange.changed_by_id)
            .where(AnswerChange.version_id == version.id)
        )
        return set(found.all())


def allow_self_publishing(world) -> None:
    with world.app.app_context():
        world.organisation().allows_self_publishing = True
        db.session.commit()


# The filed scenario ----------------------------------------------------------------------


def test_a_publisher_who_wrote_the_answers_cannot_publish_what_an_editor_submitted(world):
    # A publisher writes every answer, "Decides automatically" and "No human oversight"
    # included; an editor only presses Submit.
    reference = world.entry(
        values=publishable_values(decision_role="decides_automatically", oversight_model="none"),
        author="publisher",
    )
    editor = world.client("editor")
    editor.post(f"{ENTRY}/submit", {}, 302, form_url=f"{ENTRY}/check")
    assert world.state(reference) == "in_review"

    publisher = world.client("publisher")
    page = publisher.get(REVIEW)
    warning = page.select_one(".govuk-warning-text").get_text(" ", strip=True)
    assert NOT_THEIR_OWN in warning
    assert page.select_one("#who-else-can-publish").get_text(" ", strip=True) == (
        "Who can publish it: second@ns.example, or a register administrator."
    )
    page = publisher.post_page(PUBLISH, {}, form_url=REVIEW)
    assert messages(page) == [NOT_THEIR_OWN]
    assert world.state(reference) == "in_review"

    world.client("second_publisher").post(PUBLISH, {}, 302, form_url=REVIEW)
    assert world.state(reference) == "published"


def test_a_publisher_of_an_organisation_that_allows_it_publishes_what_they_wrote(world):
    allow_self_publishing(world)
    world.entry(values=publishable_values(), author="publisher")
    world.client("editor").post(f"{ENTRY}/submit", {}, 302, form_url=f"{ENTRY}/check")
    page = world.client("publisher").get(REVIEW)
    assert page.select(".govuk-warning-text") == []
    world.client("publisher").post(PUBLISH, {}, 302, form_url=REVIEW)
    assert world.state("AIR-00001") == "published"


def test_one_changed_answer_is_enough_to_need_another_publisher(world):
    reference = world.entry("in_review")
    with world.app.app_context():
        entry = world.load(reference)
        publishing.send_back(entry, world.user("publisher"), "Say who is affected.")
        publishing.save_draft(
            entry,
            world.user("publisher"),
            {"people_affected": "Residents who report potholes."},
            based_on=entry.draft.lock_version,
        )
        publishing.submit(entry, world.user("editor"))
    assert messages(world.client("publisher").post_page(PUBLISH, {}, form_url=REVIEW)) == [
        NOT_THEIR_OWN
    ]
    world.client("second_publisher").post(PUBLISH, {}, 302, form_url=REVIEW)
    assert world.state(reference) == "published"


def test_the_dashboard_does_not_ask_a_publisher_to_review_what_they_wrote(world):
    world.entry(values=publishable_values(), author="publisher")
    world.client("editor").post(f"{ENTRY}/submit", {}, 302, form_url=f"{ENTRY}/check")

    assert listed(world.client("publisher").get("/manage"), "waiting") == []
    assert listed(world.client("second_publisher").get("/manage"), "waiting") == ["AIR-00001"]
    allow_self_publishing(world)
    assert listed(world.client("publisher").get("/manage"), "waiting") == ["AIR-00001"]


def test_bulk_publishing_keeps_the_same_rule(world):
    reference = world.entry(values=publishable_values(), author="publisher")
    with world.app.app_context():
        publishing.submit(world.load(reference), world.user("editor"))
        step = bulk.Step(bulk.PUBLISH)
        publisher = world.user("publisher")
        entries = [world.load(reference)]
        assert bulk.why_not(step, publisher, entries) == {reference: NOT_THEIR_OWN}
        try:
            bulk.apply(step, publisher, entries)
        except bulk.BulkRefused as refused:
            assert refused.entries == {reference: NOT_THEIR_OWN}
        else:
            raise AssertionError("the publisher published what they wrote")
        bulk.apply(step, world.user("second_publisher"), [world.load(reference)])
    assert world.state(reference) == "published"


def test_an_import_waits_for_a_publisher_other_than_the_one_who_imported_it(world):
    _import(world, "publisher", [us_row(1)])
    batch_id = _latest_batch(world)
    page = world.client("publisher").get(f"/manage/imports/{batch_id}/review")
    assert page.select_one("a.govuk-button") is None  # nothing for them to publish
    page = world.client("second_publisher").get(f"/manage/imports/{batch_id}/review")
    assert page.select_one("a.govuk-button").get_text(strip=True) == "Publish all 1"


# Who changed what, by each way answers change ---------------------------------------------


def test_saving_a_section_notes_only_the_answers_that_changed(world):
    world.entry()  # the editor gave the title, "Chatbot"
    assert changes(world, "AIR-00001") == {("title", "editor@ns.example")}
    publisher = world.client("publisher")
    publisher.post(
        f"{ENTRY}/about",
        {
            "lock_version": world.lock_version("AIR-00001"),
            "title": "Chatbot",  # unchanged
            "team": "Highways",
            "save_as_draft": "y",
        },
        302,
    )
    assert changes(world, "AIR-00001") == {
        ("title", "editor@ns.example"),
        ("team", "publisher@ns.example"),
    }


def test_adding_changing_and_removing_rows_notes_each_row(world):
    world.entry()
    editor = world.client("editor")
    editor.post(
        f"{ENTRY}/risks/add",
        {"lock_version": world.lock_version("AIR-00001"), "name": "Bias"},
        302,
    )
    editor.post(
        f"{ENTRY}/risks/add",
        {"lock_version": world.lock_version("AIR-00001"), "name": "Wrong ranking"},
        302,
    )
    publisher = world.client("publisher")
    publisher.post(
        f"{ENTRY}/risks/2",
        {"lock_version": world.lock_version("AIR-00001"), "name": "Wrong order of repairs"},
        302,
    )
    assert {answer for answer, who in changes(world, "AIR-00001") if who.startswith("pub")} == {
        "risks-2"
    }
    publisher.post(
        f"{ENTRY}/risks/1/remove", {"lock_version": world.lock_version("AIR-00001")}, 302
    )
    # Removing the first row moves the second up: both rows read differently now.
    assert {answer for answer, who in changes(world, "AIR-00001") if who.startswith("pub")} == {
        "risks-1",
        "risks-2",
    }


def test_the_submission_api_notes_the_person_whose_token_it_is(world):
    api = Api(world, make_token(world, "second_publisher"))
    response = api.post(SUBMISSIONS, {"title": "Pothole triage", "techniques": ["classical_ml"]})
    assert response.status_code == 201
    assert changes(world, response.json["reference"]) == {
        ("title", "second@ns.example"),
        ("techniques", "second@ns.example"),
    }


def test_an_import_notes_the_person_who_imported_it(world):
    _import(world, "publisher", [us_row(1)])
    # One note stands for every answer the import wrote.
    assert changes(world, "AIR-00001") == {(authorship.EVERY_ANSWER, "publisher@ns.example")}
    with world.app.app_context():
        draft = world.load("AIR-00001").draft
        who = authorship.last_changes(draft, ["title", "purpose"])
        assert {change.by.email for change in who.values()} == {"publisher@ns.example"}


def test_a_new_version_starts_with_nobody_having_changed_anything(world):
    world.entry("published")
    version_1 = changes(world, "AIR-00001", 1)
    assert {who for _, who in version_1} == {"editor@ns.example"}
    with world.app.app_context():
        entry = world.load("AIR-00001")
        publishing.start_revision(entry, world.user("publisher"))
    # The answers carried over were not changed by the publisher who started the revision.
    assert changes(world, "AIR-00001") == set()
    assert changes(world, "AIR-00001", 1) == version_1


def test_a_copy_notes_its_answers_as_the_copiers(world):
    world.entry("published")
    with world.app.app_context():
        source = drafts.copy_source(world.user("outside_editor"), "AIR-00001")
        drafts.copy_entry(
            source, world.organisation("Southvale Police"), world.user("outside_editor"), "Copy"
        )
    noted = changes(world, "AIR-00002")
    assert {who for _, who in noted} == {"editor@sv.example"}
    assert {"title", "purpose", "risk_level"} <= {answer for answer, _ in noted}
    assert "contact_email" not in {answer for answer, _ in noted}


def test_retiring_notes_the_answers_the_publisher_changed(world):
    world.entry("published")
    with world.app.app_context():
        publishing.retire(world.load("AIR-00001"), world.user("publisher"), "Replaced.")
    assert changes(world, "AIR-00001", 2) == {
        ("status", "publisher@ns.example"),
        ("retired_on", "publisher@ns.example"),
        ("retirement_reason", "publisher@ns.example"),
    }


# Withdrawing and retiring are confirmed ---------------------------------------------------


def test_withdrawing_needs_the_administrator_to_confirm_it_cannot_be_undone(world):
    world.entry("published")
    admin = world.client("admin")
    page = admin.get(f"{ENTRY}/withdraw")
    assert "Withdrawing cannot be undone" in page.select_one(".govuk-warning-text").get_text()

    page = admin.post_page(f"{ENTRY}/withdraw", {"reason": "Published in error."})
    assert messages(page) == ["Confirm that you understand withdrawing cannot be undone"]
    error = page.select_one("#understood").find_previous(class_="govuk-error-message")
    assert "Confirm that you understand" in error.get_text()
    assert page.select_one("#reason").get_text() == "Published in error."  # kept
    assert world.state("AIR-00001") == "published"

    admin.post(f"{ENTRY}/withdraw", {"reason": "Published in error.", "understood": "y"}, 302)
    assert world.state("AIR-00001") == "withdrawn"


def test_retiring_shows_what_the_public_will_read_before_anything_changes(world):
    world.entry("published")
    publisher = world.client("publisher")
    answers = {"retirement_reason": "Replaced by the new highways system.", "retired_on": ""}
    page = publisher.post_page(f"{ENTRY}/retire", answers)
    assert page.h1.get_text(strip=True) == "Check how the retired entry will read"
    preview = page.select_one("#public-preview")
    assert preview.select_one(".govuk-heading-m").get_text(strip=True) == "Pothole report triage"
    text = preview.get_text(" ", strip=True)
    assert "Status: Retired" in text
    assert "This tool is no longer in use. It was retired on " in text
    assert "Why it was retired Replaced by the new highways system." in text
    with world.app.app_context():
        assert len(world.load("AIR-00001").published_versions) == 1

    # Changing the answers goes back to the form, with them kept.
    page = publisher.post_page(f"{ENTRY}/retire", {**answers, "change": "y"})
    assert page.select_one("#retirement_reason").get_text() == answers["retirement_reason"]

    publisher.post(f"{ENTRY}/retire", {**answers, "retire": "y"}, 302)
    assert "The tool is recorded as retired." in banner(publisher.get(ENTRY))
    public = world.client(None).get("/entries/AIR-00001")
    assert "Replaced by the new highways system." in public.main.get_text()
