"""An entry's public history: every published version listed, each viewable as it was, and
what changed in each compared with the one before."""

from __future__ import annotations

import pytest

from .manage_world import WORLD
from .public_entries import counted_statements, revise, rows_of_each_group
from .snapshots import built_once
from .test_entry_pages import XSS, assert_shown_as_text

world = WORLD


@pytest.fixture
def three_versions(world):
    """AIR-00001 published three times, with a change note each time."""

    def build() -> None:
        world.entry("published")
        revise(world, "AIR-00001", {"title": "Pothole triage"}, note="Shorter title.")
        revise(world, "AIR-00001", {"risk_level": "medium"}, note="Risk reassessed.")

    built_once(world.app, "three versions", build)
    return world


def test_the_versions_page_lists_every_published_version_newest_first(three_versions):
    page = three_versions.client(None).get("/entries/AIR-00001/versions")

    assert page.select_one("h1").get_text(strip=True) == "Versions of Pothole triage"
    versions = page.select(".govuk-summary-card")
    titles = [v.select_one("h2").get_text(" ", strip=True) for v in versions]
    assert titles == ["Version 3 Current", "Version 2", "Version 1"]
    notes = [v.select("dd")[1].get_text(" ", strip=True) for v in versions]
    assert notes == ["Risk reassessed.", "Shorter title.", "First publication."]
    assert all(v.select("dd")[0].get_text(strip=True) for v in versions), "a date is missing"
    links = [a["href"] for a in page.select(".govuk-summary-card__actions a")]
    assert links == [
        "/entries/AIR-00001/versions/3",
        "/entries/AIR-00001/versions/3/changes",
        "/entries/AIR-00001/versions/2",
        "/entries/AIR-00001/versions/2/changes",
        "/entries/AIR-00001/versions/1",
    ]


def test_the_entry_page_links_to_its_versions_and_its_latest_changes(three_versions):
    page = three_versions.client(None).get("/entries/AIR-00001")
    hrefs = [a["href"] for a in page.select("main a")]
    assert "/entries/AIR-00001/versions" in hrefs
    assert "/entries/AIR-00001/versions/3/changes" in hrefs


def test_an_earlier_version_is_shown_as_it_was_and_says_it_is_not_current(three_versions):
    page = three_versions.client(None).get("/entries/AIR-00001/versions/1")

    assert page.select_one("h1").get_text(strip=True) == "Pothole report triage"
    banner = page.select_one(".govuk-notification-banner")
    assert "This is version 1 of 3" in banner.get_text(" ", strip=True)
    assert "not the current version" in banner.get_text()
    assert banner.select_one("a")["href"] == "/entries/AIR-00001"
    details = {
        row.select_one("dt").get_text(strip=True): row.select_one("dd").get_text(" ", strip=True)
        for row in page.select("#entry-details .govuk-summary-list__row")
    }
    assert details["Version"] == "1"
    assert details["Change note"] == "First publication."
    assert "Next review due" not in details, "review dates belong to the current version"
    risk = page.select_one("#section-risks .govuk-summary-list__row dd").get_text(strip=True)
    assert risk == "Low"
    crumbs = [a["href"] for a in page.select(".govuk-breadcrumbs a")]
    assert crumbs == ["/", "/entries", "/entries/AIR-00001", "/entries/AIR-00001/versions"]


def test_the_current_version_by_number_has_no_old_version_banner(three_versions):
    page = three_versions.client(None).get("/entries/AIR-00001/versions/3")
    assert page.select_one(".govuk-notification-banner") is None
    assert page.select_one("h1").get_text(strip=True) == "Pothole triage"


@pytest.mark.parametrize("suffix", ["", "/changes"])
@pytest.mark.parametrize(
    "number", ["0", "-1", "4", "100000", "100001", "99999999999999999999999", "one", "1.5", "%20"]
)
def test_a_version_number_that_is_not_published_is_not_found(three_versions, number, suffix):
    three_versions.client(None).get(
        f"/entries/AIR-00001/versions/{number}{suffix}", expected_status=404
    )


def test_a_version_of_another_entry_is_not_found(three_versions):
    three_versions.entry("published")
    three_versions.client(None).get("/entries/AIR-00002/versions/2", expected_status=404)


def test_version_1_has_nothing_to_compare_with(three_versions):
    page = three_versions.client(None).get("/entries/AIR-00001/versions/1/changes")
    text = page.select_one("main").get_text(" ", strip=True)
    assert "first published version" in text
    assert "no earlier version to compare it with" in text
    assert not page.select("ins, del")


def changes_page(world, number: int = 2):
    return world.client(None).get(f"/entries/AIR-00001/versions/{number}/changes")


def changed(page) -> dict[str, object]:
    """The changed answers on a comparison page, by question."""
    return {
        row.select_one("dt").get_text(strip=True): row.select_one("dd")
        for row in page.select(".govuk-summary-list__row")
    }


def test_long_text_changes_are_marked_word_by_word_in_words_and_not_colour_alone(world):
    world.entry("published")
    revise(
        world,
        "AIR-00001",
        {"purpose": "Reports arrive much faster than the two inspectors can read them all."},
    )
    page = changes_page(world)

    purpose = changed(page)["Purpose"]
    assert [ins.get_text() for ins in purpose.select("ins")] == [
        "added: much (end of addition)",
        "added: the two (end of addition)",
        "added: them all. (end of addition)",
    ]
    assert [d.get_text() for d in purpose.select("del")] == ["removed: them. (end of removal)"]
    for mark in purpose.select("ins, del"):
        hidden = mark.select_one(".govuk-visually-hidden")
        assert hidden.get_text() in ("added: ", "removed: ")
    assert purpose.get_text(" ", strip=True).startswith("Reports arrive")


def test_a_changed_choice_and_boolean_show_before_and_after_as_labels(world):
    world.entry("published")
    revise(world, "AIR-00001", {"risk_level": "high", "uses_personal_data": True})
    answers = changed(changes_page(world))

    risk = answers["Risk level"].get_text(" ", strip=True)
    assert risk == "Before: Low After: High"
    assert answers["Risk level"].select_one("del").get_text() == "Low"
    assert answers["Risk level"].select_one("ins").get_text() == "High"
    personal = answers["Does the tool use personal data?"].get_text(" ", strip=True)
    assert personal == "Before: No After: Yes"


def test_an_answer_given_for_the_first_time_was_not_provided_before(world):
    world.entry("published")
    revise(world, "AIR-00001", {"team": "Highways"})
    team = changed(changes_page(world))["Team"].get_text(" ", strip=True)
    assert team == "Before: not provided After: Highways"


def test_techniques_added_and_removed_are_each_marked(world):
    world.entry("published")
    revise(world, "AIR-00001", {"techniques": ["classical_ml", "generative_ai"]})
    techniques = changed(changes_page(world))["Techniques"]
    items = [li.get_text(" ", strip=True) for li in techniques.select("li")]
    assert items == [
        "Classical machine learning",
        "added: Generative AI (end of addition)",
        "removed: Computer vision (end of removal)",
    ]


def test_rows_added_removed_and_changed_are_listed_by_name(world):
    world.entry(
        "published",
        rows={"risks": [{"name": "Bias"}, {"name": "Drift"}, {"name": "Misuse"}]},
    )
    revise(
        world,
        "AIR-00001",
        rows={
            "risks": [
                {"name": "Drift", "mitigation": "Retrained every year"},
                {"name": "Misuse"},
                {"name": "Outage", "category": "security"},
            ]
        },
    )
    page = changes_page(world)

    titles = [h.get_text(strip=True) for h in page.select("#group-risks ~ div h4")]
    assert titles == ["Removed: Risk 1: Bias", "Changed: Risk 1: Drift", "Added: Risk 3: Outage"]
    drift = page.find("h4", string="Changed: Risk 1: Drift").find_parent(
        class_="govuk-summary-card"
    )
    assert [dt.get_text(strip=True) for dt in drift.select("dt")] == ["Mitigation"]
    assert "Retrained every year" in drift.select_one("dd").get_text()
    outage = page.find("h4", string="Added: Risk 3: Outage").find_parent(
        class_="govuk-summary-card"
    )
    assert "Category Security" in outage.get_text(" ", strip=True)


def test_unchanged_answers_are_counted_not_shown(world):
    world.entry("published")
    revise(world, "AIR-00001", {"team": "Highways"})
    page = changes_page(world)
    text = page.select_one("main").get_text(" ", strip=True)
    assert "1 answer changed." in text
    assert "did not change and are not shown" in text
    assert list(changed(page)) == ["Team"]
    unchanged = [li.get_text(strip=True) for li in page.select("main ul.govuk-list--bullet li")]
    assert "Purpose and use" in unchanged and "About the tool" not in unchanged


def test_changes_are_shown_as_text_never_as_markup(world):
    world.entry("published", rows={"risks": [{"name": "Bias"}]})
    revise(
        world,
        "AIR-00001",
        {"title": XSS, "purpose": f"Reports {XSS} arrive", "team": XSS},
        rows={"risks": [{"name": "Bias", "description": XSS}, {"name": XSS}]},
        note=XSS,
    )
    visitor = world.client(None)
    assert_shown_as_text(changes_page(world))
    assert_shown_as_text(visitor.get("/entries/AIR-00001/versions"))
    assert_shown_as_text(visitor.get("/entries/AIR-00001/versions/1"))


@pytest.mark.parametrize(
    "page",
    [
        "/entries/{}/versions",
        "/entries/{}/versions/1",
        "/entries/{}/versions/2/changes",
    ],
)
def test_the_number_of_statements_does_not_grow_with_rows_or_versions(world, app, page):
    world.entry("published", rows=rows_of_each_group(1))
    revise(world, "AIR-00001", {"team": "Highways"})
    world.entry("published", rows=rows_of_each_group(10))
    for number in range(8):
        revise(world, "AIR-00002", {"team": f"Highways {number}"}, rows=rows_of_each_group(10))
    visitor = world.client(None)
    counts = []
    for reference in ("AIR-00001", "AIR-00002"):
        with counted_statements(app) as statements:
            visitor.get(page.format(reference))
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
    # Ten on a version's page: one asks when its responses to problems last changed, one
    # reads its withheld answers.
    assert counts[0] <= 10, counts
