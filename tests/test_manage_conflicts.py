"""Two people editing the same draft: the later save is refused, shows what changed, and keeps
the person's input so they can choose to save it over the other's."""

from __future__ import annotations

from .manage_world import WORLD, form_data, messages

world = WORLD

ABOUT = "/manage/entries/AIR-00001/about"
CLASH = (
    "Someone else saved changes to this entry after you opened it. "
    "Your changes have not been saved."
)


def changes(page) -> list[list[str]]:
    """The rows of the table of changes: question, saved now, your answer."""
    table = page.find(id="changes").find_next("table")
    return [
        [cell.get_text(" ", strip=True) for cell in row.select("th, td")]
        for row in table.select("tbody tr")
    ]


def test_the_second_save_is_refused_with_what_changed_and_the_input_kept(world):
    world.entry(values={"title": "Chatbot", "team": "Digital"})
    first, second = world.client("editor"), world.client("publisher")
    mine = form_data(first.get(ABOUT))
    theirs = form_data(second.get(ABOUT))

    first.post(ABOUT, {**mine, "title": "Roads chatbot"}, 302)
    page = second.post_page(ABOUT, {**theirs, "title": "Council chatbot", "team": "Digital"})

    assert messages(page) == [CLASH]
    assert page.select_one(".govuk-error-summary__list a")["href"] == "#changes"
    assert changes(page) == [["Title", "Roads chatbot", "Council chatbot"]]
    assert page.select_one("#title")["value"] == "Council chatbot"
    assert page.select_one("input[name=lock_version]")["value"] == str(
        world.lock_version("AIR-00001")
    )
    assert world.draft_values("AIR-00001")["title"] == "Roads chatbot"

    # Having seen the change, they save again over it, from the page as it is now.
    second.post(ABOUT, form_data(page), 302)
    assert world.draft_values("AIR-00001")["title"] == "Council chatbot"


def test_a_clash_on_another_section_still_refuses_the_save(world):
    world.entry()
    first, second = world.client("editor"), world.client("second_publisher")
    stale = form_data(second.get("/manage/entries/AIR-00001/purpose"))
    first.post(ABOUT, {**form_data(first.get(ABOUT)), "team": "Roads"}, 302)

    page = second.post_page("/manage/entries/AIR-00001/purpose", {**stale, "benefits": "Speed"})
    assert messages(page) == [CLASH]
    assert changes(page) == [["Benefits", "Not answered", "Speed"]]
    assert world.draft_values("AIR-00001")["benefits"] is None


def test_changing_a_row_someone_else_changed_is_refused(world):
    world.entry(rows={"risks": [{"name": "Bias", "category": "bias_discrimination"}]})
    first, second = world.client("editor"), world.client("publisher")
    url = "/manage/entries/AIR-00001/risks/1"
    stale = form_data(second.get(url))
    first.post(url, {**form_data(first.get(url)), "name": "Bias against older people"}, 302)

    page = second.post_page(url, {**stale, "name": "Unfair outcomes"})
    assert messages(page) == [CLASH]
    assert changes(page) == [["Name", "Bias against older people", "Unfair outcomes"]]
    assert page.select_one("#name")["value"] == "Unfair outcomes"
    assert world.draft_rows("AIR-00001")["risks"][0]["name"] == "Bias against older people"


def test_adding_a_row_after_someone_else_added_one_keeps_both(world):
    world.entry()
    first, second = world.client("editor"), world.client("publisher")
    url = "/manage/entries/AIR-00001/data-sources/add"
    stale = form_data(second.get(url))
    first.post(url, {**form_data(first.get(url)), "name": "Reports"}, 302)

    page = second.post_page(url, {**stale, "name": "Photographs"})
    assert messages(page) == [CLASH]
    assert changes(page) == [
        [
            "Data sources",
            "Data source 1: Reports",
            "Data source 1: Reports; Data source 2: Photographs",
        ]
    ]
    second.post(url, form_data(page), 302)
    names = [row["name"] for row in world.draft_rows("AIR-00001")["data_sources"]]
    assert names == ["Reports", "Photographs"]


def test_removing_a_row_after_someone_else_changed_the_entry_removes_nothing(world):
    world.entry(rows={"risks": [{"name": "Bias"}, {"name": "Errors"}]})
    first, second = world.client("editor"), world.client("publisher")
    stale = form_data(second.get("/manage/entries/AIR-00001/risks/1/remove"))
    first.post(
        "/manage/entries/AIR-00001/risks/1/remove",
        form_data(first.get("/manage/entries/AIR-00001/risks/1/remove")),
        302,
    )

    page = second.post_page("/manage/entries/AIR-00001/risks/1/remove", stale)
    assert messages(page)[0].startswith("Someone else saved changes to this entry")
    # The page now shows the risk that is first now, for them to confirm or not.
    assert "Risk 1: Errors" in page.main.get_text(" ", strip=True)
    assert [r["name"] for r in world.draft_rows("AIR-00001")["risks"]] == ["Errors"]
