"""Printing an entry: the public print view of its current version, and the print view of an
entry as it stands for signing it off; and the order of the entry's public page."""

from __future__ import annotations

from datetime import date

from register import schema
from register.formatting import day

from .factories import publishable_values
from .manage_world import WORLD
from .public_entries import revise, rows_of_each_group

world = WORLD

TODAY = day(date.today())


def _no_navigation(page) -> None:
    """Nothing to navigate by: no header, service navigation, breadcrumbs or footer."""
    for selector in (
        "header",
        "footer",
        "nav",
        ".govuk-service-navigation",
        ".govuk-breadcrumbs",
        ".govuk-footer",
    ):
        assert page.select_one(selector) is None, f"the print view has {selector}"


def _rows(element) -> dict[str, str]:
    return {
        row.select_one("dt").get_text(" ", strip=True): row.select_one("dd").get_text(
            " ", strip=True
        )
        for row in element.select(".govuk-summary-list__row")
    }


def _labels(element) -> list[str]:
    return [dt.get_text(" ", strip=True) for dt in element.select("dt.govuk-summary-list__key")]


# The public print view ----------------------------------------------------------------------


def test_the_entry_page_links_to_its_print_view(world):
    world.entry("published")
    page = world.client(None).get("/entries/AIR-00001")
    link = page.find("a", string="Print this entry")
    assert link["href"] == "/entries/AIR-00001/print"


def test_the_public_print_view_has_every_answer_the_version_and_dates_and_no_navigation(world):
    world.entry("published", rows=rows_of_each_group(1))
    revise(world, "AIR-00001", {"title": "Pothole triage with photographs"})
    reader = world.client(None)
    page = reader.get("/entries/AIR-00001/print")
    entry_page = reader.get("/entries/AIR-00001")

    assert page.h1.get_text(strip=True) == "Pothole triage with photographs"
    _no_navigation(page)
    printed = _rows(page.select_one("#printed-version"))
    assert printed["Reference"] == "AIR-00001"
    assert printed["Version"] == f"Version 2, published on {TODAY}"
    assert printed["Printed on"] == TODAY
    assert printed["Read it online"] == "http://localhost/entries/AIR-00001"
    # Every answer the entry's page shows, section by section, and each group's rows.
    for card in ["at-a-glance", *(f"section-{s.slug}" for s in schema.SECTIONS), "entry-details"]:
        assert _rows(page.select_one(f"#{card}")) == _rows(entry_page.select_one(f"#{card}"))
    for section in schema.SECTIONS:
        for group in section.groups:
            heading = page.select_one(f"#group-{group.name}")
            assert _labels(heading.find_next_sibling(class_="govuk-summary-card")) == [
                f.label for f in group.fields if not f.welsh_of
            ]
    about = _rows(page.select_one("#section-about"))
    assert about["Team"] == "Not provided"
    assert _rows(page.select_one("#entry-details"))["Version"] == "2"
    # Nothing to send: the feedback forms are on the entry's page, not here.
    assert not page.select(".register-print-column form")
    assert page.find("a", string="Back to the entry")["href"] == "/entries/AIR-00001"


def test_only_an_entry_the_public_may_read_can_be_printed(world):
    world.entry("draft")
    world.entry("withdrawn")
    reader = world.client(None)
    reader.get("/entries/AIR-00001/print", 404)
    page = reader.get("/entries/AIR-00002/print", 410)
    assert not page.select(".govuk-summary-card")
    reader.get("/entries/AIR-99999/print", 404)


# The print view for signing off ------------------------------------------------------------


def test_check_your_answers_links_to_the_print_view(world):
    reference = world.entry("draft")
    page = world.client("editor").get(f"/manage/entries/{reference}/check")
    link = page.find("a", string="Print these answers to sign them off")
    assert link["href"] == f"/manage/entries/{reference}/print"


def test_the_sign_off_print_view_has_every_question_unanswered_ones_too(world):
    rows = rows_of_each_group(2)
    reference = world.entry("draft", values={"title": "Chatbot", "team": "Housing"}, rows=rows)
    page = world.client("editor").get(f"/manage/entries/{reference}/print")

    assert page.h1.get_text(strip=True) == "Chatbot"
    _no_navigation(page)
    printed = _rows(page.select_one("#printed-version"))
    assert printed["State"] == "Draft"
    assert printed["Version"] == f"Version 1 (not yet published), last saved on {TODAY}"
    assert printed["Printed on"] == TODAY
    cards = {
        card.select_one(".govuk-summary-card__title").get_text(strip=True): card
        for card in page.select(".govuk-summary-card")
    }
    for section in schema.SECTIONS:
        assert _labels(cards[section.title]) == [item.label for item in section.items]
    about = _rows(cards["About the tool"])
    assert about["Team"] == "Housing"
    assert about["Web page"] == "Not answered"  # a question nobody has to answer
    assert about["Summary"].startswith("Missing")  # one publishing needs
    # Each row of each repeating group, answer by answer.
    source = _rows(cards["Data source 2: Source 2"])
    assert source["Description"] == "Reports sent in, batch 2"
    assert source["Link"] == "https://data.northshire.example/2"
    assert "Risk 1: Risk number 1" in cards
    assert not page.select(".register-print-column form"), "a print view changes nothing"
    assert not page.find("a", string="Change")


def test_a_revision_prints_as_the_next_version_and_a_published_entry_as_itself(world):
    reference = world.entry("revision")
    editor = world.client("editor")
    printed = _rows(editor.get(f"/manage/entries/{reference}/print").select_one("#printed-version"))
    assert printed["Version"].startswith("Version 2 (not yet published), last saved on ")
    published = world.entry("published", values=publishable_values(title="Parking permits"))
    page = editor.get(f"/manage/entries/{published}/print")
    assert _rows(page.select_one("#printed-version"))["Version"] == (
        f"Version 1, published on {TODAY}"
    )
    assert _rows(page.select_one("#printed-version"))["State"] == "Published"


def test_the_sign_off_print_view_is_only_for_the_entrys_organisation(world):
    reference = world.entry("draft")
    world.client("outside_editor").get(f"/manage/entries/{reference}/print", 404)
    response = world.client(None).client.get(f"/manage/entries/{reference}/print")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    world.client("publisher").get(f"/manage/entries/{reference}/print")


def test_the_review_page_links_to_the_print_view(world):
    reference = world.entry("in_review")
    page = world.client("publisher").get(f"/manage/entries/{reference}/review")
    link = page.find("a", string="Print this entry to sign it off")
    assert link["href"] == f"/manage/entries/{reference}/print"


# The entry's public page, in the order a reader needs it ----------------------------------


def test_the_entry_page_opens_with_what_the_tool_does_and_ends_with_the_registers_details(world):
    world.entry("published")
    page = world.client(None).get("/entries/AIR-00001")
    cards = [card.get("id") for card in page.select("main .govuk-summary-card[id]")]
    assert cards[0] == "at-a-glance"
    assert cards[1:-1] == [f"section-{section.slug}" for section in schema.SECTIONS]
    assert cards[-1] == "entry-details"
    assert _rows(page.select_one("#at-a-glance")) == {
        "Summary": "Sorts reports of potholes by how urgent the repair is.",
        "Status": "In use",
        "Role in decisions": "Recommends, and a person decides",
        "Oversight model": "Human in the loop",
    }
    # The feedback still comes last.
    assert page.select_one("#entry-details").find_next(id="feedback") is not None
