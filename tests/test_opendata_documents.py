"""Search downloads send each version's text as it was written when it was published
(`opendata.documents`): byte for byte what the record writers would write now, however the
register changed since, and never text written for another layout of the data package."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import delete, select, update

from register import reviews
from register.extensions import db
from register.models import Entry, EntryVersion
from register.opendata import documents
from register.opendata.columns import entry_columns
from register.opendata.records import stream_records
from register.opendata.writers import csv_chunks, json_array_chunks, json_lines_chunks
from register.search import SearchQuery, matching

from .factories import publishable_values
from .manage_world import WORLD
from .opendata_world import AWKWARD_ROWS, fetch, publish_awkward
from .public_entries import revise
from .test_opendata_renames import rename

world = WORLD

# Text each rule of the writers is about: formula guards, quotes, line breaks, Unicode.
ODD_VALUES = {
    "team": "=SUM(A1)",
    "purpose": 'A "quoted" purpose,\r\nover two lines',
    "outputs": "@mention\nsecond line",
    "supplier_name": "Ünïcode – “curly” … 🤖",
}
KINDS = ("csv", "json", "ndjson")


def _versions():
    return matching(SearchQuery()).with_only_columns(EntryVersion.id)


def _written_now(world) -> dict[str, bytes]:
    """Every current version as the record writers write it from the register as it is."""
    with world.app.app_context(), db.engine.connect() as connection:
        return {
            "csv": b"".join(csv_chunks(entry_columns(), stream_records(connection, _versions()))),
            "json": b"".join(json_array_chunks(stream_records(connection, _versions()))),
            "ndjson": b"".join(json_lines_chunks(stream_records(connection, _versions()))),
        }


def _kept(world) -> dict[int, tuple[str, str, str]]:
    """The documents kept now: (layout, CSV line, JSON) by version id."""
    with world.app.app_context(), db.engine.connect() as connection:
        rows = connection.execute(select(documents.DOCUMENT))
        return {row.version_id: (row.layout, row.csv_line, row.json) for row in rows}


def _written_for_current(world) -> dict[int, tuple[str, str, str]]:
    """The documents of every current version, written afresh."""
    with world.app.app_context(), db.engine.connect() as connection:
        ids = connection.scalars(_versions()).all()
        rows = documents.written(connection, ids)
        layout = documents.layout()
    return {row["version_id"]: (layout, row["csv_line"], row["json"]) for row in rows}


def _downloads(world) -> dict[str, bytes]:
    client = world.client(None).client
    return {kind: fetch(client, f"/entries.{kind}").data for kind in KINDS}


def _without_listening(world, statement) -> None:
    """Change the kept documents behind the register's back, as no writer of it would."""
    with world.app.app_context(), db.engine.begin() as connection:
        connection.execute(statement)


def _import_native(runner, tmp_path, record: dict, name: str) -> None:
    path = tmp_path / name
    path.write_text(json.dumps(record), encoding="utf-8")
    result = runner.invoke(
        args=["register", "import", "--format", "native", "--publish", str(path)]
    )
    assert result.exit_code == 0, result.output


def _varied_register(world, runner, tmp_path) -> None:
    """Awkward text and repeating rows, a revision, an entry imported and imported again,
    an organisation renamed as another type, a review, a withdrawal, and a change written
    straight to a published version."""
    awkward = publish_awkward(world)
    revise(world, awkward, {"team": "Roads"}, rows=AWKWARD_ROWS, note="New team.")
    odd = world.entry("published", values=publishable_values(**ODD_VALUES))
    world.entry("withdrawn")
    world.entry("published", organisation="Southvale Police", author="outside_editor")
    exported = world.client(None).client.get(f"/entries/{awkward}.json").json
    _import_native(runner, tmp_path, exported, "first.json")
    _import_native(runner, tmp_path, {**exported, "team": "Imported again"}, "again.json")
    rename(world, type_code="police")
    with world.app.app_context():
        entry = world.load(odd)
        reviews.confirm_still_accurate(entry, world.user("publisher"), date(2031, 5, 6))
        db.session.execute(
            update(EntryVersion)
            .where(EntryVersion.id == entry.current_version.id)
            .values(benefits="-1 in every 10\nare wrong")
        )
        db.session.commit()


def test_every_current_version_is_kept_as_the_writers_write_it_now(world, runner, tmp_path):
    _varied_register(world, runner, tmp_path)
    # Kept as each change committed, before anyone downloaded anything.
    assert _kept(world) == _written_for_current(world)
    downloads = _downloads(world)
    assert downloads == _written_now(world)
    records = json.loads(downloads["json"])
    assert len(records) == 4, "the withdrawn entry is left out"
    assert {record["organisation"]["type"] for record in records} == {"police"}
    assert "Imported again" in downloads["csv"].decode()
    assert "2031-05-06" in downloads["json"].decode()
    assert "'-1 in every 10" in downloads["csv"].decode()


def test_a_download_sends_the_text_kept_at_publication(world):
    reference = world.entry("published")
    with world.app.app_context():
        version_id = world.load(reference).current_version.id
    _without_listening(
        world,
        update(documents.DOCUMENT)
        .where(documents.DOCUMENT.c.version_id == version_id)
        .values(csv_line="kept,line", json='{"kept":true}'),
    )
    downloads = _downloads(world)
    assert downloads["csv"].endswith(b"\r\nkept,line\r\n")
    assert downloads["json"] == b'[\n{"kept":true}\n]\n'
    assert downloads["ndjson"] == b'{"kept":true}\n'


def _one_entry_downloads(world, reference: str) -> dict[str, bytes]:
    client = world.client(None).client
    return {kind: fetch(client, f"/entries/{reference}.{kind}").data for kind in ("csv", "json")}


def _one_entry_written_now(world, reference: str) -> dict[str, bytes]:
    with world.app.app_context(), db.engine.connect() as connection:
        version = _versions().where(EntryVersion.id == world.load(reference).current_version.id)
        [record] = stream_records(connection, version)
    return {
        "csv": b"".join(csv_chunks(entry_columns(), [record])),
        "json": b"".join(json_lines_chunks([record])),
    }


def test_one_entry_is_sent_as_kept_and_as_the_writers_write_it_now(world, runner, tmp_path):
    _varied_register(world, runner, tmp_path)
    with world.app.app_context():
        references = [reference for (reference,) in db.session.execute(_current_references())]
    assert len(references) == 4
    for reference in references:
        assert _one_entry_downloads(world, reference) == _one_entry_written_now(world, reference)

    reference = references[0]
    with world.app.app_context():
        version_id = world.load(reference).current_version.id
    _without_listening(
        world,
        update(documents.DOCUMENT)
        .where(documents.DOCUMENT.c.version_id == version_id)
        .values(csv_line="kept,line", json='{"kept":true}'),
    )
    downloads = _one_entry_downloads(world, reference)
    assert downloads["csv"].endswith(b"\r\nkept,line\r\n")
    assert downloads["csv"].count(b"\r\n") == 2, "a header and the one row"
    assert downloads["json"] == b'{"kept":true}\n'

    # With nothing kept (as after a load in bulk) it is written as the writers write it.
    _without_listening(world, delete(documents.DOCUMENT))
    assert _one_entry_downloads(world, reference) == _one_entry_written_now(world, reference)


def _current_references():
    return (
        select(Entry.reference)
        .join(EntryVersion, EntryVersion.entry_id == Entry.id)
        .where(EntryVersion.id.in_(_versions()))
    )


def test_text_kept_for_another_layout_or_none_is_written_again(world):
    stale = world.entry("published", values=publishable_values(title="Stale layout"))
    missing = world.entry("published", values=publishable_values(title="Nothing kept"))
    with world.app.app_context():
        stale_id = world.load(stale).current_version.id
        missing_id = world.load(missing).current_version.id
    table = documents.DOCUMENT
    _without_listening(
        world,
        update(table)
        .where(table.c.version_id == stale_id)
        .values(layout="1.1.0/older", csv_line="old,line", json="{}"),
    )
    _without_listening(world, delete(table).where(table.c.version_id == missing_id))

    assert _downloads(world) == _written_now(world)
    assert _kept(world) == _written_for_current(world), "what was written is kept"


def test_a_download_is_right_even_when_a_change_slips_in_before_it_streams(world, monkeypatch):
    reference = world.entry("published")
    with world.app.app_context():
        version_id = world.load(reference).current_version.id
    monkeypatch.setattr(documents, "fill", lambda versions: 0)
    _without_listening(
        world, delete(documents.DOCUMENT).where(documents.DOCUMENT.c.version_id == version_id)
    )
    assert _downloads(world) == _written_now(world)


def test_a_change_to_a_published_versions_rows_is_kept(world):
    reference = world.entry("published", rows=AWKWARD_ROWS)
    with world.app.app_context():
        version = world.load(reference).current_version
        version.risks[0].name = "Bias,\nmostly"
        db.session.commit()
    assert _kept(world) == _written_for_current(world)
    [record] = json.loads(_downloads(world)["json"])
    assert record["risks"][0]["name"] == "Bias,\nmostly"


def test_the_command_writes_what_is_missing(world, runner):
    world.entry("published")
    world.entry("published")
    _without_listening(world, delete(documents.DOCUMENT))
    result = runner.invoke(args=["register", "build-documents"])
    assert result.exit_code == 0, result.output
    assert "Wrote the documents of 2 versions." in result.output
    assert _kept(world) == _written_for_current(world)
    again = runner.invoke(args=["register", "build-documents"])
    assert "Wrote the documents of 0 versions." in again.output


def test_a_change_to_every_version_at_once_is_never_sent_stale(world):
    world.entry("published")
    world.entry("published")
    with world.app.app_context():
        db.session.execute(update(EntryVersion).values(team="=Every team"))
        db.session.commit()
    downloads = _downloads(world)
    assert downloads == _written_now(world)
    assert downloads["csv"].decode().count("'=Every team") == 2
