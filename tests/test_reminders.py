"""Review dates and reminders: confirming an entry is still accurate, changing its review
date, "Review overdue" on the public page, and `flask register send-reminders`."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, update

from register.extensions import db
from register.models import AuditEvent, Entry, EntryVersion, Membership, ReviewReminder

from .emails import emptied_outbox
from .manage_world import WORLD, banner, messages
from .public_entries import revise

world = WORLD


def today() -> date:
    """Today, asked when each test runs: a constant taken when the tests are collected is
    wrong for every test that runs after midnight."""
    return date.today()


def set_due(app, reference: str, due: date) -> None:
    with app.app_context():
        db.session.execute(
            update(Entry).where(Entry.reference == reference).values(next_review_due=due)
        )
        db.session.commit()


def dates_of(app, reference: str) -> tuple[date | None, date | None, int]:
    """The entry's last review, next review, and how many versions it has."""
    with app.app_context():
        entry = db.session.scalar(select(Entry).where(Entry.reference == reference))
        versions = db.session.scalar(
            select(func.count()).select_from(EntryVersion).where(EntryVersion.entry_id == entry.id)
        )
        return entry.last_reviewed_on, entry.next_review_due, versions


def actions(app) -> list[tuple[str, str | None]]:
    with app.app_context():
        rows = db.session.execute(
            select(AuditEvent.action, AuditEvent.detail).order_by(AuditEvent.id)
        )
        return [(action, detail) for action, detail in rows]


# Reviewing ------------------------------------------------------------------------------


def test_a_new_entry_is_due_for_review_twelve_months_after_publication(app, world):
    world.entry("published")
    last, due, _ = dates_of(app, "AIR-00001")
    assert last == today()
    assert due == today() + timedelta(days=365)


def test_confirming_still_accurate_records_a_review_without_a_new_version(app, world):
    world.entry("published")
    set_due(app, "AIR-00001", today() - timedelta(days=3))
    with app.app_context():
        db.session.execute(update(Entry).values(last_reviewed_on=today() - timedelta(days=368)))
        db.session.commit()
    publisher = world.client("publisher")
    task_list = publisher.get("/manage/entries/AIR-00001")
    assert task_list.find("a", href="/manage/entries/AIR-00001/review-date")
    page = publisher.get("/manage/entries/AIR-00001/review-date")
    assert "Overdue" in page.main.get_text(" ", strip=True)
    response = publisher.post(
        "/manage/entries/AIR-00001/still-accurate",
        {},
        302,
        form_url="/manage/entries/AIR-00001/review-date",
    )
    assert response.headers["Location"] == "/manage/entries/AIR-00001"
    assert "still accurate" in banner(publisher.get("/manage/entries/AIR-00001"))
    assert dates_of(app, "AIR-00001") == (today(), today() + timedelta(days=365), 1)
    action, detail = actions(app)[-1]
    assert action == "reviewed"
    assert detail.startswith("Still accurate.")
    history = publisher.get("/manage/entries/AIR-00001/history")
    assert "Reviewed: still accurate" in history.get_text()


def test_a_revision_in_progress_does_not_stop_a_review(app, world):
    world.entry("revision")
    set_due(app, "AIR-00001", today() - timedelta(days=1))
    world.client("publisher").post(
        "/manage/entries/AIR-00001/still-accurate",
        {},
        302,
        form_url="/manage/entries/AIR-00001/review-date",
    )
    assert dates_of(app, "AIR-00001")[1] == today() + timedelta(days=365)
    assert world.state("AIR-00001") == "draft"


def _date_fields(due: date) -> dict[str, list[str]]:
    return {"next_review_due": [str(due.day), str(due.month), str(due.year)]}


def test_a_publisher_changes_the_review_date(app, world):
    world.entry("published")
    publisher = world.client("publisher")
    page = publisher.get("/manage/entries/AIR-00001/review-date")
    due = today() + timedelta(days=365)
    assert page.select_one("input[name=next_review_due]")["value"] == due.strftime("%d")
    new_due = today() + timedelta(days=90)
    publisher.post("/manage/entries/AIR-00001/review-date", _date_fields(new_due), 302)
    assert dates_of(app, "AIR-00001") == (today(), new_due, 1)
    action, detail = actions(app)[-1]
    assert action == "review_date_changed"
    assert f"{new_due.day} {new_due:%B %Y}" in detail


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"next_review_due": ["", "", ""]}, "Enter the next review date"),
        ({"next_review_due": ["31", "2", "2027"]}, "Enter a real date, like 27 3 2027"),
        (_date_fields(today()), "The review date must be in the future"),
        (_date_fields(today() - timedelta(days=10)), "The review date must be in the future"),
        (_date_fields(today() + timedelta(days=3 * 365)), "The review date must be before"),
    ],
    ids=["empty", "not-a-date", "today", "past", "too-far"],
)
def test_a_bad_review_date_is_explained_and_changes_nothing(app, world, fields, problem):
    world.entry("published")
    page = world.client("publisher").post_page("/manage/entries/AIR-00001/review-date", fields)
    assert messages(page)[0].startswith(problem)
    assert dates_of(app, "AIR-00001")[1] == today() + timedelta(days=365)


@pytest.mark.parametrize(("who", "status"), [("editor", 403), ("outside_publisher", 404)])
def test_only_the_organisations_publishers_review(app, world, who, status):
    world.entry("published")
    browser = world.client(who)
    browser.get("/manage/entries/AIR-00001/review-date", status)
    browser.post("/manage/entries/AIR-00001/still-accurate", {}, status, form_url="/manage")
    assert dates_of(app, "AIR-00001")[1] == today() + timedelta(days=365)


def test_a_draft_never_published_has_no_review_date(world):
    world.entry("draft")
    publisher = world.client("publisher")
    response = publisher.client.get("/manage/entries/AIR-00001/review-date")
    assert response.status_code == 302
    assert "public version" in banner(publisher.get("/manage/entries/AIR-00001"))


# What the public sees -------------------------------------------------------------------


def test_an_overdue_entry_says_so_on_its_public_page(app, world):
    world.entry("published")
    revise(world, "AIR-00001", {"title": "Pothole triage"})
    visitor = world.client(None)
    assert visitor.get("/entries/AIR-00001").select_one("#review-overdue") is None
    set_due(app, "AIR-00001", today() - timedelta(days=1))
    notice = visitor.get("/entries/AIR-00001").select_one("#review-overdue")
    assert "Review overdue" in notice.get_text(" ", strip=True)
    yesterday = today() - timedelta(days=1)
    assert f"by {yesterday.day} {yesterday:%B %Y}" in notice.get_text(" ", strip=True)
    # An earlier version is history: the notice is about the entry as it is now.
    assert visitor.get("/entries/AIR-00001/versions/1").select_one("#review-overdue") is None


def test_an_entry_due_today_is_not_yet_overdue(app, world):
    world.entry("published")
    set_due(app, "AIR-00001", today())
    assert world.client(None).get("/entries/AIR-00001").select_one("#review-overdue") is None


def test_the_dashboard_lists_entries_due_for_review_soon(app, world):
    world.entry("published")
    world.entry("published")
    set_due(app, "AIR-00001", today() + timedelta(days=20))
    page = world.client("publisher").get("/manage")
    table = page.select_one("#due-soon").find_next("table")
    references = [row.select_one("td").get_text(strip=True) for row in table.select("tbody tr")]
    assert references == ["AIR-00001"]


# Reminders ------------------------------------------------------------------------------


def _remind(runner) -> str:
    result = runner.invoke(args=["register", "send-reminders"])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def due_entries(app, world):
    """Northshire: AIR-00001 overdue, AIR-00002 due in 10 days, AIR-00003 due in 40 days.
    Southvale: AIR-00004 due in 5 days."""
    for _ in range(3):
        world.entry("published")
    world.entry("published", organisation="Southvale Police", author="outside_editor")
    set_due(app, "AIR-00001", today() - timedelta(days=2))
    set_due(app, "AIR-00002", today() + timedelta(days=10))
    set_due(app, "AIR-00003", today() + timedelta(days=40))
    set_due(app, "AIR-00004", today() + timedelta(days=5))
    return world


def test_reminders_go_to_each_organisations_publishers(app, due_entries, runner):
    outbox = emptied_outbox(app)
    output = _remind(runner)
    assert "Sent 3 reminder emails about 3 entries." in output
    by_person = {message.to: message for message in outbox}
    assert sorted(by_person) == [
        "publisher@ns.example",
        "publisher@sv.example",
        "second@ns.example",
    ]
    northshire = by_person["publisher@ns.example"].body
    overdue, soon = northshire.split("Due for review soon:")
    assert "Overdue for review:" in overdue and "AIR-00001" in overdue
    assert "AIR-00002" in soon
    assert "AIR-00003" not in northshire and "AIR-00004" not in northshire
    assert "/manage/entries/AIR-00001/review-date" in northshire
    assert "AIR-00004" in by_person["publisher@sv.example"].body


def test_each_reminder_goes_once_per_review_date(app, due_entries, runner):
    outbox = emptied_outbox(app)
    _remind(runner)
    outbox.clear()
    assert "Sent 0 reminder emails about 0 entries." in _remind(runner)
    assert outbox == []

    # AIR-00002's review date passes: it is overdue now, which is worth one more reminder.
    set_due(app, "AIR-00002", today() - timedelta(days=1))
    _remind(runner)
    assert {message.to for message in outbox} == {"publisher@ns.example", "second@ns.example"}
    assert all("AIR-00002" in m.body and "AIR-00001" not in m.body for m in outbox)
    outbox.clear()
    _remind(runner)
    assert outbox == []

    # Reviewed: the next reminders are about the next review date, a year away.
    due_entries.client("publisher").post(
        "/manage/entries/AIR-00001/still-accurate",
        {},
        302,
        form_url="/manage/entries/AIR-00001/review-date",
    )
    _remind(runner)
    assert outbox == []
    set_due(app, "AIR-00001", today() + timedelta(days=29))
    _remind(runner)
    assert len(outbox) == 2 and "AIR-00001" in outbox[0].body
    with app.app_context():
        kept = db.session.scalar(select(func.count()).select_from(ReviewReminder))
    assert kept == 5  # 1, 2 and 4 at first; then 2 overdue; then 1 for its next date


def test_an_organisation_without_publishers_is_reported_and_tried_again(app, world, runner):
    world.entry("published")
    set_due(app, "AIR-00001", today() + timedelta(days=3))
    with app.app_context():
        db.session.execute(update(Membership).values(role="editor"))
        db.session.commit()
    outbox = emptied_outbox(app)
    result = runner.invoke(args=["register", "send-reminders"])
    assert "Northshire County Council: it has no publisher" in result.output
    assert outbox == []
    with app.app_context():
        db.session.execute(
            update(Membership).where(Membership.role == "editor").values(role="publisher")
        )
        db.session.commit()
    _remind(runner)
    assert outbox


def test_withdrawn_and_never_published_entries_get_no_reminder(app, world, runner):
    world.entry("withdrawn")
    world.entry("draft")
    set_due(app, "AIR-00001", today() - timedelta(days=5))
    set_due(app, "AIR-00002", today() - timedelta(days=5))
    outbox = emptied_outbox(app)
    _remind(runner)
    assert outbox == []
