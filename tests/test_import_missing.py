"""A newer copy of a file without some rows: the entries imported before that it no longer
has are listed, on the command line and on the upload page's report, and the person may
retire them, with a reason, in the same import (following the two-person rule)."""

from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import select

from register import versions
from register.extensions import db
from register.importing import missing
from register.models import AuditEvent, Entry, Organisation
from register.views import manage_imports

from .factories import publishable_values
from .test_import import COLUMNS, us_row

UPLOAD = "/manage/import"


def records(organisation, *numbers: int) -> list[dict]:
    return [
        {
            **publishable_values(title=f"Pothole triage {number}"),
            "organisation": {"slug": organisation.slug},
            "reference": f"EXT-{number:05d}",
        }
        for number in numbers
    ]


def import_native(runner, tmp_path, rows: list[dict], *options: str):
    path = tmp_path / "other-register.json"
    path.write_text(json.dumps(rows))
    return runner.invoke(args=["register", "import", "--format", "native", *options, str(path)])


def entry_by_source(source_id: str) -> Entry:
    return db.session.scalar(select(Entry).where(Entry.source_id == source_id))


@pytest.fixture
def two_councils(make_organisation):
    return make_organisation("Northshire County Council"), make_organisation("Southvale Council")


def test_entries_no_longer_in_the_file_are_listed_for_the_organisations_it_covers(
    runner, app, two_councils, tmp_path
):
    north, south = two_councils
    first = records(north, 1, 2, 3) + records(south, 4)
    assert import_native(runner, tmp_path, first, "--publish").exit_code == 0

    result = import_native(runner, tmp_path, records(north, 1, 2), "--dry-run")

    assert result.exit_code == 0, result.output
    with app.app_context():
        gone = entry_by_source("EXT-00003")
    assert "1 entry imported before from this source is not in the file." in result.output
    assert (
        f"Not in the file: {gone.reference} “Pothole triage 3”, Northshire County Council"
        in result.output
    )
    assert "Southvale" not in result.output  # its entry is not one the file covers
    assert (
        "To retire the 1 published entry no longer in the file, import with --retire-missing "
        '--reason "...".' in result.output
    )


def test_retiring_needs_a_reason_and_without_one_nothing_is_imported(
    runner, app, two_councils, tmp_path
):
    north, _ = two_councils
    assert import_native(runner, tmp_path, records(north, 1, 2), "--publish").exit_code == 0
    changed = [{**records(north, 1)[0], "benefits": "Fewer complaints."}]

    result = import_native(runner, tmp_path, changed, "--publish", "--retire-missing")

    assert result.exit_code != 0
    assert "--retire-missing needs --reason: Enter the reason" in result.output
    with app.app_context():
        assert entry_by_source("EXT-00001").current_version.benefits != "Fewer complaints."
        assert entry_by_source("EXT-00002").current_version.status == "in_use"


def test_an_operator_retires_the_entries_no_longer_in_the_file_in_the_same_import(
    runner, app, two_councils, tmp_path
):
    north, south = two_councils
    first = records(north, 1, 2, 3) + records(south, 4)
    assert import_native(runner, tmp_path, first, "--publish").exit_code == 0
    newer = [{**records(north, 1)[0], "benefits": "Fewer complaints."}]

    result = import_native(
        runner,
        tmp_path,
        newer,
        "--publish",
        "--retire-missing",
        "--reason",
        "Replaced by the highways team's new triage service.",
    )

    assert result.exit_code == 0, result.output
    assert (
        "1 row read: 0 entries created, 1 updated, 0 unchanged (as published). "
        "2 entries no longer in the file retired." in result.output
    )
    with app.app_context():
        for source_id in ("EXT-00002", "EXT-00003"):
            entry = entry_by_source(source_id)
            version = entry.current_version
            assert (entry.state, version.number, version.status) == ("published", 2, "retired")
            assert version.retirement_reason == (
                "Replaced by the highways team's new triage service."
            )
            assert version.change_note.startswith("Retired: Replaced by the highways team")
        assert entry_by_source("EXT-00001").current_version.benefits == "Fewer complaints."
        assert entry_by_source("EXT-00004").current_version.status == "in_use"
        assert (
            db.session.scalar(
                select(db.func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == "retired")
            )
            == 2
        )

    again = import_native(runner, tmp_path, newer, "--dry-run")
    assert "Not in the file" not in again.output  # retired entries are not listed again


def test_a_draft_no_longer_in_the_file_is_listed_but_cannot_be_retired(
    runner, app, two_councils, tmp_path
):
    north, _ = two_councils
    assert import_native(runner, tmp_path, records(north, 1, 2)).exit_code == 0

    result = import_native(
        runner, tmp_path, records(north, 1), "--retire-missing", "--reason", "Gone."
    )

    with app.app_context():
        draft = entry_by_source("EXT-00002")
        assert (draft.state, draft.draft.status) == ("draft", "in_use")
    assert (
        f"Not in the file: {draft.reference} “Pothole triage 2”, Northshire County Council "
        "(a draft, not public, so there is nothing to retire)" in result.output
    )


# The upload page ------------------------------------------------------------------------


def csv_bytes(rows: list[dict[str, str]]) -> bytes:
    lines = [",".join(COLUMNS)]
    for row in rows:
        lines.append(",".join('"' + row[c].replace('"', '""') + '"' for c in COLUMNS))
    return ("\r\n".join(lines) + "\r\n").encode()


def upload(client_request, content: bytes, **fields: str):
    token = client_request.csrf_token(UPLOAD)
    response = client_request.client.post(
        UPLOAD,
        data={
            "csrf_token": token,
            "file": (io.BytesIO(content), "inventory.csv"),
            "format": "us-2025",
            **fields,
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


@pytest.fixture
def transport(make_organisation, make_user, app):
    organisation = make_organisation("Department of Transportation", "central_government")
    publisher = make_user("publisher@dot.example", organisation=organisation.slug, role="publisher")
    return organisation, publisher


def publish_imported(app) -> None:
    """Make every imported draft public as if a publisher had completed and published it."""
    with app.app_context():
        for entry in db.session.scalars(select(Entry)):
            versions.set_values(entry.draft, publishable_values(title=entry.draft.title))
            versions.make_current(entry, entry.draft, None, 1, "First version")
        db.session.commit()


def test_a_publisher_retires_an_entry_the_new_file_no_longer_has_for_review(
    client_request, sign_in, transport, app
):
    organisation, publisher = transport
    sign_in(publisher)
    first = upload(
        client_request, csv_bytes([us_row(1), us_row(2)]), organisation=str(organisation.id)
    )
    client_request.post(first, {"import_all": "y"}, 302)
    publish_imported(app)
    with app.app_context():
        gone = entry_by_source("DOT-0002")

    report_url = upload(client_request, csv_bytes([us_row(1)]), organisation=str(organisation.id))
    page = client_request.get(report_url)

    assert (
        "1 entry imported before from this source is not in the file."
        in page.select_one("#headline").get_text()
    )
    [missing] = page.select("#missing + p + table tbody tr")
    assert [cell.get_text(strip=True) for cell in missing.select("td")] == [
        gone.reference,
        "Pavement crack finder 2",
        "Department of Transportation",
        "Yes",
    ]
    assert "submitted for their review" in page.get_text()
    checkbox = page.select_one(f"input[name=retire][value='{gone.id}']")
    assert checkbox is not None

    refused = client_request.post_page(
        report_url, {"import_all": "y", "retire": str(gone.id), "retirement_reason": " "}
    )
    [error] = refused.select(".govuk-error-summary__list a")
    assert error["href"] == "#retirement_reason"
    assert error.get_text(strip=True).startswith("Enter the reason")
    assert refused.select_one("#retirement_reason-error") is not None
    with app.app_context():
        assert entry_by_source("DOT-0002").state == "published"

    client_request.post(
        report_url,
        {"import_all": "y", "retire": str(gone.id), "retirement_reason": "No longer used."},
        302,
    )
    dashboard = client_request.get("/manage")
    assert "1 entry no longer in the file submitted for review as retired" in (
        dashboard.select_one(".govuk-notification-banner").get_text()
    )
    with app.app_context():
        entry = entry_by_source("DOT-0002")
        # Another publisher must publish the retirement; the public still sees the tool.
        assert entry.state == "in_review"
        assert (entry.draft.status, entry.draft.retirement_reason) == (
            "retired",
            "No longer used.",
        )
        assert entry.current_version.status == "in_use"
    public = client_request.get(f"/entries/{gone.reference}")
    assert "No longer used." not in public.select_one("main").get_text()


def test_an_entry_not_offered_cannot_be_retired_through_the_report(
    client_request, sign_in, transport, app
):
    organisation, publisher = transport
    sign_in(publisher)
    client_request.post(
        upload(
            client_request, csv_bytes([us_row(1), us_row(2)]), organisation=str(organisation.id)
        ),
        {"import_all": "y"},
        302,
    )
    report_url = upload(
        client_request, csv_bytes([us_row(1), us_row(2)]), organisation=str(organisation.id)
    )
    with app.app_context():
        entry = entry_by_source("DOT-0002")

    page = client_request.post_page(
        report_url, {"import_all": "y", "retire": str(entry.id), "retirement_reason": "Gone."}
    )

    assert page.select_one(".govuk-error-summary") is not None
    with app.app_context():
        assert entry_by_source("DOT-0002").state == "draft"


def test_many_entries_no_longer_in_the_file_are_retired_with_one_choice(
    client_request, sign_in, transport, app, monkeypatch
):
    monkeypatch.setattr(manage_imports, "RETIRE_ONE_BY_ONE", 1)
    organisation, publisher = transport
    with app.app_context():
        db.session.get(Organisation, organisation.id).allows_self_publishing = True
        db.session.commit()
    sign_in(publisher)
    rows = [us_row(1), us_row(2), us_row(3)]
    client_request.post(
        upload(client_request, csv_bytes(rows), organisation=str(organisation.id)),
        {"import_all": "y"},
        302,
    )
    publish_imported(app)
    report_url = upload(client_request, csv_bytes(rows[:1]), organisation=str(organisation.id))

    page = client_request.get(report_url)
    [choice] = page.select("input[name=retire]")
    assert choice["value"] == "all"
    assert page.select_one(f"label[for={choice['id']}]").get_text(strip=True) == (
        "Retire all 2 published entries the file no longer has"
    )
    client_request.post(
        report_url, {"import_all": "y", "retire": "all", "retirement_reason": "Replaced."}, 302
    )

    with app.app_context():
        statuses = {
            entry.source_id: (entry.state, entry.current_version.status)
            for entry in db.session.scalars(select(Entry))
        }
    # The organisation lets its publishers publish their own: retired at once.
    assert statuses == {
        "DOT-0001": ("published", "in_use"),
        "DOT-0002": ("published", "retired"),
        "DOT-0003": ("published", "retired"),
    }


# Organisations the import adds ----------------------------------------------------------


def test_an_administrator_corrects_the_name_of_an_organisation_before_importing(
    client_request, sign_in, make_user, make_organisation, app
):
    make_organisation("Department of Transportation", "central_government")
    sign_in(make_user("admin@register.example", is_admin=True))
    rows = [us_row(1, agency_name="Dept. of Energy", agency="DOE")]
    report_url = upload(client_request, csv_bytes(rows), organisation="", create_organisations="y")
    page = client_request.get(report_url)
    name = page.select_one("#new-organisations ~ .govuk-form-group input")
    assert name["value"] == "Dept. of Energy"
    assert page.select_one(f"label[for={name['id']}]").get_text(strip=True) == (
        "Name for “Dept. of Energy”"
    )

    blank = client_request.post_page(report_url, {"import_all": "y", name["name"]: ""})
    [error] = blank.select(".govuk-error-summary__list a")
    assert (error["href"], error.get_text(strip=True)) == (
        f"#{name['id']}",
        "Enter the organisation’s name",
    )
    taken = client_request.post_page(
        report_url, {"import_all": "y", name["name"]: "department of transportation"}
    )
    assert "“Department of Transportation” is already on the register" in taken.get_text()
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Entry)) == 0

    client_request.post(report_url, {"import_all": "y", name["name"]: "Department of Energy"}, 302)
    with app.app_context():
        added = db.session.scalar(
            select(Organisation).where(Organisation.name == "Department of Energy")
        )
        assert added.abbreviation == "DOE"
        assert [entry.organisation_id for entry in db.session.scalars(select(Entry))] == [added.id]


def test_an_organisation_named_by_its_slug_is_offered_its_proper_name(
    client_request, sign_in, make_user, app
):
    sign_in(make_user("admin@register.example", is_admin=True))
    rows = [us_row(1, agency_name="department-for-work-and-pensions", agency="")]
    report_url = upload(client_request, csv_bytes(rows), organisation="", create_organisations="y")

    page = client_request.get(report_url)

    name = page.select_one("#new-organisations ~ .govuk-form-group input")
    assert name["value"] == "Department for Work and Pensions"
    client_request.post(report_url, {"import_all": "y", name["name"]: name["value"]}, 302)
    with app.app_context():
        assert db.session.scalars(select(Organisation.name)).all() == [
            "Department for Work and Pensions"
        ]


def test_a_failure_while_retiring_leaves_the_rest_of_the_import_unwritten(
    runner, app, two_councils, tmp_path, monkeypatch
):
    north, _ = two_councils
    assert import_native(runner, tmp_path, records(north, 1, 2), "--publish").exit_code == 0

    def failing(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(missing, "mark_retired", failing)
    newer = records(north, 1, 5)
    result = import_native(
        runner, tmp_path, newer, "--publish", "--retire-missing", "--reason", "Replaced."
    )

    assert result.exit_code != 0
    with app.app_context():
        assert entry_by_source("EXT-00005") is None
        assert entry_by_source("EXT-00002").current_version.status == "in_use"
