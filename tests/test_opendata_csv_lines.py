"""Search downloads as CSV are written by the database (`csv_lines`): byte for byte what the
`csv` module writes from the same records, whatever the text holds."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import DataError

from register.extensions import db
from register.models import EntryVersion
from register.models.entry import GROUP_MODELS
from register.opendata import csv_lines
from register.opendata.columns import entry_columns
from register.opendata.records import stream_records
from register.opendata.writers import csv_chunks
from register.search import SearchQuery, matching

from .factories import publishable_values
from .manage_world import WORLD
from .opendata_world import AWKWARD_ROWS, fetch, publish_awkward

world = WORLD

# Text that each rule of the writer is about: formulas behind quotes, quotes, commas, line
# breaks of both kinds, and whitespace the summaries of repeating rows tidy away.
AWKWARD_VALUES = {
    "title": "'=quoted formula",
    "summary": "''-two quotes, then a formula\r\nand a CRLF",
    "team": "\tTabbed team",
    "purpose": 'A "quoted" purpose',
    "benefits": "'plain quote",
    "outputs": "@mention\nsecond line",
    "people_affected": "''",
    "scale": "=",
    "legal_basis": "Comma, only",
    "model_description": "-",
    "supplier_name": "Ünïcode – “curly” … 🤖",
}


def _both(versions=None) -> tuple[bytes, bytes]:
    """The whole register as the database writes it, and as Python does."""
    if versions is None:
        versions = matching(SearchQuery()).with_only_columns(EntryVersion.id)
    with db.engine.connect() as connection:
        written = b"".join(csv_lines.csv_line_chunks(connection, entry_columns(), versions))
        expected = b"".join(csv_chunks(entry_columns(), stream_records(connection, versions)))
    return written, expected


def _current_version(world, reference: str) -> EntryVersion:
    return world.load(reference).current_version


def _rename_rows(world, reference: str, group: str, names: list[str]) -> None:
    """Give the current version's rows of `group` these names, in reverse order of id."""
    model = GROUP_MODELS[group]
    name_field = "title" if group == "impact_assessments" else "name"
    version_id = _current_version(world, reference).id
    rows = list(db.session.scalars(select(model).where(model.version_id == version_id)))
    for position, (row, name) in enumerate(zip(reversed(rows), names, strict=False)):
        setattr(row, name_field, name)
        row.position = position
    db.session.commit()


def test_the_database_writes_what_the_csv_module_writes(world):
    publish_awkward(world)
    plain = world.entry("published")
    odd = world.entry(
        "published",
        values=publishable_values(techniques=["nlp", "rule_based", "generative_ai"]),
        rows={
            "risks": [
                {"name": "Later", "category": "privacy_data_protection"},
                {"name": "First", "category": "bias_discrimination"},
                {"name": "Again", "category": "privacy_data_protection"},
            ],
            "data_sources": AWKWARD_ROWS["data_sources"],
        },
    )
    with world.app.app_context():
        version = _current_version(world, odd)
        db.session.execute(
            update(EntryVersion).where(EntryVersion.id == version.id).values(**AWKWARD_VALUES)
        )
        db.session.commit()
        # Rows whose positions run against their ids: the first risk is the last made.
        _rename_rows(world, odd, "risks", ["Bias, mostly", "Privacy", "Privacy again"])
        written, expected = _both()
    assert written == expected
    assert plain.encode() in written


@pytest.mark.parametrize(
    "names",
    [
        ["Double  space"],
        [" Leading space"],
        ["Trailing space "],
        ["Tab\tinside"],
        ["Line\nbreak"],
        ["No\u00a0break space"],
        ["   "],
        ["Fine", ""],
        ["Fine", "Also fine"],
    ],
)
def test_names_that_would_be_tidied_are_written_the_same(world, monkeypatch, names):
    reference = world.entry(
        "published",
        rows={"data_sources": [{"name": f"Source {i}"} for i in range(len(names))]},
    )
    slow = []
    written_by_python = csv_lines._written_by_python
    monkeypatch.setattr(
        csv_lines,
        "_written_by_python",
        lambda *args: slow.append(args[-1]) or written_by_python(*args),
    )
    with world.app.app_context():
        _rename_rows(world, reference, "data_sources", names)
        written, expected = _both()
    assert written == expected
    tidy = all(name == " ".join(name.split()) for name in names)
    assert bool(slow) is not tidy, "only rows the database cannot write are left to Python"


def test_a_nul_character_never_reaches_a_download(world):
    # The register refuses NUL at every input. PostgreSQL cannot store one at all; should
    # one be written into SQLite by hand, the database's CSV ends the cell there (Python's
    # drops the character alone), and the CSV stays well formed.
    reference = world.entry("published")
    with world.app.app_context():
        version = _current_version(world, reference)
        change = (
            update(EntryVersion)
            .where(EntryVersion.id == version.id)
            .values(summary="Before\x00=after, with a comma")
        )
        if db.engine.dialect.name != "sqlite":
            with pytest.raises(DataError):
                db.session.execute(change)
            db.session.rollback()
            return
        db.session.execute(change)
        db.session.commit()
        written, _ = _both()
    assert b"\x00" not in written
    [row] = list(csv.DictReader(io.StringIO(written.decode(), newline="")))
    assert row["summary"] == "Before"


def test_a_search_download_has_the_searchs_rows_in_its_order(world):
    publish_awkward(world)
    world.entry("published", values=publishable_values(title="Bins collected on time"))
    client = world.client(None).client
    for address in ("/entries.csv", "/entries.csv?q=pothole", "/entries.csv?sort=title"):
        data = fetch(client, address).data
        with world.app.app_context():
            from register.search import parse_query

            query, _ = parse_query(
                dict(pair.split("=") for pair in address.partition("?")[2].split("&") if pair)
            )
            _, expected = _both(matching(query).with_only_columns(EntryVersion.id))
        assert data == expected, address
