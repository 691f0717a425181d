"""Entries in English and Welsh: each prose answer may be given in Welsh too, on the same
question page; the Welsh page shows it, the English page the English, and where an answer is
in one language only, the page marks it as that language and says so. Search, downloads and
the API carry both."""

from __future__ import annotations

import csv
import io

from defusedxml import ElementTree

from register import schema
from register.extensions import db

from .factories import publishable_values
from .manage_world import WORLD, form_data, messages
from .public_entries import revise

world = WORLD

ENTRY = "/manage/entries/AIR-00001"
ABOUT = f"{ENTRY}/about"
SUMMARY_CY = "Yn didoli adroddiadau am dyllau yn y ffordd yn ôl pa mor frys yw’r gwaith trwsio."
ENGLISH_ONLY = "Only in English"
WELSH_ONLY = "Yn Gymraeg yn unig"


def _text(element) -> str:
    return element.get_text(" ", strip=True)


def _value_of(card, label: str):
    """The summary list value of the row called `label` in `card`."""
    for row in card.select(".govuk-summary-list__row"):
        if _text(row.select_one(".govuk-summary-list__key")) == label:
            return row.select_one(".govuk-summary-list__value")
    raise AssertionError(f"no row {label!r}")


def _welsh_entry(world, **values) -> str:
    """A published entry with a Welsh summary (and any other answers `values` gives)."""
    return world.entry("published", values=publishable_values(summary_cy=SUMMARY_CY, **values))


def test_each_prose_question_has_an_optional_welsh_version_right_after_it(world):
    world.entry()
    page = world.client("editor").get(ABOUT)

    english, welsh = page.select_one("textarea#summary"), page.select_one("textarea#summary_cy")
    assert welsh["lang"] == "cy" and not english.has_attr("lang")
    label = page.select_one("label[for=summary_cy]")
    assert _text(label) == "Summary in Welsh (optional)"
    # The Welsh question comes straight after the English one, with the same limit.
    groups = [g for g in page.select("form .govuk-form-group") if g.select_one("textarea, input")]
    ids = [g.select_one("textarea, input")["id"] for g in groups]
    assert ids[ids.index("summary") + 1] == "summary_cy"
    counts = {
        c.select_one("textarea")["id"]: c["data-maxlength"]
        for c in page.select(".govuk-character-count")
        if c.select_one("textarea")
    }
    assert counts["summary_cy"] == counts["summary"] == "500"
    # Names and addresses are not translated.
    assert not page.select_one("#team_cy") and not page.select_one("#postal_address_cy")


def test_a_welsh_answer_is_saved_from_the_question_page_and_shown_on_check_answers(world):
    world.entry()
    editor = world.client("editor")
    editor.post(
        ABOUT,
        {
            "lock_version": world.lock_version("AIR-00001"),
            "summary": "Sorts pothole reports.",
            "summary_cy": SUMMARY_CY,
        },
        302,
    )
    assert world.draft_values("AIR-00001")["summary_cy"] == SUMMARY_CY

    page = editor.get(f"{ENTRY}/check")
    about = next(
        card
        for card in page.select(".govuk-summary-card")
        if _text(card.select_one(".govuk-summary-card__title")) == "About the tool"
    )
    assert _text(_value_of(about, "Summary").select_one("span")) == "Sorts pothole reports."
    shown = _value_of(about, "Summary in Welsh")
    assert _text(shown.select_one("[lang=cy]")) == SUMMARY_CY


def test_a_welsh_answer_too_long_is_refused_at_its_field_and_nothing_is_saved(world):
    world.entry()
    lock = world.lock_version("AIR-00001")
    page = world.client("editor").post_page(
        ABOUT,
        {"lock_version": lock, "summary": "Sorts pothole reports.", "summary_cy": "a" * 501},
    )
    assert messages(page) == ["Summary in Welsh must be 500 characters or fewer"]
    assert [a["href"] for a in page.select(".govuk-error-summary__list a")] == ["#summary_cy"]
    group = page.select_one("#summary_cy").find_parent(class_="govuk-form-group")
    assert "govuk-form-group--error" in group["class"]
    assert _text(group.select_one(".govuk-error-message")).endswith(
        "Summary in Welsh must be 500 characters or fewer"
    )
    assert world.lock_version("AIR-00001") == lock
    values = world.draft_values("AIR-00001")
    assert values["summary_cy"] is None
    assert values["summary"] != "Sorts pothole reports."


def test_a_welsh_answer_given_in_the_form_is_published_and_read_on_the_welsh_page(world):
    world.entry("draft", values=publishable_values())
    editor = world.client("editor")
    editor.post(
        ABOUT,
        {
            "lock_version": world.lock_version("AIR-00001"),
            **{k: v for k, v in publishable_values().items() if k in _about_names()},
            "summary_cy": SUMMARY_CY,
        },
        302,
    )
    editor.post(f"{ENTRY}/submit", {}, 302, form_url=f"{ENTRY}/check")
    world.client("publisher").post(
        f"{ENTRY}/review/publish", {"change_note": ""}, 302, form_url=f"{ENTRY}/review"
    )
    reader = world.client(None)

    welsh = reader.get("/cy/entries/AIR-00001")
    assert welsh.find("html")["lang"] == "cy"
    glance = welsh.select_one("#at-a-glance")
    assert SUMMARY_CY in _text(glance)
    assert "Sorts reports of potholes" not in _text(welsh.select_one("main"))

    english = reader.get("/entries/AIR-00001")
    assert "Sorts reports of potholes by how urgent the repair is." in _text(english)
    assert SUMMARY_CY not in _text(english.select_one("main"))


def _about_names() -> set[str]:
    return {f.name for f in schema.section("about").fields}


def test_an_answer_in_one_language_only_is_marked_as_that_language_and_said(world):
    world.entry(
        "published",
        values=publishable_values(scale_cy="Tua 200 adroddiad yr wythnos."),
        rows={"risks": [{"name": "Bias", "mitigation_cy": "Mae arolygydd yn gwirio pob un."}]},
    )
    reader = world.client(None)

    welsh = reader.get("/cy/entries/AIR-00001")
    purpose = welsh.select_one("#section-purpose")
    # Given in English only: shown in English, marked so, with a note in Welsh.
    english_answer = purpose.select_one("[lang=en]")
    assert _text(english_answer) == "Reports arrive faster than inspectors can read them."
    assert _text(english_answer.find_next_sibling("p")) == "Yn Saesneg yn unig"
    # Given in Welsh only: shown as it is, in the page's own language, without a note.
    assert "Tua 200 adroddiad yr wythnos." in _text(purpose)
    assert not [e for e in purpose.select("[lang=cy]")]
    risk = welsh.select_one("#group-risks").find_next_sibling(class_="govuk-summary-card")
    assert "Mae arolygydd yn gwirio pob un." in _text(risk)

    english = reader.get("/entries/AIR-00001")
    purpose = english.select_one("#section-purpose")
    assert not purpose.select("[lang=en]")
    assert ENGLISH_ONLY not in _text(english)
    welsh_answer = purpose.select_one("[lang=cy]")
    assert _text(welsh_answer) == "Tua 200 adroddiad yr wythnos."
    assert _text(welsh_answer.find_next_sibling("p")) == "Only in Welsh"
    risk = english.select_one("#group-risks").find_next_sibling(class_="govuk-summary-card")
    assert _text(risk.select_one("[lang=cy]")) == "Mae arolygydd yn gwirio pob un."
    # The Welsh answers are never rows of their own.
    labels = [_text(k) for k in english.select(".govuk-summary-list__key")]
    assert not [label for label in labels if label.endswith("in Welsh")]


def test_the_print_view_shows_the_answers_in_the_pages_language(world):
    _welsh_entry(world)
    reader = world.client(None)
    printed = reader.get("/cy/entries/AIR-00001/print")
    assert SUMMARY_CY in _text(printed.select_one("#section-about"))
    printed = reader.get("/entries/AIR-00001/print")
    assert SUMMARY_CY not in _text(printed.select_one("#section-about"))


def test_a_word_only_in_a_welsh_answer_finds_the_entry(world):
    _welsh_entry(world)
    world.entry("published", values=publishable_values(title="Bin collection rounds"))
    reader = world.client(None)
    for address in ("/entries?q=didoli", "/cy/entries?q=frys+trwsio"):
        page = reader.get(address)
        found = [_text(a) for a in page.select(".register-result h3 a")]
        assert found == ["Pothole report triage"], address
        # The extract under the result is of the Welsh answer, where the words are.
        marked = [_text(m) for m in page.select(".register-result__snippet mark")]
        assert marked and set(marked) <= {"didoli", "frys", "trwsio"}, address
    assert not reader.get("/entries?q=gwasanaethau").select(".register-result h3 a")


def test_changing_only_the_welsh_answer_changes_what_search_finds(world):
    _welsh_entry(world)
    with world.app.app_context():
        version = world.load("AIR-00001").current_version
        version.summary_cy = "Offeryn brysbennu."
        db.session.commit()
    reader = world.client(None)
    assert not reader.get("/entries?q=didoli").select(".register-result h3 a")
    assert reader.get("/entries?q=brysbennu").select(".register-result h3 a")


def test_downloads_and_the_api_carry_the_welsh_answers_beside_the_english(world):
    world.entry(
        "published",
        values=publishable_values(summary_cy=SUMMARY_CY),
        rows={
            "risks": [{"name": "Bias", "mitigation": "Checked.", "mitigation_cy": "Wedi gwirio."}]
        },
    )
    client = world.client(None).client

    record = client.get("/entries/AIR-00001.json").json
    assert record["summary_cy"] == SUMMARY_CY
    assert record["purpose_cy"] is None
    api = client.get("/api/v1/entries/AIR-00001").json
    assert api["summary_cy"] == SUMMARY_CY

    rows = list(csv.DictReader(io.StringIO(client.get("/entries.csv").get_data(as_text=True))))
    assert rows[0]["summary_cy"] == SUMMARY_CY
    header = list(rows[0])
    assert header.index("summary_cy") == header.index("summary") + 1

    risks = list(
        csv.DictReader(io.StringIO(client.get("/download/risks.csv").get_data(as_text=True)))
    )
    assert [(r["mitigation"], r["mitigation_cy"]) for r in risks] == [("Checked.", "Wedi gwirio.")]
    assert record["risks"][0]["mitigation_cy"] == "Wedi gwirio."

    described = client.get("/api/v1/schema.json").json
    assert "(language tag cy)" in described["properties"]["summary_cy"]["description"]


def test_withholding_an_answer_withholds_its_welsh_version_too(world):
    world.entry(values=publishable_values(benefits_cy="Caiff tyllau eu trwsio’n gynt."))
    editor = world.client("editor")
    purpose = f"{ENTRY}/purpose"
    page = editor.get(purpose)
    # One control withholds both, after the Welsh question.
    ids = [element["id"] for element in page.select("[id]")]
    assert ids.index("benefits_cy") < ids.index("withhold__benefits")
    assert not page.select_one("#withhold__benefits_cy")
    editor.post(
        purpose,
        {
            **form_data(page),
            "withhold__benefits": "y",
            "withheld_reason__benefits": "commercial_confidentiality",
            "save_and_continue": "Save and continue",
        },
        302,
    )
    values = world.draft_values("AIR-00001")
    assert values["benefits"] is None and values["benefits_cy"] is None


def test_the_open_data_page_says_which_columns_are_welsh(world):
    page = world.client(None).get("/open-data")
    conventions = _text(page.select_one("main"))
    assert "BCP 47 language tag cy" in conventions
    rows = {
        _text(row.select_one("td, th")): _text(row)
        for row in page.select("tr")
        if row.select_one("td, th")
    }
    welsh = next(text for first, text in rows.items() if first.startswith("summary_cy"))
    assert "Summary in Welsh" in welsh and "in Welsh (language tag cy)" in welsh


def test_earlier_versions_and_their_changes_show_the_welsh_answers_as_welsh(world):
    _welsh_entry(world)
    revise(world, "AIR-00001", {"summary_cy": "Offeryn brysbennu newydd."})
    reader = world.client(None)

    first = reader.get("/cy/entries/AIR-00001/versions/1")
    assert SUMMARY_CY in _text(first.select_one("#section-about"))
    changes = reader.get("/entries/AIR-00001/versions/2/changes")
    added = [_text(span) for span in changes.select("ins [lang=cy]")]
    removed = [_text(span) for span in changes.select("del [lang=cy]")]
    assert "newydd" in " ".join(added) and "didoli" in " ".join(removed)


# The title in Welsh ---------------------------------------------------------------------

TITLE = "Pothole report triage"
TITLE_CY = "Brysbennu adroddiadau tyllau yn y ffordd"
ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _result_links(page) -> list:
    return page.select(".register-result h3 a")


def test_the_title_has_an_optional_welsh_version_asked_right_after_it(world):
    world.entry()
    page = world.client("editor").get(ABOUT)
    welsh = page.select_one("input#title_cy")
    assert welsh["lang"] == "cy"
    assert welsh.find_parent(class_="govuk-character-count")["data-maxlength"] == "120"
    assert _text(page.select_one("label[for=title_cy]")) == "Title in Welsh (optional)"
    ids = [element["id"] for element in page.select("form input[id], form textarea[id]")]
    assert ids[ids.index("title") + 1] == "title_cy"


def test_the_welsh_entry_page_is_headed_and_titled_with_the_welsh_title(world):
    _welsh_entry(world, title_cy=TITLE_CY)
    reader = world.client(None)

    welsh = reader.get("/cy/entries/AIR-00001")
    heading = welsh.select_one("main h1")
    assert _text(heading) == TITLE_CY and not heading.has_attr("lang")
    assert _text(welsh.find("title")).startswith(f"{TITLE_CY} – ")
    assert TITLE_CY in _text(reader.get("/cy/entries/AIR-00001/print").select_one("h1"))
    assert TITLE_CY in _text(reader.get("/cy/entries/AIR-00001/versions").select_one("h1"))

    english = reader.get("/entries/AIR-00001")
    assert _text(english.select_one("main h1")) == TITLE
    assert _text(english.find("title")).startswith(f"{TITLE} – ")
    assert TITLE_CY not in _text(english.select_one("main"))


def test_a_title_given_in_english_only_heads_the_welsh_page_marked_as_english(world):
    _welsh_entry(world)
    page = world.client(None).get("/cy/entries/AIR-00001")
    heading = page.select_one("main h1")
    assert _text(heading) == TITLE and heading["lang"] == "en"
    assert world.client(None).get("/entries/AIR-00001").select_one("main h1").get("lang") is None


def test_the_welsh_listing_and_organisation_page_show_welsh_titles_and_summaries(world):
    _welsh_entry(world, title_cy=TITLE_CY)
    world.entry("published", values=publishable_values(title="Bin collection rounds"))
    reader = world.client(None)

    for address in ("/cy/entries?sort=title", "/cy/organisations/northshire-county-council"):
        page = reader.get(address)
        links = {_text(a): a.get("lang") for a in _result_links(page)}
        # The Welsh title where there is one, else the English, marked as English.
        assert links == {TITLE_CY: None, "Bin collection rounds": "en"}, address
        snippets = {
            _text(result.select_one("h3")): result.select_one(".register-result__snippet")
            for result in page.select(".register-result")
        }
        assert _text(snippets[TITLE_CY]) == SUMMARY_CY
        assert not snippets[TITLE_CY].has_attr("lang")
        assert snippets["Bin collection rounds"]["lang"] == "en"

    english = reader.get("/entries?sort=title")
    links = {_text(a): a.get("lang") for a in _result_links(english)}
    assert links == {TITLE: None, "Bin collection rounds": None}
    assert SUMMARY_CY not in _text(english.select_one("main"))
    assert not english.select(".register-result__snippet[lang]")


def test_an_extract_drawn_from_welsh_text_is_marked_as_welsh(world):
    _welsh_entry(world)
    reader = world.client(None)
    english = reader.get("/entries?q=didoli")
    assert english.select_one(".register-result__snippet")["lang"] == "cy"
    welsh = reader.get("/cy/entries?q=didoli")
    assert not welsh.select_one(".register-result__snippet").has_attr("lang")
    # Words in the English text only: the extract on the Welsh page is marked as English.
    extract = reader.get("/cy/entries?q=potholes").select_one(".register-result__snippet")
    assert extract["lang"] == "en" and "potholes" in _text(extract)


def test_a_word_only_in_a_welsh_title_finds_the_entry(world):
    _welsh_entry(world, title_cy=TITLE_CY)
    world.entry("published", values=publishable_values(title="Bin collection rounds"))
    reader = world.client(None)
    assert [_text(a) for a in _result_links(reader.get("/entries?q=brysbennu"))] == [TITLE]
    assert [_text(a) for a in _result_links(reader.get("/cy/entries?q=brysbennu"))] == [TITLE_CY]


def test_the_welsh_feed_gives_the_welsh_titles_and_the_english_feed_the_english(world):
    _welsh_entry(world, title_cy=TITLE_CY)
    world.entry("published", values=publishable_values(title="Bin collection rounds"))
    client = world.client(None).client

    def titles(address: str) -> dict[str, str | None]:
        feed = ElementTree.fromstring(client.get(address).data)
        found = [entry.find(f"{ATOM}title") for entry in feed.findall(f"{ATOM}entry")]
        return {title.text: title.get(XML_LANG) for title in found}

    assert titles("/cy/entries.atom") == {TITLE_CY: None, "Bin collection rounds": "en"}
    assert titles("/entries.atom") == {TITLE: None, "Bin collection rounds": None}
    feed = ElementTree.fromstring(client.get("/cy/entries.atom").data)
    summaries = [entry.findtext(f"{ATOM}summary") for entry in feed.findall(f"{ATOM}entry")]
    assert SUMMARY_CY in summaries


def test_the_welsh_title_is_in_the_downloads_beside_the_english(world):
    _welsh_entry(world, title_cy=TITLE_CY)
    client = world.client(None).client
    rows = list(csv.DictReader(io.StringIO(client.get("/entries.csv").get_data(as_text=True))))
    header = list(rows[0])
    assert header.index("title_cy") == header.index("title") + 1
    assert rows[0]["title_cy"] == TITLE_CY
    assert client.get("/entries/AIR-00001.json").json["title_cy"] == TITLE_CY


def test_the_supplier_page_and_similar_entries_show_welsh_titles_on_welsh_pages(world):
    bought = {
        "built_by": "external_supplier",
        "supplier_name": "Roadscan Vision Ltd",
        "product_name": "Roadscan Inspector",
    }
    _welsh_entry(world, title_cy=TITLE_CY, **bought)
    world.entry("published", values=publishable_values(title="Road survey", **bought))
    reader = world.client(None)

    def titles(element) -> dict[str, str | None]:
        return {_text(a): a.get("lang") for a in element.select("a[href^='/cy/entries/']")}

    supplier = reader.get("/cy/suppliers/roadscan-vision-ltd").select_one("main")
    assert titles(supplier) == {TITLE_CY: None, "Road survey": "en"}
    similar = reader.get("/cy/entries/AIR-00002").select_one("#similar-entries")
    assert titles(similar) == {TITLE_CY: None}
    assert "Yn defnyddio’r un cynnyrch: Roadscan Inspector" in _text(similar)
    similar = reader.get("/entries/AIR-00002").select_one("#similar-entries")
    assert [_text(a) for a in similar.select("a[href='/entries/AIR-00001']")] == [TITLE]
    assert "Uses the same product: Roadscan Inspector" in _text(similar)


def test_a_copy_named_anew_leaves_the_welsh_title_of_the_entry_copied_behind(world):
    _welsh_entry(world, title_cy=TITLE_CY)
    world.client("outside_editor").post(
        f"{ENTRY}/copy",
        {"organisation": "2", "title": "Pothole triage at Southvale"},
        302,
        form_url=f"{ENTRY}/copy",
    )
    values = world.draft_values("AIR-00002")
    assert values["title"] == "Pothole triage at Southvale" and values["title_cy"] is None
    assert values["summary_cy"] == SUMMARY_CY


def _english_parts(element) -> list[str]:
    return [_text(part) for part in element.select("[lang=en]")]


def test_a_title_in_english_only_is_marked_as_english_inside_welsh_sentences(world):
    _welsh_entry(world)
    revise(world, "AIR-00001", {"summary": "Sorts pothole reports by urgency."})
    reader = world.client(None)

    versions = reader.get("/cy/entries/AIR-00001/versions")
    heading = versions.select_one("main h1")
    # The sentence is Welsh; only the title inside it is marked as English.
    assert not heading.has_attr("lang") and _english_parts(heading) == [TITLE]
    assert _text(heading) != TITLE and TITLE in _text(heading)
    assert TITLE in _english_parts(versions.select_one(".govuk-breadcrumbs"))
    changes = reader.get("/cy/entries/AIR-00001/versions/2/changes")
    assert _english_parts(changes.select_one("main h1")) == [TITLE]
    earlier = reader.get("/cy/entries/AIR-00001/versions/1")
    assert TITLE in _english_parts(earlier.select_one(".govuk-breadcrumbs"))
    report = reader.get("/cy/entries/AIR-00001/report-a-problem")
    assert TITLE in _english_parts(report.select_one("main"))
    thanks = reader.get("/cy/entries/AIR-00001/feedback/thanks?answer=yes")
    assert TITLE in _english_parts(thanks.select_one("main .govuk-grid-column-two-thirds"))

    # The English pages mark nothing: the title is in the page's language.
    for address in ("/entries/AIR-00001/versions", "/entries/AIR-00001/report-a-problem"):
        assert not reader.get(address).select("main [lang=en], main [lang=cy]"), address


def test_staff_pages_show_the_title_in_the_pages_language_and_mark_it_when_not(world):
    _welsh_entry(world)
    editor = world.client("editor")
    task_list = editor.get("/cy/manage/entries/AIR-00001")
    assert task_list.select_one("main h1")["lang"] == "en"
    assert _text(task_list.select_one("main h1")) == TITLE
    dashboard = editor.get("/cy/manage")
    assert TITLE in _english_parts(dashboard.select_one("main"))

    revise(world, "AIR-00001", {"title_cy": TITLE_CY}, publish=False)
    task_list = editor.get("/cy/manage/entries/AIR-00001")
    assert _text(task_list.select_one("main h1")) == TITLE_CY
    assert not task_list.select_one("main h1").has_attr("lang")
    assert _text(editor.get("/manage/entries/AIR-00001").select_one("main h1")) == TITLE


def test_a_feed_summary_in_the_other_language_is_marked_as_it(world):
    _welsh_entry(world, title_cy=TITLE_CY)
    world.entry("published", values=publishable_values(title="Bin collection rounds"))
    client = world.client(None).client

    def summaries(address: str) -> dict[str, str | None]:
        feed = ElementTree.fromstring(client.get(address).data)
        found = [entry.find(f"{ATOM}summary") for entry in feed.findall(f"{ATOM}entry")]
        return {summary.text: summary.get(XML_LANG) for summary in found}

    english = publishable_values()["summary"]
    assert summaries("/cy/entries.atom") == {SUMMARY_CY: None, english: "en"}
    assert summaries("/entries.atom") == {english: None}


def test_a_draft_with_no_title_in_either_language_is_called_untitled(world):
    reference = world.entry(values={"summary": "Sorts reports."})
    editor = world.client("editor")
    assert _text(editor.get(f"/manage/entries/{reference}").select_one("main h1")) == (
        "Untitled entry"
    )
    links = [_text(a) for a in editor.get("/manage").select("main a")]
    assert "Untitled entry" in links
