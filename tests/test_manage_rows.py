"""Repeating rows (data sources, risks, impact assessments): added, changed and removed one
page at a time, without JavaScript."""

from __future__ import annotations

from .manage_world import WORLD, banner, messages

world = WORLD

RISKS = "/manage/entries/AIR-00001/risks"
TWO_RISKS = {
    "risks": [
        {"name": "Bias against older people", "category": "bias_discrimination"},
        {"name": "Wrong ranking", "category": "accuracy_reliability"},
    ]
}


def card_titles(page) -> list[str]:
    return [t.get_text(strip=True) for t in page.select(".govuk-summary-card__title")]


def test_a_section_lists_its_rows_with_change_and_remove_links(world):
    world.entry(rows=TWO_RISKS)
    page = world.client("editor").get(RISKS)
    assert card_titles(page) == ["Risk 1: Bias against older people", "Risk 2: Wrong ranking"]
    actions = [a["href"] for a in page.select(".govuk-summary-card__actions a")]
    assert actions == [
        "/manage/entries/AIR-00001/risks/1",
        "/manage/entries/AIR-00001/risks/1/remove",
        "/manage/entries/AIR-00001/risks/2",
        "/manage/entries/AIR-00001/risks/2/remove",
    ]
    assert "No impact assessments added yet." in page.main.get_text()
    buttons = {b["value"]: b.get_text(strip=True) for b in page.select("button[name=add_row]")}
    assert buttons == {
        "risks": "Add another risk",
        "impact_assessments": "Add an impact assessment",
    }


def test_add_saves_the_sections_answers_first_then_opens_a_new_row(world):
    world.entry()
    editor = world.client("editor")
    response = editor.post(
        RISKS,
        {
            "lock_version": world.lock_version("AIR-00001"),
            "risk_level": "medium",
            "add_row": "risks",
        },
        302,
    )
    assert response.headers["Location"] == "/manage/entries/AIR-00001/risks/add"
    assert world.draft_values("AIR-00001")["risk_level"] == "medium"

    page = editor.get("/manage/entries/AIR-00001/risks/add")
    assert page.h1.get_text(strip=True) == "Add a risk"
    response = editor.post(
        "/manage/entries/AIR-00001/risks/add",
        {
            "lock_version": world.lock_version("AIR-00001"),
            "name": "Wrong ranking",
            "category": "accuracy_reliability",
            "mitigation": "An inspector checks every ranking.",
        },
        302,
    )
    assert response.headers["Location"] == "/manage/entries/AIR-00001/risks#risks"
    page = editor.get(RISKS)
    assert "The risk has been added." in banner(page)
    assert card_titles(page) == ["Risk 1: Wrong ranking"]
    assert world.draft_rows("AIR-00001")["risks"] == [
        {
            "name": "Wrong ranking",
            "category": "accuracy_reliability",
            "description": None,
            "description_cy": None,
            "mitigation": "An inspector checks every ranking.",
            "mitigation_cy": None,
        }
    ]


def test_a_row_is_changed_on_its_own_page(world):
    world.entry(rows=TWO_RISKS)
    editor = world.client("editor")
    page = editor.get("/manage/entries/AIR-00001/risks/2")
    assert page.h1.get_text(strip=True) == "Change risk 2"
    assert page.select_one("#name")["value"] == "Wrong ranking"
    editor.post(
        "/manage/entries/AIR-00001/risks/2",
        {
            "lock_version": world.lock_version("AIR-00001"),
            "name": "Wrong order of repairs",
            "category": "accuracy_reliability",
        },
        302,
    )
    names = [row["name"] for row in world.draft_rows("AIR-00001")["risks"]]
    assert names == ["Bias against older people", "Wrong order of repairs"]


def test_a_row_is_removed_after_confirming_on_a_page_of_its_own(world):
    world.entry(rows=TWO_RISKS)
    editor = world.client("editor")
    page = editor.get("/manage/entries/AIR-00001/risks/1/remove")
    assert page.h1.get_text(strip=True) == "Are you sure you want to remove risk 1?"
    assert "Bias against older people" in page.main.get_text()
    assert world.draft_rows("AIR-00001")["risks"][0]["name"] == "Bias against older people"

    editor.post(
        "/manage/entries/AIR-00001/risks/1/remove",
        {"lock_version": world.lock_version("AIR-00001")},
        302,
    )
    assert [r["name"] for r in world.draft_rows("AIR-00001")["risks"]] == ["Wrong ranking"]
    assert "The risk has been removed." in banner(editor.get(RISKS))


def test_data_sources_and_impact_assessments_have_rows_too(world):
    world.entry()
    editor = world.client("editor")
    editor.post(
        "/manage/entries/AIR-00001/data-sources/add",
        {
            "lock_version": world.lock_version("AIR-00001"),
            "name": "Pothole reports",
            "contains_personal_data": "yes",
            "link": "https://data.ns.example/potholes",
        },
        302,
    )
    editor.post(
        "/manage/entries/AIR-00001/impact-assessments/add",
        {
            "lock_version": world.lock_version("AIR-00001"),
            "kind": "data_protection",
            "date": "2024-02-30",
        },
        200,
    )
    rows = world.draft_rows("AIR-00001")
    assert rows["data_sources"][0]["contains_personal_data"] is True
    assert rows["impact_assessments"] == []


def test_a_row_that_does_not_exist_is_not_found(world):
    world.entry(rows=TWO_RISKS)
    editor = world.client("editor")
    for url in (
        "/manage/entries/AIR-00001/risks/3",
        "/manage/entries/AIR-00001/risks/0",
        "/manage/entries/AIR-00001/risks/3/remove",
        "/manage/entries/AIR-00001/data-sources/1",
        "/manage/entries/AIR-00001/no-such-group/add",
        "/manage/entries/AIR-00001/risks/-1",
    ):
        editor.get(url, 404)
    lock = world.lock_version("AIR-00001")
    for url in ("/manage/entries/AIR-00001/risks/3", "/manage/entries/AIR-00001/risks/7/remove"):
        editor.post(url, {"lock_version": lock, "name": "X"}, 404, form_url=RISKS)
    assert len(world.draft_rows("AIR-00001")["risks"]) == 2


def test_an_invalid_row_is_refused_at_its_field_with_the_input_kept(world):
    world.entry(rows=TWO_RISKS)
    lock = world.lock_version("AIR-00001")
    page = world.client("editor").post_page(
        "/manage/entries/AIR-00001/risks/1",
        {"lock_version": lock, "name": "N" * 201, "category": "astrology"},
    )
    assert messages(page) == [
        "Name must be 200 characters or fewer",
        "Select the category of the risk",
    ]
    assert page.select_one("#name")["value"] == "N" * 201
    assert world.lock_version("AIR-00001") == lock
    assert world.draft_rows("AIR-00001")["risks"][0]["name"] == "Bias against older people"


def test_an_empty_row_asks_for_its_first_answer(world):
    world.entry()
    page = world.client("editor").post_page(
        "/manage/entries/AIR-00001/risks/add", {"lock_version": world.lock_version("AIR-00001")}
    )
    assert messages(page) == ["Enter the name of the risk"]
    assert world.draft_rows("AIR-00001")["risks"] == []


def test_a_row_with_its_name_missing_is_kept_but_stops_the_entry_being_submitted(world):
    world.entry()
    editor = world.client("editor")
    editor.post(
        "/manage/entries/AIR-00001/risks/add",
        {"lock_version": world.lock_version("AIR-00001"), "mitigation": "Checks."},
        302,
    )
    page = editor.get("/manage/entries/AIR-00001/check")
    assert "Risk 1: enter the name of the risk" in page.main.get_text()


def test_a_tampered_lock_version_on_a_row_is_a_bad_request(world):
    world.entry(rows=TWO_RISKS)
    editor = world.client("editor")
    editor.post("/manage/entries/AIR-00001/risks/1", {"lock_version": "x", "name": "Y"}, 400)
    editor.post("/manage/entries/AIR-00001/risks/1/remove", {"lock_version": "two"}, 400)
    assert len(world.draft_rows("AIR-00001")["risks"]) == 2


def test_rows_cannot_change_while_the_entry_waits_for_review(world):
    world.entry("in_review", rows=TWO_RISKS)
    editor = world.client("editor")
    response = editor.client.get("/manage/entries/AIR-00001/risks/1")
    assert response.status_code == 302
    response = editor.post(
        "/manage/entries/AIR-00001/risks/1/remove",
        {"lock_version": "3"},
        302,
        form_url="/manage/entries/AIR-00001",
    )
    assert response.headers["Location"] == "/manage/entries/AIR-00001"
    with world.app.app_context():
        assert len(world.load("AIR-00001").draft.risks) == 2
