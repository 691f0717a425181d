"""`flask register import`: the dry-run report, all-or-nothing writing, re-importing the same
file, organisations matched or created, and files that are not what they claim."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import func, select

from register import versions
from register.extensions import db
from register.models import AuditEvent, Entry, Organisation
from register.models.entry import PUBLISHED

from .factories import publishable_values

COLUMNS = [
    "agency",
    "agency_name",
    "id",
    "use_case_name",
    "agency_bureau",
    "contact_email",
    "development_stage",
    "classification",
    "problem_solved",
    "benefits",
    "operational_date",
    "vendor_name",
    "has_pii",
    "hi_independent_review",
]


def us_row(number: int, **changes: str) -> dict[str, str]:
    row = {
        "agency": "DOT",
        "agency_name": "Department of Transportation",
        "id": f"DOT-{number:04d}",
        "use_case_name": f"Pavement crack finder {number}",
        "agency_bureau": "Federal Highway Administration ",
        "contact_email": "ai@dot.example",
        "development_stage": " deployed\n",
        "classification": "Computer Vision; CLASSICAL ML",
        "problem_solved": "Inspectors cannot drive every road each year.",
        "benefits": "Cracks are found before they become potholes.",
        "operational_date": "Jul-25",
        "vendor_name": "Roadsight Ltd",
        "has_pii": "No",
        "hi_independent_review": "Reviewed by the agency's AI board in 2025",
    }
    row.update(changes)
    return row


def us_file(tmp_path, rows: list[dict[str, str]], *, encoding: str = "utf-8", name="us.csv"):
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / name
    path.write_bytes(text.getvalue().encode(encoding))
    return path


@pytest.fixture
def transport(make_organisation, app):
    organisation = make_organisation("Department of Transportation", "central_government")
    with app.app_context():
        found = db.session.get(Organisation, organisation.id)
        found.abbreviation = "DOT"
        db.session.commit()
    return organisation


def run_import(runner, path, *options: str):
    return runner.invoke(args=["register", "import", "--format", "us-2025", *options, str(path)])


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_a_dry_run_reports_every_row_and_writes_nothing(runner, app, transport, tmp_path):
    path = us_file(tmp_path, [us_row(1), us_row(2, use_case_name="")])
    result = run_import(runner, path, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "2 rows read: 1 entry to create, 0 to update, 0 unchanged, 1 row with problems" in (
        result.output
    )
    assert "Problem: Row 3, column “title”: The row has no title (name) for the tool" in (
        result.output
    )
    assert "Dry run: nothing was written." in result.output
    with app.app_context():
        assert count(Entry) == 0
        assert count(AuditEvent, AuditEvent.action.like("%import%")) == 0


def test_an_import_creates_drafts_with_values_mapped_and_logs_the_file(
    runner, app, transport, tmp_path
):
    path = us_file(tmp_path, [us_row(1), us_row(2)])
    result = run_import(runner, path)
    assert result.exit_code == 0, result.output
    assert "2 rows read: 2 entries created, 0 updated, 0 unchanged (as drafts)." in result.output
    with app.app_context():
        entries = list(db.session.scalars(select(Entry).order_by(Entry.id)))
        assert [(e.state, e.source_format, e.source_id) for e in entries] == [
            ("draft", "us-2025", "DOT-0001"),
            ("draft", "us-2025", "DOT-0002"),
        ]
        values = versions.values_of(entries[0].draft)
        assert values["title"] == "Pavement crack finder 1"
        assert values["team"] == "Federal Highway Administration"
        assert values["status"] == "in_use"
        assert values["techniques"] == ["computer_vision", "classical_ml"]
        assert values["in_use_from"] == "2025-07"
        assert values["supplier_name"] == "Roadsight Ltd"
        assert values["uses_personal_data"] is False
        assert (
            "hi_independent_review: Reviewed by the agency's AI board in 2025"
            in (values["other_information"])
        )
        [logged] = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "file_imported")
        )
        assert logged.organisation_id == transport.id
        assert logged.detail.startswith("us.csv (")
        assert "2 created, 0 updated, as drafts" in logged.detail
        assert count(AuditEvent, AuditEvent.action == "imported") == 2


def test_importing_the_same_file_again_changes_nothing_and_a_changed_row_updates(
    runner, app, transport, tmp_path
):
    rows = [us_row(1), us_row(2), us_row(3)]
    assert run_import(runner, us_file(tmp_path, rows)).exit_code == 0
    again = run_import(runner, us_file(tmp_path, rows))
    assert "3 rows read: 0 entries to create, 0 to update, 3 unchanged" in again.output
    assert "Nothing to import: no entry would be created or changed." in again.output
    rows[1] = us_row(2, benefits="Cracks are found a year sooner.")
    changed = run_import(runner, us_file(tmp_path, rows))
    assert "3 rows read: 0 entries created, 1 updated, 2 unchanged" in changed.output
    with app.app_context():
        assert count(Entry) == 3
        entry = db.session.scalar(select(Entry).where(Entry.source_id == "DOT-0002"))
        assert versions.values_of(entry.draft)["benefits"] == "Cracks are found a year sooner."


def test_a_row_of_this_registers_own_file_missing_what_publishing_needs_is_not_published(
    runner, app, make_organisation, tmp_path
):
    # Entries of another register's file are published as their source recorded them (see
    # test_import_publish.py); this register's own files keep the register's rule.
    organisation = make_organisation()
    record = {**publishable_values(), "organisation": {"slug": organisation.slug}}
    del record["policy_area"]
    path = tmp_path / "other-register.json"
    path.write_text(json.dumps([record]))
    args = ["register", "import", "--format", "native", "--publish", "--valid-rows-only"]
    refused = runner.invoke(args=[*args, str(path)])
    assert "column “Policy area”: Needed to publish" in refused.output
    with app.app_context():
        assert count(Entry) == 0


def test_a_published_entry_imported_again_gets_a_new_version(
    runner, app, make_organisation, tmp_path
):
    organisation = make_organisation()
    record = {
        **publishable_values(),
        "organisation": {"slug": organisation.slug},
        "reference": "EXT-00007",
    }
    path = tmp_path / "other-register.json"
    path.write_text(json.dumps([record]))
    native = ["register", "import", "--format", "native", "--publish", str(path)]
    assert runner.invoke(args=native).exit_code == 0
    path.write_text(json.dumps([{**record, "title": "Pothole triage, second edition"}]))
    result = runner.invoke(args=native)
    assert "0 entries created, 1 updated, 0 unchanged (as published)" in result.output
    with app.app_context():
        entry = db.session.scalar(select(Entry))
        assert entry.source_id == "EXT-00007"
        assert [(v.number, v.change_note) for v in entry.published_versions] == [
            (1, "Imported from other-register.json."),
            (2, "Updated from other-register.json."),
        ]
        assert entry.current_version.title == "Pothole triage, second edition"


def test_another_registers_rows_that_cannot_be_imported_are_left_out_and_listed(
    runner, app, transport, tmp_path
):
    rows = [
        us_row(1),
        us_row(2, agency_name="Department of Nowhere", agency="DON"),
        us_row(3, use_case_name=""),
        us_row(4),
    ]
    path = us_file(tmp_path, rows)
    result = run_import(runner, path, "--publish")
    assert result.exit_code == 0, result.output
    assert "There is no organisation called “Department of Nowhere”" in result.output
    assert "The row has no title" in result.output
    assert "Leaving out the 2 rows with problems listed above." in result.output
    with app.app_context():
        published = db.session.scalars(select(Entry.source_id).where(Entry.state == PUBLISHED))
        assert sorted(published) == ["DOT-0001", "DOT-0004"]


def test_one_row_of_the_registers_own_file_with_a_problem_imports_nothing_unless_asked(
    runner, app, transport, tmp_path
):
    path = tmp_path / "entries.json"
    good = {"title": "Pothole triage", "organisation": "Department of Transportation"}
    bad = {**good, "title": ""}
    path.write_text(json.dumps([good, bad]))
    refused = runner.invoke(args=["register", "import", "--format", "native", str(path)])
    assert refused.exit_code != 0
    assert "Nothing was imported" in refused.output
    with app.app_context():
        assert count(Entry) == 0
    partial = runner.invoke(
        args=["register", "import", "--format", "native", "--valid-rows-only", str(path)]
    )
    assert partial.exit_code == 0, partial.output
    with app.app_context():
        assert [entry.draft.title for entry in db.session.scalars(select(Entry))] == [
            "Pothole triage"
        ]


def test_organisations_are_matched_by_abbreviation_or_created_when_asked(
    runner, app, transport, tmp_path
):
    rows = [
        us_row(1, agency_name="department of transportation "),
        us_row(2, agency_name="", agency="DOT"),
        us_row(3, agency_name="Department of Energy", agency="DOE"),
    ]
    path = us_file(tmp_path, rows)
    unknown = run_import(runner, path)
    assert "There is no organisation called “Department of Energy”" in unknown.output
    assert "Leaving out the 1 row with problems listed above." in unknown.output
    result = run_import(runner, path, "--create-organisations")
    assert result.exit_code == 0, result.output
    assert "Organisations to add: Department of Energy" in result.output
    with app.app_context():
        energy = db.session.scalar(
            select(Organisation).where(Organisation.name == "Department of Energy")
        )
        assert (energy.abbreviation, energy.type) == ("DOE", "other")
        by_organisation = dict(
            db.session.execute(
                select(Organisation.abbreviation, func.count(Entry.id))
                .join(Entry, Entry.organisation_id == Organisation.id)
                .group_by(Organisation.abbreviation)
            ).all()
        )
        assert by_organisation == {"DOT": 2, "DOE": 1}
    again = run_import(runner, path)
    assert "0 entries to create, 0 to update, 3 unchanged" in again.output


def test_the_report_can_say_how_each_value_was_read(runner, app, transport, tmp_path):
    result = run_import(runner, us_file(tmp_path, [us_row(1)]), "--dry-run", "--show-mapping")
    assert "Row 2: development_stage “deployed” → Status: In use" in result.output
    assert "Row 2: operational_date “Jul-25” → In use from: 2025-07" in result.output
    assert (
        "Row 2: classification “Computer Vision; CLASSICAL ML” → "
        "Techniques: Computer vision, Classical machine learning" in result.output
    )


def test_repeated_rows_are_left_out_and_conflicting_ones_are_problems(
    runner, app, transport, tmp_path
):
    rows = [us_row(1), us_row(1), us_row(2), us_row(2, benefits="Something else")]
    result = run_import(runner, us_file(tmp_path, rows), "--dry-run")
    assert "Note: Row 3, A repeat of row 2; left out" in result.output
    assert "Problem: Row 5, value “DOT-0002”: The same entry as row 4, with different answers" in (
        result.output
    )


def test_windows_1252_text_is_read_as_written(runner, app, transport, tmp_path):
    path = us_file(
        tmp_path, [us_row(1, use_case_name="Café inspection’s helper")], encoding="cp1252"
    )
    assert run_import(runner, path).exit_code == 0
    with app.app_context():
        entry = db.session.scalar(select(Entry))
        assert versions.values_of(entry.draft)["title"] == "Café inspection’s helper"


def test_a_failure_while_writing_leaves_nothing_written(
    runner, app, transport, tmp_path, monkeypatch
):
    from register.importing import writing

    calls = []

    def failing_event(*args, **kwargs):
        calls.append(args)
        if len(calls) == 2:
            raise RuntimeError("disk full")

    monkeypatch.setattr(writing, "record_event", failing_event)
    result = run_import(runner, us_file(tmp_path, [us_row(1), us_row(2)]))
    assert result.exit_code != 0
    with app.app_context():
        assert count(Entry) == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty"),
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "The file is a PNG image, not a CSV file"),
        (b"\n\n", "The file is empty"),
        (b"1,2,3\n4,5,6\n", "This is not a file of the US federal AI use case inventory"),
        (b"use_case_name,agency_name\n", "The file has no entries in it, only a header"),
    ],
)
def test_a_file_that_is_not_what_it_claims_is_refused_and_nothing_is_written(
    runner, app, transport, tmp_path, content, message
):
    path = tmp_path / "claims.csv"
    path.write_bytes(content)
    result = run_import(runner, path)
    assert result.exit_code != 0
    assert message in result.output
    assert "Nothing was imported" in result.output
    with app.app_context():
        assert count(Entry) == 0


def test_a_json_array_of_numbers_is_not_the_registers_json(runner, app, tmp_path):
    path = tmp_path / "numbers.json"
    path.write_text("[1, 2, 3]")
    result = runner.invoke(args=["register", "import", "--format", "native", str(path)])
    assert result.exit_code != 0
    assert "Record 1 of the file is not a JSON object" in result.output
