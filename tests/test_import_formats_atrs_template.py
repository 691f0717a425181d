"""The ATRS template teams fill in (.xlsx, versions 3 and 4), one record per workbook.

No filled-in template is published to test with, so each workbook is built here with
openpyxl, following the standard's published field tables: version 3.0's
(co-cddo/algorithmic-transparency-recording-standard, previous-versions/v3.0/
template_table.md) and version 4.0's changes to it (its change log and guidance). Each
field's row has its reference number, its name, a prompt and the answer, as in the
template; the sheets are named by the sections (cut to Excel's 31 characters), the tab
names of the published workbook not being known here. The tool described is fictional.
"""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from register import versions
from register.extensions import db
from register.importing.files import FileRefused
from register.importing.formats.atrs_template import ATRS_TEMPLATE
from register.models import Entry

from .import_files import entry_of
from .test_import_formats_atrs_finder import check_answers

UPLOAD = "/manage/import"
PROMPT = "What the template asks for here"

V3_SHEETS = {
    "Info Page": [
        ("Algorithmic Transparency Recording Standard", "v3.0"),
        ("Navigation",),
        ("Tier 1 - Overview", "A basic description of the algorithmic tool."),
    ],
    "Metadata and Title Information": [
        ("0.11", "Title", PROMPT, "Pothole report triage"),
        ("0.12", "Organisation name", PROMPT, "Northshire County Council"),
        ("0.13", "Phase", PROMPT, "Beta/Pilot"),
        ("0.14", "Region", PROMPT, "North West"),
        ("0.15", "One sentence description", PROMPT, "Sorts pothole reports."),
        ("0.4", "Function", PROMPT, "Economic affairs"),
    ],
    "Tier 1 - Overview": [
        ("1.1", "Name", PROMPT, "Pothole report triage"),
        ("1.2", "Description", PROMPT, "Sorts reports so the worst potholes are mended first."),
        ("1.3", "Website URL", PROMPT, "https://www.northshire.gov.uk/potholes"),
        ("1.4", "Contact email", PROMPT, "highways@northshire.gov.uk"),
    ],
    "Tier 2 - Owner and Responsibility": [
        ("2.1.1", "Organisation or department", PROMPT, "Northshire County Council"),
        ("2.1.2", "Team", PROMPT, "Highways Intelligence"),
        ("2.1.3", "Senior responsible owner", PROMPT, "Director of Highways"),
        ("2.1.4", "External supplier involvement", PROMPT, "Yes"),
        ("2.1.4.1", "External supplier", PROMPT, "Roadsight Ltd"),
        ("2.1.4.2", "Companies House Number", PROMPT, "01234567"),
        ("2.1.4.3", "External supplier role", PROMPT, "Built the model and hosts it."),
        ("2.1.4.4", "Procurement procedure type", PROMPT),  # left blank
    ],
    "Tier 2 - Description and Rationale": [
        ("2.2.1", "Detailed description", PROMPT, "Reports are scored as they arrive."),
        ("2.2.2", "Scope", PROMPT, "Triage of reports only, not compensation claims."),
        ("2.2.3", "Benefit", PROMPT, "Dangerous potholes are repaired sooner."),
        ("2.2.5", "Alternatives considered", PROMPT, "More inspectors, which cost too much."),
    ],
    "Tier 2 - Decision-making Process": [
        ("2.3.1", "Process integration", PROMPT, "The score orders the inspectors' queue."),
        ("2.3.3", "Frequency and scale of usage", PROMPT, "About 300 reports a week."),
        ("2.3.4", "Human decisions and review", PROMPT, "An inspector visits before any repair."),
        ("2.3.6", "Appeals and review", PROMPT, "Residents can ask for another look."),
    ],
    "Tier 2 - Tool Specification": [
        ("2.4.1.3", "Maintenance", PROMPT, "Retrained every spring."),
        ("2.4.2.1", "Model name", PROMPT, "Pothole priority model"),
        ("2.4.2.7", "Model performance", PROMPT, "Agrees with inspectors on 85% of reports."),
        ("2.4.3.1", "Source data name", PROMPT, "Pothole reports"),
        ("2.4.3.3", "Data description", PROMPT, "Reports made online since 2015."),
    ],
    "Tier 2 - Risks, Mitigations and Impact Assessments": [
        ("2.5.1", "Impact assessment", PROMPT, datetime(2023, 4, 3)),
        ("2.5.2", "Risks and mitigations", PROMPT, "Areas that report less get fewer repairs."),
    ],
}

# Version 4: "Summary Information", third parties, a model specification sheet per model,
# development and operational data each with their sensitive attributes.
V4_SHEETS = {
    "Summary Information": [
        ("1.1", "Name", PROMPT, "Pothole report triage"),
        ("1.2", "Description", PROMPT, "Sorts reports so the worst potholes are mended first."),
        ("1.3", "Website URL", PROMPT, "N/A"),
        ("1.4", "Contact email", PROMPT, "highways@northshire.gov.uk"),
        ("", "Phase", PROMPT, "Private beta"),
        ("", "Region", PROMPT, "International"),
    ],
    "Owner and Responsibility": [
        ("2.1.1", "Organisation or department", PROMPT, "Northshire County Council"),
        ("2.1.2", "Team", PROMPT, "Highways Intelligence"),
        ("2.1.4", "Third party involvement", PROMPT, "No"),
        ("2.1.4.1", "Third party", PROMPT, "N/A"),
    ],
    "Description and Rationale": [
        ("2.2.1", "Detailed description", PROMPT, "Reports are scored as they arrive."),
        ("2.2.2", "Benefits", PROMPT, "Dangerous potholes are repaired sooner."),
    ],
    "Deployment Context": [
        ("2.3.2", "Human review", PROMPT, "An inspector visits before any repair."),
        ("2.3.4", "Required training", PROMPT, "Half a day on reading the score."),
    ],
    "Model Specification": [("2.4.2.1", "Model name", PROMPT, "Pothole priority model")],
    "Model Specification (2)": [("2.4.2.1", "Model name", PROMPT, "Duplicate report finder")],
    "Development Data Specification": [
        ("2.4.3.4", "Sensitive attributes", PROMPT, "None: a report gives a place."),
    ],
    "Operational Data Specification": [
        ("2.4.4.2", "Sensitive attributes", PROMPT, "A reporter's email address."),
    ],
}


def workbook(sheets: dict[str, list[tuple]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title[:31])
        sheet.append(("Reference", "Field", "Prompt", "Response"))
        for row in rows:
            sheet.append(row)
    saved = io.BytesIO()
    book.save(saved)
    return saved.getvalue()


def test_a_version_3_template_imports_the_answers_of_every_sheet():
    entry = entry_of(ATRS_TEMPLATE, workbook(V3_SHEETS))

    assert entry.organisation == "Northshire County Council"
    assert entry.source_id == ""  # the importer knows it by its title
    values = entry.values
    assert values["title"] == "Pothole report triage"
    assert values["summary"] == "Sorts reports so the worst potholes are mended first."
    assert values["web_page"] == "https://www.northshire.gov.uk/potholes"
    assert values["status"] == "pilot"
    assert values["policy_area"] == "economic_affairs"
    assert values["team"] == "Highways Intelligence"
    assert values["supplier_name"] == "Roadsight Ltd"
    assert values["purpose"] == "Triage of reports only, not compensation claims."
    assert values["oversight_description"].startswith("An inspector visits before any repair.")
    assert values["performance"] == "Agrees with inspectors on 85% of reports."
    assert entry.rows["data_sources"] == [
        {"name": "Pothole reports", "description": "Reports made online since 2015."}
    ]
    assert entry.rows["impact_assessments"] == [
        {"title": "Impact assessment", "summary": "2023-04-03"}
    ]
    other = values["other_information"]
    assert "Region: North West" in other
    assert "External supplier role: Built the model and hosts it." in other
    # A prompt is not an answer: the procurement field was left blank.
    assert PROMPT not in other
    assert "Procurement procedure type" not in other
    assert "Navigation" not in other
    assert entry.problems == []


def test_a_version_4_template_names_a_field_repeated_on_another_sheet_with_its_sheet():
    entry = entry_of(ATRS_TEMPLATE, workbook(V4_SHEETS))

    values = entry.values
    assert values["status"] == "pilot"  # private beta
    assert values["built_by"] == "in_house"  # no third party
    assert values["purpose"] == "Reports are scored as they arrive."
    assert values["benefits"] == "Dangerous potholes are repaired sooner."
    assert values["oversight_description"] == "An inspector visits before any repair."
    assert values["staff_training"] == "Half a day on reading the score."
    assert values["model_description"] == "Pothole priority model"
    other = values["other_information"]
    assert "Model name (Model Specification (2)): Duplicate report finder" in other
    assert "Sensitive attributes: None: a report gives a place." in other
    assert "Sensitive attributes (Operational Data Specification): A reporter's email" in other
    assert "Region: International" in other


def test_the_prompts_of_a_sheet_with_nothing_answered_are_not_taken_for_answers():
    sheets = {
        **V4_SHEETS,
        "Tool Specification": [
            ("2.4.1.1", "System architecture", PROMPT),
            ("2.4.1.4", "Maintenance", PROMPT),
        ],
    }

    entry = entry_of(ATRS_TEMPLATE, workbook(sheets))

    assert entry.values["model_description"] == "Pothole priority model"
    assert "monitoring" not in entry.values
    assert PROMPT not in entry.values["other_information"]


def test_a_template_without_prompts_takes_the_cell_beside_each_field_as_its_answer():
    book = Workbook()
    sheet = book.active
    sheet.append(("Name", "Pothole report triage"))
    sheet.append(("Description", "Sorts reports."))
    sheet.append(("Organisation or department", "Northshire County Council"))
    saved = io.BytesIO()
    book.save(saved)

    entry = entry_of(ATRS_TEMPLATE, saved.getvalue())

    assert (entry.values["title"], entry.organisation) == (
        "Pothole report triage",
        "Northshire County Council",
    )


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"name,description\r\nPothole triage,Sorts reports.\r\n", "not an Excel workbook"),
        (
            workbook({"Budget": [("Item", "Cost"), ("Cones", 40)]}),
            "This workbook is not an ATRS template filled in",
        ),
    ],
    ids=["a CSV file", "another workbook"],
)
def test_a_file_that_is_not_a_filled_in_template_is_refused_saying_why(content, reason):
    with pytest.raises(FileRefused) as refused:
        list(ATRS_TEMPLATE.entries(io.BytesIO(content)))

    assert reason in str(refused.value)


# Through the command and the upload page --------------------------------------------------


def test_the_command_imports_a_filled_in_template(runner, app, make_organisation, tmp_path):
    make_organisation("Northshire County Council")
    path = tmp_path / "ATRS template v3.0.xlsx"
    path.write_bytes(workbook(V3_SHEETS))

    result = runner.invoke(args=["register", "import", "--format", "atrs-template", str(path)])

    assert result.exit_code == 0, result.output
    assert "1 row read: 1 entry created" in result.output
    with app.app_context():
        entry = db.session.scalar(select(Entry))
        values = versions.values_of(entry.draft)
        assert entry.organisation.name == "Northshire County Council"
        assert (values["title"], values["status"]) == ("Pothole report triage", "pilot")
        [risk] = versions.rows_of(entry.draft)["risks"]
        assert (risk["name"], risk["description"]) == (
            "Risks and mitigations",
            "Areas that report less get fewer repairs.",
        )
    again = runner.invoke(args=["register", "import", "--format", "atrs-template", str(path)])
    assert "0 entries to create, 0 to update, 1 unchanged" in again.output


def test_a_publisher_uploads_a_filled_in_template_and_sees_its_answers(
    client_request, sign_in, make_organisation, make_user, app
):
    council = make_organisation("Northshire County Council")
    sign_in(make_user("publisher@northshire.example", organisation=council.slug, role="publisher"))
    token = client_request.csrf_token(UPLOAD)
    response = client_request.client.post(
        UPLOAD,
        data={
            "csrf_token": token,
            "file": (io.BytesIO(workbook(V4_SHEETS)), "ATRS template v4.0.xlsx"),
            "format": "atrs-template",
            "organisation": str(council.id),
        },
        content_type="multipart/form-data",
    )
    report_url = response.headers["Location"]
    assert "1 entry to create" in client_request.get(report_url).select_one("#headline").get_text()

    client_request.post(report_url, {"import_all": "y"}, 302)

    with app.app_context():
        reference = db.session.scalar(select(Entry.reference))
    seen = check_answers(client_request, reference)
    assert seen["Title"] == "Pothole report triage"
    assert seen["Organisation"] == "Northshire County Council"
    assert seen["Status"] == "Pilot"
    assert seen["Built by"] == "In-house"
    assert seen["Benefits"] == "Dangerous potholes are repaired sooner."
    assert "Region: International" in seen["Other information"]
