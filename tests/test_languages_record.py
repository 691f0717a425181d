"""The record's own texts in Welsh: its questions, hints, choices and error messages read in
Welsh on /cy pages (the entry page, the listing's filters, the form), while the English pages
keep their English and the open data, the API and the data dictionary stay in English
whatever the language of the request."""

from __future__ import annotations

from typing import Any

import pytest

from register import publishing, schema, validation
from register.languages import LANGUAGE_KEY
from register.opendata import dictionary
from register.schema.texts import shown
from register.withholding import Withholding

from .factories import publishable_values
from .manage_world import WORLD, messages
from .opendata_world import fetch

world = WORLD

ABOUT = "/manage/entries/AIR-00001/about"
RETIRED = {"status": "retired", "retirement_reason": "A new system replaced it."}
RISK = {"name": "Reports are ranked unfairly", "category": "bias_discrimination"}


def _text(element) -> str:
    return element.get_text(" ", strip=True)


def _published(world, values: dict[str, Any], withheld: dict[str, Withholding] | None = None):
    """A published entry of Northshire with `values`, one risk and `withheld` answers."""
    with world.app.app_context():
        editor = world.user("editor")
        entry = publishing.create_entry(world.organisation(), editor)
        publishing.save_draft(
            entry,
            editor,
            values,
            based_on=entry.draft.lock_version,
            rows={"risks": [RISK]},
            withheld=withheld,
        )
        publishing.submit(entry, editor)
        publishing.publish(entry, world.user("publisher"))
        return entry.reference


def _answers(page, card_id: str) -> dict[str, str]:
    card = page.select_one(f"#{card_id}")
    keys = [_text(dt) for dt in card.select(".govuk-summary-list__key")]
    values = [_text(dd) for dd in card.select(".govuk-summary-list__value")]
    return dict(zip(keys, values, strict=True))


@pytest.fixture
def entry(world) -> str:
    values = publishable_values(**RETIRED, retired_on="2025-03")
    return _published(world, values, {"team": Withholding("personal_data")})


def test_a_welsh_entry_page_shows_the_record_s_questions_and_choices_in_welsh(world, entry):
    page = world.client(None).get(f"/cy/entries/{entry}")
    assert page.find("html")["lang"] == "cy"

    about = page.select_one("#section-about .govuk-summary-card__title")
    assert _text(about) == "Am yr offeryn"
    answers = _answers(page, "section-about")
    # A title given in English only is shown as the other answers are, said to be English.
    assert answers["Teitl"] == "Pothole report triage Yn Saesneg yn unig"
    assert answers["Maes polisi"] == "Materion economaidd"
    assert answers["Statws"] == "Wedi ymddeol"
    assert answers["Wedi’i ddirwyn i ben ar"] == "Mawrth 2025"
    assert answers["Tîm"] == "Wedi’i ddal yn ôl: Data personol"
    technology = _answers(page, "section-technology")
    assert technology["Technegau"] == "Dysgu peirianyddol clasurol Golwg cyfrifiadurol"
    assert technology["Wedi’i adeiladu gan"] == "Yn fewnol"
    assert _answers(page, "section-data")["Ydy’r offeryn yn defnyddio data personol?"] == "Na"

    assert _text(page.select_one("#group-risks")) == "Risgiau"
    risk = page.select_one("#group-risks").find_next(class_="govuk-summary-card")
    assert _text(risk.select_one(".govuk-summary-card__title")) == (
        "Risg 1: Reports are ranked unfairly"
    )
    assert "Tuedd a gwahaniaethu" in _text(risk)
    sources = page.select_one("#group-data_sources").find_next("p")
    assert _text(sources) == "Dim ffynonellau data wedi’u rhoi."
    notice = _text(page.select_one(".govuk-warning-text"))
    assert "ym mis Mawrth 2025" in notice


def test_the_english_entry_page_keeps_the_record_s_english(world, entry):
    page = world.client(None).get(f"/entries/{entry}")
    assert _text(page.select_one("#section-about .govuk-summary-card__title")) == "About the tool"
    answers = _answers(page, "section-about")
    assert answers["Policy area"] == "Economic affairs"
    assert answers["Status"] == "Retired"
    assert answers["Retired on"] == "March 2025"
    assert answers["Team"] == "Withheld: Personal data"
    assert _answers(page, "section-technology")["Techniques"] == (
        "Classical machine learning Computer vision"
    )
    risk = page.select_one("#group-risks").find_next(class_="govuk-summary-card")
    assert _text(risk.select_one(".govuk-summary-card__title")) == (
        "Risk 1: Reports are ranked unfairly"
    )
    sources = page.select_one("#group-data_sources").find_next("p")
    assert _text(sources) == "No data sources provided."
    assert "It was retired in March 2025." in _text(page.select_one(".govuk-warning-text"))


def test_a_retirement_day_reads_as_a_day_in_either_language(world):
    reference = _published(world, publishable_values(**RETIRED, retired_on="2025-03-03"))
    browser = world.client(None)
    welsh = _text(browser.get(f"/cy/entries/{reference}").select_one(".govuk-warning-text"))
    assert "ar 3 Mawrth 2025" in welsh
    english = _text(browser.get(f"/entries/{reference}").select_one(".govuk-warning-text"))
    assert "It was retired on 3 March 2025." in english


def _filter(page, name: str) -> tuple[str, list[str]]:
    found = page.select_one(f"#filter-{name}")
    options = [_text(label) for label in found.select(".govuk-checkboxes__label")]
    return _text(found.select_one(".govuk-details__summary-text")), options


def test_the_welsh_listing_names_its_filters_and_their_choices_in_welsh(world, entry):
    browser = world.client(None)
    page = browser.get("/cy/entries?policy_area=economic_affairs")
    name, options = _filter(page, "policy_area")
    assert name == "Maes polisi (1 wedi’u dewis)"
    assert "Materion economaidd (1)" in options and "Amddiffyn (0)" in options
    assert _filter(page, "status")[1][-1] == "Wedi ymddeol (1)"
    assert _filter(page, "organisation_type")[0] == "Math o sefydliad"
    # Organisations are named as they name themselves.
    assert "Northshire County Council (1)" in _filter(page, "organisation")[1]
    tag = _text(page.select_one(".register-chosen__tag"))
    assert "Maes polisi: Materion economaidd" in tag
    result = _text(page.select_one(".register-result__details"))
    assert "Materion economaidd" in result and "Wedi ymddeol" in result

    english = browser.get("/entries?policy_area=economic_affairs")
    name, options = _filter(english, "policy_area")
    assert name == "Policy area (1 chosen)"
    assert "Economic affairs (1)" in options and "Defence (0)" in options
    assert "Policy area: Economic affairs" in _text(english.select_one(".register-chosen__tag"))


def test_a_welsh_section_asks_its_questions_in_welsh_with_their_hints(world):
    world.entry()
    page = world.client("editor").get("/cy" + ABOUT)
    assert _text(page.select_one("h1")) == "Am yr offeryn"
    assert _text(page.select_one("label[for=title]")) == "Teitl"
    assert _text(page.select_one("#title-hint")).startswith("Enw byr sy’n dweud beth mae’r")
    assert _text(page.select_one("label[for=team]")) == "Tîm (dewisol)"
    status = page.select_one("#status").find_parent("fieldset")
    assert _text(status.select_one("legend")) == "Statws"
    choices = [_text(label) for label in status.select(".govuk-radios__label")]
    assert choices[:2] == ["Wedi’i gynllunio", "Wrthi’n cael ei ddatblygu"]
    retired = _text(page.select_one("#retired_on-hint"))
    assert retired == "Blwyddyn, mis neu ddiwrnod. Angen pan mae’r offeryn wedi’i ddirwyn i ben."
    assert _text(page.select_one("button[name=save_as_draft]")) == "Cadw fel drafft"

    english = world.client("editor").get(ABOUT)
    assert _text(english.select_one("label[for=team]")) == "Team (optional)"
    assert _text(english.select_one("#retired_on-hint")) == (
        "A year, a month or a day. Needed when the tool is retired."
    )


def test_a_wrong_answer_on_a_welsh_section_is_explained_in_welsh_next_to_it(world):
    world.entry()
    lock = world.lock_version("AIR-00001")
    answers = {"lock_version": lock, "title": "T" * 121, "started_on": "2024-13"}
    page = world.client("editor").post_page("/cy" + ABOUT, answers)
    assert messages(page) == [
        "Teitl: rhaid defnyddio 120 nod neu lai",
        "Rhowch y dyddiad y dechreuodd y gwaith fel blwyddyn, mis neu ddiwrnod, fel 2024, "
        "2024-03 neu 2024-03-27",
    ]
    title = page.select_one("#title").find_parent(class_="govuk-form-group")
    assert _text(title.select_one(".govuk-error-message")) == (
        "Gwall: Teitl: rhaid defnyddio 120 nod neu lai"
    )
    assert world.draft_values("AIR-00001")["title"] == "Chatbot"

    english = world.client("editor").post_page(ABOUT, answers)
    assert messages(english)[0] == "Title must be 120 characters or fewer"


def test_withholding_without_a_reason_is_explained_in_welsh(world):
    world.entry()
    answers = {"lock_version": world.lock_version("AIR-00001"), "withhold__team": "y"}
    page = world.client("editor").post_page("/cy" + ABOUT, answers)
    assert "Dewiswch pam na ellir cyhoeddi’r ateb" in messages(page)


@pytest.mark.parametrize(
    "path", ["/entries.csv", "/entries.json", "/entries.csv?policy_area=economic_affairs"]
)
def test_the_downloads_are_the_same_bytes_from_a_welsh_page(world, entry, path):
    client = world.client(None).client
    english, welsh = fetch(client, path), fetch(client, "/cy" + path)
    assert english.status_code == welsh.status_code == 200
    assert welsh.data == english.data
    assert b"economic_affairs" in english.data and b"Materion" not in welsh.data


def test_the_api_answers_in_english_to_a_reader_of_welsh(world, entry):
    client = world.client(None).client
    english = fetch(client, "/api/v1/entries")
    welsh = fetch(client, "/api/v1/entries", headers={"Accept-Language": "cy"})
    assert english.status_code == welsh.status_code == 200
    assert welsh.data == english.data
    assert fetch(client, "/cy/api/v1/entries").status_code == 404


def test_the_record_stays_english_for_machines_during_a_welsh_request(app):
    title = schema.all_fields()[0]
    english_dictionary = dictionary.markdown()
    with app.test_request_context("/entries", environ_overrides={LANGUAGE_KEY: "cy"}):
        assert shown(title.label) == "Teitl"
        assert title.label == "Title"
        assert dictionary.markdown() == english_dictionary
        problem = validation.check_value(title, "T" * 121)
        # The API and the importers report the English; a page says it in its language.
        assert problem == "Title must be 120 characters or fewer"
        assert shown(problem) == "Teitl: rhaid defnyddio 120 nod neu lai"
        assert Withholding("personal_data").shown == "Wedi’i ddal yn ôl: Data personol"
    with app.test_request_context("/entries"):
        assert Withholding("personal_data").shown == "Withheld: Personal data"
