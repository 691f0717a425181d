"""The register's own JSON comes back in: `flask register import --format native FILE`."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from register import publishing
from register.extensions import db
from register.models import AuditEvent, Entry

from .factories import publishable_values
from .manage_world import WORLD
from .opendata_world import publish_awkward
from .public_entries import revise

world = WORLD

REGISTER_KEPT = {
    "reference",
    "version",
    "schema_version",
    "published_at",
    "first_published_at",
    "last_published_at",
    "last_reviewed_on",
    "next_review_due",
    "change_note",
    # Where the entry came from: the importing register says it came from the file.
    "source",
    "source_link",
    "source_identifier",
    "imported_at",
}


def _answers(record: dict) -> dict:
    return {key: value for key, value in record.items() if key not in REGISTER_KEPT}


def _empty_register(world) -> None:
    """Remove every entry, keeping the organisations and people."""
    with world.app.app_context():
        for entry in db.session.scalars(select(Entry)):
            db.session.delete(entry)
        db.session.execute(AuditEvent.__table__.delete())
        db.session.commit()


def test_an_exported_entry_imports_as_the_same_record(world, runner, tmp_path):
    reference = publish_awkward(world)
    revise(world, reference, {"team": "Roads"}, note="New team.")
    client = world.client(None).client
    exported = client.get(f"/entries/{reference}.json").json
    path = tmp_path / "entry.json"
    path.write_text(json.dumps(exported), encoding="utf-8")
    _empty_register(world)

    result = runner.invoke(
        args=["register", "import", "--format", "native", "--publish", str(path)]
    )
    assert result.exit_code == 0, result.output
    assert "1 row read: 1 entry created, 0 updated, 0 unchanged (as published)." in result.output
    with world.app.app_context():
        [imported_reference] = db.session.scalars(select(Entry.reference))
    imported = client.get(f"/entries/{imported_reference}.json").json
    assert _answers(imported) == _answers(exported)
    assert imported["version"] == 1


def test_the_whole_download_imports_as_drafts_by_default(world, runner, tmp_path):
    publish_awkward(world)
    world.entry("published", organisation="Southvale Police", author="outside_editor")
    exported = world.client(None).client.get("/entries.json", buffered=True).json
    path = tmp_path / "register.json"
    path.write_text(json.dumps(exported), encoding="utf-8")
    _empty_register(world)

    result = runner.invoke(args=["register", "import", "--format", "native", str(path)])
    assert result.exit_code == 0, result.output
    assert "2 rows read: 2 entries created, 0 updated, 0 unchanged (as drafts)." in result.output
    with world.app.app_context():
        entries = list(db.session.scalars(select(Entry).order_by(Entry.id)))
        assert [entry.state for entry in entries] == ["draft", "draft"]
        drafts = {publishing.values_of(e.draft)["title"]: e for e in entries}
        assert set(drafts) == {record["title"] for record in exported}
        assert (
            db.session.scalar(
                select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "imported")
            )
            == 2
        )


def test_one_bad_record_imports_nothing_and_says_what_is_wrong(world, runner, tmp_path):
    world.entry("published")
    world.entry("published")
    exported = world.client(None).client.get("/entries.json", buffered=True).json
    exported[1]["title"] = " "
    exported[0]["organisation"]["slug"] = "nowhere"
    exported[0]["organisation"]["name"] = "Nowhere Council"
    path = tmp_path / "register.json"
    path.write_text(json.dumps(exported), encoding="utf-8")
    _empty_register(world)

    result = runner.invoke(args=["register", "import", "--format", "native", str(path)])
    assert result.exit_code != 0
    assert "Problem: Record 2, column “title”: The row has no title" in result.output
    assert "Problem: Record 1, column “organisation”, value “nowhere”" in result.output
    assert "Nothing was imported" in result.output
    with world.app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Entry)) == 0


def test_a_record_missing_what_publishing_needs_is_refused_when_publishing(world, runner, tmp_path):
    world.entry("published")
    exported = world.client(None).client.get("/entries.json", buffered=True).json
    exported[0]["purpose"] = None
    path = tmp_path / "register.json"
    path.write_text(json.dumps(exported), encoding="utf-8")
    _empty_register(world)
    refused = runner.invoke(
        args=["register", "import", "--format", "native", "--publish", str(path)]
    )
    assert refused.exit_code != 0
    assert "Needed to publish: Enter the problem the tool addresses" in refused.output
    accepted = runner.invoke(args=["register", "import", "--format", "native", str(path)])
    assert accepted.exit_code == 0, accepted.output


def test_a_file_that_is_not_the_registers_json_is_refused(world, runner, tmp_path):
    for content in ["not json", "[1, 2]", '{"title": "No organisation"}', ""]:
        path = tmp_path / "bad.json"
        path.write_text(content, encoding="utf-8")
        result = runner.invoke(args=["register", "import", "--format", "native", str(path)])
        assert result.exit_code != 0, content
        assert "Nothing was imported" in result.output


def test_the_registers_own_csv_imports_with_every_value_as_it_was_stored(world, runner, tmp_path):
    titles = ["'Tis the season", "=SUM(A1:A2)", "\uff0b44 helpline", "|pipe", "Plain title"]
    for title in titles:
        world.entry("published", values={**publishable_values(), "title": title})
    exported = world.client(None).client.get("/entries.csv", buffered=True).data
    path = tmp_path / "entries.csv"
    path.write_bytes(exported)
    _empty_register(world)

    result = runner.invoke(args=["register", "import", "--format", "native", str(path)])
    assert result.exit_code == 0, result.output
    with world.app.app_context():
        drafts = [publishing.values_of(entry.draft) for entry in db.session.scalars(select(Entry))]
    assert sorted(draft["title"] for draft in drafts) == sorted(titles)


def test_the_registers_own_files_bring_back_the_welsh_answers(world, runner, tmp_path):
    welsh = {"summary_cy": "Yn didoli adroddiadau.", "appeal_process_cy": "Gofynnwch i’r tîm."}
    world.entry(
        "published",
        values=publishable_values(**welsh),
        rows={"risks": [{"name": "Bias", "mitigation_cy": "Mae arolygydd yn gwirio."}]},
    )
    client = world.client(None).client
    (tmp_path / "entries.csv").write_bytes(client.get("/entries.csv", buffered=True).data)
    (tmp_path / "entries.json").write_bytes(client.get("/entries.json", buffered=True).data)

    for name in ("entries.csv", "entries.json"):
        _empty_register(world)
        result = runner.invoke(
            args=["register", "import", "--format", "native", str(tmp_path / name)]
        )
        assert result.exit_code == 0, result.output
        with world.app.app_context():
            [entry] = db.session.scalars(select(Entry))
            draft = publishing.values_of(entry.draft)
            rows = publishing.rows_of(entry.draft)
        assert {key: draft[key] for key in welsh} == welsh, name
        if name == "entries.json":  # the CSV of entries lists the risks' names only
            assert rows["risks"][0]["mitigation_cy"] == "Mae arolygydd yn gwirio."
