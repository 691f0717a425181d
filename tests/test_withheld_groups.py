"""A repeating group (the risks, say) withheld as a whole with a stated reason: on its section
page, for publishing and completeness, on the public page, in the open data and the figures."""

from __future__ import annotations

import io
import zipfile

from sqlalchemy import select

from register import publishing, withholding
from register.completeness import answered
from register.extensions import db
from register.models import EntryVersion

from .factories import publishable_values
from .manage_world import WORLD, banner, form_data, messages
from .opendata_world import fetch

world = WORLD

RISKS_PAGE = "/manage/entries/AIR-00001/risks"
CHECK = "/manage/entries/AIR-00001/check"
RISKS_MISSING = "Risks and impact: Risks (recommended)"
A_RISK = {"name": "Unfair triage", "description": "Some residents wait longer."}


def _withhold(data: dict, name: str, reason: str, text: str = "") -> dict:
    return {
        **data,
        f"withhold__{name}": "y",
        f"withheld_reason__{name}": reason,
        f"withheld_text__{name}": text,
        "save_as_draft": "Save as draft",
    }


def _withheld(world, reference: str = "AIR-00001") -> dict:
    with world.app.app_context():
        return withholding.withheld_of(world.load(reference).draft)


def _missing(page) -> list[str]:
    return [item.get_text(" ", strip=True) for item in page.select("#missing-answers li")]


def test_an_editor_withholds_the_risks_on_their_page(world):
    world.entry(values=publishable_values())
    editor = world.client("editor")
    page = editor.get(RISKS_PAGE)
    assert "I cannot publish this answer" in page.select_one("#risks-withhold").get_text()
    editor.post(RISKS_PAGE, _withhold(form_data(page), "risks", "national_security"), 302)
    assert _withheld(world) == {"risks": withholding.Withholding("national_security")}

    page = editor.get(RISKS_PAGE)
    notice = page.select_one("#risks-withheld").get_text(" ", strip=True)
    assert "Withheld: National security" in notice
    assert page.select_one("#withhold__risks")["checked"] is not None
    # The other groups of the page are not withheld with it.
    assert page.select_one("#impact_assessments-withheld") is None


def test_a_group_with_rows_cannot_be_withheld(world):
    world.entry(values=publishable_values(), rows={"risks": [A_RISK]})
    editor = world.client("editor")
    data = form_data(editor.get(RISKS_PAGE))
    page = editor.post_page(RISKS_PAGE, _withhold(data, "risks", "personal_data"))
    assert messages(page) == ["Remove every risk before withholding the risks"]
    error = page.select_one("#risks-withhold .govuk-error-message").get_text(strip=True)
    assert "Remove every risk before withholding the risks" in error
    assert page.select_one(".govuk-error-summary a")["href"] == "#withhold__risks"
    # Nothing was changed by the refused save.
    assert _withheld(world) == {}
    assert world.draft_rows("AIR-00001")["risks"][0]["name"] == "Unfair triage"


def test_withholding_a_group_needs_a_reason_and_words_for_other(world):
    world.entry(values=publishable_values())
    editor = world.client("editor")
    data = form_data(editor.get(RISKS_PAGE))
    page = editor.post_page(RISKS_PAGE, _withhold(data, "risks", ""))
    assert messages(page) == ["Select why the answer cannot be published"]
    page = editor.post_page(RISKS_PAGE, _withhold(data, "risks", "other", " "))
    assert messages(page) == ["Enter why the answer cannot be published"]
    assert page.select_one("#withheld_text__risks-error") is not None
    assert _withheld(world) == {}

    editor.post(RISKS_PAGE, _withhold(data, "risks", "other", "Under review by the court"), 302)
    assert _withheld(world) == {
        "risks": withholding.Withholding("other", "Under review by the court")
    }


def test_adding_a_row_to_a_withheld_group_stops_withholding_it(world):
    world.entry(values=publishable_values())
    editor = world.client("editor")
    editor.post(
        RISKS_PAGE, _withhold(form_data(editor.get(RISKS_PAGE)), "risks", "personal_data"), 302
    )
    add = "/manage/entries/AIR-00001/risks/add"
    editor.post(add, {**form_data(editor.get(add)), **A_RISK, "save_row": "Save risk"}, 302)
    assert _withheld(world) == {}
    assert [row["name"] for row in world.draft_rows("AIR-00001")["risks"]] == ["Unfair triage"]
    page = editor.get(RISKS_PAGE)
    assert "The risks are no longer withheld" in banner(page)
    assert page.select_one("#risks-withheld") is None


def test_unticking_stops_withholding_a_group(world):
    world.entry(values=publishable_values())
    editor = world.client("editor")
    editor.post(
        RISKS_PAGE, _withhold(form_data(editor.get(RISKS_PAGE)), "risks", "personal_data"), 302
    )
    data = form_data(editor.get(RISKS_PAGE))
    data.pop("withhold__risks")
    editor.post(RISKS_PAGE, {**data, "save_as_draft": "Save as draft"}, 302)
    assert _withheld(world) == {}
    assert "No risks added yet" in editor.get(RISKS_PAGE).main.get_text()


def test_a_withheld_group_counts_as_answered_and_the_entry_publishes(world):
    world.entry(values=publishable_values())
    editor = world.client("editor")
    check = editor.get(CHECK)
    assert RISKS_MISSING in _missing(check)
    answered_before = check.select_one("#completeness").get_text(" ", strip=True)
    editor.post(
        RISKS_PAGE, _withhold(form_data(editor.get(RISKS_PAGE)), "risks", "law_enforcement"), 302
    )

    check = editor.get(CHECK)
    assert RISKS_MISSING not in _missing(check)
    assert check.select_one("#completeness").get_text(" ", strip=True) != answered_before
    assert "Withheld: Law enforcement" in check.main.get_text()
    editor.post("/manage/entries/AIR-00001/submit", {}, 302)
    with world.app.app_context():
        entry = world.load("AIR-00001")
        publishing.publish(entry, world.user("publisher"))
        assert withholding.withheld_of(entry.current_version) == {
            "risks": withholding.Withholding("law_enforcement")
        }
        # The kept count (for /stats) counts the withheld group as answered too.
        counted = db.session.scalar(
            select(answered()).where(EntryVersion.id == entry.current_version.id)
        )
        assert counted == entry.current_version.answered

    reader = world.client(None)
    for address in ("/entries/AIR-00001", "/entries/AIR-00001/print"):
        shown = reader.get(address).select_one("#group-risks-withheld").get_text(strip=True)
        assert shown == "Withheld: Law enforcement"
    printed = editor.get("/manage/entries/AIR-00001/print").main.get_text()
    assert "Withheld: Law enforcement" in printed


def test_the_record_table_and_figures_name_the_withheld_group(world):
    reference = world.entry(values=publishable_values())
    with world.app.app_context():
        entry = world.load(reference)
        editor = world.user("editor")
        publishing.save_draft(
            entry,
            editor,
            {},
            based_on=entry.draft.lock_version,
            withheld={"data_sources": withholding.Withholding("other", "Supplier's secret")},
        )
        publishing.submit(entry, editor)
        publishing.publish(entry, world.user("publisher"))
        publishing.start_revision(entry, editor)
    # A new revision keeps the group withheld.
    assert _withheld(world) == {
        "data_sources": withholding.Withholding("other", "Supplier's secret")
    }

    client = world.client(None).client
    record = client.get(f"/api/v1/entries/{reference}").json
    assert record["data_sources"] == []
    assert record["withheld"] == [
        {"field": "data_sources", "reason": "other", "reason_text": "Supplier's secret"}
    ]
    package = zipfile.ZipFile(io.BytesIO(fetch(client, "/download/register.zip").data))
    table = package.read("withheld_answers.csv").decode("utf-8-sig").splitlines()
    assert table[1:] == [f"{reference},1,data_sources,other,Supplier's secret"]

    figures = client.get("/stats.json").json["withheld_answers"]
    assert figures["by_reason"]["other"] == 1
