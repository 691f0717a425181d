"""Importing samples of the real US federal AI use case inventories, as published (see
tests/data/real/README.md): what a person importing them sees, agency by agency.

The samples were chosen for the mess real files hold: contact pages and names where an email
address belongs, several addresses in a cell, titles too long for the register, one title
reported by many bureaus, rows repeated, dates in a spreadsheet's shapes. Nothing but a row
without a title and the rows that repeat another's identity with different answers may be
refused.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections import Counter
from pathlib import Path

from sqlalchemy import select

from register import versions
from register.extensions import db
from register.models import Entry, Organisation

REAL = Path(__file__).parent / "data" / "real" / "us"
SAMPLE_2025 = REAL / "us-2025-inventory-sample.csv"
SAMPLE_2024 = REAL / "us-2024-inventory-sample.csv"


def imported_sample_2025(runner, *options: str) -> str:
    """Import the real 2025 sample as an operator would, with the organisations it names
    (`options` such as --publish); what the command printed."""
    result = runner.invoke(
        args=[
            "register",
            "import",
            "--format",
            "us-2025",
            "--create-organisations",
            *options,
            str(SAMPLE_2025),
        ]
    )
    assert result.exit_code == 0, result.output
    return result.output


def run_import(runner, format_name: str, path: Path, *options: str):
    return runner.invoke(
        args=[
            "register",
            "import",
            "--format",
            format_name,
            "--create-organisations",
            "--valid-rows-only",
            "--all-warnings",
            *options,
            str(path),
        ]
    )


def imported() -> list[tuple[str, dict]]:
    """Every entry, as (organisation's abbreviation, answers of its working copy)."""
    rows = db.session.execute(
        select(Organisation.abbreviation, Entry)
        .join(Organisation, Organisation.id == Entry.organisation_id)
        .order_by(Entry.id)
    )
    return [(abbreviation, versions.values_of(entry.draft)) for abbreviation, entry in rows]


def sample_rows(path: Path, encoding: str) -> list[dict[str, str]]:
    text = codecs.decode(path.read_bytes(), encoding)
    return list(csv.DictReader(io.StringIO(text)))


def problems(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("Problem:")]


def test_the_2025_sample_imports_every_row_but_the_untitled_one_and_the_conflicting_repeats(
    runner, app
):
    result = run_import(runner, "us-2025", SAMPLE_2025)

    assert result.exit_code == 0, result.output
    assert (
        "37 rows read: 33 entries created, 0 updated, 0 unchanged, 3 rows with problems, "
        "1 repeated row left out (as drafts)." in result.output
    )
    assert problems(result.output) == [
        "Problem: Row 14, column “title”: The row has no title (name) for the tool",
        "Problem: Row 18, value “DOJ-0160”: The same entry as row 17, with different answers",
        "Problem: Row 22, value “Generative AI - Text Generation, Office of Career, Technical, "
        "and Adult Educa...”: The same entry as row 21, with different answers",
    ]
    assert "Note: Row 16, A repeat of row 15; left out" in result.output
    with app.app_context():
        entries = imported()
    assert Counter(abbreviation for abbreviation, _ in entries) == {
        "DOC": 5,
        "DHS": 4,
        "DOE": 3,
        "TREAS": 3,
        "DOJ": 2,
        "ED": 2,
        "EPA": 2,
        "STB": 2,
        "DOT": 1,
        "FDIC": 1,
        "FRB": 1,
        "HHS": 1,
        "NASA": 1,
        "NCUA": 1,
        "NSF": 1,
        "SSA": 1,
        "USDA": 1,
        "VA": 1,
    }


def test_contact_pages_and_names_in_the_contact_column_are_kept_and_their_rows_imported(
    runner, app
):
    result = run_import(runner, "us-2025", SAMPLE_2025)

    treasury_page = "https://home.treasury.gov/utility/contact"
    assert (
        f"Note: Row 34, column “contact_email”, value “{treasury_page}”: is a web address "
        "(a contact page), not an email address, so it is kept in Other information rather "
        "than Public contact email" in result.output
    )
    assert (
        "Note: Row 8, column “contact_email”, value “Jane Example”: is not an email address, "
        "so it is kept in Other information rather than Public contact email" in result.output
    )
    with app.app_context():
        entries = imported()
    treasury = [values for abbreviation, values in entries if abbreviation == "TREAS"]
    assert len(treasury) == 3
    for values in treasury:
        assert values["contact_email"] is None
        assert f"contact_email: {treasury_page}" in values["other_information"]
    [board] = [values for abbreviation, values in entries if abbreviation == "FRB"]
    assert board["title"] == "Consumer Complaints Explorer"
    assert board["other_information"].startswith(
        "contact_email: https://www.federalreserve.gov/apps/ContactUs/feedback.aspx"
    )
    commerce = {
        values["title"]: values for abbreviation, values in entries if abbreviation == "DOC"
    }
    several = commerce["Passive Acoustic Monitoring"]
    assert several["contact_email"] == "jane.example@noaa.gov"
    assert "contact_email: john.sample@noaa.gov" in several["other_information"]


def test_long_titles_are_cut_to_fit_with_the_whole_title_kept(runner, app):
    run_import(runner, "us-2025", SAMPLE_2025)

    whole = next(
        row["use_case_name"]
        for row in sample_rows(SAMPLE_2025, "utf-8-sig")
        if row["agency"] == "VA"
    )
    assert len(whole) == 230
    with app.app_context():
        [values] = [values for abbreviation, values in imported() if abbreviation == "VA"]
    assert len(values["title"]) <= 120
    assert values["title"].endswith("…")
    assert whole.startswith(values["title"].removesuffix("…"))
    assert f"use_case_name: {whole}" in values["other_information"]


def test_one_title_reported_by_several_bureaus_is_an_entry_for_each(runner, app):
    run_import(runner, "us-2025", SAMPLE_2025)

    with app.app_context():
        education = [values for abbreviation, values in imported() if abbreviation == "ED"]
    assert sorted((values["title"], values["team"]) for values in education) == [
        ("Generative AI - Text Generation", "Federal Student Aid"),
        ("Generative AI - Text Generation", "Office of Career, Technical, and Adult Education"),
    ]


def test_every_topic_area_but_other_gives_a_policy_area_and_empty_lists_are_blank(runner, app):
    run_import(runner, "us-2025", SAMPLE_2025)

    without_a_function = {
        (row["agency"], row["use_case_name"])
        for row in sample_rows(SAMPLE_2025, "utf-8-sig")
        if row["topic_area"] in ("", "Other")
    }
    with app.app_context():
        entries = imported()
    assert {
        (abbreviation, values["title"])
        for abbreviation, values in entries
        if values["policy_area"] is None
    } == {(agency, title.replace("\n", " ")) for agency, title in without_a_function}
    assert all(": []" not in (values["other_information"] or "") for _, values in entries)


def test_importing_the_same_sample_again_finds_every_entry_unchanged(runner, app):
    run_import(runner, "us-2025", SAMPLE_2025)

    again = run_import(runner, "us-2025", SAMPLE_2025)

    assert again.exit_code == 0, again.output
    assert (
        "37 rows read: 0 entries to create, 0 to update, 33 unchanged, 3 rows with problems, "
        "1 repeated row left out (as drafts)." in again.output
    )
    assert "Not in the file" not in again.output


def test_the_2024_sample_in_windows_1252_imports_every_row_but_the_conflicting_repeat(runner, app):
    result = run_import(runner, "us-2024", SAMPLE_2024)

    assert result.exit_code == 0, result.output
    assert (
        "34 rows read: 32 entries created, 0 updated, 0 unchanged, 1 row with problems, "
        "1 repeated row left out (as drafts)." in result.output
    )
    assert problems(result.output) == [
        "Problem: Row 32, value “Generative AI Usage, OCTAE”: The same entry as row 31, with "
        "different answers"
    ]
    with app.app_context():
        entries = imported()
    by_title = Counter(values["title"] for _, values in entries)
    # One title in two bureaus, without an identifier: two entries.
    assert by_title["Prisoner Assessment Tool Targeting Estimated Risk and Needs (PATTERN)"] == 2
    assert by_title["Generative AI Usage"] == 2
    [commission] = [values for abbreviation, values in entries if abbreviation == "SEC"]
    assert (commission["started_on"], commission["in_use_from"]) == ("2024-11", "2024-11")
    stages = {values["title"]: values["status"] for abbreviation, values in entries}
    assert stages["AI-Assisted Legal Research"] == "planned"  # "Ideation"
    assert stages[next(t for t in stages if t.startswith("USDOT Compliance Plan"))] == "retired"
    aid = [values for abbreviation, values in entries if abbreviation == "USAID"]
    # Years typed into date cells, shown by the spreadsheet as days of 1905.
    assert sorted((values["started_on"], values["in_use_from"]) for values in aid) == [
        ("2022", "2023"),
        ("2022", "2024"),
    ]
    assert all(values["policy_area"] for values in aid)
