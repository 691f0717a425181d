"""Whole algorithmic transparency records as GOV.UK publishes them: the body's HTML, a heading
per field, from the content API's JSON or a page saved as HTML.

Two kinds of file: real records (tests/data/real/atrs/, their tier 1 and first tier 2
sections as GOV.UK shows them; see its README), and a record of each version of the
standard built here, a fictional tool described under each field the version's field table
names, numbered as GOV.UK numbers them.
"""

from __future__ import annotations

import html
import io
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from register import versions
from register.extensions import db
from register.importing.files import FileRefused
from register.importing.formats.atrs_record import ATRS_RECORD
from register.models import Entry

from .import_files import entries_of, entry_of, warned
from .test_import_formats_atrs_finder import GOVUK, check_answers

REAL = Path(__file__).parent / "data" / "real" / "atrs"
CONTENT_RECORDS = REAL / "govuk_content_records.json"
SAVED_PAGE = REAL / "social-care-wales-qualification-chatbot.html"
UPLOAD = "/manage/import"


def body(*sections: tuple[str, list[tuple[str, str]]]) -> str:
    """A record's body as GOV.UK writes it: a heading for each section, then one for each
    field with its answer in paragraphs."""
    parts = []
    for section, fields in sections:
        parts.append(f"<h2>{html.escape(section)}</h2>")
        for heading, answer in fields:
            parts.append(f"<h3>{html.escape(heading)}</h3>")
            parts += [f"<p>{html.escape(p)}</p>" for p in answer.split("\n\n")]
    return "\n".join(parts)


OWNER = [
    ("1.2 - Team", "Highways Intelligence"),
    ("1.3 - Senior responsible owner", "Director of Highways"),
]
DESCRIPTION = "Sorts reports of potholes so the most dangerous are repaired first."
TECHNICAL = [
    ("Model name", "Pothole priority model"),
    ("Model version", "2.1"),
    ("Model output", "A priority score from 0 to 100"),
    ("Model architecture", "Gradient boosted trees"),
    ("Model performance", "Agrees with inspectors on 85% of reports."),
]

# Version 2.1: tier 2 in four sections; "Method", "Source data", "Impact assessments", "Risks".
V2 = body(
    (
        "Tier 1 Information",
        [
            ("Name", "Pothole report triage"),
            ("Description", DESCRIPTION),
            ("URL of the website", "https://www.northshire.gov.uk/potholes"),
            ("Contact email", "highways@northshire.gov.uk"),
        ],
    ),
    (
        "Tier 2 - Owner and responsibility",
        [
            ("1.1 - Organisation/ department", "Northshire County Council"),
            *OWNER,
            ("1.4 - External supplier involvement", "Yes"),
            ("1.4.1 - Supplier or developer of the algorithmic tool", "Roadsight Ltd"),
            ("1.4.2 - Companies House Number", "01234567"),
            ("1.4.3 - External supplier role", "Built the model and hosts it."),
        ],
    ),
    (
        "Tier 2 - Detailed Description and Rationale",
        [
            ("2.1 - Detailed description", "Reports are scored as they arrive."),
            ("2.2 - Scope", "Triage of reports only, not compensation claims."),
            ("2.3 - Benefit", "Dangerous potholes are repaired sooner."),
            ("2.4 - Previous process", "Inspectors read every report in turn."),
            ("2.5 - Alternatives considered", "More inspectors, which cost too much."),
        ],
    ),
    (
        "Tier 2 - Decision-making Process",
        [
            ("3.1 - Process integration", "The score orders the inspectors' queue."),
            ("3.2 - Provided information", "A score and the three reasons for it."),
            ("3.3 - Human decisions and review", "An inspector visits before any repair."),
            ("3.4 - Required training", "Half a day on reading the score."),
            ("3.5 - Appeals and review", "Residents can ask for a report to be looked at again."),
        ],
    ),
    (
        "Tier 2 - Technical Specification and Data",
        [
            ("4.1 - Method", "Gradient boosted trees over the report's words and place."),
            ("4.2 - Frequency and scale of usage", "About 300 reports a week."),
            ("4.3 - Phase", "Production"),
            ("4.4 - Maintenance", "Retrained every spring."),
            ("4.5 - Model performance", "Agrees with inspectors on 85% of reports."),
            ("4.7 - Source data name", "Pothole reports"),
            ("4.8 - Source data", "Reports made online since 2015."),
            ("4.9 - Source data URL", "https://data.northshire.gov.uk/potholes"),
            ("4.10 - Data collection", "The council's report-a-problem form."),
            ("4.11 - Data cleaning", "Duplicate reports are merged."),
        ],
    ),
    (
        "Tier 2 - Risks, mitigations and impact assessments",
        [
            ("5.1 - Impact assessments", "A data protection impact assessment, 2023."),
            ("5.2 - Risks", "Areas that report less could get fewer repairs."),
        ],
    ),
)

# Version 3.0: "Organisation or department", "Risks and mitigations", a model specification.
V3 = body(
    (
        "Tier 1 Information",
        [
            ("Name", "Pothole report triage"),
            ("Description", DESCRIPTION),
            ("Website URL", "https://www.northshire.gov.uk/potholes"),
            ("Contact email", "highways@northshire.gov.uk"),
        ],
    ),
    (
        "Tier 2 - Owner and Responsibility",
        [
            ("1.1 - Organisation or department", "Northshire County Council"),
            *OWNER,
            ("1.4 - External supplier involvement", "No"),
            ("1.4.1 - External supplier", "N/A"),
        ],
    ),
    (
        "Tier 2 - Description and Rationale",
        [
            ("2.1 - Detailed description", "Reports are scored as they arrive."),
            ("2.2 - Scope", "Triage of reports only, not compensation claims."),
            ("2.3 - Benefit", "Dangerous potholes are repaired sooner."),
            ("2.5 - Alternatives considered", "More inspectors, which cost too much."),
        ],
    ),
    (
        "Tier 2 - Decision-making Process",
        [
            ("3.1 - Process integration", "The score orders the inspectors' queue."),
            ("3.2 - Provided information", "A score and the three reasons for it."),
            ("3.3 - Frequency and scale of usage", "About 300 reports a week."),
            ("3.4 - Human decisions and review", "An inspector visits before any repair."),
            ("3.5 - Required training", "Half a day on reading the score."),
            ("3.6 - Appeals and review", "Residents can ask for a report to be looked at again."),
        ],
    ),
    (
        "Tier 2 - Tool Specification",
        [
            ("4.1.1 - System architecture", "A scoring service beside the reports system."),
            ("4.1.2 - Phase", "Beta/Pilot"),
            ("4.1.3 - Maintenance", "Retrained every spring."),
            *[(f"4.2.{n} - {name}", answer) for n, (name, answer) in enumerate(TECHNICAL, 1)],
            ("4.3.1 - Source data name", "Pothole reports"),
            ("4.3.3 - Data description", "Reports made online since 2015."),
            ("4.3.5 - Sensitive attributes", "None: reports give a place, not a person."),
            ("4.3.7 - Source data URL", "https://data.northshire.gov.uk/potholes"),
        ],
    ),
    (
        "Tier 2 - Risks, Mitigations and Impact Assessments",
        [
            ("5.1 - Impact assessment", "A data protection impact assessment, 2023."),
            ("5.2 - Risks and mitigations", "Areas that report less could get fewer repairs."),
        ],
    ),
)

# Version 4.0: "1. Summary", third parties, deployment context, development and operational
# data (each with its sensitive attributes).
V4 = body(
    (
        "1. Summary",
        [
            ("1 - Name", "Pothole report triage"),
            ("2 - Description", DESCRIPTION),
            ("3 - Website URL", "N/A"),
            ("4 - Contact email", "highways@northshire.gov.uk"),
        ],
    ),
    (
        "Tier 2 - Owner and Responsibility",
        [
            ("1.1 - Organisation or department", "Northshire County Council"),
            *OWNER,
            ("1.4 - Third party involvement", "Yes"),
            ("1.4.1 - Third party", "Roadsight Ltd"),
            ("1.4.2 - Companies House Number", "01234567"),
            ("1.4.3 - Third party role", "Built the model and hosts it."),
            ("1.4.5 - Third party data access terms", "Read-only access to the reports."),
        ],
    ),
    (
        "Tier 2 - Description and Rationale",
        [
            ("2.1 - Detailed description", "Reports are scored as they arrive."),
            ("2.2 - Benefits", "Dangerous potholes are repaired sooner."),
            ("2.3 - Previous process", "Inspectors read every report in turn."),
        ],
    ),
    (
        "Tier 2 - Deployment Context",
        [
            (
                "3.1 - Integration into broader operational process",
                "The score orders the inspectors' queue.",
            ),
            ("3.2 - Human review", "An inspector visits before any repair."),
            ("3.3 - Frequency and scale of usage", "About 300 reports a week."),
            ("3.4 - Required training", "Half a day on reading the score."),
            ("3.5 - Appeals and review", "Residents can ask for a report to be looked at again."),
        ],
    ),
    (
        "Tier 2 - Tool Specification",
        [
            ("4.1.1 - System architecture", "A scoring service beside the reports system."),
            ("4.1.3 - System-level output", "The inspectors' queue, in order."),
            ("4.1.4 - Maintenance", "Retrained every spring."),
        ],
    ),
    (
        "Tier 2 - Model Specification",
        [(f"4.2.{n} - {name}", answer) for n, (name, answer) in enumerate(TECHNICAL, 1)],
    ),
    (
        "Tier 2 - Development Data Specification",
        [
            ("4.3.1 - Development data description", "Reports made online since 2015."),
            ("4.3.4 - Sensitive attributes", "None: reports give a place, not a person."),
        ],
    ),
    (
        "Tier 2 - Operational Data Specification",
        [("4.4.2 - Sensitive attributes", "A reporter's email address, kept for a year.")],
    ),
    (
        "Tier 2 - Risks, Mitigations and Impact Assessments",
        [
            ("5.1 - Impact assessment", "A data protection impact assessment, 2023."),
            ("5.2 - Risks and mitigations", "Areas that report less could get fewer repairs."),
        ],
    ),
)


def content_item(record_body: str, *, slug: str = "northshire-pothole-report-triage", **metadata):
    """A record as GOV.UK's content API serves it."""
    return {
        "base_path": f"/algorithmic-transparency-records/{slug}",
        "title": "Northshire County Council: Pothole report triage",
        "description": "Sorts pothole reports so the worst are mended first.",
        "document_type": "algorithmic_transparency_record",
        "public_updated_at": "2025-03-04T10:00:00+00:00",
        "details": {"body": record_body, "metadata": metadata},
        "links": {"organisations": [{"title": "Department for Transport"}]},
    }


def one(record_body: str, **metadata):
    return entry_of(ATRS_RECORD, json.dumps(content_item(record_body, **metadata)).encode())


# A record of each version -----------------------------------------------------------------


def test_a_version_2_record_imports_each_field_under_its_heading():
    entry = one(V2)

    assert entry.organisation == "Northshire County Council"
    values = entry.values
    assert values["title"] == "Pothole report triage"
    assert values["summary"] == DESCRIPTION
    assert values["web_page"] == "https://www.northshire.gov.uk/potholes"
    assert values["supplier_name"] == "Roadsight Ltd"
    assert values["supplier_company_number"] == "01234567"
    assert values["purpose"] == "Triage of reports only, not compensation claims."
    assert values["model_description"] == (
        "Gradient boosted trees over the report's words and place."
    )
    assert values["status"] == "in_use"
    assert values["monitoring"] == "Retrained every spring."
    assert values["scale"] == "About 300 reports a week."
    assert entry.rows["data_sources"] == [
        {
            "name": "Pothole reports",
            "description": "Reports made online since 2015.",
            "link": "https://data.northshire.gov.uk/potholes",
            "collection_method": "The council's report-a-problem form.",
        }
    ]
    assert entry.rows["risks"] == [
        {
            "name": "Risks and mitigations",
            "description": "Areas that report less could get fewer repairs.",
        }
    ]
    assert entry.rows["impact_assessments"] == [
        {"title": "Impact assessment", "summary": "A data protection impact assessment, 2023."}
    ]
    other = values["other_information"]
    assert "External supplier role: Built the model and hosts it." in other
    assert "Detailed description: Reports are scored as they arrive." in other
    assert "Data cleaning: Duplicate reports are merged." in other
    assert entry.problems == []


def test_a_version_3_record_imports_each_field_under_its_heading():
    entry = one(V3)

    values = entry.values
    assert (values["title"], values["team"], values["senior_responsible_owner"]) == (
        "Pothole report triage",
        "Highways Intelligence",
        "Director of Highways",
    )
    assert values["built_by"] == "in_house"
    assert values["status"] == "pilot"
    assert values["outputs"] == (
        "A score and the three reasons for it.\n\nModel output: A priority score from 0 to 100"
    )
    assert values["oversight_description"] == (
        "An inspector visits before any repair.\n\n"
        "How the tool fits into the decision: The score orders the inspectors' queue."
    )
    assert values["staff_training"] == "Half a day on reading the score."
    assert values["appeal_process"] == "Residents can ask for a report to be looked at again."
    assert values["performance"] == "Agrees with inspectors on 85% of reports."
    assert values["model_description"] == (
        "A scoring service beside the reports system.\n\nModel: Pothole priority model\n\n"
        "Architecture: Gradient boosted trees\n\nVersion: 2.1"
    )
    assert entry.rows["risks"][0]["description"] == (
        "Areas that report less could get fewer repairs."
    )
    assert (
        "Sensitive attributes: None: reports give a place, not a person."
        in (values["other_information"])
    )


def test_a_version_4_record_imports_each_field_under_its_heading():
    entry = one(V4)

    values = entry.values
    assert values["title"] == "Pothole report triage"
    assert "web_page" in values  # not "N/A": the record's address on GOV.UK
    assert values["web_page"] == GOVUK + "northshire-pothole-report-triage"
    assert values["supplier_name"] == "Roadsight Ltd"
    assert values["purpose"] == "Reports are scored as they arrive."  # no scope in version 4
    assert values["benefits"] == "Dangerous potholes are repaired sooner."
    assert "alternatives_considered" not in values
    assert values["oversight_description"].startswith("An inspector visits before any repair.")
    assert values["outputs"] == (
        "The inspectors' queue, in order.\n\nModel output: A priority score from 0 to 100"
    )
    assert entry.rows["data_sources"][0]["description"] == "Reports made online since 2015."
    other = values["other_information"]
    assert "Third party role: Built the model and hosts it." in other
    assert "Previous process: Inspectors read every report in turn." in other
    assert "Sensitive attributes: None: reports give a place, not a person." in other
    assert (
        "Sensitive attributes (Operational Data Specification): A reporter's email address, "
        "kept for a year." in other
    )


def test_the_finders_metadata_in_the_json_files_the_entry_and_gives_its_status():
    entry = one(
        V4,
        algorithmic_transparency_record_organisation="department-for-transport",
        algorithmic_transparency_record_phase="public-beta",
        algorithmic_transparency_record_function=["economic-affairs"],
        algorithmic_transparency_record_date_published="2025-03-04",
    )

    assert (entry.organisation, entry.organisation_abbreviation) == (
        "Department for Transport",
        "DfT",
    )
    assert entry.values["status"] == "pilot"
    assert entry.values["policy_area"] == "economic_affairs"
    assert entry.source_id == GOVUK + "northshire-pothole-report-triage"
    assert warned(entry, "Organisation or department") == [
        "is how the record names its organisation; GOV.UK files the record under Department "
        "for Transport, and so is the entry (check they are the same); this is kept in Other "
        "information"
    ]
    assert (
        "algorithmic_transparency_record_date_published: 2025-03-04"
        in (entry.values["other_information"])
    )


# Real records ------------------------------------------------------------------------------


def test_real_records_from_govuks_json_list_import_with_their_answers():
    barnet, ofsted = entries_of(ATRS_RECORD, CONTENT_RECORDS.read_bytes())

    assert barnet.source_id == GOVUK + "barnet-council-ami-chatbot"
    assert barnet.organisation == "London Borough of Barnet"
    assert barnet.values["title"] == "Ami Chatbot"
    assert barnet.values["status"] == "pilot"
    assert barnet.values["contact_email"] == "insightandintelligencehub@barnet.gov.uk"
    assert barnet.values["supplier_name"] == "Capita PLC; Conversations By Ami Ltd (Ami Ltd)"
    assert (
        "Procurement procedure type: Competitive procedure with negotiation"
        in (barnet.values["other_information"])
    )
    assert ofsted.organisation == "Ofsted"
    assert ofsted.values["built_by"] == "in_house"  # third party involvement: No
    assert ofsted.values["purpose"].startswith("Ofsted inspectors of children’s homes assess")
    assert ofsted.values["status"] == "pilot"  # private-beta
    assert [e.problems for e in (barnet, ofsted)] == [[], []]


def test_a_real_record_page_saved_as_html_imports_from_its_govspeak_block():
    entry = entry_of(ATRS_RECORD, SAVED_PAGE.read_bytes())

    assert entry.source_id == GOVUK + "social-care-wales-qualification-chatbot"
    assert entry.organisation == "Social Care Wales, Corporate Services"
    assert entry.values["title"] == "Qualifications chatbot"
    # The description is longer than a summary may be: the one-sentence one is used.
    assert entry.values["summary"].startswith("The Qualifications Chatbot is used to support")
    assert entry.values["web_page"] == (
        "https://socialcare.wales/qualifications-funding/qualification-framework"
    )
    assert entry.values["senior_responsible_owner"] == (
        "Assistant Director (Digital and Technology Delivery); Corporate Services"
    )
    other = entry.values["other_information"]
    assert "Description: How the tool is used:" in other
    assert "https://gofalcymdeithasol.cymru/cymwysterau-ac-ariannu/fframwaith-cymwysterau?" in other


def test_a_record_govuk_keeps_as_prose_without_headings_imports_from_its_title_and_metadata():
    item = {
        **content_item("<p>A recommendation engine that suggests onward pages.</p>"),
        "title": "Cabinet Office: Related Links",
    }
    item["details"]["metadata"] = {
        "algorithmic_transparency_record_organisation": "cabinet-office",
        "algorithmic_transparency_record_phase": "production",
    }

    entry = entry_of(ATRS_RECORD, json.dumps(item).encode())

    assert (entry.organisation, entry.values["title"]) == ("Cabinet Office", "Related Links")
    assert entry.values["summary"] == "Sorts pothole reports so the worst are mended first."
    assert entry.values["status"] == "in_use"
    assert (
        "Text before the first heading: A recommendation engine that suggests onward pages."
        in (entry.values["other_information"])
    )


# Files that are not records ----------------------------------------------------------------


def test_govuks_json_for_another_kind_of_page_is_refused():
    item = {**content_item(V3), "document_type": "guide"}
    item["details"]["body"] = "<h2>Overview</h2><p>You can apply online.</p><h2>Eligibility</h2>"

    with pytest.raises(FileRefused, match="record 1 has none of the standard’s headings"):
        list(ATRS_RECORD.entries(io.BytesIO(json.dumps(item).encode())))


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (
            b"name,description\r\nPothole triage,Sorts reports.\r\n",
            "This is not an algorithmic transparency record: it is neither GOV.UK’s JSON",
        ),
        (
            (REAL / "govuk_search_results.json").read_bytes(),
            "Record 1 of the file is not GOV.UK’s JSON for an algorithmic transparency record",
        ),
        (
            b"<html><body><h1>Bin collections</h1><h2>When</h2><p>Mondays</p></body></html>",
            "This is not an algorithmic transparency record: the page has none of the "
            "standard’s headings",
        ),
        (b"\x89PNG\r\n\x1a\n" + bytes(40), "The file is a PNG image"),
    ],
)
def test_a_file_that_is_not_a_record_is_refused_saying_why(content, reason):
    with pytest.raises(FileRefused) as refused:
        list(ATRS_RECORD.entries(io.BytesIO(content)))

    assert reason in str(refused.value)


def test_a_page_with_more_headings_than_a_record_has_fields_is_refused():
    page = b"<h3>Name</h3><p>x</p>" * 1001

    with pytest.raises(FileRefused, match="more than 1,000 headings"):
        list(ATRS_RECORD.entries(io.BytesIO(page)))


def test_a_page_over_the_length_a_record_may_have_is_refused():
    page = b"<h3>Name</h3><p>" + b"x" * (2 * 1024 * 1024) + b"</p>"

    with pytest.raises(FileRefused, match="longer than 1,048,576 characters"):
        list(ATRS_RECORD.entries(io.BytesIO(page)))


# Through the command and the upload page --------------------------------------------------


def test_the_command_imports_a_json_list_of_records_of_each_version(
    runner, app, make_organisation, tmp_path
):
    make_organisation("Northshire County Council")
    items = [
        content_item(V2, slug="northshire-v2"),
        content_item(V3, slug="northshire-v3"),
        content_item(V4, slug="northshire-v4"),
    ]
    path = tmp_path / "records.json"
    path.write_text(json.dumps(items), encoding="utf-8")

    result = runner.invoke(args=["register", "import", "--format", "atrs-record", str(path)])

    assert result.exit_code == 0, result.output
    assert "3 rows read: 3 entries created" in result.output
    with app.app_context():
        entries = {e.source_id: e for e in db.session.scalars(select(Entry))}
        assert set(entries) == {GOVUK + f"northshire-v{n}" for n in (2, 3, 4)}
        for entry in entries.values():
            values = versions.values_of(entry.draft)
            assert entry.organisation.name == "Northshire County Council"
            assert values["title"] == "Pothole report triage"
            assert values["senior_responsible_owner"] == "Director of Highways"
            assert "public_updated_at: 2025-03-04T10:00:00+00:00" in values["other_information"]
            assert values["web_page"] in (
                "https://www.northshire.gov.uk/potholes",  # versions 2.1 and 3.0 give one
                entry.source_id,  # version 4 does not: the record's address on GOV.UK
            )
            assert versions.rows_of(entry.draft)["risks"][0]["description"] == (
                "Areas that report less could get fewer repairs."
            )


def test_a_publisher_uploads_a_saved_record_page_and_sees_its_answers(
    client_request, sign_in, make_organisation, make_user, app
):
    wales = make_organisation("Social Care Wales", "central_government")
    sign_in(make_user("publisher@socialcare.example", organisation=wales.slug, role="publisher"))
    token = client_request.csrf_token(UPLOAD)
    response = client_request.client.post(
        UPLOAD,
        data={
            "csrf_token": token,
            "file": (io.BytesIO(SAVED_PAGE.read_bytes()), "qualification-chatbot.html"),
            "format": "atrs-record",
            "organisation": str(wales.id),
        },
        content_type="multipart/form-data",
    )
    report_url = response.headers["Location"]
    assert "1 entry to create" in client_request.get(report_url).select_one("#headline").get_text()

    client_request.post(report_url, {"import_all": "y"}, 302)

    with app.app_context():
        reference = db.session.scalar(select(Entry.reference))
    seen = check_answers(client_request, reference)
    assert seen["Title"] == "Qualifications chatbot"
    assert seen["Organisation"] == "Social Care Wales"
    assert seen["Public contact email"] == "Digitalteam@socialcare.wales"
    assert seen["Team"] == "Digital Team"
    assert seen["Supplier"] == "Logicdialog"
    assert seen["Web page"] == (
        "https://socialcare.wales/qualifications-funding/qualification-framework"
    )
    assert "External supplier involvement: Yes" in seen["Other information"]
