"""Two people editing the same draft: the later save is refused and shows, question by question,
the other's answer beside the person's; the person chooses for each, and pressing Save again
without choosing is refused again, so nobody's answer is ever replaced unseen."""

from __future__ import annotations

from .manage_world import WORLD, banner, form_data, messages

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


def clash_fieldsets(page) -> list:
    """The fieldsets asking which answer to save, one per question that clashed."""
    return [
        radios.find_parent("fieldset")
        for radios in page.select("input[name^=clash-][value=theirs]")
    ]


def clashes(page) -> dict[str, dict[str, str]]:
    """Each question asked about after a clash: both answers, and what is said about them."""
    found = {}
    for fieldset in clash_fieldsets(page):
        columns = fieldset.select(".govuk-grid-column-one-half")
        found[fieldset.legend.get_text(" ", strip=True)] = {
            column.h4.get_text(strip=True): " / ".join(
                p.get_text(" ", strip=True) for p in column.select("p")
            )
            for column in columns
        }
    return found


def choice_errors(page) -> dict[str, str]:
    """The error shown next to each question asked about after a clash."""
    return {
        fieldset.legend.get_text(" ", strip=True): error.get_text(" ", strip=True)
        for fieldset in clash_fieldsets(page)
        if (error := fieldset.select_one(".govuk-error-message"))
    }


def two_tabs(world, values: dict | None = None):
    """The editor's and the publisher's pages of the about section, both opened before either
    saves; the editor then saves first."""
    world.entry(values=values or {"title": "Chatbot", "team": "Digital", "status": "pilot"})
    editor, publisher = world.client("editor"), world.client("publisher")
    theirs, mine = form_data(editor.get(ABOUT)), form_data(publisher.get(ABOUT))
    editor.post(ABOUT, {**theirs, "title": "Roads chatbot", "status": "in_use"}, 302)
    return publisher, mine


def test_a_save_after_someone_elses_shows_each_answer_they_changed_beside_yours(world):
    publisher, mine = two_tabs(world)
    page = publisher.post_page(
        ABOUT, {**mine, "title": "Council chatbot", "summary": "Answers questions"}
    )

    assert messages(page) == [CLASH]
    assert page.select_one(".govuk-error-summary__list a")["href"] == "#changes"
    asked = clashes(page)
    assert list(asked) == ["Title", "Status"]  # the summary only they changed is not asked
    assert asked["Title"]["Their answer"].startswith("Changed by editor@ns.example on ")
    assert asked["Title"]["Their answer"].endswith(" UTC / Roads chatbot")
    assert asked["Title"]["Your answer"] == "As you wrote it / Council chatbot"
    assert asked["Status"]["Their answer"].endswith(" / In use")
    assert asked["Status"]["Your answer"] == "You did not change this answer / Pilot"
    assert [label.get_text(strip=True) for label in clash_fieldsets(page)[0].select("label")][
        :3
    ] == [
        "Keep their answer",
        "Use my answer",
        "Write a merged answer",
    ]
    assert page.select_one("#merged-title")["value"] == "Council chatbot"
    # Questions asked about there are not asked again below; the others keep their answers.
    assert page.select_one("input#title") is None
    assert page.select_one("#summary").get_text() == "Answers questions"
    assert world.draft_values("AIR-00001")["title"] == "Roads chatbot"


def test_pressing_save_again_without_choosing_is_refused_again(world):
    publisher, mine = two_tabs(world)
    stale = {**mine, "title": "Council chatbot"}
    page = publisher.post_page(ABOUT, stale)

    page = publisher.post_page(ABOUT, form_data(page))
    assert messages(page) == [
        "Choose which answer to save for title",
        "Choose which answer to save for status",
    ]
    assert [a["href"] for a in page.select(".govuk-error-summary__list a")] == [
        "#clash-title",
        "#clash-status",
    ]
    assert choice_errors(page) == {
        "Title": "Error: Choose which answer to save for title",
        "Status": "Error: Choose which answer to save for status",
    }
    # The form the person first opened, sent again as it was, is refused as the first was.
    page = publisher.post_page(ABOUT, stale)
    assert messages(page) == [CLASH]
    saved = world.draft_values("AIR-00001")
    assert (saved["title"], saved["status"]) == ("Roads chatbot", "in_use")


def test_the_person_chooses_for_each_question_and_only_their_choices_are_saved(world):
    publisher, mine = two_tabs(world)
    page = publisher.post_page(
        ABOUT, {**mine, "title": "Council chatbot", "summary": "Answers questions"}
    )
    publisher.post(ABOUT, {**form_data(page), "clash-title": "mine", "clash-status": "theirs"}, 302)
    saved = world.draft_values("AIR-00001")
    assert saved["title"] == "Council chatbot"
    assert saved["status"] == "in_use"  # theirs, kept
    assert saved["summary"] == "Answers questions"  # nobody else changed it
    assert saved["team"] == "Digital"


def test_a_merged_answer_is_saved_and_checked_like_any_other(world):
    publisher, mine = two_tabs(world)
    page = publisher.post_page(ABOUT, {**mine, "title": "Council chatbot"})
    choices = {**form_data(page), "clash-title": "merged", "clash-status": "mine"}

    page = publisher.post_page(ABOUT, {**choices, "merged-title": "x" * 121})
    assert messages(page) == ["Title must be 120 characters or fewer"]
    assert page.select_one(".govuk-error-summary__list a")["href"] == "#merged-title"
    assert page.select_one("#merged-title-error").get_text(" ", strip=True) == (
        "Error: Title must be 120 characters or fewer"
    )
    assert page.select_one("#clash-title-3").has_attr("checked")

    publisher.post(ABOUT, {**choices, "merged-title": "Roads and council chatbot"}, 302)
    saved = world.draft_values("AIR-00001")
    assert (saved["title"], saved["status"]) == ("Roads and council chatbot", "pilot")


def test_choices_made_before_someone_saved_again_are_refused_and_asked_again(world):
    publisher, mine = two_tabs(world)
    page = publisher.post_page(ABOUT, {**mine, "title": "Council chatbot"})
    editor = world.client("editor")
    editor.post(ABOUT, {**form_data(editor.get(ABOUT)), "title": "Highways chatbot"}, 302)

    page = publisher.post_page(
        ABOUT, {**form_data(page), "clash-title": "mine", "clash-status": "mine"}
    )
    assert messages(page) == [CLASH]
    assert clashes(page)["Title"]["Their answer"].endswith(" / Highways chatbot")
    assert page.select_one("#clash-title-2").has_attr("checked")  # their choice is kept
    assert world.draft_values("AIR-00001")["title"] == "Highways chatbot"


def test_a_save_after_someone_else_saved_other_questions_keeps_both(world):
    world.entry()
    first, second = world.client("editor"), world.client("second_publisher")
    stale = form_data(second.get("/manage/entries/AIR-00001/purpose"))
    first.post(ABOUT, {**form_data(first.get(ABOUT)), "team": "Roads"}, 302)

    second.post("/manage/entries/AIR-00001/purpose", {**stale, "benefits": "Speed"}, 302)
    saved = world.draft_values("AIR-00001")
    assert (saved["team"], saved["benefits"]) == ("Roads", "Speed")


def test_changing_a_row_someone_else_changed_asks_which_to_save(world):
    world.entry(rows={"risks": [{"name": "Bias", "category": "bias_discrimination"}]})
    first, second = world.client("editor"), world.client("publisher")
    url = "/manage/entries/AIR-00001/risks/1"
    stale = form_data(second.get(url))
    first.post(url, {**form_data(first.get(url)), "name": "Bias against older people"}, 302)

    page = second.post_page(url, {**stale, "name": "Unfair outcomes"})
    assert messages(page) == [CLASH]
    assert changes(page) == [["Name", "Bias against older people", "Unfair outcomes"]]
    assert "Saved by editor@ns.example on " in page.find(id="changes").find_next("p").get_text()
    assert page.select_one("#clash-row").find_parent("fieldset").legend.get_text(strip=True) == (
        "Which risk do you want to save?"
    )
    assert page.select_one("#name")["value"] == "Unfair outcomes"

    # Saving again without choosing is refused; nothing is replaced.
    page = second.post_page(url, form_data(page))
    assert messages(page) == ["Choose which risk to save"]
    assert page.select_one(".govuk-error-summary__list a")["href"] == "#clash-row"
    assert (
        page.select_one("#clash-row-error")
        .get_text(strip=True)
        .endswith("Choose which risk to save")
    )
    assert world.draft_rows("AIR-00001")["risks"][0]["name"] == "Bias against older people"

    second.post(url, {**form_data(page), "clash-row": "mine"}, 302)
    assert world.draft_rows("AIR-00001")["risks"][0]["name"] == "Unfair outcomes"


def test_keeping_the_row_someone_else_saved_saves_nothing(world):
    world.entry(rows={"risks": [{"name": "Bias"}]})
    first, second = world.client("editor"), world.client("publisher")
    url = "/manage/entries/AIR-00001/risks/1"
    stale = form_data(second.get(url))
    first.post(url, {**form_data(first.get(url)), "name": "Bias against older people"}, 302)
    page = second.post_page(url, {**stale, "name": "Unfair outcomes"})

    second.post(url, {**form_data(page), "clash-row": "theirs"}, 302)
    assert world.draft_rows("AIR-00001")["risks"][0]["name"] == "Bias against older people"
    assert "Your risk was not saved. The saved one is kept." in banner(
        second.get("/manage/entries/AIR-00001/risks")
    )


def test_changing_a_row_after_someone_else_saved_other_answers_just_saves(world):
    world.entry(rows={"risks": [{"name": "Bias"}]})
    first, second = world.client("editor"), world.client("publisher")
    url = "/manage/entries/AIR-00001/risks/1"
    stale = form_data(second.get(url))
    first.post(ABOUT, {**form_data(first.get(ABOUT)), "team": "Roads"}, 302)

    second.post(url, {**stale, "name": "Unfair outcomes"}, 302)
    assert world.draft_rows("AIR-00001")["risks"][0]["name"] == "Unfair outcomes"
    assert world.draft_values("AIR-00001")["team"] == "Roads"


def test_adding_a_row_after_someone_else_added_one_asks_whether_to_add_it(world):
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
    page = second.post_page(url, form_data(page))
    assert messages(page) == ["Choose whether to add your data source"]
    assert [row["name"] for row in world.draft_rows("AIR-00001")["data_sources"]] == ["Reports"]

    second.post(url, {**form_data(page), "clash-row": "mine"}, 302)
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


def test_each_answer_says_who_changed_it(world):
    world.entry(values={"title": "Chatbot", "status": "pilot"})
    editor, second = world.client("editor"), world.client("second_publisher")
    publisher = world.client("publisher")
    mine = form_data(publisher.get(ABOUT))
    editor.post(ABOUT, {**form_data(editor.get(ABOUT)), "title": "Roads chatbot"}, 302)
    second.post(ABOUT, {**form_data(second.get(ABOUT)), "status": "in_use"}, 302)

    page = publisher.post_page(ABOUT, {**mine, "title": "Council chatbot", "status": "planned"})
    asked = clashes(page)
    assert asked["Title"]["Their answer"].startswith("Changed by editor@ns.example on ")
    assert asked["Status"]["Their answer"].startswith("Changed by second@ns.example on ")
