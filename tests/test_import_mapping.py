"""Importing a file that follows no known format by mapping its columns.

New York City's algorithmic tools compliance report (the real sample in tests/data/real/nyc/,
whose README gives its source and terms) goes through the pages: its columns with their
values and a suggested question each, the mapping, the preview, the saved mapping and the
import, and the entries a person then sees. Next year's copy, with a column more, is mapped
by the saved mapping; the command imports with a mapping file and with a saved mapping;
every bad input is refused next to its field and changes nothing; and nobody sees or uses
another organisation's mapping.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from register import versions
from register.extensions import db
from register.forms.import_mapping import LEAVE_OUT
from register.importing import ImportOptions, column_mapping
from register.importing.column_mapping import TARGETS, TARGETS_BY_VALUE, ColumnMapping
from register.models import Entry, Organisation, PendingImport, PendingMapping, SavedMapping
from register.schema import Kind

from .manage_world import messages
from .pages import check_page

SAMPLE = Path(__file__).parent / "data" / "real" / "nyc" / "nyc-algorithmic-tools-sample.csv"
UPLOAD = "/manage/import/columns"
# The agencies of the sample, by the abbreviation the file names them by (their slugs here).
AGENCIES = {
    "ACS": "Administration for Children's Services",
    "DOHMH": "Department of Health and Mental Hygiene",
    "DOI": "Department of Investigation",
    "DSS": "Department of Social Services",
    "FDNY": "Fire Department of the City of New York",
    "NYPD": "New York City Police Department",
    "OCME": "Office of Chief Medical Examiner",
    "OTI": "Office of Technology and Innovation",
}
MAPPING_NAME = "Algorithmic tools compliance report"


@pytest.fixture
def city(make_organisation, make_user):
    for abbreviation, name in AGENCIES.items():
        make_organisation(name, "local_government", slug=abbreviation.lower())
    make_organisation("Northshire County Council")
    return {
        "admin": make_user("admin@register.example", is_admin=True),
        "publisher": make_user("publisher@oti.example", organisation="oti", role="publisher"),
        "editor": make_user("editor@oti.example", organisation="oti", role="editor"),
        "outsider": make_user(
            "publisher@ns.example", organisation="northshire-county-council", role="publisher"
        ),
    }


# The sample and files made from it -----------------------------------------------------------


def sample() -> tuple[list[str], list[dict[str, str]]]:
    with SAMPLE.open(newline="", encoding="utf-8") as text:
        reader = csv.DictReader(text)
        return list(reader.fieldnames or []), list(reader)


def csv_of(header: list[str], rows: list[dict[str, str]]) -> bytes:
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=header, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return text.getvalue().encode()


def year_file(year: str, **extra: str) -> bytes:
    """The sample's rows of one report year; `extra` adds columns, the same value in each."""
    header, rows = sample()
    return csv_of([*header, *extra], [{**row, **extra} for row in rows if row["year"] == year])


# Going through the pages -------------------------------------------------------------------


def upload(client_request, content: bytes, filename: str = "nyc.csv", saved: str = ""):
    token = client_request.csrf_token(UPLOAD)
    data = {"csrf_token": token, "file": (io.BytesIO(content), filename)}
    if saved:
        data["saved_mapping"] = saved
    return client_request.client.post(UPLOAD, data=data, content_type="multipart/form-data")


def columns_page_of(client_request, content: bytes, **kw) -> str:
    response = upload(client_request, content, **kw)
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    return response.headers["Location"]


def page_form(page) -> dict[str, str | list[str]]:
    """What the browser sends for the page's form as it shows it (no button pressed)."""
    form = page.select_one("main form[method=post]")
    data: dict[str, str | list[str]] = {}
    for element in form.select("input"):
        kind = element.get("type", "text")
        if kind in ("radio", "checkbox"):
            if element.has_attr("checked"):
                data.setdefault(element["name"], []).append(element["value"])
        elif kind not in ("submit", "file"):
            data[element["name"]] = element.get("value", "")
    for menu in form.select("select"):
        chosen = menu.select_one("option[selected]") or menu.select_one("option")
        data[menu["name"]] = chosen["value"]
    return data


@dataclass
class ShownColumn:
    samples: list[str]
    chosen: str  # the value of the option selected
    hint: str
    new: bool
    error: str


def columns_table(page) -> dict[str, ShownColumn]:
    shown = {}
    for row in page.select("#column-table tbody tr"):
        tag = row.th.select_one(".govuk-tag")
        name = row.th.get_text(" ", strip=True).removesuffix(" New") if tag else row.th.get_text()
        select = row.select_one("select")
        chosen = select.select_one("option[selected]") or select.select_one("option")
        hint = row.select_one(".govuk-hint")
        error = row.select_one(".govuk-error-message")
        shown[name.strip()] = ShownColumn(
            [item.get_text() for item in row.select("td ul li")],
            chosen["value"],
            hint.get_text(strip=True) if hint else "",
            tag is not None,
            error.get_text(" ", strip=True) if error else "",
        )
    return shown


def select_for(page, column: str) -> str:
    """The name of the select that says where `column` goes."""
    for row in page.select("#column-table tbody tr"):
        if row.th.get_text(" ", strip=True).removesuffix(" New").strip() == column:
            return row.select_one("select")["name"]
    raise AssertionError(f"no column {column}")


def mapped(client_request, columns_url: str, changes: dict[str, str] | None = None, **fields):
    """Send the mapping page as it is shown, with `changes` (column -> where it goes) and
    other `fields`; the answer."""
    page = client_request.get(columns_url)
    data = page_form(page)
    for column, target in (changes or {}).items():
        data[select_for(page, column)] = target
    data.update(fields)
    return client_request.client.post(columns_url, data=data)


def preview_of(client_request, columns_url: str, changes=None, **fields) -> str:
    response = mapped(client_request, columns_url, changes, **fields)
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    return response.headers["Location"]


def cards(page) -> list[dict]:
    """Each previewed entry: its heading, what happens, its problems and notes, answers."""
    found = []
    for card in page.select("#entries ~ .govuk-summary-card"):
        answers = {}
        for row in card.select(".govuk-summary-list__row"):
            answers.setdefault(row.dt.get_text(strip=True), row.dd.get_text(" ", strip=True))
        found.append(
            {
                "title": card.h3.get_text(strip=True),
                "action": card.select_one("[id$=-action]").get_text(strip=True),
                "problems": [
                    li.get_text(" ", strip=True) for li in card.select("[id$=-problems] li")
                ],
                "notes": [li.get_text(" ", strip=True) for li in card.select("[id$=-notes] li")],
                "answers": answers,
                "groups": [h.get_text(strip=True) for h in card.select("h5")],
            }
        )
    return found


def organisation_id(app, slug: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Organisation.id).where(Organisation.slug == slug))


def count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def drafts(app) -> dict[tuple[str, str], tuple[str, dict]]:
    """Each entry's draft, by (organisation slug, title): its reference and its answers."""
    with app.app_context():
        found = {}
        for entry in db.session.scalars(select(Entry)):
            values = versions.values_of(entry.draft or entry.versions[-1])
            found[entry.organisation.slug, values["title"]] = (entry.reference, values)
        return found


def everything(app) -> dict[str, list]:
    """The rows of the tables a mapping touches, to show that something changed nothing."""
    with app.app_context():
        db.session.expire_all()
        return {
            "pending": [
                (p.key, p.organisation_id, p.report, p.create_organisations, p.publish)
                for p in db.session.scalars(select(PendingImport))
            ],
            "mappings": [
                (m.pending_import_id, m.definition, m.saved_mapping_id)
                for m in db.session.scalars(select(PendingMapping))
            ],
            "saved": [
                (s.id, s.name, s.organisation_id, s.definition)
                for s in db.session.scalars(select(SavedMapping))
            ],
            "entries": list(db.session.scalars(select(Entry.reference))),
        }


# Seeing the columns ------------------------------------------------------------------------


def test_each_column_is_shown_with_its_values_and_a_suggested_question(
    client_request, sign_in, city
):
    sign_in(city["admin"])
    page = client_request.get(columns_page_of(client_request, SAMPLE.read_bytes()))
    assert page.h1.get_text(strip=True) == "Map the columns of nyc.csv"
    assert page.select_one("fieldset legend").get_text(strip=True) == (
        "How does the file write dates?"
    )
    table = columns_table(page)
    header, _rows = sample()
    assert list(table) == header
    assert table["agency"].samples == ["FDNY", "ACS", "DOI"]
    assert table["date_use"].samples == ["2019/11", "2018/05", "2019/03"]
    assert table["identifying_info"].samples == ["true", "false"]
    # Suggested from the names, pre-selected, and said to be suggestions.
    assert table["tool_name"].chosen == "title"
    assert table["tool_name"].hint == "Title: suggested by its name"
    assert table["agency"].chosen == "organisation"
    assert table["vendor_name"].chosen == "supplier_name"
    assert table["tool_desc_brief"].chosen == "summary"
    date_use = TARGETS_BY_VALUE[table["date_use"].chosen]
    assert date_use.value == "other" or date_use.field.kind is Kind.PARTIAL_DATE
    # A report year is no date of the tool's, and “updated” is no question of the record.
    assert table["year"].chosen == "other"
    assert table["updated"].chosen == "other"
    # Each field is suggested once: the long descriptions of the supplier are not.
    chosen = [shown.chosen for shown in table.values() if shown.chosen != "other"]
    assert len(chosen) == len(set(chosen))
    # Any question can be chosen, or Other information, or nothing.
    options = page.select(f"select[name={select_for(page, 'year')}] option")
    assert len(options) == len(TARGETS) + 1
    assert {"other", LEAVE_OUT, "organisation", "identifier", "data_sources.link"} <= {
        option["value"] for option in options
    }


def test_values_suggest_what_names_do_not_and_show_the_date_order(client_request, sign_in, city):
    content = (
        b"Ref,Tool,Write to,Where it is,Personal data?,Live since,Notes\n"
        b"T-1,Rota planner,rota@oti.example,Pilot,No,31/01/2024,Built in-house\n"
        b"T-2,Chatbot,chat@oti.example,In use,Yes,13/06/2023,\n"
    )
    sign_in(city["publisher"])
    page = client_request.get(columns_page_of(client_request, content))
    table = columns_table(page)
    assert {name: shown.chosen for name, shown in table.items()} == {
        "Ref": "identifier",
        "Tool": "other",  # one word, and no field is called a tool
        "Write to": "contact_email",  # not "Contact": the Dutch standard's name for it
        "Where it is": "status",
        "Personal data?": "uses_personal_data",
        "Live since": "other",
        "Notes": "other",
    }
    assert table["Write to"].hint == "Public contact email: suggested by its values"
    assert table["Where it is"].hint == "Status: suggested by its values"
    # A day after the 12th shows that the file writes the day first.
    assert page.select_one("input[name=dates][checked]")["value"] == "day"
    month_first = content.replace(b"31/01/2024", b"01/31/2024").replace(b"13/06", b"06/13")
    page = client_request.get(columns_page_of(client_request, month_first))
    assert page.select_one("input[name=dates][checked]")["value"] == "month"


def test_the_first_sheet_of_a_workbook_with_a_header_row_is_read(client_request, sign_in, city):
    header, rows = sample()
    book = Workbook()
    book.active.title = "Notes"  # left empty: the data is on the next sheet
    sheet = book.create_sheet("Tools")
    sheet.append(header)
    for row in rows[5:8]:
        values = [row[column] for column in header]
        values[header.index("year")] = int(row["year"])
        sheet.append(values)
    sheet.cell(row=2, column=header.index("date_use") + 1, value=datetime(2021, 9, 1))
    content = io.BytesIO()
    book.save(content)

    sign_in(city["admin"])
    url = columns_page_of(client_request, content.getvalue(), filename="nyc.xlsx")
    table = columns_table(client_request.get(url))
    assert list(table) == header
    assert table["year"].samples == ["2023"]
    assert table["date_use"].samples == ["2021-09-01", "2017/07", "1997/00"]
    assert table["tool_name"].chosen == "title"
    preview = client_request.get(preview_of(client_request, url))
    first = cards(preview)[0]
    assert first["title"] == "Row 2: Prevention Score Card"
    assert first["answers"]["In use from"] == "1 September 2021"
    assert first["answers"]["Organisation"] == "Administration for Children's Services"


# The whole journey -------------------------------------------------------------------------


def test_an_administrator_maps_previews_saves_and_imports_the_sample(
    client_request, sign_in, city, app
):
    sign_in(city["admin"])
    columns_url = columns_page_of(client_request, SAMPLE.read_bytes())
    preview_url = preview_of(
        client_request,
        columns_url,
        {
            "identifying_info": "uses_personal_data",
            "updated": LEAVE_OUT,
            # The 2022 rows describe their data in one column, the 2023 rows in two.
            "data": "data_sources.description",
            "data_training": "data_sources.description",
            "data_input": "data_sources.description",
        },
    )
    preview = client_request.get(preview_url)
    assert preview.h1.get_text(strip=True) == "Preview the entries from nyc.csv"
    # FDNY, DOI, DSS and NYPD report four tools in both years under one title: the later
    # row is the same entry with other answers, which the register cannot choose between.
    assert preview.select_one("#headline").get_text(strip=True) == (
        "15 rows read: 11 entries to create, 0 to update, 0 unchanged, "
        "4 rows with problems (as drafts)."
    )
    shown = cards(preview)
    assert [card["title"] for card in shown] == [
        "Row 2: RBIS (Risk Based Inspection Program); ALARM (A Learning Approach to Risk Modeling)",
        "Row 3: Severe Harm Predictive model",
        "Row 4: Facial Recognition Technology",
        "Row 5: Homebase Risk Assessment Questionnaire (RAQ)",
        "Row 6: Facial Recognition Technology",
    ]
    first = shown[0]
    assert first["action"] == "Creates an entry"
    assert first["answers"]["Organisation"] == "Fire Department of the City of New York"
    assert first["answers"]["In use from"] == "November 2019"
    assert first["answers"]["Purpose"].startswith("ALARM creates risk scores for each building")
    # A summary longer than the record allows is kept whole, and the preview says so.
    assert "Summary" not in first["answers"]
    assert any(
        "tool_desc_brief" in note and "longer than the 500 characters Summary allows" in note
        for note in first["notes"]
    )
    other = first["answers"]["Other information"]
    assert "year: 2022" in other and "tool_desc_brief: ALARM is a combined approach" in other
    assert "updated" not in other.replace("updated_desc", "")
    assert first["groups"] == ["Data source 1: data"]
    assert shown[2]["answers"]["Summary"].startswith("The tool analyzes an uploaded image")
    assert count(app, Entry) == 0

    report_url = client_request.post(
        preview_url,
        {"name": MAPPING_NAME, "keep_for": str(organisation_id(app, "oti"))},
        302,
    ).headers["Location"]
    with app.app_context():
        saved = db.session.scalar(select(SavedMapping))
        assert (saved.name, saved.organisation.slug) == (MAPPING_NAME, "oti")
        definition = json.loads(saved.definition)
    assert definition["columns"]["tool_name"] == "title"
    assert definition["columns"]["identifying_info"] == "uses_personal_data"
    assert definition["columns"]["updated"] is None
    assert definition["columns"]["data_input"] == "data_sources.description"
    assert definition["dates"] == "day first"

    report = client_request.get(report_url)
    assert report.h1.get_text(strip=True) == "Import report for nyc.csv"
    assert "4 rows with problems" in report.select_one("#headline").get_text()
    problems = [
        [cell.get_text(strip=True) for cell in row.select("td")]
        for row in report.select("#problems + p + table tbody tr")
    ]
    assert [problem[0] for problem in problems] == ["row 10", "row 11", "row 13", "row 14"]
    assert all("with different answers" in problem[3] for problem in problems)

    client_request.post(report_url, {"import_valid": "y"}, 302)
    assert (
        "11 entries created"
        in client_request.get("/manage").select_one(".govuk-notification-banner").get_text()
    )
    assert count(app, Entry, Entry.source_format == "mapped") == 11

    # What a person then sees of an entry: the answers the columns gave, and the rest of the
    # row under Other information, each value labelled with its column.
    reference, _values = drafts(app)["dohmh", "ICE - Immunization Calculation Engine"]
    page = client_request.get(f"/manage/entries/{reference}/check")
    text = page.get_text(" ", strip=True)
    assert "Department of Health and Mental Hygiene" in text
    assert "HLN Consulting" in text  # the supplier
    assert "Does the tool use personal data? Yes" in text
    assert "date_use: 1997/00" in text  # a month 00 is no date: kept as written
    assert "analysis_type: Predictive modeling" in text
    assert "year: 2023" in text
    assert "Data source 1: data_input" in text


def test_a_saved_mapping_maps_next_year_s_copy_and_its_new_column_is_shown_unmapped(
    client_request, sign_in, city, app
):
    sign_in(city["admin"])
    first_year = columns_page_of(client_request, year_file("2022"))
    preview_url = preview_of(client_request, first_year, {"year": LEAVE_OUT})
    report_url = client_request.post(
        preview_url, {"name": MAPPING_NAME, "keep_for": str(organisation_id(app, "oti"))}, 302
    ).headers["Location"]
    client_request.post(report_url, {"import_all": "y"}, 302)
    before = drafts(app)
    assert len(before) == 5
    with app.app_context():
        saved_id = str(db.session.scalar(select(SavedMapping.id)))

    upload_page = client_request.get(UPLOAD)
    offered = {o.get_text(): o["value"] for o in upload_page.select("#saved_mapping option")}
    assert offered[f"{MAPPING_NAME} ({AGENCIES['OTI']})"] == saved_id
    next_year = columns_page_of(
        client_request, year_file("2023", department="Operations"), saved=saved_id
    )
    page = client_request.get(next_year)
    assert f"mapped as in your saved mapping “{MAPPING_NAME}”" in (
        page.select_one("#saved-mapping").get_text(" ", strip=True)
    )
    table = columns_table(page)
    assert table["department"].new
    assert table["department"].chosen == "other"
    assert table["department"].hint == "Not in the saved mapping"
    assert not table["tool_name"].new and table["tool_name"].chosen == "title"
    assert table["year"].chosen == LEAVE_OUT

    preview_url = preview_of(client_request, next_year)
    preview = client_request.get(preview_url)
    headline = preview.select_one("#headline").get_text(" ", strip=True)
    assert headline.startswith(
        "10 rows read: 6 entries to create, 4 to update, 0 unchanged (as drafts)."
    )
    # The name it was saved under is kept, and saving again replaces it.
    assert preview.select_one("input[name=name]")["value"] == MAPPING_NAME
    report_url = client_request.post(
        preview_url, {"name": MAPPING_NAME, "keep_for": str(organisation_id(app, "oti"))}, 302
    ).headers["Location"]
    client_request.post(report_url, {"import_all": "y"}, 302)
    after = drafts(app)
    assert len(after) == 11
    fdny = "RBIS (Risk Based Inspection Program); ALARM (A Learning Approach to Risk Modeling)"
    assert after["fdny", fdny][0] == before["fdny", fdny][0]  # updated, not duplicated
    assert "department: Operations" in after["fdny", fdny][1]["other_information"]
    assert "\n\nyear: " not in after["fdny", fdny][1]["other_information"]
    with app.app_context():
        [saved] = db.session.scalars(select(SavedMapping))
        assert json.loads(saved.definition)["columns"]["department"] == "other"


def test_a_long_question_takes_several_columns_each_under_its_name(app, city):
    _header, rows = sample()
    splink = next(row for row in rows if row["tool_name"] == "Splink")
    header = ["tool_name", "agency", "data_training", "data_input", "year", "population_type"]
    mapping = ColumnMapping(
        {
            "tool_name": "title",
            "agency": "organisation",
            "data_training": "data_sources.description",
            "data_input": "data_sources.description",
            "year": None,
            "population_type": "other",
        }
    )
    with app.app_context():
        options = ImportOptions(format=column_mapping.mapped_format(mapping), filename="dss.csv")
        report = column_mapping.import_with_mapping(
            io.BytesIO(csv_of(header, [splink])), mapping, options
        )
        assert report.written and report.count("create") == 1
        entry = db.session.scalar(select(Entry))
        [source] = versions.rows_of(entry.draft)["data_sources"]
        values = versions.values_of(entry.draft)
    assert source["description"] == (
        f"data_training: {splink['data_training']}\n\ndata_input: {splink['data_input']}"
    )
    # The column left out is not kept; the one sent to Other information is, labelled.
    assert values["other_information"] == f"population_type: {splink['population_type']}"


# The command -------------------------------------------------------------------------------


def write_mapping(tmp_path, data) -> Path:
    path = tmp_path / "nyc-mapping.json"
    path.write_text(json.dumps(data))
    return path


def documented_mapping() -> str:
    """The mapping file docs/importing.md shows."""
    docs = (Path(__file__).parents[1] / "docs" / "importing.md").read_text(encoding="utf-8")
    section = docs.split("### Mapping files, for the command", 1)[1]
    return section.split("```json\n", 1)[1].split("```", 1)[0]


def test_the_command_imports_with_the_mapping_file_the_documentation_shows(
    runner, app, city, tmp_path
):
    data = tmp_path / "nyc-2023.csv"
    data.write_bytes(year_file("2023"))
    mapping = tmp_path / "nyc.json"
    mapping.write_text(documented_mapping(), encoding="utf-8")
    result = runner.invoke(args=["register", "import", "--mapping-file", str(mapping), str(data)])
    assert result.exit_code == 0, result.output
    assert "10 rows read: 10 entries to create" in result.output
    assert count(app, Entry, Entry.source_format == "mapped") == 10
    reference, values = drafts(app)["ocme", "STRMix"]
    assert values["supplier_name"] == "NicheVision Forensics, LLC"
    assert values["in_use_from"] == "2017-01"
    assert values["purpose"].startswith("STRMix is a probabilistic genotyping tool")
    # A column the mapping does not name is kept, labelled, as one it sends there.
    assert "analysis_type: Other: STRmix is a forensic" in values["other_information"]
    assert "\n\nyear: " not in values["other_information"]
    with app.app_context():
        entry = db.session.scalar(select(Entry).where(Entry.reference == reference))
        [source] = versions.rows_of(entry.draft)["data_sources"]
    assert source["description"].startswith("data_training: ")


def test_the_command_imports_with_a_saved_mapping_by_name_and_organisation(
    runner, app, city, tmp_path
):
    data = tmp_path / "nyc-2023.csv"
    data.write_bytes(year_file("2023"))
    with app.app_context():
        oti = db.session.scalar(select(Organisation).where(Organisation.slug == "oti"))
        column_mapping.save(
            MAPPING_NAME,
            oti,
            ColumnMapping({"tool_name": "title", "agency": "organisation", "year": None}),
            None,
        )
        db.session.commit()
    command = ["register", "import", "--mapping", MAPPING_NAME.upper(), str(data)]

    result = runner.invoke(args=command)
    assert result.exit_code != 0
    assert "A saved mapping belongs to an organisation" in result.output
    result = runner.invoke(
        args=[*command[:-1], "--mapping-organisation", "northshire-county-council", str(data)]
    )
    assert result.exit_code != 0
    assert f"Northshire County Council has no saved mapping called '{MAPPING_NAME.upper()}'" in (
        result.output
    )
    assert count(app, Entry) == 0

    result = runner.invoke(args=[*command[:-1], "--mapping-organisation", "OTI", str(data)])
    assert result.exit_code == 0, result.output
    assert count(app, Entry, Entry.source_format == "mapped") == 10


@pytest.mark.parametrize(
    ("mapping", "says"),
    [
        (
            {"columns": {"agency": "organisation"}},
            "The mapping cannot be used: Choose the column that names each tool: no column "
            "goes to Title.",
        ),
        (
            {"columns": {"tool_name": "title", "tool_desc_brief": "title"}, "organisation": "oti"},
            "tool_desc_brief: Only one column can go to Title: “tool_name” does already",
        ),
        (
            {"columns": {"tool_name": "name", "agency": "organisation"}},
            "tool_name: “name” is not a field of the record",
        ),
        ({"columns": {"tool_name": "title"}, "dates": "sideways"}, "“dates” is “day first”"),
        ({"columns": ["tool_name"]}, "“columns” is an object naming, for each column"),
        ({"columns": {"tool_name": "title"}, "organisation": "mars"}, "'mars', which is not"),
        ("not json {", "The mapping is not JSON that can be read"),
    ],
)
def test_the_command_refuses_a_mapping_it_cannot_use_and_imports_nothing(
    runner, app, city, tmp_path, mapping, says
):
    data = tmp_path / "nyc.csv"
    data.write_bytes(year_file("2023"))
    path = tmp_path / "mapping.json"
    path.write_text(mapping if isinstance(mapping, str) else json.dumps(mapping))
    result = runner.invoke(args=["register", "import", "--mapping-file", str(path), str(data)])
    assert result.exit_code != 0
    assert says in result.output
    assert count(app, Entry) == 0


def test_the_command_takes_a_format_or_a_mapping_not_both(runner, app, city, tmp_path):
    data = tmp_path / "nyc.csv"
    data.write_bytes(year_file("2023"))
    mapping = write_mapping(tmp_path, {"columns": {"tool_name": "title"}, "organisation": "oti"})
    both = ["--format", "native", "--mapping-file", str(mapping)]
    result = runner.invoke(args=["register", "import", *both, str(data)])
    assert result.exit_code != 0
    assert "not --format and --mapping-file" in result.output
    result = runner.invoke(args=["register", "import", str(data)])
    assert result.exit_code != 0
    assert "Give the file's format with --format" in result.output
    assert count(app, Entry) == 0


# Bad input changes nothing -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "filename", "says"),
    [
        (
            b"\x89PNG\r\n\x1a\n" + bytes(100),
            "photo.csv",
            "The file is a PNG image, not a CSV file.",
        ),
        (b'[{"tool_name": "Chatbot"}]', "tools.json", "“tools.json” is not a CSV file or an Excel"),
        (b"PK\x03\x04" + bytes(100), "tools.xlsx", "not an Excel workbook (.xlsx)"),
        (b"\n\nFDNY,Chatbot\n", "tools.csv", "The file has no header row naming its columns."),
        (b"agency,tool_name\n", "tools.csv", "The file has no entries in it, only a header."),
        (b"", "tools.csv", "The file is empty."),
    ],
)
def test_a_file_that_cannot_be_mapped_is_refused_next_to_the_field(
    client_request, sign_in, city, app, content, filename, says
):
    sign_in(city["publisher"])
    before = everything(app)
    response = upload(client_request, content, filename=filename)
    assert response.status_code == 200
    page = check_page(response)
    assert says in page.select_one("#file-error").get_text()
    assert says in " ".join(messages(page))
    assert everything(app) == before


def test_a_mapping_without_a_title_or_an_organisation_is_refused_next_to_its_field(
    client_request, sign_in, city, app
):
    sign_in(city["admin"])
    columns_url = columns_page_of(client_request, SAMPLE.read_bytes())
    before = everything(app)

    response = mapped(
        client_request, columns_url, {"tool_name": "other", "agency": "other"}, organisation=""
    )
    assert response.status_code == 200
    page = check_page(response)
    assert messages(page) == [
        "Choose the column that names each tool: no column goes to Title",
        "Choose the organisation the entries are for, or the column that names it",
    ]
    assert "no column goes to Title" in page.select_one("#column-table-error").get_text()
    assert "or the column that names it" in page.select_one("#organisation-error").get_text()
    assert page.title.get_text().startswith("Error: Map the columns")
    # What the person chose is shown as they chose it, to mend.
    assert columns_table(page)["tool_name"].chosen == "other"
    assert everything(app) == before

    response = mapped(client_request, columns_url, {"tool_desc_brief": "title"})
    page = check_page(response)
    assert columns_table(page)["tool_desc_brief"].error == (
        "Error: Only one column can go to Title: “tool_name” does already"
    )
    assert everything(app) == before


def test_a_mapping_name_already_used_is_refused_next_to_the_name(
    client_request, sign_in, city, app
):
    with app.app_context():
        oti = db.session.scalar(select(Organisation).where(Organisation.slug == "oti"))
        column_mapping.save(MAPPING_NAME, oti, ColumnMapping({"a": "title"}), None)
        db.session.commit()
    sign_in(city["publisher"])
    preview_url = preview_of(client_request, columns_page_of(client_request, year_file("2022")))
    before = everything(app)
    response = client_request.post(preview_url, {"name": f"  {MAPPING_NAME.lower()} "})
    page = check_page(response)
    assert "already has a mapping called" in page.select_one("#name-error").get_text()
    assert messages(page) == [
        f"{AGENCIES['OTI']} already has a mapping called “{MAPPING_NAME}”: give this one "
        "another name, or start from that one when you upload the file"
    ]
    assert everything(app) == before


# Who may use what --------------------------------------------------------------------------


def test_only_people_who_may_import_map_files(client_request, sign_in, city):
    sign_in(city["editor"])
    client_request.get(UPLOAD, 403)


def test_another_organisation_s_mapping_is_neither_offered_nor_usable(
    client_request, sign_in, city, app, client
):
    with app.app_context():
        oti = db.session.scalar(select(Organisation).where(Organisation.slug == "oti"))
        saved = column_mapping.save(
            MAPPING_NAME, oti, ColumnMapping({"tool_name": "title"}, organisation="oti"), None
        )
        db.session.commit()
        saved_id = str(saved.id)

    sign_in(city["outsider"])
    page = client_request.get(UPLOAD)
    assert page.select_one("#saved_mapping") is None  # they have none of their own
    before = everything(app)
    response = upload(client_request, year_file("2022"), saved=saved_id)
    assert response.status_code == 200
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert everything(app) == before

    # Their own upload is mapped for their own organisation only.
    columns_url = columns_page_of(client_request, year_file("2022"))
    page = client_request.get(columns_url)
    offered = [option.get_text() for option in page.select("#organisation option")]
    assert offered == ["Northshire County Council"]
    response = mapped(client_request, columns_url, organisation=str(organisation_id(app, "oti")))
    assert "Not a valid choice" in response.get_data(as_text=True)
    preview_url = preview_of(client_request, columns_url)
    response = client_request.post(
        preview_url, {"name": "Theirs", "keep_for": str(organisation_id(app, "oti"))}
    )
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert count(app, SavedMapping) == 1

    # The publisher of OTI is offered it, starts from it, and nobody else reaches their upload.
    client_request.post("/sign-out", {}, 302, form_url="/manage")
    sign_in(city["publisher"])
    page = client_request.get(UPLOAD)
    assert [o["value"] for o in page.select("#saved_mapping option")] == ["", saved_id]
    theirs = columns_page_of(client_request, year_file("2022"), saved=saved_id)
    assert columns_table(client_request.get(theirs))["tool_name"].chosen == "title"
    client_request.post("/sign-out", {}, 302, form_url="/manage")
    sign_in(city["outsider"])
    client_request.get(theirs, 404)
    client_request.get(f"{theirs}/preview", 404)
