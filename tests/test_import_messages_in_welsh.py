"""Why an import refuses a file, or cannot read one of its values, in the page's language:
Welsh on /cy/manage/import/..., English on /manage/import/..., with what comes from the file
(a cell, a number, a name) as the file gives it, even where it reads like one of the
register's own texts."""

from __future__ import annotations

import io

from .manage_world import WORLD
from .pages import check_page
from .test_import import us_row
from .test_import_mapping import city as city  # noqa: F401  # a fixture
from .test_import_upload import csv_bytes

world = WORLD


def _uploaded(world, publisher, content: bytes, *, welsh: bool, filename="inventory.csv") -> str:
    """Upload `content` as a US inventory from the import page; the report's address."""
    with world.app.app_context():
        organisation_id = world.organisation().id
    response = publisher.client.post(
        "/cy/manage/import" if welsh else "/manage/import",
        data={
            "csrf_token": publisher.csrf_token(),
            "file": (io.BytesIO(content), filename),
            "format": "us-2025",
            "organisation": str(organisation_id),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    return response.headers["Location"]


def _headline(publisher, report_url: str, lang: str) -> str:
    page = publisher.get(report_url)
    assert page.find("html")["lang"] == lang
    return page.select_one("#headline").get_text(" ", strip=True)


def _notes(page) -> list[str]:
    return [item.get_text(" ", strip=True) for item in page.select_one("#notes + p + ul")("li")]


def test_a_file_with_only_a_header_is_refused_in_the_language_of_the_page(world):
    publisher = world.client("publisher")
    header_only = csv_bytes([])
    report_url = _uploaded(world, publisher, header_only, welsh=True)
    assert _headline(publisher, report_url, "cy") == (
        "Nid oes cofnodion yn y ffeil, dim ond pennawd."
    )
    report_url = _uploaded(world, publisher, header_only, welsh=False)
    assert _headline(publisher, report_url, "en") == (
        "The file has no entries in it, only a header."
    )


def test_a_pdf_named_csv_is_refused_in_welsh_naming_what_it_is(world):
    publisher = world.client("publisher")
    pdf = b"%PDF-1.7\n" + bytes(200)
    report_url = _uploaded(world, publisher, pdf, welsh=True, filename="Title.csv")
    page = publisher.get(report_url)
    assert page.h1.get_text(strip=True) == "Adroddiad mewnforio ar gyfer Title.csv"
    assert page.select_one("#headline").get_text(" ", strip=True) == (
        "Mae’r ffeil yn ddogfen PDF, nid yn ffeil CSV."
    )
    assert page.select_one("button[name=import_valid]") is None
    english = _uploaded(world, publisher, pdf, welsh=False, filename="Title.csv")
    assert _headline(publisher, english, "en") == "The file is a PDF document, not a CSV file."


def test_a_refusal_kept_with_the_upload_reads_in_the_language_of_each_page(world, monkeypatch):
    monkeypatch.setitem(world.app.config, "IMPORT_MAX_COLUMNS", 1200)
    publisher = world.client("publisher")
    wide = (",".join(f"column {number}" for number in range(1, 1235)) + "\r\n").encode()
    wide += b"x\r\n"
    report_url = _uploaded(world, publisher, wide, welsh=True)
    welsh = "Mae gan y ffeil 1,234 o golofnau; gellir mewnforio 1,200 ar y mwyaf."
    assert _headline(publisher, report_url, "cy") == welsh
    # Read again from what was kept with the upload, in Welsh and then at the English address.
    assert _headline(publisher, report_url, "cy") == welsh
    english_url = report_url.removeprefix("/cy")
    assert english_url.startswith("/manage/import/")
    assert _headline(publisher, english_url, "en") == (
        "The file has 1,234 columns; at most 1,200 can be imported."
    )


def test_a_value_that_cannot_be_read_is_explained_in_welsh_as_the_file_gives_it(world):
    publisher = world.client("publisher")
    rows = [us_row(1, operational_date="Yes", development_stage="Title", has_pii="maybe")]
    report_url = _uploaded(world, publisher, csv_bytes(rows), welsh=True)
    page = publisher.get(report_url)
    assert page.find("html")["lang"] == "cy"
    notes = _notes(page)
    # "Yes" and "Title" are the file's cells, left as they are though the register says
    # "Ie" and "Teitl" in Welsh; the status is named in Welsh, in lower case mid-sentence.
    assert (
        "Rhes 2, colofn “operational_date”, gwerth “Yes”: Nid yw “Yes” yn ddyddiad y gall y "
        "gofrestr ei ddarllen; caiff ei gadw yn Gwybodaeth arall"
    ) in notes
    [stage] = [note for note in notes if "“development_stage”" in note]
    assert stage.startswith(
        "Rhes 2, colofn “development_stage”, gwerth “Title”: Nid yw “Title” yn werth dilys ar "
        "gyfer statws (un o: "
    )
    assert "Teitl" not in stage
    assert stage.endswith("); caiff ei gadw yn Gwybodaeth arall")

    english = publisher.get(report_url.removeprefix("/cy"))
    notes = _notes(english)
    assert (
        "Row 2, column “operational_date”, value “Yes”: “Yes” is not a date the register can "
        "read; it is kept in Other information"
    ) in notes
    [stage] = [note for note in notes if "“development_stage”" in note]
    assert stage.startswith(
        "Row 2, column “development_stage”, value “Title”: “Title” is not a status (one of: "
    )


def test_an_unknown_code_in_a_list_is_named_in_welsh(world):
    publisher = world.client("publisher")
    rows = [us_row(1, classification="Computer Vision; Yes")]
    page = publisher.get(_uploaded(world, publisher, csv_bytes(rows), welsh=True))
    assert (
        "Rhes 2, colofn “classification”, gwerth “Yes”: nid yw’r gofrestr yn adnabod Yes fel "
        "techneg; wedi’i gadw yn Gwybodaeth arall"
    ) in _notes(page)


def test_a_file_to_map_that_is_refused_is_explained_in_welsh(client_request, sign_in, city):
    sign_in(city["admin"])
    upload = "/cy/manage/import/columns"
    data = {
        "csrf_token": client_request.csrf_token(upload),
        "file": (io.BytesIO(b"GIF89a" + bytes(100)), "tools.csv"),
    }
    response = client_request.client.post(upload, data=data, content_type="multipart/form-data")
    assert response.status_code == 200
    page = check_page(response)
    error = page.select_one(".govuk-error-message").get_text(" ", strip=True)
    assert error.endswith("Mae’r ffeil yn ddelwedd GIF, nid yn ffeil CSV.")


def test_a_new_organisations_name_is_refused_in_welsh_naming_the_one_it_repeats(world):
    admin = world.client("admin")
    rows = [us_row(1, agency_name="Dept. of Energy", agency="DOE")]
    response = admin.client.post(
        "/cy/manage/import",
        data={
            "csrf_token": admin.csrf_token(),
            "file": (io.BytesIO(csv_bytes(rows)), "inventory.csv"),
            "format": "us-2025",
            "organisation": "",
            "create_organisations": "y",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    report_url = response.headers["Location"]
    name = admin.get(report_url).select_one("#new-organisations ~ .govuk-form-group input")

    def errors(given: str) -> list[str]:
        page = admin.post_page(report_url, {"import_all": "y", name["name"]: given})
        return [error.get_text(strip=True) for error in page.select(".govuk-error-summary a")]

    assert errors("") == ["Rhowch enw’r sefydliad"]
    assert errors("northshire county council") == [
        "Mae “Northshire County Council” ar y gofrestr yn barod: rhowch enw arall i’r "
        "sefydliad newydd"
    ]
