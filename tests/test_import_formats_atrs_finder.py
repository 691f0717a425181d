"""GOV.UK's list of algorithmic transparency records: the finder's metadata, as GOV.UK's search
API gives it (JSON) and as researchers keep it (CSV), imported through the command and the
upload page. The files are real: tests/data/real/atrs/ (see its README).
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from register import versions
from register.extensions import db
from register.importing.files import FileRefused
from register.importing.formats.atrs import ATRS
from register.importing.formats.atrs_finder import ATRS_FINDER
from register.importing.govuk_organisations import govuk_organisation, organisation_name_for
from register.models import Entry, Organisation

from .import_files import atrs_csv, entries_of, us_2025_csv, warned

REAL = Path(__file__).parent / "data" / "real" / "atrs"
SEARCH_RESULTS = REAL / "govuk_search_results.json"
RESEARCHERS_CSV = REAL / "atrs_audit_sample.csv"
GOVUK = "https://www.gov.uk/algorithmic-transparency-records/"
UPLOAD = "/manage/import"


def results(*links: str) -> bytes:
    """The real search results for the records with these addresses, as the API's JSON."""
    found = json.loads(SEARCH_RESULTS.read_text(encoding="utf-8"))
    kept = [r for r in found["results"] if r["link"].rsplit("/", 1)[-1] in links]
    assert len(kept) == len(links)
    return json.dumps({"results": kept, "total": len(kept), "start": 0}).encode()


def result(**fields) -> dict:
    """A result as the search API lists one, with these fields changed."""
    return {
        "title": "Department for Education: Attendance reports",
        "description": "Compares a school's attendance with similar schools.",
        "link": "/algorithmic-transparency-records/dfe-attendance-reports",
        "public_timestamp": "2025-05-01T10:00:00Z",
        "algorithmic_transparency_record_organisation": "department-for-education",
        "algorithmic_transparency_record_organisation_type": ["ministerial-department"],
        "algorithmic_transparency_record_phase": "production",
        "algorithmic_transparency_record_region": ["england"],
        "algorithmic_transparency_record_date_published": "2025-05-01",
        "algorithmic_transparency_record_atrs_version": "v3.0",
        **fields,
    }


def one(*records: dict):
    (entry,) = entries_of(ATRS_FINDER, json.dumps({"results": list(records)}).encode())
    return entry


# Reading the real files --------------------------------------------------------------------


def test_each_result_of_the_real_search_api_file_becomes_an_entry_known_by_its_address():
    entries = entries_of(ATRS_FINDER, SEARCH_RESULTS.read_bytes())

    assert len(entries) == 11
    by_address = {entry.source_id: entry for entry in entries}
    ofsted = by_address[GOVUK + "ai-writing-assistant-social-care"]
    assert ofsted.organisation == "Ofsted"
    assert ofsted.values["title"] == "AI Writing Assistant (Social Care)"
    assert ofsted.values["summary"].startswith("An AI service to suggest wording")
    assert ofsted.values["status"] == "pilot"  # private-beta
    assert ofsted.values["policy_area"] == "education"  # the first of education, regulation
    assert ofsted.values["techniques"] == ["nlp"]  # computer-linguistics
    assert ofsted.values["web_page"] == GOVUK + "ai-writing-assistant-social-care"
    other = ofsted.values["other_information"]
    assert "algorithmic_transparency_record_date_published: 2025-11-12" in other
    assert "algorithmic_transparency_record_function: education; regulation" in other
    assert "algorithmic_transparency_record_atrs_version: v4.0" in other
    assert "elasticsearch_type" not in other  # the search engine's own bookkeeping
    assert ofsted.problems == []


def test_organisations_are_named_as_govuk_names_them_and_the_title_loses_their_prefix():
    entries = entries_of(ATRS_FINDER, SEARCH_RESULTS.read_bytes())
    by_address = {entry.source_id.removeprefix(GOVUK): entry for entry in entries}

    dwp = by_address["dwp-child-maintenance-service-cms-predictive-analytics-compliance"]
    assert (dwp.organisation, dwp.organisation_abbreviation) == (
        "Department for Work and Pensions",
        "DWP",
    )
    assert (
        dwp.values["title"] == "Child Maintenance Service (CMS) - Predictive Analytics Compliance"
    )
    qcovid = by_address["department-for-health-and-social-care-and-nhs-digital-qcovid-algorithm"]
    assert qcovid.organisation == "Department of Health and Social Care"
    assert qcovid.values["status"] == "retired"
    barnet = by_address["barnet-council-ami-chatbot"]
    assert barnet.organisation == "London Borough of Barnet"
    # "Barnet Council" is not how GOV.UK names the organisation, so the title keeps it.
    assert barnet.values["title"] == "Barnet Council: Ami Chatbot"
    assert all("-" not in entry.organisation.split()[0] for entry in entries)


def test_a_record_govuk_files_under_another_department_than_its_title_names_is_flagged():
    entries = entries_of(ATRS_FINDER, SEARCH_RESULTS.read_bytes())
    newcastle = next(e for e in entries if "newcastle" in e.source_id)

    assert newcastle.organisation == "Department for Science, Innovation and Technology"
    assert newcastle.values["title"].startswith("Newcastle City Council: AWS Contact Centre")
    assert warned(newcastle, "title") == [
        "The title names Newcastle City Council, but GOV.UK files the record under "
        "Department for Science, Innovation and Technology, and so is the entry: check which "
        "is right"
    ]


def test_the_researchers_csv_of_the_same_fields_reads_the_same_with_lists_written_with_bars():
    entries = entries_of(ATRS_FINDER, RESEARCHERS_CSV.read_bytes())

    by_address = {entry.source_id.removeprefix(GOVUK): entry for entry in entries}
    assert len(by_address) == 6
    ofsted = by_address["ai-writing-assistant-social-care"]
    assert (ofsted.organisation, ofsted.values["status"], ofsted.values["policy_area"]) == (
        "Ofsted",
        "pilot",
        "education",
    )
    leeds = by_address["leeds-city-council-xylo-core"]
    assert leeds.organisation == "Leeds City Council"
    assert leeds.values["title"] == "Xylo Core"
    assert "date_published: " in leeds.values["other_information"]
    from_json = {
        e.source_id: e.values["title"] for e in entries_of(ATRS_FINDER, SEARCH_RESULTS.read_bytes())
    }
    assert (
        from_json[GOVUK + "barnet-council-ami-chatbot"]
        == (by_address["barnet-council-ami-chatbot"].values["title"])
    )


# Phases, organisations and links ----------------------------------------------------------


@pytest.mark.parametrize(
    ("phase", "status"),
    [
        ("pre-deployment", "planned"),
        ("beta-pilot", "pilot"),
        ("private-beta", "pilot"),
        ("public-beta", "pilot"),
        ("production", "in_use"),
        ("retired", "retired"),
        ("discovery", "planned"),
        ("alpha", "in_development"),
        ("pilot", "pilot"),
        ("live", "in_use"),
        ("Beta/Pilot", "pilot"),
    ],
)
def test_each_phase_govuk_and_real_files_use_becomes_a_status(phase, status):
    entry = one(result(algorithmic_transparency_record_phase=phase))

    assert entry.values["status"] == status


def test_a_phase_that_is_not_one_is_kept_with_a_warning_and_no_status():
    entry = one(result(algorithmic_transparency_record_phase="paused"))

    assert "status" not in entry.values
    assert "algorithmic_transparency_record_phase: paused" in entry.values["other_information"]
    assert warned(entry, "algorithmic_transparency_record_phase")


def test_a_slug_not_in_govuks_list_becomes_a_readable_name_and_the_report_says_so():
    entry = one(result(algorithmic_transparency_record_organisation="north-somerset-council"))

    assert entry.organisation == "North Somerset Council"
    assert warned(entry, "algorithmic_transparency_record_organisation") == [
        "GOV.UK's list of organisations does not have “north-somerset-council”, so the "
        "organisation is named “North Somerset Council”: check the name"
    ]


def test_an_organisation_given_as_a_list_files_the_entry_under_the_first_and_keeps_them_all():
    entry = one(
        result(
            algorithmic_transparency_record_organisation=["hm-treasury", "cabinet-office"],
            title="HM Treasury: Correspondence triage",
        )
    )

    assert (entry.organisation, entry.values["title"]) == ("HM Treasury", "Correspondence triage")
    assert (
        "algorithmic_transparency_record_organisation: hm-treasury; cabinet-office"
        in entry.values["other_information"]
    )


def test_a_link_that_is_not_on_govuk_is_kept_and_the_entry_is_known_by_its_title():
    entry = one(result(link="https://example.com/records/attendance"))

    assert entry.source_id == ""
    assert "web_page" not in entry.values
    assert "link: https://example.com/records/attendance" in entry.values["other_information"]


def test_a_slug_where_an_atrs_csv_names_its_organisation_is_named_properly_too():
    row = {"name": "Pothole triage", "description": "Sorts reports."}
    slug = entries_of(ATRS, atrs_csv([{**row, "organisation": "department-for-transport"}]))
    unknown = entries_of(ATRS, atrs_csv([{**row, "organisation": "north-somerset-council"}]))

    assert (slug[0].organisation, slug[0].organisation_abbreviation) == (
        "Department for Transport",
        "DfT",
    )
    assert unknown[0].organisation == "North Somerset Council"
    assert warned(unknown[0], "organisation")


@pytest.mark.parametrize(
    ("given", "name", "known"),
    [
        (
            "department-for-science-innovation-and-technology",
            "Department for Science, Innovation and Technology",
            True,
        ),
        ("department-for-work-and-pensions", "Department for Work and Pensions", True),
        ("department-for-work-pensions", "Department for Work and Pensions", True),
        ("DSIT", "Department for Science, Innovation and Technology", True),
        ("hm revenue & customs", "HM Revenue & Customs", True),
        ("nhs-somerset-trust", "NHS Somerset Trust", False),
        ("Cornwall Council", "Cornwall Council", False),
    ],
)
def test_organisation_name_for_gives_the_proper_name_and_whether_it_is_known(given, name, known):
    assert organisation_name_for(given) == (name, known)


def test_the_list_of_organisations_has_every_organisation_in_the_real_file():
    found = json.loads(SEARCH_RESULTS.read_text(encoding="utf-8"))["results"]
    slugs = {r["algorithmic_transparency_record_organisation"] for r in found}

    assert all(govuk_organisation(slug) is not None for slug in slugs)


# Files that are not this format ------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (
            us_2025_csv([{"use_case_name": "Cargo triage", "development_stage": "Pilot"}]),
            "This is not GOV.UK's list of algorithmic transparency records",
        ),
        (json.dumps({"title": "A record", "details": {}}).encode(), "no “results” list"),
        (json.dumps({"results": {"title": "x"}}).encode(), "is not a list of records"),
        (b"PK\x03\x04" + bytes(60), "a zip archive or a spreadsheet"),
    ],
)
def test_a_file_that_is_not_the_finders_is_refused_saying_why(content, reason):
    with pytest.raises(FileRefused) as refused:
        list(ATRS_FINDER.entries(io.BytesIO(content)))

    assert reason in str(refused.value)
    assert "\n" not in str(refused.value)


# Through the command and the upload page --------------------------------------------------


def test_the_command_imports_the_real_file_creating_organisations_named_properly(
    runner, app, tmp_path
):
    path = tmp_path / "search.json"
    path.write_bytes(SEARCH_RESULTS.read_bytes())
    command = ["register", "import", "--format", "atrs-finder", "--create-organisations"]

    result = runner.invoke(args=[*command, str(path)])

    assert result.exit_code == 0, result.output
    assert "11 rows read: 11 entries created" in result.output
    with app.app_context():
        names = set(db.session.scalars(select(Organisation.name)))
        assert "Department for Science, Innovation and Technology" in names
        assert "London Borough of Barnet" in names
        assert not any("-" in name.split()[0] for name in names)
        dsit = db.session.scalar(select(Organisation).where(Organisation.abbreviation == "DSIT"))
        assert dsit is not None
        entry = db.session.scalar(select(Entry).where(Entry.source_id == GOVUK + "ns-and-i-polyai"))
        values = versions.values_of(entry.draft)
        assert entry.organisation.name == "HM Treasury"
        assert values["title"] == "NS&I: PolyAI"
        assert values["status"] == "in_use"
        assert values["web_page"] == GOVUK + "ns-and-i-polyai"
        assert (
            "algorithmic_transparency_record_date_published: 2025-10-"
            in (values["other_information"])
        )
    again = runner.invoke(args=[*command, str(path)])
    assert "0 entries to create, 0 to update, 11 unchanged" in again.output


def check_answers(client_request, reference: str) -> dict[str, str]:
    """What the check-your-answers page shows for each question of the entry."""
    page = client_request.get(f"/manage/entries/{reference}/check")
    return {
        row.select_one("dt").get_text(" ", strip=True): row.select_one("dd").get_text(
            " ", strip=True
        )
        for row in page.select(".govuk-summary-list__row")
    }


def test_an_administrator_uploads_the_finders_json_and_sees_the_entries_as_govuk_has_them(
    client_request, sign_in, make_organisation, make_user, app
):
    make_organisation("Ofsted", "central_government")
    make_organisation("Department for Work and Pensions", "central_government")
    sign_in(make_user("admin@register.example", is_admin=True))
    content = results(
        "ai-writing-assistant-social-care",
        "dwp-child-maintenance-service-cms-predictive-analytics-compliance",
    )
    token = client_request.csrf_token(UPLOAD)
    response = client_request.client.post(
        UPLOAD,
        data={
            "csrf_token": token,
            "file": (io.BytesIO(content), "search.json"),
            "format": "atrs-finder",
            "organisation": "",
        },
        content_type="multipart/form-data",
    )
    report_url = response.headers["Location"]
    report = client_request.get(report_url)
    assert "2 entries to create" in report.select_one("#headline").get_text()

    client_request.post(report_url, {"import_all": "y"}, 302)

    with app.app_context():
        references = dict(db.session.execute(select(Entry.source_id, Entry.reference)).all())
    seen = check_answers(client_request, references[GOVUK + "ai-writing-assistant-social-care"])
    assert seen["Title"] == "AI Writing Assistant (Social Care)"
    assert seen["Organisation"] == "Ofsted"
    assert seen["Status"] == "Pilot"
    assert seen["Policy area"] == "Education"
    assert seen["Web page"] == GOVUK + "ai-writing-assistant-social-care"
    assert "algorithmic_transparency_record_date_published: 2025-11-12" in seen["Other information"]
    dwp = check_answers(
        client_request,
        references[GOVUK + "dwp-child-maintenance-service-cms-predictive-analytics-compliance"],
    )
    assert dwp["Title"] == "Child Maintenance Service (CMS) - Predictive Analytics Compliance"
    assert dwp["Organisation"] == "Department for Work and Pensions"
    assert dwp["Status"] == "In use"
