"""Downloads: one entry, any search, each table and the whole data package, as a researcher
fetches them."""

from __future__ import annotations

import csv
import gzip
import io
import json
import zipfile

import pytest

from register.schema.cells import FORMULA_STARTS, neutralise, restore_cell

from .factories import publishable_values
from .manage_world import WORLD
from .opendata_world import (
    AWKWARD_ROWS,
    AWKWARD_SUMMARY,
    AWKWARD_TITLE,
    csv_rows,
    fetch,
    json_records,
    publish_awkward,
)
from .public_entries import revise, withdraw

world = WORLD

EXPECTED_CSV = (
    "reference,version,first_published_at,last_published_at,last_reviewed_on,next_review_due,"
    "schema_version,change_note,source,source_link,source_identifier,imported_at,title,title_cy,"
    "summary,summary_cy,organisation,organisation_slug,organisation_type,"
    "team,policy_area,status,started_on,in_use_from,retired_on,retirement_reason,"
    "retirement_reason_cy,contact_email,"
    "postal_address,web_page,senior_responsible_owner,purpose,purpose_cy,benefits,benefits_cy,"
    "alternatives_considered,alternatives_considered_cy,outputs,outputs_cy,"
    "decision_role,people_affected,people_affected_cy,scale,scale_cy,legal_basis,legal_basis_cy,"
    "techniques,model_description,model_description_cy,performance,performance_cy,"
    "built_by,supplier_name,product_name,supplier_registry,supplier_company_number,"
    "source_code_url,source_code_withheld_reason,source_code_withheld_reason_cy,"
    "uses_personal_data,uses_special_category_data,demographic_features,demographic_features_cy,"
    "data_sources_count,"
    "data_sources_name,risk_level,eu_ai_act_category,annex_iii_area,eu_provider_entry_url,"
    "eu_registration_number,rights_safety_effect,risks_count,risks_name,"
    "risks_category,impact_assessments_count,impact_assessments_title,impact_assessments_kind,"
    "oversight_model,oversight_description,oversight_description_cy,staff_training,"
    "staff_training_cy,appeal_process,appeal_process_cy,monitoring,monitoring_cy,"
    "public_engagement,public_engagement_cy,other_information,other_information_cy\r\n"
    "AIR-00001,1,2025-03-01T09:30:00Z,2025-03-01T09:30:00Z,2025-03-01,2026-03-01,1,"
    "First publication.,,,,,"
    '"\'=HYPERLINK(""http://evil.example"", ""Click"") , “quoted”",,'
    '"Line one, with ""quotes"";\nline two \u200fمرحبا\u200f 🤖\r\n@SUM(A1:A2)",,'
    "Northshire County Council,northshire-county-council,local_government,'-Highways,"
    "economic_affairs,in_use,,2024-05,,,,highways@northshire.example,,"
    "https://northshire.example/potholes?a=1&b=2,,"
    "Reports arrive faster than inspectors can read them.,,"
    "Dangerous potholes are repaired sooner.,,,,,,recommends,,,,,,,computer_vision;classical_ml,"
    ",,,,"
    'in_house,,,,,,,,false,false,,,2,"\'+44 call logs\nRoad survey",low,,,,,,2,"Bias\nOutage",'
    "bias_discrimination;accuracy_reliability,1,DPIA,data_protection,human_in_the_loop,"
    "An inspector checks every ranking before work is ordered.,,,,"
    "Anyone can ask the highways team to look at a report again.,,,,,,,\r\n"
)


def test_one_entry_as_csv_is_exactly_as_documented(world):
    reference = publish_awkward(world)
    response = fetch(world.client(None).client, f"/entries/{reference}.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.get_data(as_text=True) == EXPECTED_CSV
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith(f"attachment; filename={reference}-20")
    assert disposition.endswith(".csv")


def test_nothing_in_a_csv_download_can_run_as_a_formula(world):
    publish_awkward(world)
    data = fetch(world.client(None).client, "/entries.csv").data
    for row in csv.reader(io.StringIO(data.decode("utf-8"), newline="")):
        for cell in row:
            assert not cell or cell[0] not in "=+-@\t\r", cell


@pytest.mark.parametrize(
    "text",
    [
        *("=1+1", "+1", "-1", "@A1", "\tx", "\rx", "|cmd", "plain", ""),
        # Full-width signs, which some spreadsheets read as their ASCII forms.
        *("\uff1dSUM(A1)", "\uff0b1", "\uff0d1", "\uff20A1"),
        # Text that itself starts with quotes, before a formula sign or not.
        *("'=x", "'Tis the season", "''quoted'", "'"),
    ],
)
def test_neutralising_a_cell_can_be_undone_by_one_unambiguous_rule(text):
    written = neutralise(text)
    assert restore_cell(written) == text
    assert not written or written[0] not in FORMULA_STARTS
    # The documented rule: a cell that starts with a quote had exactly one added.
    if written[:1] == "'":
        assert written[1:] == text


def test_awkward_text_survives_csv_and_json_round_trips(world):
    reference = publish_awkward(world)
    client = world.client(None).client
    [row] = csv_rows(fetch(client, f"/entries/{reference}.csv").data)
    assert restore_cell(row["title"]) == AWKWARD_TITLE
    assert restore_cell(row["summary"]) == AWKWARD_SUMMARY
    record = json.loads(fetch(client, f"/entries/{reference}.json").data)
    assert record["title"] == AWKWARD_TITLE
    assert record["summary"] == AWKWARD_SUMMARY
    assert record["data_sources"][0]["name"] == "+44 call logs"
    assert record["data_sources"][0]["description"] == "-1 row, a\ttab"


def test_one_entry_as_json_is_the_whole_record(world):
    reference = publish_awkward(world)
    record = json.loads(fetch(world.client(None).client, f"/entries/{reference}.json").data)
    assert record["reference"] == reference
    assert record["version"] == 1
    assert record["published_at"] == "2025-03-01T09:30:00Z"
    assert record["organisation"] == {
        "name": "Northshire County Council",
        "slug": "northshire-county-council",
        "type": "local_government",
    }
    assert record["techniques"] == ["computer_vision", "classical_ml"]
    assert record["uses_personal_data"] is False
    assert [row["name"] for row in record["risks"]] == ["Bias", "Outage"]
    assert record["impact_assessments"] == [
        {**dict.fromkeys(["kind", "title", "date", "summary", "summary_cy", "link"]), **row}
        for row in AWKWARD_ROWS["impact_assessments"]
    ]


def test_a_reference_in_another_case_redirects_to_its_own_spelling(world):
    reference = world.entry("published")
    response = fetch(world.client(None).client, f"/entries/{reference.lower()}.json")
    assert response.status_code == 301
    assert response.headers["Location"].endswith(f"/entries/{reference}.json")


@pytest.mark.parametrize("extension", ["json", "csv"])
def test_unpublished_and_withdrawn_entries_are_not_downloadable(world, extension):
    client = world.client(None).client
    draft = world.entry("draft")
    withdrawn = world.entry("withdrawn")
    assert fetch(client, f"/entries/{draft}.{extension}").status_code == 404
    assert fetch(client, f"/entries/AIR-99999.{extension}").status_code == 404
    gone = fetch(client, f"/entries/{withdrawn}.{extension}")
    assert gone.status_code == 410
    assert gone.json["error"]["status"] == 410


def test_a_revision_in_progress_is_not_downloaded_but_the_published_version_is(world):
    reference = world.entry("published")
    revise(world, reference, {"title": "Not yet public"}, publish=False)
    record = json.loads(fetch(world.client(None).client, f"/entries/{reference}.json").data)
    assert record["title"] == "Pothole report triage"


def test_the_whole_register_downloads_as_csv_and_json_with_dated_names(world):
    first = world.entry("published")
    second = publish_awkward(world)
    withdrawn = world.entry("withdrawn")
    world.entry("draft")
    client = world.client(None).client
    as_csv = fetch(client, "/entries.csv")
    as_json = fetch(client, "/entries.json")
    assert as_csv.mimetype == "text/csv" and as_json.mimetype == "application/json"
    assert "filename=register-entries-20" in as_csv.headers["Content-Disposition"]
    csv_references = [row["reference"] for row in csv_rows(as_csv.data)]
    json_references = [record["reference"] for record in json_records(as_json.data)]
    assert sorted(csv_references) == [first, second]
    assert json_references == csv_references
    assert withdrawn not in csv_references
    assert as_csv.headers["Access-Control-Allow-Origin"] == "*"


def test_a_download_is_validated_by_etag_and_date_and_changes_when_the_register_does(world):
    reference = world.entry("published")
    client = world.client(None).client
    first = fetch(client, "/entries.csv")
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert fetch(client, "/entries.csv", headers={"If-None-Match": etag}).status_code == 304
    assert fetch(client, "/entries.csv", headers={"If-Modified-Since": modified}).status_code == 304
    assert fetch(client, "/entries.json", headers={"If-None-Match": etag}).status_code == 200
    assert (
        fetch(client, "/entries.csv?status=pilot", headers={"If-None-Match": etag}).status_code
        == 200
    )

    withdraw(world, reference, "Published in error.")
    after = fetch(client, "/entries.csv", headers={"If-None-Match": etag})
    assert after.status_code == 200
    assert after.headers["ETag"] != etag


def test_downloads_are_compressed_when_the_client_accepts_it(world):
    world.entry("published")
    client = world.client(None).client
    plain = fetch(client, "/entries.csv")
    packed = fetch(client, "/entries.csv", headers={"Accept-Encoding": "gzip"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert gzip.decompress(packed.data) == plain.data
    assert packed.headers["ETag"] != plain.headers["ETag"]
    again = fetch(
        client,
        "/entries.csv",
        headers={"Accept-Encoding": "gzip", "If-None-Match": packed.headers["ETag"]},
    )
    assert again.status_code == 304


def test_each_table_downloads_on_its_own(world):
    reference = publish_awkward(world)
    client = world.client(None).client
    risks = csv_rows(fetch(client, "/download/risks.csv").data)
    assert [(r["reference"], r["position"], r["name"]) for r in risks] == [
        (reference, "1", "Bias"),
        (reference, "2", "Outage"),
    ]
    organisations = csv_rows(fetch(client, "/download/organisations.csv").data)
    assert [(o["slug"], o["entries"]) for o in organisations] == [
        ("northshire-county-council", "1")
    ]
    assert fetch(client, "/download/passwords.csv").status_code == 404


def test_versions_table_has_every_published_version_and_marks_the_current_one(world):
    reference = world.entry("published")
    revise(world, reference, {"title": "Pothole triage, second edition"}, note="Renamed.")
    versions = csv_rows(fetch(world.client(None).client, "/download/versions.csv").data)
    assert [(v["version"], v["is_current"], v["title"]) for v in versions] == [
        ("1", "false", "Pothole report triage"),
        ("2", "true", "Pothole triage, second edition"),
    ]


def test_the_zip_holds_every_table_and_its_descriptor(world):
    publish_awkward(world)
    response = fetch(world.client(None).client, "/download/register.zip")
    assert response.mimetype == "application/zip"
    assert "Content-Encoding" not in response.headers
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert sorted(archive.namelist()) == sorted(
        [
            "entries.csv",
            "data_sources.csv",
            "suppliers.csv",
            "products.csv",
            "entry_suppliers.csv",
            "risks.csv",
            "impact_assessments.csv",
            "organisations.csv",
            "coverage.csv",
            "organisation_names.csv",
            "sources.csv",
            "versions.csv",
            "data_sources_history.csv",
            "risks_history.csv",
            "impact_assessments_history.csv",
            "withheld_answers.csv",
            "withdrawals.csv",
            "schema/record.schema.json",
            "datapackage.json",
        ]
    )
    descriptor = json.loads(archive.read("datapackage.json"))
    assert descriptor["schema_version"] == 1
    assert descriptor["licenses"][0]["title"] == "Open Government Licence v3.0"
    entries = next(r for r in descriptor["resources"] if r["name"] == "entries")
    fields = {f["name"]: f for f in entries["schema"]["fields"]}
    assert fields["status"]["constraints"]["enum"][0] == "planned"
    assert fields["title"]["constraints"]["required"] is True
    assert entries["schema"]["primaryKey"] == ["reference"]


def test_the_descriptor_alone_points_at_each_tables_download(world):
    client = world.client(None).client
    descriptor = fetch(client, "/download/datapackage.json").json
    paths = [resource["path"] for resource in descriptor["resources"]]
    assert paths[0] == "http://localhost/download/entries.csv"
    assert all(path.startswith("http://localhost/download/") for path in paths)
    for path in paths:
        assert fetch(client, path.removeprefix("http://localhost")).status_code == 200


def test_downloads_filter_yes_or_no_answers_by_the_true_and_false_they_write(world):
    world.entry("published", values=publishable_values(uses_personal_data=True))
    world.entry("published", values=publishable_values(uses_personal_data=False))
    client = world.client(None).client
    for written in ("true", "false"):
        records = fetch(client, f"/entries.json?uses_personal_data={written}").json
        assert [record["uses_personal_data"] for record in records] == [written == "true"]


def test_the_withdrawals_table_keeps_a_trace_of_each_withdrawn_entry(world):
    kept = world.entry("published")
    first = world.entry("published")
    second = world.entry("published")
    world.entry("draft")
    withdraw(world, first, "Published in error.")
    withdraw(world, second, "Duplicate, with “quotes”, and a comma.")
    client = world.client(None).client
    rows = csv_rows(fetch(client, "/download/withdrawals.csv").data)
    assert [(row["reference"], row["reason"]) for row in rows] == [
        (first, "Published in error."),
        (second, "Duplicate, with “quotes”, and a comma."),
    ]
    assert all(row["withdrawn_at"].endswith("Z") for row in rows)
    versions = csv_rows(fetch(client, "/download/versions.csv").data)
    assert {row["reference"] for row in versions} == {kept}
    descriptor = fetch(client, "/download/datapackage.json").json
    assert "withdrawals" in [resource["name"] for resource in descriptor["resources"]]
