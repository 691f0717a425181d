"""The public page of an entry: what a visitor sees of published, retired, withdrawn, draft
and half-revised entries, every answer of the record, and the cost of the page."""

from __future__ import annotations

import pytest

from register import schema
from register.extensions import db
from register.views.entry_display import partial_date, safe_link

from .factories import publishable_values
from .manage_world import WORLD
from .public_entries import counted_statements, retire, revise, rows_of_each_group, withdraw

world = WORLD


def card(page, slug: str) -> dict[str, str]:
    """The answers in the summary card with id `slug`, keyed by question."""
    element = page.select_one(f"#{slug}")
    assert element is not None, f"no card #{slug}"
    return {
        row.select_one("dt").get_text(" ", strip=True): row.select_one("dd").get_text(
            " ", strip=True
        )
        for row in element.select(".govuk-summary-list__row")
    }


def keys(element) -> list[str]:
    return [dt.get_text(" ", strip=True) for dt in element.select("dt.govuk-summary-list__key")]


def test_a_published_entry_shows_its_current_version_with_the_register_details(world):
    world.entry("published")
    page = world.client(None).get("/entries/AIR-00001")

    assert page.select_one("h1").get_text(strip=True) == "Pothole report triage"
    assert page.select_one("title").get_text(strip=True).startswith("Pothole report triage – ")
    details = card(page, "entry-details")
    assert details["Organisation"] == "Northshire County Council"
    assert details["Reference"] == "AIR-00001"
    assert details["Version"] == "1"
    assert details["Public contact email"] == "highways@northshire.example"
    for label in ("First published", "Last published", "Last reviewed", "Next review due"):
        assert details[label] and details[label] != "Not provided", label
    assert details["Change note"] == "First publication."
    # Which version of the record's definition it follows is for the files, not the page.
    assert "Schema version" not in details
    organisation_links = page.select('a[href="/organisations/northshire-county-council"]')
    assert organisation_links, "the organisation is not linked to its page"
    assert page.select_one('a[href="mailto:highways@northshire.example"]')


def test_breadcrumbs_lead_back_to_the_listing(world):
    world.entry("published")
    page = world.client(None).get("/entries/AIR-00001")
    crumbs = page.select(".govuk-breadcrumbs a")
    assert [(a.get_text(strip=True), a["href"]) for a in crumbs] == [
        ("Home", "/"),
        ("Entries", "/entries"),
    ]


def test_every_field_of_the_record_is_shown_with_its_label_in_its_section(world):
    rows = rows_of_each_group(1)
    world.entry("published", rows=rows)
    page = world.client(None).get("/entries/AIR-00001")

    answers = publishable_values()  # an entry in use, built in house
    # A question asked only for some answers to another is not on the page for the rest.
    not_asked = {
        f.name
        for f in schema.all_fields()
        if f.required_if
        and answers.get(f.required_if[0]) not in f.required_if[1]
        and not answers.get(f.name)
    }
    assert {"retired_on", "retirement_reason"} <= not_asked
    for section in schema.SECTIONS:
        assert keys(page.select_one(f"#section-{section.slug}")) == [
            f.label for f in section.fields if f.name not in not_asked and not f.welsh_of
        ]
        for group in section.groups:
            heading = page.select_one(f"#group-{group.name}")
            assert heading.get_text(strip=True) == group.label
            row_card = heading.find_next_sibling(class_="govuk-summary-card")
            # A Welsh answer is shown in its English one's place, never as a row of its own.
            assert keys(row_card) == [f.label for f in group.fields if not f.welsh_of]
    register_labels = set(keys(page.select_one("#entry-details")))
    kept_for_files = {"Schema version"}
    assert {f.label for f in schema.REGISTER_FIELDS} - kept_for_files <= register_labels
    ids = [element["id"] for element in page.select("[id]")]
    assert len(ids) == len(set(ids)), "an id is used twice"


def test_answers_read_as_words_with_lists_links_and_plain_not_provided(world):
    world.entry(
        "published",
        values=publishable_values(
            web_page="https://northshire.example/potholes",
            purpose="Reports arrive faster than inspectors can read them.\n\nSo they wait.",
            started_on="2023-11-02",
        ),
        rows=rows_of_each_group(2),
    )
    page = world.client(None).get("/entries/AIR-00001")

    about = card(page, "section-about")
    assert about["Policy area"] == "Economic affairs"
    assert about["Status"] == "In use"
    assert about["In use from"] == "May 2024"
    assert about["Work started"] == "2 November 2023"
    assert about["Team"] == "Not provided"
    # Questions asked only of retired tools are not on the page of one in use.
    assert "Retired on" not in about and "Reason for retirement" not in about
    link = page.select_one('#section-about a[href="https://northshire.example/potholes"]')
    assert link is not None and "noopener" in link["rel"]
    assert card(page, "section-purpose")["Role in decisions"] == "Recommends, and a person decides"
    purpose = page.select("#section-purpose .govuk-summary-list__row")[0].select("dd p")
    assert [p.get_text() for p in purpose] == [
        "Reports arrive faster than inspectors can read them.",
        "So they wait.",
    ]
    techniques = page.select("#section-technology dd ul li")
    assert [li.get_text(strip=True) for li in techniques] == [
        "Classical machine learning",
        "Computer vision",
    ]
    assert card(page, "section-data")["Does the tool use personal data?"] == "No"
    assert card(page, "section-data")["Does the tool use special category data?"] == "Not provided"

    row_titles = [h.get_text(strip=True) for h in page.select("h4.govuk-summary-card__title")]
    assert row_titles == [
        "Data source 1: Source 1",
        "Data source 2: Source 2",
        "Risk 1: Risk number 1",
        "Risk 2: Risk number 2",
        "Impact assessment 1: Assessment 1",
        "Impact assessment 2: Assessment 2",
    ]
    risk = page.find("h4", string="Risk 2: Risk number 2").find_parent(class_="govuk-summary-card")
    assert "Accuracy and reliability" in risk.get_text()
    source = page.find("h4", string="Data source 2: Source 2").find_parent(
        class_="govuk-summary-card"
    )
    assert "Contains personal data Yes" in source.get_text(" ", strip=True)
    assert source.select_one('a[href="https://data.northshire.example/2"]')


def test_a_repeating_group_with_no_rows_says_so(world):
    world.entry("published")
    page = world.client(None).get("/entries/AIR-00001")
    text = page.select_one("main").get_text(" ", strip=True)
    assert "No data sources provided." in text
    assert "No risks provided." in text
    assert "No impact assessments provided." in text


def test_only_web_addresses_become_links(world, app):
    world.entry("published", values=publishable_values(web_page="https://northshire.example"))
    with app.app_context():
        version = world.load("AIR-00001").current_version
        version.web_page = "javascript:alert(1)"  # as if stored before validation existed
        db.session.commit()
    page = world.client(None).get("/entries/AIR-00001")
    assert not page.select('a[href^="javascript"]')
    assert card(page, "section-about")["Web page"] == "javascript:alert(1)"


@pytest.mark.parametrize(
    ("url", "linked"),
    [
        ("https://example.org/a?b=c", True),
        ("http://example.org", True),
        ("HTTPS://EXAMPLE.ORG", True),
        ("javascript:alert(1)", False),
        ("data:text/html,hi", False),
        ("//example.org", False),
        ("https://", False),
        ("https://[::1", False),
    ],
)
def test_a_web_address_is_linked_only_if_it_is_http_or_https(url, linked):
    assert bool(safe_link(url)) is linked


@pytest.mark.parametrize(
    ("stored", "shown"),
    [("2024", "2024"), ("2024-03", "March 2024"), ("2024-03-07", "7 March 2024"), ("soon", "soon")],
)
def test_partial_dates_read_as_people_write_them(stored, shown):
    assert partial_date(stored) == shown


def test_a_retired_tool_says_so_at_the_top_with_the_date_and_the_reason(world):
    world.entry("published")
    retire(world, "AIR-00001", "Replaced by the new highways system.", "2025-03")
    page = world.client(None).get("/entries/AIR-00001")

    warning = page.select_one(".govuk-warning-text")
    assert warning is not None
    assert "retired in March 2025" in warning.get_text(" ", strip=True)
    reason = page.select_one(".govuk-inset-text").get_text(" ", strip=True)
    assert "Replaced by the new highways system." in reason
    # The warning comes before the record itself.
    assert warning.find_next(id="entry-details") is not None
    about = card(page, "section-about")
    assert (about["Status"], about["Retired on"]) == ("Retired", "March 2025")
    # A retired tool is not reviewed again.
    assert "Next review due" not in card(page, "entry-details")


def test_a_tool_in_use_has_no_retirement_warning(world):
    world.entry("published")
    page = world.client(None).get("/entries/AIR-00001")
    assert page.select_one(".govuk-warning-text") is None


WITHDRAWN_PAGES = [
    "/entries/AIR-00001",
    "/entries/AIR-00001/versions",
    "/entries/AIR-00001/versions/1",
    "/entries/AIR-00001/versions/2",
    "/entries/AIR-00001/versions/2/changes",
]


@pytest.mark.parametrize("path", WITHDRAWN_PAGES)
def test_a_withdrawn_entry_shows_only_its_title_organisation_and_reason_with_410(world, path):
    world.entry("published")
    revise(world, "AIR-00001", {"title": "Pothole triage, second version"})
    withdraw(world, "AIR-00001", "Published in error: the tool was never used.")
    page = world.client(None).get(path, expected_status=410)

    main = page.select_one("main").get_text(" ", strip=True)
    assert page.select_one("h1").get_text(strip=True) == "Pothole triage, second version"
    assert "Northshire County Council" in main
    assert "Published in error: the tool was never used." in main
    assert "This entry has been withdrawn" in main
    for answer in ("potholes by how urgent", "inspector checks", "highways@northshire"):
        assert answer not in page.decode(), f"{answer!r} is still shown"
    assert not page.select(".govuk-summary-card")


@pytest.mark.parametrize("state", ["draft", "in_review"])
@pytest.mark.parametrize(
    "path",
    ["/entries/AIR-00001", "/entries/AIR-00001/versions", "/entries/AIR-00001/versions/1"],
)
def test_an_entry_never_published_is_not_found(world, state, path):
    world.entry(state)
    world.client(None).get(path, expected_status=404)


@pytest.mark.parametrize("submitted", [False, True])
def test_a_revision_in_progress_never_shows_the_public_sees_the_published_version(world, submitted):
    world.entry("published")
    revise(world, "AIR-00001", {"title": "Secret new name"}, publish=False)
    if submitted:
        with world.app.app_context():
            from register import publishing

            publishing.submit(world.load("AIR-00001"), world.user("editor"))
    visitor = world.client(None)

    page = visitor.get("/entries/AIR-00001")
    assert page.select_one("h1").get_text(strip=True) == "Pothole report triage"
    assert "Secret new name" not in page.decode()
    history = visitor.get("/entries/AIR-00001/versions")
    assert "Secret new name" not in history.decode()
    assert len(history.select(".govuk-summary-card")) == 1
    visitor.get("/entries/AIR-00001/versions/2", expected_status=404)
    visitor.get("/entries/AIR-00001/versions/2/changes", expected_status=404)


@pytest.mark.parametrize(
    "path",
    ["/entries/AIR-99999", "/entries/nothing", "/entries/" + "A" * 3000, "/entries/AIR-00001x"],
)
def test_an_unknown_reference_is_not_found(world, path):
    world.entry("published")
    world.client(None).get(path, expected_status=404)


@pytest.mark.parametrize(
    ("asked", "canonical"),
    [
        ("/entries/air-00001", "/entries/AIR-00001"),
        ("/entries/Air-00001/versions", "/entries/AIR-00001/versions"),
        ("/entries/air-00001/versions/1", "/entries/AIR-00001/versions/1"),
        ("/entries/air-00001/versions/1/changes", "/entries/AIR-00001/versions/1/changes"),
    ],
)
def test_a_reference_in_another_case_redirects_to_the_entrys_own_address(world, asked, canonical):
    world.entry("published")
    response = world.client(None).client.get(asked)
    assert response.status_code == 301
    assert response.headers["Location"] == canonical


# Text in every field that would run if it were not escaped; cut to each field's length.
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>"\'&'


def xss_values() -> dict:
    values = publishable_values(status="retired", retired_on="2025-01")
    for item in schema.all_fields():
        # A field with a pattern (the company number) cannot hold markup at all.
        if item.kind in (schema.Kind.TEXT, schema.Kind.LONG_TEXT) and not item.pattern:
            values[item.name] = XSS[: item.max_length]
        elif item.kind is schema.Kind.URL:
            values[item.name] = 'https://example.org/"><script>alert(1)</script>'
    return values


def xss_rows() -> dict:
    rows = {}
    for group in schema.groups():
        row = {}
        for item in group.fields:
            if item.kind in (schema.Kind.TEXT, schema.Kind.LONG_TEXT):
                row[item.name] = XSS[: item.max_length]
            elif item.kind is schema.Kind.URL:
                row[item.name] = 'https://example.org/"><script>alert(1)</script>'
        rows[group.name] = [row]
    return rows


def assert_shown_as_text(page) -> None:
    for script in page.select("script"):
        assert "alert" not in script.get_text() and "alert" not in str(script.get("src"))
    assert not page.select("img"), "an <img> from an answer reached the page"
    for element in page.find_all(True):
        handlers = [name for name in element.attrs if name.lower().startswith("on")]
        assert not handlers, f"<{element.name}> has {handlers}"
    assert '<script>alert("x")</script>' in page.get_text()


def test_every_answer_is_shown_as_text_never_as_markup(world):
    world.entry("published", values=xss_values(), rows=xss_rows())
    page = world.client(None).get("/entries/AIR-00001")
    assert_shown_as_text(page)
    assert page.select_one("h1").get_text(strip=True) == XSS[:120]
    link = page.select_one('#section-about a[rel~="noopener"]')
    assert link["href"] == 'https://example.org/"><script>alert(1)</script>'


def test_a_withdrawal_reason_is_shown_as_text(world):
    world.entry("published", values=xss_values())
    withdraw(world, "AIR-00001", XSS)
    page = world.client(None).get("/entries/AIR-00001", expected_status=410)
    assert_shown_as_text(page)


def test_the_number_of_statements_does_not_grow_with_the_rows(world, app):
    world.entry("published", rows=rows_of_each_group(1))
    world.entry("published", rows=rows_of_each_group(10))
    visitor = world.client(None)
    counts = []
    for reference in ("AIR-00001", "AIR-00002"):
        with counted_statements(app) as statements:
            page = visitor.get(f"/entries/{reference}")
        counts.append(len(statements))
    assert len(page.select("h4.govuk-summary-card__title")) == 30
    assert counts[0] == counts[1], counts
    # One of them reads the withheld answers; two find similar entries (the register's
    # generation, then the entries, kept until the generation moves on).
    assert counts[0] <= 11, counts
