"""Bulk actions on the dashboard: a publisher ticks entries, sees them listed with anything
that stops one of them, and submits, publishes or retires them all, or none."""

from __future__ import annotations

from collections import Counter
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import select

from register import publishing
from register.extensions import db
from register.models import AuditEvent, Entry

from .conftest import TEST_PASSWORD
from .manage_world import WORLD, messages
from .pages import check_page
from .public_entries import retire
from .test_import_real_us import imported_sample_2025

world = WORLD


def page_form(page) -> dict[str, Any]:
    """What the browser sends for the page's POST form as it stands (no button pressed):
    every named field, repeated names as lists."""
    data: dict[str, Any] = {}
    for element in page.select("main form[method=post] input, main form[method=post] textarea"):
        name, kind = element.get("name"), element.get("type", "text")
        if not name or kind in ("submit", "button"):
            continue
        if element.name == "textarea":
            value = element.get_text()
        elif kind == "checkbox":
            if not element.has_attr("checked"):
                continue
            value = element["value"]
        else:
            value = element.get("value", "")
        if name in ("entries", "offered"):
            data.setdefault(name, []).append(value)
        else:
            data[name] = value
    return data


def choose(world, who: str, action: str, references: list[str]):
    """The confirmation page, as the dashboard's form asks for it."""
    query = urlencode([("action", action), *(("entries", r) for r in references)])
    return world.client(who).get(f"/manage/bulk?{query}")


def confirm(world, who: str, page, **changes: Any):
    data = {**page_form(page), **changes}
    return world.client(who).client.post("/manage/bulk", data=data)


def states(world, *references: str) -> list[str]:
    return [world.state(reference) for reference in references]


def events(world, kind: str) -> list[str]:
    with world.app.app_context():
        rows = db.session.execute(
            select(Entry.reference)
            .join(AuditEvent, AuditEvent.entry_id == Entry.id)
            .where(AuditEvent.action == kind)
            .order_by(Entry.reference)
        )
        return [reference for (reference,) in rows]


def rows(page) -> dict[str, tuple[bool, str]]:
    """The confirmation page's entries: reference -> (ticked, why it cannot, if it cannot)."""
    found = {}
    for item in page.select("#entries .govuk-checkboxes__item"):
        box = item.select_one("input")
        why = item.select_one(".govuk-error-message")
        found[box["value"]] = (
            box.has_attr("checked"),
            why.get_text(" ", strip=True).removeprefix("Error: ") if why else "",
        )
    return found


def test_the_dashboard_offers_publishers_a_checkbox_per_entry_and_the_actions(world):
    draft = world.entry()
    published = world.entry("published")
    page = world.client("publisher").get("/manage")
    boxes = {box["value"] for box in page.select("input[type=checkbox][name=entries]")}
    assert {draft, published} <= boxes
    form = page.select_one(f"input[value={draft}]").find_parent("form")
    assert form["method"] == "get" and form["action"] == "/manage/bulk"
    buttons = {b["value"]: b.get_text(strip=True) for b in form.select("button[name=action]")}
    assert buttons == {"submit": "Submit for review", "publish": "Publish", "retire": "Retire"}
    label = page.select_one(f"label[for=choose-draft-{draft}]").get_text(strip=True)
    assert label == draft


def test_editors_get_no_bulk_actions(world):
    draft = world.entry()
    page = world.client("editor").get("/manage")
    assert not page.select("input[type=checkbox][name=entries]")
    assert not page.select("button[name=action]")
    world.client("editor").get(f"/manage/bulk?action=submit&entries={draft}", 403)


def test_asking_with_nothing_ticked_says_so_beside_the_checkboxes(world):
    world.entry()
    page = world.client("publisher").get("/manage/bulk?action=publish")
    assert page.title.get_text().startswith("Error: ")
    assert messages(page) == ["Select the entries to publish"]
    error = page.select_one("#bulk-actions .govuk-error-message").get_text(" ", strip=True)
    assert error == "Error: Select the entries to publish"
    assert page.select_one(".govuk-error-summary a")["href"] == "#bulk-actions"


def test_an_unknown_action_is_not_found(world):
    draft = world.entry()
    world.client("publisher").get(f"/manage/bulk?action=delete&entries={draft}", 404)


def test_drafts_are_submitted_together_as_single_submissions_are(world):
    untouched = world.entry("revision")
    ready = [world.entry("revision"), world.entry("revision")]
    page = choose(world, "publisher", "submit", ready)
    assert page.h1.get_text(strip=True) == "Submit 2 entries for review"
    assert rows(page) == {ready[0]: (True, ""), ready[1]: (True, "")}
    response = confirm(world, "publisher", page)
    assert response.status_code == 302 and response.headers["Location"] == "/manage"
    assert states(world, *ready) == ["in_review", "in_review"]
    # One line more each, as a single submission writes (the first was before publishing).
    submitted = Counter(events(world, "submitted"))
    assert [submitted[r] for r in (*ready, untouched)] == [2, 2, 1]
    assert world.state(untouched) == "draft"
    dashboard = world.client("publisher").get("/manage")
    assert "2 entries submitted for review." in dashboard.get_text(" ", strip=True)


def test_a_draft_not_ready_stops_the_whole_submission(world):
    incomplete = world.entry("draft", values={"title": "Half done"})
    published = world.entry("revision")
    page = choose(world, "publisher", "submit", [published, incomplete])
    assert rows(page)[incomplete] == (True, "Some required questions are not answered yet.")
    assert rows(page)[published] == (True, "")
    assert f"{incomplete}: Some required questions are not answered yet." in messages(page)
    response = confirm(world, "publisher", page)
    assert response.status_code == 200
    refused = check_page(response)
    assert rows(refused)[incomplete][1] == "Some required questions are not answered yet."
    assert states(world, published, incomplete) == ["draft", "draft"]  # nothing half-done
    # Unticking the one that cannot go lets the others go.
    data = page_form(refused)
    data["entries"] = [published]
    assert world.client("publisher").client.post("/manage/bulk", data=data).status_code == 302
    assert states(world, published, incomplete) == ["in_review", "draft"]


def test_submissions_are_published_together_under_the_two_person_rule(world):
    by_editor = [world.entry("in_review"), world.entry("in_review")]
    own = world.entry("in_review", author="publisher")
    page = choose(world, "publisher", "publish", [*by_editor, own])
    assert rows(page)[own][1].startswith("You submitted this entry, so another publisher must")
    assert confirm(world, "publisher", page).status_code == 200
    assert states(world, *by_editor, own) == ["in_review"] * 3
    assert events(world, "published") == []

    page = choose(world, "publisher", "publish", by_editor)
    response = confirm(world, "publisher", page)
    assert response.status_code == 302
    assert states(world, *by_editor) == ["published", "published"]
    assert events(world, "published") == sorted(by_editor)
    # A second publisher may publish what the first submitted.
    page = choose(world, "second_publisher", "publish", [own])
    assert confirm(world, "second_publisher", page).status_code == 302
    assert world.state(own) == "published"


def test_revisions_published_together_need_a_change_note(world):
    reference = world.entry("revision")
    with world.app.app_context():
        publishing.submit(world.load(reference), world.user("editor"))
    page = choose(world, "publisher", "publish", [reference])
    response = confirm(world, "publisher", page, change_note="")
    refused = check_page(response)
    assert "Enter a change note saying what is new in this version" in messages(refused)
    assert world.state(reference) == "in_review"
    response = confirm(world, "publisher", page, change_note="Checked again.")
    assert response.status_code == 302
    with world.app.app_context():
        assert world.load(reference).current_version.change_note == "Checked again."


def test_published_entries_are_retired_together_with_one_reason(world):
    first, second = world.entry("published"), world.entry("published")
    page = choose(world, "publisher", "retire", [first, second])
    assert page.h1.get_text(strip=True) == "Retire 2 entries"
    refused = check_page(confirm(world, "publisher", page, retirement_reason=""))
    assert "Enter the reason the tool was retired" in messages(refused)
    assert refused.select_one("#retirement_reason-error")
    with world.app.app_context():
        assert [world.load(r).current_version.status for r in (first, second)] != ["retired"] * 2
    response = confirm(world, "publisher", page, retirement_reason="Replaced by a new service.")
    assert response.status_code == 302
    with world.app.app_context():
        for reference in (first, second):
            version = world.load(reference).current_version
            assert version.status == "retired"
            assert version.retirement_reason == "Replaced by a new service."
    assert events(world, "retired") == sorted([first, second])


def test_a_tool_already_retired_stops_the_whole_retirement(world):
    first, second = world.entry("published"), world.entry("published")
    retire(world, second, "Gone.")
    page = choose(world, "publisher", "retire", [first, second])
    assert rows(page)[second] == (True, "This tool is already recorded as retired.")
    response = confirm(world, "publisher", page, retirement_reason="Replaced.")
    assert response.status_code == 200
    with world.app.app_context():
        assert world.load(first).current_version.status != "retired"


def test_an_entry_of_another_organisation_cannot_be_chosen(world):
    own = world.entry("published")
    other = world.entry("published", organisation="Southvale Police", author="outside_editor")
    page = choose(world, "publisher", "retire", [own, other])
    assert rows(page)[other][1] == "There is no entry with this reference that you can change."
    assert "Southvale" not in page.get_text()
    response = confirm(world, "publisher", page, retirement_reason="Replaced.")
    assert response.status_code == 200
    with world.app.app_context():
        assert world.load(own).current_version.status != "retired"
        assert world.load(other).current_version.status != "retired"


def test_unticking_every_entry_says_to_choose_one(world):
    reference = world.entry("in_review")
    page = choose(world, "publisher", "publish", [reference])
    data = page_form(page)
    del data["entries"]
    response = world.client("publisher").client.post("/manage/bulk", data=data)
    refused = check_page(response)
    assert messages(refused) == ["Select the entries to publish"]
    assert rows(refused) == {reference: (False, "")}
    assert world.state(reference) == "in_review"


def test_a_confirmation_without_its_csrf_token_changes_nothing(world):
    reference = world.entry("in_review")
    page = choose(world, "second_publisher", "publish", [reference])
    data = page_form(page)
    data["csrf_token"] = "forged"
    response = world.client("second_publisher").client.post("/manage/bulk", data=data)
    assert response.status_code in (200, 400)
    assert world.state(reference) == "in_review"


def test_an_imported_inventory_is_submitted_and_published_in_two_steps(world, runner, make_user):
    """The drafts a file leaves are published as their source recorded them, by one person
    submitting them all and another publishing them all."""
    world.entry()  # the people exist once an entry does
    imported_sample_2025(runner)
    with world.app.app_context():
        imported = list(
            db.session.scalars(
                select(Entry.reference).where(Entry.source.is_not(None)).order_by(Entry.id)
            )
        )
    assert len(imported) > 30
    assert set(states(world, *imported)) == {"draft"}
    make_user("second-admin@register.example", is_admin=True)
    second = world.client(None)
    second.post(
        "/sign-in", {"email": "second-admin@register.example", "password": TEST_PASSWORD}, 302
    )

    page = choose(world, "admin", "submit", imported)
    assert page.h1.get_text(strip=True) == f"Submit {len(imported)} entries for review"
    assert not page.select(".govuk-error-summary")
    assert confirm(world, "admin", page).status_code == 302
    assert set(states(world, *imported)) == {"in_review"}

    query = urlencode([("action", "publish"), *(("entries", r) for r in imported)])
    page = second.get(f"/manage/bulk?{query}")
    assert not page.select(".govuk-error-summary")
    response = second.client.post("/manage/bulk", data=page_form(page))
    assert response.status_code == 302
    assert set(states(world, *imported)) == {"published"}
    listing = world.client(None).get(
        "/entries?source=US+federal+AI+use+case+inventory+2025&page_size=100"
    )
    heading = listing.select_one("#results-heading").get_text(" ", strip=True)
    assert heading == f"{len(imported)} entries"


def test_the_confirmation_page_changes_nothing(world):
    reference = world.entry("in_review")
    page = choose(world, "second_publisher", "publish", [reference])
    assert rows(page) == {reference: (True, "")}  # it could be published, but is not yet
    assert world.state(reference) == "in_review"
    assert events(world, "published") == []


def test_more_entries_than_one_step_takes_are_refused_with_a_reason(world):
    world.entry()
    references = [f"AIR-{n:05d}" for n in range(1, 502)]
    page = choose(world, "publisher", "submit", references)
    assert messages(page) == ["Choose at most 500 entries at a time"]
