"""Emails when work on an entry moves (submitted, sent back, published, withdrawn), each
person's choice of them, and "Changes requested" on a sent-back entry's pages."""

from __future__ import annotations

import re
from urllib.parse import urlencode, urlsplit

from register import publishing
from register.extensions import db

from .emails import emptied_outbox
from .factories import publishable_values
from .manage_world import PEOPLE, WORLD, banner, messages
from .test_bulk_actions import confirm

world = WORLD

ENTRY = "/manage/entries/AIR-00001"
REVIEW = f"{ENTRY}/review"
SEND_BACK = f"{REVIEW}/send-back"
PUBLISH = f"{REVIEW}/publish"
EMAILS = "/account/emails"
TITLE = "Pothole report triage"
COMMENT = "Say who is affected.\nName the team that answers appeals."


def email(who: str) -> str:
    return PEOPLE[who][0]


def by_recipient(outbox) -> dict[str, object]:
    """Each message by its recipient, checking nobody got two."""
    found = {message.to: message for message in outbox}
    assert len(found) == len(outbox), [message.to for message in outbox]
    return found


def links_in(message) -> list[str]:
    """Every web address in the message, each in full."""
    return re.findall(r"https?://\S+", message.body)


def path_of(address: str) -> str:
    return urlsplit(address).path


def send_back(world, who: str = "publisher", comment: str = COMMENT) -> None:
    world.client(who).post(SEND_BACK, {"comment": comment}, 302, form_url=REVIEW)


# Who is told, and what they read ----------------------------------------------------------


def test_a_submission_is_emailed_to_the_organisations_publishers_with_a_link_to_review_it(
    app, world
):
    outbox = emptied_outbox(app)
    world.entry("in_review")
    received = by_recipient(outbox)
    assert set(received) == {email("publisher"), email("second_publisher")}
    message = received[email("publisher")]
    assert message.subject == f"Waiting for your review: AIR-00001 {TITLE}"
    assert f"{email('editor')} has submitted this entry of Northshire County Council" in (
        message.body
    )
    assert f"AIR-00001: {TITLE}" in message.body
    review_link, account_link = links_in(message)
    assert review_link == "http://localhost/manage/entries/AIR-00001/review"
    assert path_of(account_link) == EMAILS
    page = world.client("publisher").get(path_of(review_link))
    assert page.h1.get_text(strip=True) == f"Review {TITLE}"


def test_a_publisher_who_submits_is_not_emailed_about_their_own_submission(app, world):
    outbox = emptied_outbox(app)
    world.entry("in_review", author="publisher")
    assert [message.to for message in outbox] == [email("second_publisher")]


def test_sending_back_emails_the_author_the_comment_and_a_link_to_the_entry(app, world):
    world.entry("in_review")
    outbox = emptied_outbox(app)
    send_back(world)
    (message,) = outbox  # the author; neither the reviewer nor the other publisher
    assert message.to == email("editor")
    assert message.subject == f"Changes requested: AIR-00001 {TITLE}"
    assert f"{email('publisher')} has sent this entry back to you" in message.body
    assert f"Their comment:\n{COMMENT}\n" in message.body
    entry_link = links_in(message)[0]
    assert entry_link == f"http://localhost{ENTRY}"
    page = world.client("editor").get(path_of(entry_link))
    assert "Name the team that answers appeals." in banner(page)


def test_everyone_who_wrote_the_draft_hears_it_was_sent_back(app, world):
    reference = world.entry("draft")
    with app.app_context():
        entry = world.load(reference)
        publishing.save_draft(
            entry, world.user("publisher"), {"team": "Highways"}, based_on=entry.draft.lock_version
        )
        db.session.expire_all()
        entry = world.load(reference)
        # The rest of the answers, by the editor, who then submits.
        publishing.save_draft(
            entry,
            world.user("editor"),
            {**publishable_values(), "team": "Highways"},
            based_on=entry.draft.lock_version,
        )
        publishing.submit(world.load(reference), world.user("editor"))
    outbox = emptied_outbox(app)
    send_back(world, "second_publisher")
    assert sorted(message.to for message in outbox) == [email("editor"), email("publisher")]


def test_a_revision_is_sent_back_to_who_wrote_it_not_to_who_wrote_earlier_versions(app, world):
    world.entry("published")
    with app.app_context():
        publisher = world.user("publisher")
        publishing.start_revision(world.load("AIR-00001"), publisher)
        entry = world.load("AIR-00001")
        publishing.save_draft(
            entry, publisher, {"team": "Roads"}, based_on=entry.draft.lock_version
        )
        publishing.submit(world.load("AIR-00001"), publisher)
    outbox = emptied_outbox(app)
    send_back(world, "second_publisher", "Which roads?")
    assert [message.to for message in outbox] == [email("publisher")]


def test_publishing_emails_the_author_and_the_other_publishers_a_public_link(app, world):
    world.entry("in_review")
    outbox = emptied_outbox(app)
    world.client("publisher").post(PUBLISH, {"change_note": ""}, 302, form_url=REVIEW)
    received = by_recipient(outbox)
    assert set(received) == {email("editor"), email("second_publisher")}
    for message in received.values():
        assert message.subject == f"Published: AIR-00001 {TITLE}"
        assert f"{email('publisher')} has published version 1 of this entry" in message.body
        assert links_in(message)[0] == "http://localhost/entries/AIR-00001"


def test_withdrawing_emails_the_author_and_the_publishers_the_public_reason(app, world):
    world.entry("published")
    outbox = emptied_outbox(app)
    with app.app_context():
        publishing.withdraw(world.load("AIR-00001"), world.user("admin"), "Published in error.")
    received = by_recipient(outbox)
    assert set(received) == {email("editor"), email("publisher"), email("second_publisher")}
    message = received[email("editor")]
    assert message.subject == f"Withdrawn: AIR-00001 {TITLE}"
    assert "has withdrawn this entry from the public register" in message.body
    assert "The reason shown to the public:\nPublished in error.\n" in message.body
    assert links_in(message)[0] == f"http://localhost{ENTRY}"


def test_a_bulk_publish_sends_each_person_one_email_listing_every_entry(app, world):
    references = [world.entry("in_review") for _ in range(3)]
    outbox = emptied_outbox(app)
    query = urlencode([("action", "publish"), *(("entries", r) for r in references)])
    page = world.client("publisher").get(f"/manage/bulk?{query}")
    assert confirm(world, "publisher", page).status_code == 302
    received = by_recipient(outbox)
    assert set(received) == {email("editor"), email("second_publisher")}
    message = received[email("editor")]
    assert message.subject == "3 entries published"
    for reference in references:
        assert f"- {reference}: {TITLE}\n  http://localhost/entries/{reference}" in message.body


def test_a_step_refused_sends_nothing(app, world):
    world.entry("in_review")
    outbox = emptied_outbox(app)
    page = world.client("publisher").post_page(SEND_BACK, {"comment": " "}, form_url=REVIEW)
    assert messages(page) == ["Enter a comment saying what needs to change"]
    assert outbox == []


def test_links_use_the_registers_own_address_not_the_host_the_request_named(
    app, world, monkeypatch
):
    world.entry("in_review")
    outbox = emptied_outbox(app)
    monkeypatch.setitem(app.config, "REGISTER_BASE_URL", "https://ai-register.example.gov")
    # A request whose Host header was forged must not send a link to the forger's site.
    with app.test_request_context(REVIEW, base_url="http://attacker.example"):
        publishing.send_back(world.load("AIR-00001"), world.user("publisher"), "Fix it.")
    (message,) = outbox
    assert links_in(message)[0] == f"https://ai-register.example.gov{ENTRY}"
    assert "attacker.example" not in message.body


# Each person's choice ---------------------------------------------------------------------


def test_every_kind_of_email_is_on_until_the_person_turns_it_off(app, world):
    editor = world.client("editor")
    page = editor.get(EMAILS)
    legend = page.select_one("fieldset legend").get_text(strip=True)
    assert legend == "Which emails about entries do you want?"
    boxes = page.select("input[name=kinds]")
    assert [box["value"] for box in boxes] == [
        "submitted",
        "sent_back",
        "published",
        "withdrawn",
        "broken_links",
    ]
    assert all(box.has_attr("checked") for box in boxes)

    response = editor.post(EMAILS, {"kinds": ["submitted", "withdrawn"]}, 302, form_url=EMAILS)
    assert response.headers["Location"] == EMAILS
    page = editor.get(EMAILS)
    assert "Your choice of emails has been saved." in banner(page)
    ticked = [box["value"] for box in page.select("input[name=kinds][checked]")]
    assert ticked == ["submitted", "withdrawn"]


def test_a_kind_turned_off_is_not_sent_and_the_others_still_are(app, world):
    world.client("editor").post(EMAILS, {"kinds": ["published"]}, 302, form_url=EMAILS)
    world.entry("in_review")
    outbox = emptied_outbox(app)
    send_back(world)
    assert outbox == []
    with app.app_context():
        editor = world.user("editor")
        publishing.submit(world.load("AIR-00001"), editor)
        publishing.publish(world.load("AIR-00001"), world.user("second_publisher"))
    assert email("editor") in [message.to for message in outbox]


def test_a_publisher_can_turn_off_submissions_and_still_hear_of_publications(app, world):
    world.client("second_publisher").post(
        EMAILS, {"kinds": ["sent_back", "published", "withdrawn"]}, 302, form_url=EMAILS
    )
    outbox = emptied_outbox(app)
    world.entry("in_review")
    assert [message.to for message in outbox] == [email("publisher")]


def test_an_unknown_kind_is_refused_beside_the_checkboxes_and_changes_nothing(app, world):
    editor = world.client("editor")
    page = editor.post_page(EMAILS, {"kinds": ["published", "everything"]}, form_url=EMAILS)
    assert messages(page) == ["Choose only from the emails listed"]
    assert (
        page.select_one(".govuk-error-message")
        .get_text(strip=True)
        .endswith("Choose only from the emails listed")
    )
    page = editor.get(EMAILS)
    assert len(page.select("input[name=kinds][checked]")) == 5


def test_the_email_choices_need_signing_in_and_are_linked_from_the_account_page(world):
    anonymous = world.client(None)
    response = anonymous.client.get(EMAILS)
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]
    page = world.client("editor").get("/account/password")
    assert page.find("a", href=EMAILS)


# "Changes requested" ----------------------------------------------------------------------


def test_a_sent_back_entry_shows_changes_requested_on_the_dashboard_until_resubmitted(world):
    world.entry("in_review")
    world.entry("draft")
    send_back(world)
    editor = world.client("editor")
    page = editor.get("/manage")
    drafts = page.select_one("#draft").find_next("table")
    tagged = {
        row.select_one("a").get_text(strip=True): row.select_one(".govuk-tag")
        for row in drafts.select("tbody tr")
    }
    assert tagged[TITLE].get_text(strip=True) == "Changes requested"
    assert tagged["Chatbot"] is None

    editor.post(f"{ENTRY}/submit", {}, 302, form_url=f"{ENTRY}/check")
    page = editor.get("/manage")
    assert "Changes requested" not in page.main.get_text()
    assert "Changes requested" not in banner(editor.get(ENTRY))


def test_the_comment_shows_on_the_task_list_and_every_section_page_with_who_and_when(world):
    world.entry("in_review")
    send_back(world)
    editor = world.client("editor")
    for path in (ENTRY, f"{ENTRY}/about", f"{ENTRY}/risks", f"{ENTRY}/risks/add"):
        shown = editor.get(path).select_one(".govuk-notification-banner")
        text = shown.get_text(" ", strip=True)
        assert text.startswith("Changes requested"), path
        assert f"{email('publisher')} sent this entry back on " in text
        assert "UTC" in text
        assert shown.select_one("#review-comment").get_text("\n", strip=True) == COMMENT
