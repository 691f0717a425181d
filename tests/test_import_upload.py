"""The import page: publishers and administrators upload a file, read the report, and
choose to import it, its valid rows, or nothing."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from register.extensions import db
from register.models import Entry, Organisation, PendingImport

from .test_import import COLUMNS, us_row

UPLOAD = "/manage/import"


def csv_bytes(rows: list[dict[str, str]]) -> bytes:
    lines = [",".join(COLUMNS)]
    for row in rows:
        lines.append(",".join('"' + row[c].replace('"', '""') + '"' for c in COLUMNS))
    return ("\r\n".join(lines) + "\r\n").encode()


@pytest.fixture
def people(make_organisation, make_user):
    council = make_organisation("Department of Transportation", "central_government")
    make_organisation("Southvale Police", "police")
    return {
        "publisher": make_user(
            "publisher@dot.example", organisation=council.slug, role="publisher"
        ),
        "editor": make_user("editor@dot.example", organisation=council.slug, role="editor"),
        "outsider": make_user(
            "publisher@southvale.example", organisation="southvale-police", role="publisher"
        ),
        "council": council,
    }


def upload(client_request, organisation_id, content: bytes, filename="inventory.csv"):
    token = client_request.csrf_token(UPLOAD)
    return client_request.client.post(
        UPLOAD,
        data={
            "csrf_token": token,
            "file": (io.BytesIO(content), filename),
            "format": "us-2025",
            "organisation": str(organisation_id),
        },
        content_type="multipart/form-data",
    )


def entries(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Entry))


def test_an_editor_cannot_import(client_request, sign_in, people):
    sign_in(people["editor"])
    client_request.get(UPLOAD, 403)


def test_a_publisher_reads_the_report_then_imports_the_valid_rows(
    client_request, sign_in, people, app
):
    sign_in(people["publisher"])
    rows = [us_row(1), us_row(2, use_case_name=""), us_row(3)]
    response = upload(client_request, people["council"].id, csv_bytes(rows))
    assert response.status_code == 302
    report_url = response.headers["Location"]
    page = client_request.get(report_url)
    assert page.h1.get_text(strip=True) == "Import report for inventory.csv"
    assert "3 rows read: 2 entries to create, 0 to update, 0 unchanged, 1 row with problems" in (
        page.select_one("#headline").get_text()
    )
    [problem] = page.select("#problems + p + table tbody tr")
    assert [cell.get_text(strip=True) for cell in problem.select("td")][:3] == [
        "row 3",
        "title",
        "",
    ]
    assert page.select_one("button[name=import_all]") is None
    assert entries(app) == 0

    client_request.post(report_url, {"import_valid": "y"}, 302)
    assert entries(app) == 2
    dashboard = client_request.get("/manage")
    assert "2 entries created" in dashboard.select_one(".govuk-notification-banner").get_text()
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PendingImport)) == 0


def test_choosing_to_import_nothing_writes_nothing(client_request, sign_in, people, app):
    sign_in(people["publisher"])
    response = upload(client_request, people["council"].id, csv_bytes([us_row(1)]))
    report_url = response.headers["Location"]
    client_request.post(report_url, {"cancel": "y"}, 302)
    assert entries(app) == 0
    client_request.get(report_url, 404)


def test_a_publisher_cannot_import_into_another_organisation(
    client_request, sign_in, people, make_organisation, app
):
    sign_in(people["outsider"])
    page = client_request.get(UPLOAD)
    offered = [option["value"] for option in page.select("select[name=organisation] option")]
    assert str(people["council"].id) not in offered
    response = upload(client_request, people["council"].id, csv_bytes([us_row(1)]))
    assert response.status_code == 200
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert entries(app) == 0


def test_someone_elses_report_is_not_found(client_request, sign_in, people, client, app):
    sign_in(people["publisher"])
    report_url = upload(client_request, people["council"].id, csv_bytes([us_row(1)])).headers[
        "Location"
    ]
    client_request.post("/sign-out", {}, 302, form_url="/manage")
    sign_in(people["outsider"])
    client_request.get(report_url, 404)


def test_a_file_that_is_not_csv_is_explained_on_the_report(client_request, sign_in, people, app):
    sign_in(people["publisher"])
    png = b"\x89PNG\r\n\x1a\n" + bytes(100)
    report_url = upload(client_request, people["council"].id, png, "photo.csv").headers["Location"]
    page = client_request.get(report_url)
    assert "The file is a PNG image, not a CSV file." in page.select_one("#headline").get_text()
    assert page.select_one("button[name=import_valid]") is None
    assert page.select_one("button[name=import_all]") is None


def test_an_empty_upload_is_an_error_next_to_the_field(client_request, sign_in, people, app):
    sign_in(people["publisher"])
    response = upload(client_request, people["council"].id, b"")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "There is a problem" in text
    assert entries(app) == 0


def test_a_file_over_the_size_limit_is_refused(client_request, sign_in, people, app):
    sign_in(people["publisher"])
    limit = app.config["MAX_CONTENT_LENGTH"]
    response = upload(client_request, people["council"].id, b"a" * (limit + 1))
    assert response.status_code == 413
    assert entries(app) == 0


def test_an_administrator_imports_for_the_organisations_the_file_names_creating_them(
    client_request, sign_in, people, make_user, app
):
    sign_in(make_user("admin@register.example", is_admin=True))
    rows = [us_row(1), us_row(2, agency_name="Department of Energy", agency="DOE")]
    token = client_request.csrf_token(UPLOAD)
    response = client_request.client.post(
        UPLOAD,
        data={
            "csrf_token": token,
            "file": (io.BytesIO(csv_bytes(rows)), "inventory.csv"),
            "format": "us-2025",
            "organisation": "",
            "create_organisations": "y",
        },
        content_type="multipart/form-data",
    )
    page = client_request.get(response.headers["Location"])
    summary = page.select_one(".govuk-summary-list").get_text(" ", strip=True)
    assert "Organisations to add Department of Energy" in summary
    client_request.post(response.headers["Location"], {"import_all": "y"}, 302)
    with app.app_context():
        organisations = dict(
            db.session.execute(
                select(Entry.source_id, Organisation.name).join(
                    Organisation, Organisation.id == Entry.organisation_id
                )
            ).all()
        )
    assert organisations == {
        "DOT-0001": "Department of Transportation",
        "DOT-0002": "Department of Energy",
    }
