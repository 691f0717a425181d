"""Publishing other registers' files as their source recorded them: `flask register import
... --publish` makes every row with a title and an organisation public, even where the file
does not answer what the register asks; each unanswered question reads "Not recorded in" the
source; what the source says is derived faithfully (a summary, the effect on rights or
safety), and nothing more. The samples are real published files (tests/data/real/README.md).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import event, select

from register import publishing, versions
from register.extensions import db
from register.importing.formats.us_derived import derived_summary, is_not_high_impact
from register.models import Entry
from register.models.entry import PUBLISHED

from .factories import publishable_values

REAL = Path(__file__).parent / "data" / "real"
US_2025 = REAL / "us" / "us-2025-inventory-sample.csv"
US_2024 = REAL / "us" / "us-2024-inventory-sample.csv"
GOVUK_LIST = REAL / "atrs" / "govuk_search_results.json"
GOVUK_RECORDS = REAL / "atrs" / "govuk_content_records.json"
RESEARCHERS_LIST = REAL / "atrs" / "atrs_audit_sample.csv"

# (format, sample, rows published, a word of one entry's own text, that entry's title)
SAMPLES = [
    # 37 rows: one has no title, two repeat another row's identity with other answers, and
    # one is an exact repeat, left out.
    ("us-2025", US_2025, 33, "narcotics", "Passenger Security Assessment Model"),
    # 34 rows: one repeats another's identity with other answers, one is an exact repeat.
    ("us-2024", US_2024, 32, "RAVEn", "Machine Translation (Previously Language Translator)"),
    ("atrs-finder", GOVUK_LIST, 11, "PolyAI", "NS&I: PolyAI"),
    ("atrs-finder", RESEARCHERS_LIST, None, None, None),
    ("atrs-record", GOVUK_RECORDS, None, None, None),
]


def publish_file(runner, format_name: str, path: Path, *options: str):
    """The command as an operator types it: rows that cannot be imported (no title, one entry
    given twice with other answers) are left out and listed without being asked."""
    return runner.invoke(
        args=[
            "register",
            "import",
            "--format",
            format_name,
            "--create-organisations",
            "--publish",
            *options,
            str(path),
        ]
    )


def written(output: str) -> int:
    """How many entries the command says it created."""
    line = next(
        line for line in output.splitlines() if "entries created" in line or "entry created" in line
    )
    return int(line.split(": ", 1)[1].split(" ")[0].replace(",", ""))


def result_titles(client, query: str) -> list[str]:
    page = client.get(f"/entries?q={query}")
    assert page.status_code == 200
    soup = BeautifulSoup(page.get_data(as_text=True), "html.parser")
    return [link.get_text(" ", strip=True) for link in soup.select(".register-result h3 a")]


@pytest.mark.parametrize(
    "format_name, path, published, word, title",
    SAMPLES,
    ids=[f"{sample[0]}-{sample[1].name}" for sample in SAMPLES],
)
def test_every_row_with_a_title_and_an_organisation_is_public_and_found_by_its_words(
    runner, app, client, format_name, path, published, word, title
):
    result = publish_file(runner, format_name, path)

    assert result.exit_code == 0, result.output
    assert "(as published)" in result.output
    created = written(result.output)
    if published is not None:
        assert created == published
    with app.app_context():
        states = db.session.scalars(select(Entry.state)).all()
    assert states and set(states) == {PUBLISHED}
    assert len(states) == created
    listing = client.get("/api/v1/entries?page_size=100").json
    assert len(listing["entries"]) == created
    download = client.get("/entries.csv").get_data(as_text=True)
    assert len(list(csv.DictReader(io.StringIO(download)))) == created
    if word:
        assert title in result_titles(client, word)


def test_an_imported_entry_records_its_source_file_row_and_identifier(runner, app):
    assert publish_file(runner, "us-2025", US_2025).exit_code == 0

    with app.app_context():
        entry = db.session.scalar(select(Entry).where(Entry.source_id == "DHS-2389"))
        assert entry.source == "US federal AI use case inventory 2025"
        [provenance] = entry.provenance
        assert provenance.action == "created"
        assert provenance.row_number == 2  # the first row after the header
        assert provenance.source_identifier == "DHS-2389"
        assert provenance.source_link is None  # the inventory has no page per use case
        batch = provenance.batch
        assert batch.format == "us-2025"
        assert batch.source == "US federal AI use case inventory 2025"
        assert batch.source_url.startswith("https://")
        assert batch.filename == US_2025.name
        assert batch.file_sha256 == hashlib.sha256(US_2025.read_bytes()).hexdigest()
        assert batch.imported_by_id is None  # the operator's command names no person
        assert batch.row_count == 33
        assert batch.imported_at is not None


def test_a_later_import_that_updates_an_entry_adds_to_its_provenance(runner, app, tmp_path):
    assert publish_file(runner, "us-2025", US_2025).exit_code == 0
    text = US_2025.read_text(encoding="utf-8-sig")
    changed = tmp_path / "inventory-2026.csv"
    changed.write_text(
        text.replace("Passenger Security Assessment Model", "Passenger Risk Assessment Model"),
        encoding="utf-8",
    )

    result = publish_file(runner, "us-2025", changed)

    assert "1 updated" in result.output, result.output
    with app.app_context():
        entry = db.session.scalar(select(Entry).where(Entry.source_id == "DHS-2389"))
        assert [(p.action, p.batch.filename) for p in entry.provenance] == [
            ("created", US_2025.name),
            ("updated", "inventory-2026.csv"),
        ]
        assert entry.current_version.title == "Passenger Risk Assessment Model"
        assert [v.number for v in entry.published_versions] == [1, 2]


def test_a_record_on_govuk_links_to_its_own_page(runner, app):
    assert publish_file(runner, "atrs-finder", GOVUK_LIST).exit_code == 0

    with app.app_context():
        entry = db.session.scalar(
            select(Entry).where(
                Entry.source_id
                == "https://www.gov.uk/algorithmic-transparency-records/ns-and-i-polyai"
            )
        )
        assert entry.source == "GOV.UK algorithmic transparency records"
        assert entry.provenance[-1].source_link == entry.source_id


# What is derived from the US inventories, and what is not ---------------------------------


def _draft_values(app, source_id: str) -> dict:
    with app.app_context():
        entry = db.session.scalar(select(Entry).where(Entry.source_id == source_id))
        return versions.values_of(entry.current_version or entry.draft)


def test_the_summary_is_the_first_sentences_of_the_problem_and_of_the_outputs(runner, app):
    assert publish_file(runner, "us-2025", US_2025).exit_code == 0
    row = next(csv.DictReader(io.StringIO(US_2025.read_text(encoding="utf-8-sig"))))

    values = _draft_values(app, "DHS-2389")

    problem_first = row["problem_solved"].split(". ")[0] + "."
    outputs_first = row["system_outputs"].split(". ")[0] + "."
    assert values["summary"] == f"{problem_first} {outputs_first}"
    assert len(values["summary"]) <= 500
    # The answers themselves stay whole.
    assert values["purpose"] == row["problem_solved"]


def test_not_high_impact_is_neither_and_high_impact_is_not_recorded(runner, app):
    assert publish_file(runner, "us-2025", US_2025).exit_code == 0

    high = _draft_values(app, "DHS-2389")  # "High-impact": rights, safety or both, unsaid
    not_high = _draft_values(app, "DHS-9")  # "Not High-impact"

    assert high.get("rights_safety_effect") is None
    assert not_high["rights_safety_effect"] == "neither"
    # Kept as the agency wrote it, too.
    assert "is_high_impact: Not High-impact" in not_high["other_information"]
    # Nothing the inventory does not say is filled in.
    for values in (high, not_high):
        assert values.get("decision_role") is None
        assert values.get("oversight_model") is None
        assert values.get("risk_level") is None


# The publishing rule for imported entries ------------------------------------------------


def test_an_answer_an_imported_entry_published_cannot_be_emptied_in_a_revision(
    runner, app, make_user
):
    assert publish_file(runner, "us-2025", US_2025).exit_code == 0
    with app.app_context():
        entry = db.session.scalar(select(Entry).where(Entry.source_id == "DHS-2389"))
        organisation = entry.organisation
    publisher = make_user("publisher@dhs.example", organisation=organisation.slug, role="publisher")
    editor = make_user("editor@dhs.example", organisation=organisation.slug, role="editor")
    with app.app_context():
        entry = db.session.scalar(select(Entry).where(Entry.source_id == "DHS-2389"))
        draft = publishing.start_revision(entry, db.session.merge(editor))
        publishing.save_draft(
            entry, db.session.merge(editor), {"benefits": ""}, based_on=draft.lock_version
        )

        problems = publishing.problems_with(entry.draft)
        assert [p.field for p in problems] == ["benefits"]
        with pytest.raises(publishing.NotReady):
            publishing.submit(entry, db.session.merge(editor))
        # Answering it again lets the revision through, other questions still not recorded.
        publishing.save_draft(
            entry,
            db.session.merge(editor),
            {"benefits": "Faster inspection.", "decision_role": "informs"},
            based_on=entry.draft.lock_version,
        )
        publishing.submit(entry, db.session.merge(editor))
        publishing.publish(entry, db.session.merge(publisher), "Benefits said more plainly.")
        assert entry.state == PUBLISHED


def test_this_registers_own_file_keeps_the_registers_rule(runner, app, make_organisation, tmp_path):
    organisation = make_organisation()
    complete = {**publishable_values(), "organisation": {"slug": organisation.slug}}
    incomplete = {**complete, "title": "Second tool", "reference": "EXT-2"}
    del incomplete["risk_level"]
    path = tmp_path / "register.json"
    path.write_text(json.dumps([{**complete, "reference": "EXT-1"}, incomplete]))

    result = runner.invoke(
        args=[
            "register",
            "import",
            "--format",
            "native",
            "--publish",
            "--valid-rows-only",
            str(path),
        ]
    )

    assert "Needed to publish: Select the risk level the organisation assessed" in result.output
    with app.app_context():
        [entry] = db.session.scalars(select(Entry)).all()
        assert entry.state == PUBLISHED
        # Its provenance is kept all the same.
        assert entry.source == "Another copy of this register"
        assert entry.provenance[0].source_identifier == "EXT-1"


@pytest.mark.parametrize(
    "problem, outputs, summary",
    [
        (
            "It finds cracks. It is fast.",
            "A map of cracks. Daily.",
            "It finds cracks. A map of cracks.",
        ),
        ("", "A map of cracks. Daily.", "A map of cracks."),
        # The outputs' sentence does not fit after the problem's: the problem's alone.
        ("It finds cracks. More " + "x" * 10, "A map " + "y" * 490 + ".", "It finds cracks."),
        ("", "", ""),
    ],
)
def test_a_summary_is_made_of_whole_first_sentences_that_fit(problem, outputs, summary):
    assert derived_summary(problem, outputs) == summary


def test_a_first_sentence_too_long_for_a_summary_is_cut_at_a_word():
    sentence = "word " * 200

    summary = derived_summary(sentence, "")

    assert len(summary) <= 500
    assert summary.endswith("word…")


@pytest.mark.parametrize(
    "answer, neither",
    [
        ("Not High-impact", True),
        ("Presumed High-Impact, but Not High-impact", True),
        ("c) Not high-impact", True),
        ("b) Presumed high-impact, but determined not high impact", True),
        ("High-impact", False),
        ("a) High-impact", False),
        ("", False),
        ("Unknown", False),
    ],
)
def test_only_a_finding_of_not_high_impact_reads_as_neither(answer, neither):
    assert is_not_high_impact(answer) is neither


def test_a_govuk_records_unanswered_questions_link_to_the_record_itself(runner, app, client):
    assert publish_file(runner, "atrs-finder", GOVUK_LIST).exit_code == 0
    address = "https://www.gov.uk/algorithmic-transparency-records/ns-and-i-polyai"
    with app.app_context():
        reference = db.session.scalar(select(Entry.reference).where(Entry.source_id == address))

    page = BeautifulSoup(client.get(f"/entries/{reference}").get_data(as_text=True), "html.parser")

    rows = {
        row.select_one("dt").get_text(" ", strip=True): row.select_one("dd")
        for row in page.select(".govuk-summary-list__row")
    }
    not_recorded = rows["Oversight model"]
    assert not_recorded.get_text(" ", strip=True) == (
        "Not recorded in GOV.UK algorithmic transparency records"
    )
    assert not_recorded.select_one("a")["href"] == address
    assert rows["Source"].select_one("a")["href"] == address
    assert (
        rows["Source"]
        .get_text(" ", strip=True)
        .startswith("Imported from GOV.UK algorithmic transparency records on ")
    )


def test_publishing_an_imported_file_reads_none_of_its_new_entries_back(runner, app):
    # A new entry's answers are all in memory: reading any of them back from the database
    # (one query per entry, each flushing the session first) made large files slow.
    children = {"version_choice", "data_source", "risk", "impact_assessment", "withheld_answer"}
    read_back: list[str] = []

    def note(connection, cursor, statement, parameters, context, executemany) -> None:
        words = statement.split()
        one_version = len(parameters) == 1  # not the open data's reading of many at once
        if words[0] == "SELECT" and words[words.index("FROM") + 1] in children and one_version:
            read_back.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        result = publish_file(runner, "us-2025", US_2025)
    finally:
        event.remove(engine, "before_cursor_execute", note)

    assert result.exit_code == 0, result.output
    assert written(result.output) == 33
    assert read_back == []
