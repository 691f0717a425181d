"""The dashboard: a person's organisations' entries by state, what waits for their review, and
published entries whose review date has passed."""

from __future__ import annotations

from datetime import date, timedelta

from register.extensions import db

from .factories import publishable_values
from .manage_world import WORLD

world = WORLD


def listed(page, heading_id: str) -> list[str]:
    """The references listed in the table under the heading with `heading_id`."""
    heading = page.find(id=heading_id)
    following = heading.find_next_sibling(["table", "p", "h2"])
    while following is not None and following.name == "p":
        following = following.find_next_sibling(["table", "p", "h2"])
    if following is None or following.name != "table":
        return []
    return [row.select_one("td").get_text(strip=True) for row in following.select("tbody tr")]


def test_people_see_their_organisations_entries_grouped_by_state(world):
    world.entry()  # AIR-00001
    world.entry("in_review")  # AIR-00002
    world.entry("published")  # AIR-00003
    world.entry("withdrawn")  # AIR-00004
    world.entry(organisation="Southvale Police", author="outside_editor")  # AIR-00005

    page = world.client("editor").get("/manage")
    assert page.h1.get_text(strip=True) == "Your entries"
    assert listed(page, "draft") == ["AIR-00001"]
    assert listed(page, "in_review") == ["AIR-00002"]
    assert listed(page, "published") == ["AIR-00003"]
    assert listed(page, "withdrawn") == ["AIR-00004"]
    assert page.find(id="draft").get_text(strip=True) == "Draft (1)"
    assert "AIR-00005" not in page.get_text()
    link = page.select_one("a[href='/manage/entries/AIR-00001']")
    assert link.get_text(strip=True) == "Chatbot"

    page = world.client("admin").get("/manage")
    assert listed(page, "draft") == ["AIR-00005", "AIR-00001"]


def test_publishers_see_what_waits_for_their_review_but_not_their_own_submissions(world):
    world.entry("in_review")  # submitted by the editor
    world.entry("in_review", author="publisher")
    world.entry("in_review", organisation="Southvale Police", author="outside_editor")

    assert listed(world.client("publisher").get("/manage"), "waiting") == ["AIR-00001"]
    assert listed(world.client("second_publisher").get("/manage"), "waiting") == [
        "AIR-00001",
        "AIR-00002",
    ]
    # Editors review nothing, so they are not told that nothing waits for them.
    page = world.client("editor").get("/manage")
    assert page.find(id="waiting") is None
    assert "your review" not in page.main.get_text()
    page = world.client("outside_publisher").get("/manage")
    assert listed(page, "waiting") == ["AIR-00003"]

    with world.app.app_context():
        world.organisation().allows_self_publishing = True
        db.session.commit()
    assert listed(world.client("publisher").get("/manage"), "waiting") == [
        "AIR-00001",
        "AIR-00002",
    ]


def test_a_publisher_with_nothing_to_review_is_told_so(world):
    page = world.client("publisher").get("/manage")
    assert listed(page, "waiting") == []
    assert "Nothing is waiting for your review." in page.main.get_text()


def test_published_entries_past_their_review_date_are_listed(world):
    world.entry("published")
    world.entry("published", values=publishable_values(title="Still fresh"))
    world.entry("revision")  # public, with a new version being drafted
    with world.app.app_context():
        for reference, days in (("AIR-00001", -1), ("AIR-00002", 30), ("AIR-00003", -400)):
            world.load(reference).next_review_due = date.today() + timedelta(days=days)
            db.session.commit()

    page = world.client("editor").get("/manage")
    assert listed(page, "overdue") == ["AIR-00003", "AIR-00001"]
    assert listed(world.client("outside_publisher").get("/manage"), "overdue") == []


def test_the_dashboard_offers_to_create_an_entry(world):
    page = world.client("editor").get("/manage")
    assert page.select_one("a.govuk-button[href='/manage/entries/new']")


def test_signed_in_people_reach_their_entries_from_the_navigation(world, client_request):
    assert "Your entries" not in client_request.get("/").select_one("nav").get_text()
    page = world.client("editor").get("/manage")
    link = page.select_one("nav a[href='/manage']")
    assert link.get_text(strip=True) == "Your entries"
    assert link["aria-current"] == "page"
