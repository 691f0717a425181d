"""Dealing with feedback: publishers see it on their dashboard, resolve it with a public
response, administrators hide abusive feedback, and reporters' email addresses go."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from register.extensions import db
from register.models import AuditEvent, Feedback

from .emails import emptied_outbox, link_in
from .feedback_world import report, stored, useful_form
from .manage_world import WORLD, banner, messages

world = WORLD


@pytest.fixture
def reported(world):
    """AIR-00001 (Northshire) with one reported problem, and AIR-00002 (Southvale) with one."""
    world.entry("published")
    world.entry("published", organisation="Southvale Police", author="outside_editor")
    report(world, "AIR-00001", text="The contact address bounces.", email="reader@example.org")
    report(world, "AIR-00002", text="Southvale's problem.")
    return world


def _feedback_rows(page) -> list[list[str]]:
    """The rows of the dashboard's table of reported problems (none if it has no table)."""
    table = page.select_one("#feedback").find_next(["table", "h2"])
    if table.name != "table":
        return []
    return [
        [cell.get_text(" ", strip=True) for cell in row.select("td, th")]
        for row in table.select("tbody tr")
    ]


def test_publishers_see_their_organisations_problems_on_the_dashboard(reported):
    page = reported.client("publisher").get("/manage")
    assert (
        page.select_one("#feedback").get_text(strip=True) == "Problems reported by the public (1)"
    )
    [row] = _feedback_rows(page)
    reference, title, version, received, text = row
    assert (reference, version, text) == ("AIR-00001", "1", "The contact address bounces.")
    assert title.startswith("Pothole report triage")
    assert received == datetime.now(UTC).strftime("%-d %B %Y")
    link = page.select_one("#feedback").find_next("table").select_one("a")
    assert link["href"] == "/manage/feedback/1"
    item = reported.client("publisher").get(link["href"])
    assert "reader@example.org" in item.main.get_text(" ", strip=True)
    assert "The contact address bounces." in item.main.get_text(" ", strip=True)


def test_administrators_see_every_organisations_problems(reported):
    page = reported.client("admin").get("/manage")
    texts = [row[-1] for row in _feedback_rows(page)]
    assert texts == ["Southvale's problem.", "The contact address bounces."]


@pytest.mark.parametrize("who", ["editor", "outside_publisher"])
def test_feedback_is_for_the_organisations_publishers_only(reported, who):
    browser = reported.client(who)
    page = browser.get("/manage")
    assert "The contact address bounces." not in page.get_text()
    browser.get("/manage/feedback/1", 404)
    browser.post("/manage/feedback/1/resolve", {}, 404, form_url="/manage")


def test_an_anonymous_visitor_is_sent_to_sign_in(reported):
    response = reported.client(None).client.get("/manage/feedback/1")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_the_email_to_publishers_leads_to_the_item(app, world):
    world.entry("published")
    outbox = emptied_outbox(app)
    report(world, "AIR-00001", text="Wrong team named.")
    path = link_in(outbox[0])
    assert path == "/manage/feedback/1"
    page = world.client("second_publisher").get(path)
    assert page.h1.get_text(strip=True) == "Reported problem"


def test_resolving_with_a_public_response_shows_it_on_the_entry_page(app, reported):
    publisher = reported.client("publisher")
    response = publisher.post(
        "/manage/feedback/1/resolve",
        {"response": "Thank you. The contact address is now correct."},
        302,
        form_url="/manage/feedback/1",
    )
    assert response.headers["Location"] == "/manage#feedback"
    dashboard = publisher.get("/manage")
    assert "The feedback is marked as resolved." in banner(dashboard)
    assert _feedback_rows(dashboard) == []

    page = reported.client(None).get("/entries/AIR-00001")
    responses = page.select_one("#responses")
    text = responses.get_text(" ", strip=True)
    assert "Thank you. The contact address is now correct." in text
    assert "version 1" in text
    # The report itself and the reporter's address are never shown publicly.
    assert "bounces" not in page.get_text()
    assert "reader@example.org" not in page.get_text()
    item = stored(app)[0]
    assert item["resolved"] and item["response"].startswith("Thank you.")
    with app.app_context():
        events = db.session.scalars(select(AuditEvent.action)).all()
    assert "feedback_resolved" in events
    history = publisher.get("/manage/entries/AIR-00001/history")
    assert "Resolved feedback" in history.get_text()


def test_resolving_without_a_response_shows_nothing_publicly(app, reported):
    reported.client("publisher").post(
        "/manage/feedback/1/resolve", {"response": "   "}, 302, form_url="/manage/feedback/1"
    )
    page = reported.client(None).get("/entries/AIR-00001")
    assert page.select_one("#responses") is None
    assert stored(app)[0]["resolved"]


def test_a_response_over_the_limit_is_explained_and_nothing_changes(app, reported):
    publisher = reported.client("publisher")
    page = publisher.post_page(
        "/manage/feedback/1/resolve", {"response": "x" * 2001}, form_url="/manage/feedback/1"
    )
    assert messages(page) == ["Your response must be 2000 characters or fewer"]
    assert not stored(app)[0]["resolved"]


def test_a_resolved_item_cannot_be_resolved_again(app, reported):
    publisher = reported.client("publisher")
    publisher.post(
        "/manage/feedback/1/resolve", {"response": "Fixed."}, 302, form_url="/manage/feedback/1"
    )
    publisher.post("/manage/feedback/1/resolve", {"response": "Again."}, 302, form_url="/manage")
    assert "already been dealt with" in banner(publisher.get("/manage"))
    assert stored(app)[0]["response"] == "Fixed."


def test_an_administrator_hides_abusive_feedback(app, reported):
    reported.client("publisher").post(
        "/manage/feedback/1/resolve",
        {"response": "We replied."},
        302,
        form_url="/manage/feedback/1",
    )
    admin = reported.client("admin")
    item_page = admin.get("/manage/feedback/2")
    assert item_page.find("button", string=lambda s: s and "Hide this feedback" in s)
    admin.post("/manage/feedback/2/hide", {}, 302, form_url="/manage/feedback/2")
    admin.post("/manage/feedback/1/hide", {}, 302, form_url="/manage/feedback/1")
    assert _feedback_rows(admin.get("/manage")) == []
    assert reported.client(None).get("/entries/AIR-00001").select_one("#responses") is None
    assert [item["hidden"] for item in stored(app)] == [True, True]


def test_a_publisher_cannot_hide_feedback(app, reported):
    publisher = reported.client("publisher")
    page = publisher.get("/manage/feedback/1")
    assert not page.find("button", string=lambda s: s and "Hide this feedback" in s)
    publisher.post("/manage/feedback/1/hide", {}, 403, form_url="/manage/feedback/1")
    assert not stored(app)[0]["hidden"]


def test_the_dashboard_counts_how_people_answered_was_it_useful(world):
    world.entry("published")
    visitor = world.client(None)
    for answer in ("yes", "yes", "no"):
        data = {**useful_form(visitor, "/entries/AIR-00001"), "useful": answer}
        assert visitor.client.post("/entries/AIR-00001/feedback", data=data).status_code == 303
    page = world.client("publisher").get("/manage")
    table = page.select_one("#usefulness").find_next("table")
    [row] = [
        [c.get_text(" ", strip=True) for c in r.select("td")] for r in table.select("tbody tr")
    ]
    assert row[0] == "AIR-00001"
    assert row[2:] == ["2", "1"]
    editor_page = world.client("editor").get("/manage")
    assert editor_page.select_one("#usefulness") is None


def _closed(app, feedback_id: int, days_ago: int, how: str = "resolved_at") -> None:
    with app.app_context():
        moment = datetime.now(UTC) - timedelta(days=days_ago)
        db.session.execute(update(Feedback).where(Feedback.id == feedback_id).values({how: moment}))
        db.session.commit()


def test_email_addresses_go_after_the_retention_period(app, world, runner):
    world.entry("published")
    for number in range(4):
        report(world, "AIR-00001", text=f"Report {number}", email=f"reader{number}@example.org")
    _closed(app, 1, days_ago=31)  # resolved long ago: the address goes
    _closed(app, 2, days_ago=10)  # resolved recently: it stays for now
    _closed(app, 3, days_ago=45, how="hidden_at")  # hidden long ago: it goes
    # 4 is still open: it stays.
    result = runner.invoke(args=["register", "purge-feedback-emails"])
    assert result.exit_code == 0, result.output
    assert "Cleared 2 email addresses" in result.output
    assert [item["email"] for item in stored(app)] == [
        None,
        "reader1@example.org",
        None,
        "reader3@example.org",
    ]
    assert [item["text"] for item in stored(app)] == [f"Report {n}" for n in range(4)]


def test_send_reminders_clears_old_email_addresses_too(app, world, runner):
    world.entry("published")
    report(world, "AIR-00001", text="Out of date.", email="reader@example.org")
    _closed(app, 1, days_ago=31)
    result = runner.invoke(args=["register", "send-reminders"])
    assert result.exit_code == 0, result.output
    assert stored(app)[0]["email"] is None


def test_the_retention_period_is_configurable(app, world, runner):
    world.entry("published")
    report(world, "AIR-00001", text="Out of date.", email="reader@example.org")
    _closed(app, 1, days_ago=10)
    saved = app.config["FEEDBACK_EMAIL_RETENTION_DAYS"]
    app.config["FEEDBACK_EMAIL_RETENTION_DAYS"] = 7
    try:
        runner.invoke(args=["register", "purge-feedback-emails"])
    finally:
        app.config["FEEDBACK_EMAIL_RETENTION_DAYS"] = saved
    assert stored(app)[0]["email"] is None
    page = world.client("publisher").get("/manage/feedback/1")
    assert "None kept" in page.main.get_text(" ", strip=True)
