"""Answers withheld with a stated reason: the section pages, publishing and the entry page."""

from __future__ import annotations

import csv
import io
import json
import zipfile

from sqlalchemy import select

from register import publishing, schema, withholding
from register.completeness import answered
from register.extensions import db
from register.importing.formats.us import WITHHELD_FROM_REPORTING
from register.models import Entry, EntryVersion
from register.validation import messages_for

from .factories import publishable_values
from .import_files import us_2025_csv
from .manage_world import WORLD, form_data, messages
from .opendata_world import fetch

world = WORLD

PURPOSE = "/manage/entries/AIR-00001/purpose"


def _withhold(data: dict, name: str, reason: str, text: str = "") -> dict:
    return {
        **data,
        f"withhold__{name}": "y",
        f"withheld_reason__{name}": reason,
        f"withheld_text__{name}": text,
        "save_and_continue": "Save and continue",
    }


def _withheld(world, reference: str = "AIR-00001") -> dict:
    with world.app.app_context():
        return withholding.withheld_of(world.load(reference).draft)


def test_an_editor_withholds_an_answer_and_its_value_is_not_kept(world):
    values = publishable_values()
    world.entry(values=values)
    editor = world.client("editor")
    page = editor.get(PURPOSE)
    assert "I cannot publish this answer" in page.select_one("#benefits-withhold").get_text()
    editor.post(PURPOSE, _withhold(form_data(page), "benefits", "commercial_confidentiality"), 302)
    assert _withheld(world) == {"benefits": withholding.Withholding("commercial_confidentiality")}
    assert world.draft_values("AIR-00001")["benefits"] is None

    page = editor.get(PURPOSE)
    notice = page.select_one("#benefits-withheld").get_text(" ", strip=True)
    assert "Withheld: Commercial confidentiality" in notice
    assert page.select_one("#withhold__benefits")["checked"] is not None


def test_an_editor_stops_withholding_an_answer_and_gives_it(world):
    world.entry(values=publishable_values())
    editor = world.client("editor")
    data = form_data(editor.get(PURPOSE))
    editor.post(PURPOSE, _withhold(data, "benefits", "personal_data"), 302)
    data = form_data(editor.get(PURPOSE))
    data.pop("withhold__benefits")
    data["benefits"] = "Faster answers for residents."
    editor.post(PURPOSE, {**data, "save_and_continue": "Save and continue"}, 302)
    assert _withheld(world) == {}
    assert world.draft_values("AIR-00001")["benefits"] == "Faster answers for residents."
    assert editor.get(PURPOSE).select_one("#benefits-withheld") is None


def test_withholding_needs_a_known_reason_and_words_for_other(world):
    world.entry(values=publishable_values())
    editor = world.client("editor")
    data = form_data(editor.get(PURPOSE))
    page = editor.post_page(PURPOSE, _withhold(data, "benefits", ""))
    assert messages(page) == ["Select why the answer cannot be published"]
    error = page.select_one("#benefits-withhold .govuk-error-message").get_text(strip=True)
    assert "Select why the answer cannot be published" in error

    page = editor.post_page(PURPOSE, _withhold(data, "benefits", "because"))
    assert messages(page) == ["Select a reason from the list"]

    page = editor.post_page(PURPOSE, _withhold(data, "benefits", "other", "  "))
    assert messages(page) == ["Enter why the answer cannot be published"]
    assert page.select_one("#withheld_text__benefits-error") is not None
    # Nothing was changed by the refused saves.
    assert _withheld(world) == {}
    assert world.draft_values("AIR-00001")["benefits"] == publishable_values()["benefits"]

    editor.post(PURPOSE, _withhold(data, "benefits", "other", "Under a court order"), 302)
    assert _withheld(world) == {"benefits": withholding.Withholding("other", "Under a court order")}


def test_a_withheld_required_answer_counts_as_answered_for_publishing(world):
    values = {**publishable_values(), "benefits": None}
    world.entry(values=values)
    editor = world.client("editor")
    missing = messages_for(next(f for f in schema.all_fields() if f.name == "benefits")).missing
    check = editor.get("/manage/entries/AIR-00001/check")
    assert missing in check.main.get_text()
    answered = check.select_one("#completeness").get_text()
    data = form_data(editor.get(PURPOSE))
    editor.post(PURPOSE, _withhold(data, "benefits", "law_enforcement"), 302)

    check = editor.get("/manage/entries/AIR-00001/check")
    assert "Withheld: Law enforcement" in check.main.get_text()
    assert missing not in check.main.get_text()
    assert check.select_one("#completeness").get_text() != answered
    editor.post("/manage/entries/AIR-00001/submit", {}, 302)
    publisher = world.client("publisher")
    with world.app.app_context():
        entry = world.load("AIR-00001")
        publishing.publish(entry, world.user("publisher"))
        assert withholding.withheld_of(entry.current_version) == {
            "benefits": withholding.Withholding("law_enforcement")
        }
    page = publisher.get("/entries/AIR-00001")
    assert "Withheld: Law enforcement" in page.main.get_text()


def test_a_new_revision_keeps_what_was_withheld(world):
    world.entry(values=publishable_values())
    editor = world.client("editor")
    data = form_data(editor.get(PURPOSE))
    editor.post(PURPOSE, _withhold(data, "benefits", "national_security"), 302)
    with world.app.app_context():
        entry = world.load("AIR-00001")
        publishing.submit(entry, world.user("editor"))
        publishing.publish(entry, world.user("publisher"))
        publishing.start_revision(entry, world.user("editor"))
    assert _withheld(world) == {"benefits": withholding.Withholding("national_security")}


def _published_with_withheld(world, **withheld: withholding.Withholding) -> str:
    """A published entry whose answers named in `withheld` are withheld."""
    reference = world.entry(values=publishable_values())
    with world.app.app_context():
        entry = world.load(reference)
        editor = world.user("editor")
        publishing.save_draft(
            entry, editor, {}, based_on=entry.draft.lock_version, withheld=withheld
        )
        publishing.submit(entry, editor)
        publishing.publish(entry, world.user("publisher"))
    return reference


def test_the_record_and_the_downloads_say_which_answers_are_withheld_and_why(world):
    reference = _published_with_withheld(
        world,
        legal_basis=withholding.Withholding("other", "Sealed by the court"),
        benefits=withholding.Withholding("personal_data"),
    )
    client = world.client(None).client
    record = client.get(f"/api/v1/entries/{reference}").json
    assert record["benefits"] is None
    assert record["withheld"] == [
        {"field": "benefits", "reason": "personal_data", "reason_text": None},
        {"field": "legal_basis", "reason": "other", "reason_text": "Sealed by the court"},
    ]
    [listed] = fetch(client, "/entries.json").json
    assert listed["withheld"] == record["withheld"]
    line = fetch(client, "/entries.ndjson").get_data(as_text=True).splitlines()[0]
    assert json.loads(line)["withheld"] == record["withheld"]
    rows = list(csv.DictReader(io.StringIO(fetch(client, "/entries.csv").get_data(as_text=True))))
    assert rows[0]["benefits"] == ""

    package = zipfile.ZipFile(io.BytesIO(fetch(client, "/download/register.zip").data))
    table = package.read("withheld_answers.csv").decode("utf-8-sig").splitlines()
    assert table[0] == "reference,version,field,reason,reason_text"
    assert sorted(table[1:]) == [
        f"{reference},1,benefits,personal_data,",
        f"{reference},1,legal_basis,other,Sealed by the court",
    ]
    described = json.loads(package.read("datapackage.json"))
    names = [resource["name"] for resource in described["resources"]]
    assert "withheld_answers" in names
    schema_document = client.get("/api/v1/schema.json").json
    assert "withheld" in schema_document["properties"]
    assert "withheld_answers" in client.get("/open-data").get_data(as_text=True)


def test_withholding_an_answer_of_a_new_version_refreshes_the_kept_record(world):
    reference = _published_with_withheld(world)
    client = world.client(None).client
    assert fetch(client, "/entries.json").json[0]["withheld"] == []
    with world.app.app_context():
        entry = world.load(reference)
        editor = world.user("editor")
        publishing.start_revision(entry, editor)
        publishing.save_draft(
            entry,
            editor,
            {},
            based_on=entry.draft.lock_version,
            withheld={"scale": withholding.Withholding("law_enforcement")},
        )
        publishing.submit(entry, editor)
        publishing.publish(entry, world.user("publisher"), change_note="Scale withheld.")
    [listed] = fetch(client, "/entries.json").json
    assert listed["withheld"] == [
        {"field": "scale", "reason": "law_enforcement", "reason_text": None}
    ]


def test_stats_count_withheld_answers_by_reason_and_by_organisation(world):
    _published_with_withheld(
        world,
        benefits=withholding.Withholding("personal_data"),
        scale=withholding.Withholding("personal_data"),
    )
    _published_with_withheld(world, legal_basis=withholding.Withholding("other", "Sealed"))
    client = world.client(None)
    page = client.get("/stats")
    by_reason = {
        row.th.get_text(strip=True): row.td.get_text(strip=True)
        for row in page.select("#withheld-by-reason tbody tr")
    }
    assert by_reason == {
        "National security": "0",
        "Law enforcement": "0",
        "Commercial confidentiality": "0",
        "Personal data": "2",
        "Other": "1",
    }
    by_organisation = [
        (row.th.get_text(strip=True), row.td.get_text(strip=True))
        for row in page.select("#withheld-by-organisation tbody tr")
    ]
    assert by_organisation == [("Northshire County Council", "3")]
    figures = client.client.get("/stats.json").json["withheld_answers"]
    assert figures["by_reason"]["personal_data"] == 2
    assert figures["by_organisation"] == [
        {
            "organisation": "northshire-county-council",
            "name": "Northshire County Council",
            "answers": 3,
        }
    ]


def test_a_withheld_answer_counts_towards_the_average_completeness(world):
    full = publishable_values()
    reference = world.entry(values={**full, "people_affected": None})
    with world.app.app_context():
        entry = world.load(reference)
        before = withholding.withheld_of(entry.draft)

        def counted() -> int:
            return db.session.scalar(select(answered()).where(EntryVersion.id == entry.draft.id))

        without = counted()
        publishing.save_draft(
            entry,
            world.user("editor"),
            {},
            based_on=entry.draft.lock_version,
            withheld={"people_affected": withholding.Withholding("personal_data")},
        )
        assert before == {}
        assert counted() == without + 1


def test_a_use_case_the_agency_withheld_is_published_with_its_blank_answers_withheld(
    runner, app, client, tmp_path
):
    path = tmp_path / "inventory.csv"
    path.write_bytes(
        us_2025_csv(
            [
                {
                    "agency": "DHS",
                    "agency_name": "Department of Homeland Security",
                    "id": "DHS-0099",
                    "use_case_name": "Border screening model",
                    "is_withheld": "b) Yes – agency has determined that there’s a risk to "
                    "disclosure",
                }
            ]
        )
    )
    result = runner.invoke(
        args=["register", "import", "--format", "us-2025", "--create-organisations", "--publish"]
        + [str(path)]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        entry = db.session.scalar(select(Entry))
        withheld = withholding.withheld_of(entry.current_version)
    reason = withholding.Withholding("other", WITHHELD_FROM_REPORTING)
    assert withheld["purpose"] == reason
    assert withheld["summary"] == reason
    assert "title" not in withheld and "other_information" not in withheld
    page = client.get(f"/entries/{entry.reference}").get_data(as_text=True)
    assert f"Withheld: {WITHHELD_FROM_REPORTING}" in page
    record = client.get(f"/api/v1/entries/{entry.reference}").json
    assert {"field": "purpose", "reason": "other", "reason_text": WITHHELD_FROM_REPORTING} in (
        record["withheld"]
    )
