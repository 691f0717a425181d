"""The statistics at /stats and /stats.json, checked against counts the test makes itself
from the answers it gave each entry."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, update

from register import publishing, schema
from register.extensions import db
from register.models import Entry, EntryVersion
from register.validation import completeness

from .factories import publishable_values
from .manage_world import WORLD
from .public_entries import counted_statements, revise, withdraw

world = WORLD

# What each public entry says in the end, by organisation; the test counts from these.
NORTHSHIRE = "Northshire County Council"  # a local authority
SOUTHVALE = "Southvale Police"  # a police force
ANSWERS = [
    (NORTHSHIRE, publishable_values()),
    (
        NORTHSHIRE,
        publishable_values(
            status="pilot",
            risk_level="high",
            policy_area="health",
            techniques=["generative_ai", "nlp"],
            decision_role="informs",
            uses_personal_data=True,
            eu_ai_act_category="high_risk",
            team="Adult social care",
            web_page="https://northshire.example/care",
        ),
    ),
    (
        SOUTHVALE,
        publishable_values(
            status="in_use",
            risk_level="medium",
            policy_area="public_order_safety",
            techniques=["classical_ml"],
            decision_role="decides_with_review",
            uses_personal_data=True,
            eu_ai_act_category="minimal_risk",
        ),
    ),
    (
        NORTHSHIRE,
        publishable_values(status="planned", risk_level="low", techniques=["rule_based"]),
    ),
]
# AIR-00004 is published first with other answers, then revised to the ones above.
FIRST_ANSWERS_OF_4 = {"status": "in_development", "risk_level": "high"}
ORGANISATION_TYPES = {NORTHSHIRE: "local_government", SOUTHVALE: "police"}


@pytest.fixture
def register(app, world):
    """Four public entries (AIR-00001 to 00004), one withdrawn (00005) and a draft (00006)."""
    for organisation, values in ANSWERS:
        first = {**values, **FIRST_ANSWERS_OF_4} if values["status"] == "planned" else values
        author = "outside_editor" if organisation == SOUTHVALE else "editor"
        world.entry("published", values=first, organisation=organisation, author=author)
    revise(world, "AIR-00004", {k: ANSWERS[3][1][k] for k in FIRST_ANSWERS_OF_4})
    retired = publishable_values(status="retired", retired_on="2024", retirement_reason="Old.")
    world.entry("published", values=retired)
    withdraw(world, "AIR-00005", "Published in error.")
    world.entry("draft", values={"title": "Not yet", "status": "in_use"})
    return world


def expected_counts() -> dict[str, Counter]:
    """Entries per code of each field, counted from ANSWERS."""
    counts: dict[str, Counter] = {}
    for name in ("status", "risk_level", "policy_area", "decision_role", "eu_ai_act_category"):
        counts[name] = Counter(values.get(name) or "not_answered" for _, values in ANSWERS)
    counts["techniques"] = Counter(code for _, v in ANSWERS for code in v["techniques"])
    counts["organisation_type"] = Counter(ORGANISATION_TYPES[o] for o, _ in ANSWERS)
    counts["uses_personal_data"] = Counter(
        "yes" if v["uses_personal_data"] else "no" for _, v in ANSWERS
    )
    return counts


def test_the_figures_equal_counts_made_independently(client_request, register):
    figures = client_request.client.get("/stats.json").get_json()
    assert figures["entries"] == len(ANSWERS)
    assert figures["organisations"] == 2
    for name, expected in expected_counts().items():
        given = {code: count for code, count in figures["by"][name].items() if count}
        assert given == dict(expected), name
    assert figures["personal_data_share"] == pytest.approx(2 / 4)
    assert figures["top_organisations"] == [
        {"organisation": "northshire-county-council", "name": NORTHSHIRE, "entries": 3},
        {"organisation": "southvale-police", "name": SOUTHVALE, "entries": 1},
    ]
    this_month = date.today().strftime("%Y-%m")
    assert figures["published_per_month"] == {this_month: 4}
    assert figures["overdue_reviews"] == 0
    assert figures["as_of"] == date.today().isoformat()


def test_techniques_are_counted_from_what_the_public_sees_not_from_drafts_or_old_versions(
    client_request, register
):
    # AIR-00002 is revised twice: published with one technique, then a draft with another.
    revise(register, "AIR-00002", {"techniques": ["computer_vision"]})
    revise(register, "AIR-00002", {"techniques": ["speech", "forecasting"]}, publish=False)
    figures = client_request.client.get("/stats.json").get_json()
    expected = expected_counts()["techniques"]
    expected.subtract({"generative_ai": 1, "nlp": 1})
    expected["computer_vision"] += 1
    given = {code: count for code, count in figures["by"]["techniques"].items() if count}
    assert given == {code: count for code, count in expected.items() if count}
    assert figures["by"]["techniques"]["speech"] == 0


def test_the_figures_can_be_read_from_any_site(client):
    response = client.get("/stats.json")
    assert response.mimetype == "application/json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_every_code_is_listed_even_when_no_entry_has_it(client_request, register):
    figures = client_request.client.get("/stats.json").get_json()
    status = next(f for f in schema.all_fields() if f.name == "status")
    assert set(figures["by"]["status"]) == set(status.vocabulary.codes)
    assert figures["by"]["status"]["retired"] == 0  # the retired tool was withdrawn


def test_average_completeness_is_what_the_completeness_indicator_says(
    app, client_request, register
):
    with app.app_context():
        versions = db.session.scalars(select(EntryVersion).where(EntryVersion.is_current.is_(True)))
        shares = []
        for version in versions:
            answered, asked = completeness(
                publishing.values_of(version), publishing.rows_of(version)
            )
            shares.append(answered / asked)
    assert len(shares) == len(ANSWERS)
    figures = client_request.client.get("/stats.json").get_json()
    assert figures["average_completeness"] == pytest.approx(sum(shares) / len(shares))
    page = client_request.get("/stats")
    shown = page.select_one("#average-completeness").get_text(" ", strip=True)
    assert shown.startswith(f"{round(100 * sum(shares) / len(shares))}%")


def test_completeness_counts_rows_and_questions_required_only_sometimes(app, world, client_request):
    values = publishable_values(
        status="retired",
        retired_on="2025",
        retirement_reason="Replaced.",
        built_by="external_supplier",
        supplier_name="Acme Analytics",
    )
    rows = {"risks": [{"name": "Bias", "category": "bias_discrimination"}]}
    world.entry("published", values=values, rows=rows)
    with app.app_context():
        version = db.session.scalar(select(EntryVersion).where(EntryVersion.is_current.is_(True)))
        answered, asked = completeness(publishing.values_of(version), publishing.rows_of(version))
    figures = client_request.client.get("/stats.json").get_json()
    assert figures["average_completeness"] == pytest.approx(answered / asked)


def _first_published_at(app, moments: dict[str, datetime]) -> None:
    """Set when each entry (by reference) was first published."""
    with app.app_context():
        for reference, moment in moments.items():
            db.session.execute(
                update(Entry).where(Entry.reference == reference).values(first_published_at=moment)
            )
        db.session.commit()


def test_entries_are_counted_by_the_month_they_were_first_published(app, client_request, register):
    months = {
        "AIR-00001": datetime(2025, 11, 3, tzinfo=UTC),
        "AIR-00002": datetime(2026, 1, 20, tzinfo=UTC),
        "AIR-00003": datetime(2026, 1, 21, tzinfo=UTC),
    }
    _first_published_at(app, months)
    # The cached figures let go when the register changes: publish another entry.
    register.entry("published")
    per_month = client_request.client.get("/stats.json").get_json()["published_per_month"]
    this_month = date.today().strftime("%Y-%m")
    assert per_month["2025-11"] == 1
    assert per_month["2025-12"] == 0
    assert per_month["2026-01"] == 2
    assert per_month[this_month] == 2
    assert list(per_month) == sorted(per_month)
    assert sum(per_month.values()) == 5

    # Each month's bar and row lead to the listing of the entries first published then.
    page = client_request.get("/stats")
    rows = _table(_section(page, "per-month"))
    assert rows["January 2026"] == (2, "/entries?published=2026-01")
    assert rows["December 2025"] == (0, "/entries?published=2025-12")
    bars = {a["href"] for a in _section(page, "per-month").select("svg a")}
    assert bars == {href for _, href in rows.values()}
    for label, (number, href) in rows.items():
        listing = client_request.get(href)
        heading = listing.select_one("#results-heading").get_text(" ", strip=True)
        found = int(re.match(r"(\d+|No) entr", heading).group(1).replace("No", "0"))
        assert found == number == per_month[href[-7:]], (label, heading)
        assert {t.get_text(" ", strip=True) for t in listing.select(".register-chosen__tag")} == {
            f"Remove First published: {label} ×"
        }


def test_a_month_counts_from_its_first_moment_in_utc_to_the_next_months(
    app, client_request, register
):
    moments = {
        "AIR-00001": datetime(2026, 1, 31, 23, 59, 59, 999999, tzinfo=UTC),
        "AIR-00002": datetime(2026, 2, 1, tzinfo=UTC),
        "AIR-00003": datetime(2026, 2, 1, 0, 0, 1, tzinfo=UTC),
        # Withdrawn: neither counted nor the first month shown.
        "AIR-00005": datetime(2025, 6, 30, tzinfo=UTC),
    }
    _first_published_at(app, moments)
    register.entry("published")

    per_month = client_request.client.get("/stats.json").get_json()["published_per_month"]

    assert min(per_month) == "2026-01"
    assert (per_month["2026-01"], per_month["2026-02"], per_month["2026-03"]) == (1, 2, 0)
    rows = _table(_section(client_request.get("/stats"), "per-month"))
    assert rows["January 2026"] == (1, "/entries?published=2026-01")
    assert rows["February 2026"] == (2, "/entries?published=2026-02")
    assert "December 2025" not in rows


def test_overdue_reviews_are_counted_as_of_today(app, client_request, register):
    with app.app_context():
        db.session.execute(
            update(Entry)
            .where(Entry.reference.in_(["AIR-00001", "AIR-00005"]))
            .values(next_review_due=date.today() - timedelta(days=1))
        )
        db.session.commit()
    figures = client_request.client.get("/stats.json").get_json()
    assert figures["overdue_reviews"] == 1  # AIR-00005 was withdrawn
    assert client_request.get("/stats").select_one("#overdue-reviews").get_text(strip=True) == "1"


def _section(page, section_id: str):
    section = page.select_one(f"#{section_id}")
    assert section is not None, f"no #{section_id}"
    return section


def _table(section) -> dict[str, tuple[int, str]]:
    rows = {}
    for row in section.select("table tbody tr"):
        label = row.select_one("th")
        link = label.select_one("a")
        rows[label.get_text(strip=True)] = (
            int(row.select("td")[0].get_text(strip=True).replace(",", "")),
            link["href"] if link else "",
        )
    return rows


def test_each_chart_has_a_title_a_summary_and_a_table_of_the_same_numbers(client_request, register):
    page = client_request.get("/stats")
    expected = expected_counts()
    sections = page.select("section.register-statistic")
    assert len(sections) == 11  # with entries by source
    for section in sections:
        title = section.select_one("h2")
        assert section["aria-labelledby"] == title["id"]
        assert section.select_one("p.govuk-body").get_text(strip=True)
        chart = section.select_one("svg.register-chart")
        assert chart["aria-hidden"] == "true"
        table = section.select_one("table")
        assert table.caption.get_text(strip=True) == title.get_text(strip=True)
        # The chart draws the table's numbers, bar for bar.
        drawn = [t.get_text(strip=True) for t in chart.select("text.register-chart__number")]
        if "per-month" not in section["id"]:
            numbers = [row.select("td")[0].get_text(strip=True) for row in table.select("tbody tr")]
            assert drawn == numbers, section["id"]
    status = _table(_section(page, "by-status"))
    assert status["In use"] == (expected["status"]["in_use"], "/entries?status=in_use")
    assert status["Pilot"] == (1, "/entries?status=pilot")
    summary = _section(page, "by-status").select_one("p.govuk-body").get_text(strip=True)
    assert summary == "The most common is “In use”: 2 of 4 entries (50%)."
    techniques = _table(_section(page, "by-techniques"))
    assert techniques["Generative AI"] == (1, "/entries?techniques=generative_ai")
    assert _section(page, "by-techniques").select_one(".govuk-hint")
    titles = [section.h2.get_text(strip=True) for section in sections]
    assert titles[:7] == [
        "Published entries by status",
        "Published entries by risk level",
        "Published entries by policy area",
        "Published entries by techniques",
        "Published entries by role in decisions",
        "Published entries by organisation type",
        "Published entries by EU AI Act category",
    ]
    eu = _table(_section(page, "by-eu-ai-act-category"))
    assert eu["Not answered"] == (2, "")
    types = _table(_section(page, "by-organisation-type"))
    assert types["Police force"] == (1, "/entries?organisation_type=police")
    personal = _table(_section(page, "personal-data"))
    assert personal["Uses personal data"] == (2, "/entries?uses_personal_data=yes")
    top = _table(_section(page, "top-organisations"))
    assert top[NORTHSHIRE] == (3, "/entries?organisation=northshire-county-council")


def test_every_bar_links_to_the_listing_filtered_the_same_way(client_request, register):
    page = client_request.get("/stats")
    checked = 0
    for section in page.select("section.register-statistic"):
        for link in section.select("svg a"):
            assert link["tabindex"] == "-1"
            # A bar shows its number, or a column (the months) has it in its title.
            shown = link.select_one("text.register-chart__number") or link.parent.title
            number = int(shown.get_text().rsplit(" ", 1)[-1].replace(",", ""))
            listing = client_request.get(link["href"])
            heading = listing.select_one("#results-heading").get_text(" ", strip=True)
            found = int(re.match(r"(\d+|No) entr", heading).group(1).replace("No", "0"))
            assert found == number, (link["href"], heading)
            checked += 1
    assert checked > 40


def test_the_page_has_no_inline_styles_and_sets_no_cookie(client, register):
    response = client.get("/stats")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    html = response.get_data(as_text=True)
    assert " style=" not in html
    assert "<script>" not in html


def test_an_empty_register_has_statistics_too(client_request):
    page = client_request.get("/stats")
    assert "no published entries" in page.select_one("#by-status").get_text(" ", strip=True)
    figures = client_request.client.get("/stats.json").get_json()
    assert figures["entries"] == 0
    assert figures["average_completeness"] is None
    assert figures["published_per_month"] == {}


def test_the_navigation_links_to_the_statistics(client_request):
    page = client_request.get("/stats")
    current = page.select_one(".govuk-service-navigation__item--active a")
    assert current.get_text(strip=True) == "Statistics"
    assert current["href"] == "/stats"


def test_figures_are_kept_until_the_register_changes(app, client, register):
    client.get("/stats.json")
    with counted_statements(app) as statements:
        client.get("/stats.json")
    # Three to see whether the register changed, and its generation (review dates move it).
    assert len(statements) == 4, statements
