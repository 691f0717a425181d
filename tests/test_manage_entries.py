"""Recording an entry: creating it, the task list, the section pages, checking the answers and
submitting it for review."""

from __future__ import annotations

from register import schema

from .factories import publishable_values
from .manage_world import WORLD, banner, form_data, messages

world = WORLD

ABOUT = "/manage/entries/AIR-00001/about"


def statuses(page) -> dict[str, str]:
    """Each task's title and status, as the task list shows them."""
    return {
        item.select_one(".govuk-task-list__name-and-hint").get_text(strip=True): item.select_one(
            ".govuk-task-list__status"
        ).get_text(strip=True)
        for item in page.select(".govuk-task-list__item")
    }


def test_an_editor_creates_an_entry_and_lands_on_its_task_list(world):
    editor = world.client("editor")
    page = editor.get("/manage/entries/new")
    assert "Northshire County Council" in page.main.get_text()
    response = editor.post(
        "/manage/entries/new", {"organisation": "1", "title": "Pothole triage"}, 302
    )
    assert response.headers["Location"] == "/manage/entries/AIR-00001"

    page = editor.get("/manage/entries/AIR-00001")
    assert page.h1.get_text(strip=True) == "Pothole triage"
    assert statuses(page) == {
        section.title: "In progress" if section.slug == "about" else "Not started"
        for section in schema.SECTIONS
    }
    links = [a["href"] for a in page.select(".govuk-task-list__link")]
    assert links == [f"/manage/entries/AIR-00001/{s.slug}" for s in schema.SECTIONS]
    # The organisation is set already but is not a question: only the title is answered.
    assert page.select_one("#completeness").get_text().startswith("1 of ")
    assert world.state("AIR-00001") == "draft"


def test_someone_who_can_use_several_organisations_picks_one(world):
    admin = world.client("admin")
    page = admin.get("/manage/entries/new")
    choices = [label.get_text(strip=True) for label in page.select(".govuk-radios__label")]
    assert choices == ["Northshire County Council", "Southvale Police"]

    page = admin.post_page("/manage/entries/new", {})
    assert messages(page) == [
        "Enter the tool’s title",
        "Select the organisation that uses the tool",
    ]
    admin.post("/manage/entries/new", {"organisation": "2", "title": "Chatbot"}, 302)
    with world.app.app_context():
        assert world.load("AIR-00001").organisation.name == "Southvale Police"


def test_an_editor_cannot_create_an_entry_for_another_organisation(world):
    editor = world.client("editor")
    page = editor.post_page("/manage/entries/new", {"organisation": "2", "title": "Chatbot"})
    assert messages(page) == ["Select the organisation that uses the tool"]
    editor.get("/manage/entries/AIR-00001", 404)


def test_a_section_page_asks_every_question_of_its_section_with_the_schema_hints(world):
    world.entry()
    page = world.client("editor").get(ABOUT)
    assert page.h1.get_text(strip=True) == "About the tool"
    for field in schema.section("about").fields:
        if field.kind is schema.Kind.ORGANISATION:
            assert "Northshire County Council" in page.main.get_text()
            continue
        assert page.find(id=field.name) is not None, f"{field.name} is not asked"
        if field.hint:
            assert field.hint in page.main.get_text()
    assert page.select_one("#title")["value"] == "Chatbot"
    assert page.select_one("#summary").name == "textarea"
    assert [i["value"] for i in page.select("input[name=status]")] == list(
        schema.vocabularies.STATUS.codes
    )


def test_save_and_continue_keeps_the_answers_and_opens_the_next_section(world):
    world.entry()
    editor = world.client("editor")
    response = editor.post(
        ABOUT,
        {
            "lock_version": world.lock_version("AIR-00001"),
            "title": "  Pothole triage ",
            "policy_area": "economic_affairs",
            "contact_email": "roads@ns.example",
            "started_on": "2024-03",
            "save_and_continue": "y",
        },
        302,
    )
    assert response.headers["Location"] == "/manage/entries/AIR-00001/purpose"
    values = world.draft_values("AIR-00001")
    assert values["title"] == "Pothole triage"
    assert values["policy_area"] == "economic_affairs"
    assert values["started_on"] == "2024-03"
    assert values["summary"] is None  # required to publish, but drafts may leave it empty

    page = editor.get(ABOUT)
    assert page.select_one("#title")["value"] == "Pothole triage"
    assert page.select_one("input[name=policy_area][value=economic_affairs]").has_attr("checked")


def test_the_last_section_continues_to_check_your_answers(world):
    world.entry()
    response = world.client("editor").post(
        "/manage/entries/AIR-00001/other",
        {"lock_version": world.lock_version("AIR-00001"), "save_and_continue": "y"},
        302,
    )
    assert response.headers["Location"] == "/manage/entries/AIR-00001/check"


def test_save_as_draft_returns_to_the_task_list_with_a_banner(world):
    world.entry()
    editor = world.client("editor")
    response = editor.post(
        "/manage/entries/AIR-00001/technology",
        {
            "lock_version": world.lock_version("AIR-00001"),
            "techniques": ["rule_based", "nlp"],
            "built_by": "external_supplier",
            "save_as_draft": "y",
        },
        302,
    )
    assert response.headers["Location"] == "/manage/entries/AIR-00001"
    page = editor.get("/manage/entries/AIR-00001")
    assert "Your answers have been saved." in banner(page)
    # The supplier's name is required when an external supplier built it.
    assert statuses(page)["Technology"] == "In progress"
    assert world.draft_values("AIR-00001")["techniques"] == ["rule_based", "nlp"]


def test_a_section_is_completed_when_it_has_everything_publishing_needs(world):
    world.entry(values={"uses_personal_data": False})
    page = world.client("editor").get("/manage/entries/AIR-00001")
    assert statuses(page)["Data"] == "Completed"
    assert statuses(page)["About the tool"] == "Not started"


def test_yes_no_questions_are_radios_that_keep_a_no(world):
    world.entry()
    editor = world.client("editor")
    editor.post(
        "/manage/entries/AIR-00001/data",
        {"lock_version": world.lock_version("AIR-00001"), "uses_personal_data": "no"},
        302,
    )
    assert world.draft_values("AIR-00001")["uses_personal_data"] is False
    page = editor.get("/manage/entries/AIR-00001/data")
    assert page.select_one("input[name=uses_personal_data][value=no]").has_attr("checked")
    assert not page.select_one("input[name=uses_personal_data][value=yes]").has_attr("checked")


def test_unchecking_every_box_clears_a_multiple_choice_answer(world):
    world.entry(values={"techniques": ["nlp"]})
    world.client("editor").post(
        "/manage/entries/AIR-00001/technology",
        {"lock_version": world.lock_version("AIR-00001")},
        302,
    )
    assert world.draft_values("AIR-00001")["techniques"] == []


def test_invalid_answers_are_shown_at_their_fields_with_the_input_kept_and_nothing_saved(world):
    world.entry()
    lock = world.lock_version("AIR-00001")
    page = world.client("editor").post_page(
        ABOUT,
        {
            "lock_version": lock,
            "title": "T" * 121,
            "contact_email": "not an address",
            "web_page": "javascript:alert(1)",
            "started_on": "2024-13",
            "team": "Highways",
        },
    )
    assert page.title.get_text().startswith("Error: ")
    assert messages(page) == [
        "Title must be 120 characters or fewer",
        "Enter the date work started as a year, a month or a day, like 2024, 2024-03 or 2024-03-27",
        "Enter the public contact email address in the correct format, like "
        "ai-tools@example.gov.uk",
        "Enter the web page in the correct format, like https://www.example.gov.uk/pothole-triage",
    ]
    links = [a["href"] for a in page.select(".govuk-error-summary__list a")]
    assert links == ["#title", "#started_on", "#contact_email", "#web_page"]
    for field_id in ("title", "started_on", "contact_email", "web_page"):
        group = page.find(id=field_id).find_parent(class_="govuk-form-group")
        assert "govuk-form-group--error" in group["class"]
        assert group.select_one(".govuk-error-message")
    assert page.select_one("#title")["value"] == "T" * 121
    assert page.select_one("#contact_email")["value"] == "not an address"
    assert page.select_one("#team")["value"] == "Highways"

    assert world.lock_version("AIR-00001") == lock
    values = world.draft_values("AIR-00001")
    assert values["title"] == "Chatbot"
    assert values["team"] is None


def test_a_long_answer_counts_line_breaks_as_one_character(world):
    world.entry()
    summary = ("a" * 99 + "\r\n") * 5  # 500 characters as the browser counts them
    world.client("editor").post(
        ABOUT,
        {"lock_version": world.lock_version("AIR-00001"), "summary": summary.strip()},
        302,
    )
    assert len(world.draft_values("AIR-00001")["summary"]) == 499


def test_an_unknown_code_is_refused_at_its_field_and_changes_nothing(world):
    world.entry()
    lock = world.lock_version("AIR-00001")
    editor = world.client("editor")
    page = editor.post_page(
        ABOUT, {"lock_version": lock, "title": "Changed", "policy_area": "witchcraft"}
    )
    assert messages(page) == ["Select the policy area the tool supports"]
    page = editor.post_page(
        "/manage/entries/AIR-00001/data", {"lock_version": lock, "uses_personal_data": "maybe"}
    )
    assert messages(page) == ["Select whether the tool uses personal data"]
    page = editor.post_page(
        "/manage/entries/AIR-00001/technology",
        {"lock_version": lock, "techniques": ["nlp", "telepathy"]},
    )
    assert messages(page) == ["Select the techniques the tool uses"]
    assert world.lock_version("AIR-00001") == lock
    assert world.draft_values("AIR-00001")["title"] == "Chatbot"


def test_a_tampered_lock_version_is_a_bad_request(world):
    world.entry()
    editor = world.client("editor")
    for lock in ("", "abc", "-1", "1.5", "٣", "9" * 40):
        editor.post(ABOUT, {"lock_version": lock, "title": "Changed"}, 400)
    editor.post(ABOUT, {"title": "Changed"}, 400)
    assert world.draft_values("AIR-00001")["title"] == "Chatbot"


def test_a_hidden_field_naming_another_organisation_changes_nothing(world):
    world.entry()
    outside = world.entry(organisation="Southvale Police", author="outside_editor")
    world.client("editor").post(
        ABOUT,
        {
            "lock_version": world.lock_version("AIR-00001"),
            "title": "Mine",
            "organisation": "2",
            "reference": outside,
            "entry_id": "2",
        },
        302,
    )
    with world.app.app_context():
        assert world.load("AIR-00001").organisation.name == "Northshire County Council"
        assert world.load(outside).draft.title == "Chatbot"
    assert world.draft_values("AIR-00001")["title"] == "Mine"


def test_an_unknown_section_is_not_found(world):
    world.entry()
    world.client("editor").get("/manage/entries/AIR-00001/nonsense", 404)


def test_an_entry_waiting_for_review_cannot_be_changed(world):
    world.entry("in_review")
    editor = world.client("editor")
    response = editor.client.get(ABOUT)
    assert response.status_code == 302
    assert response.headers["Location"] == "/manage/entries/AIR-00001"
    page = editor.get("/manage/entries/AIR-00001")
    assert "waiting for review" in banner(page)
    assert page.select(".govuk-task-list__link") == []


def test_check_your_answers_lists_every_question_with_change_links(world):
    world.entry(values={"title": "Chatbot", "techniques": ["nlp", "speech"]})
    page = world.client("editor").get("/manage/entries/AIR-00001/check")
    cards = page.select(".govuk-summary-card")
    assert [c.select_one(".govuk-summary-card__title").get_text(strip=True) for c in cards] == [
        s.title for s in schema.SECTIONS
    ]
    text = page.main.get_text(" ", strip=True)
    assert "Natural language processing, Speech" in text
    change = page.select_one(".govuk-summary-list__actions a")
    assert change.get_text(" ", strip=True).startswith("Change title")
    assert change["href"] == "/manage/entries/AIR-00001/about#title"
    missing = page.select_one(
        ".govuk-summary-card a[href='/manage/entries/AIR-00001/about#summary']"
    )
    assert missing.get_text(strip=True) == "Enter a summary of what the tool does and why"
    assert page.select_one("form[action='/manage/entries/AIR-00001/submit']")


def test_check_your_answers_writes_a_partial_date_as_the_public_entry_page_does(world):
    world.entry(values={"title": "Chatbot", "in_use_from": "2024-05"})
    page = world.client("editor").get("/manage/entries/AIR-00001/check")
    text = page.main.get_text(" ", strip=True)
    assert "May 2024" in text
    assert "2024-05" not in text


def test_submitting_with_answers_missing_lists_them_and_links_to_their_sections(world):
    world.entry(values={"title": "Chatbot"})
    editor = world.client("editor")
    page = editor.post_page(
        "/manage/entries/AIR-00001/submit", form_url="/manage/entries/AIR-00001/check"
    )
    assert page.title.get_text().startswith("Error: ")
    found = messages(page)
    assert "Enter a summary of what the tool does and why" in found
    assert "Select the techniques the tool uses" in found
    links = [a["href"] for a in page.select(".govuk-error-summary__list a")]
    assert "/manage/entries/AIR-00001/about#summary" in links
    assert "/manage/entries/AIR-00001/technology#techniques" in links
    assert world.state("AIR-00001") == "draft"


def test_a_complete_entry_is_submitted_for_review(world):
    world.entry(values=publishable_values())
    editor = world.client("editor")
    response = editor.post(
        "/manage/entries/AIR-00001/submit", None, 302, form_url="/manage/entries/AIR-00001/check"
    )
    page = editor.get(response.headers["Location"])
    assert "submitted for review" in banner(page)
    assert world.state("AIR-00001") == "in_review"
    # Submitted twice: the second time there is no draft to submit.
    editor.post("/manage/entries/AIR-00001/submit", None, 302, form_url="/manage/entries/new")


def test_what_the_page_shows_is_what_the_browser_sends_back(world):
    world.entry(values=publishable_values(team="Roads"))
    editor = world.client("editor")
    for section in schema.SECTIONS:
        url = f"/manage/entries/AIR-00001/{section.slug}"
        data = form_data(editor.get(url))
        editor.post(url, data, 302)
    values = world.draft_values("AIR-00001")
    for name, value in publishable_values(team="Roads").items():
        assert values[name] == value, name
