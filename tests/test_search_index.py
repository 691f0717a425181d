"""The full-text index stays true: every change the public can see reaches it in the same
transaction, whoever makes it; the migration builds it from the schema's searchable fields;
and the listing's statements use indexes rather than reading the whole entries table."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import event, inspect, select, text
from werkzeug.datastructures import MultiDict

from register import publishing, schema, search
from register.extensions import db
from register.models import EntryVersion
from register.search import index

from .factories import publishable_values
from .manage_world import WORLD
from .public_entries import revise, withdraw
from .search_corpus import build

world = WORLD


def is_sqlite() -> bool:
    return db.engine.dialect.name == "sqlite"


def found(app, params: str) -> list[str]:
    with app.app_context():
        query, _ = search.parse_query(MultiDict(parse_qsl(params)))
        return [item.reference for item in search.run(query).items]


def assert_index_is_true(app) -> None:
    """SQLite's index holds exactly the current versions (PostgreSQL's vector is a generated
    column of the row itself, so it cannot drift)."""
    with app.app_context():
        current = set(db.session.scalars(select(EntryVersion.id).where(EntryVersion.is_current)))
        if is_sqlite():
            indexed = set(db.session.scalars(text("SELECT id FROM entry_search_docsize")))
        else:
            indexed = set(
                db.session.scalars(
                    text(
                        "SELECT id FROM entry_version "
                        "WHERE is_current AND search_document IS NOT NULL"
                    )
                )
            )
        assert indexed == current


def generation(app) -> int:
    with app.app_context():
        return search.generation()


def test_publishing_revising_retiring_and_withdrawing_change_what_is_found_at_once(app, world):
    reference = world.entry("in_review", values=_glacier())
    assert found(app, "q=glacier") == []
    assert found(app, "") == []  # the counts are cached now

    with app.app_context():
        publishing.publish(world.load(reference), world.user("publisher"))
    assert found(app, "q=glacier") == [reference]
    assert found(app, "") == [reference]
    assert_index_is_true(app)

    revise(world, reference, {"title": "Iceberg melt monitor"}, publish=False)
    assert found(app, "q=glacier") == [reference], "the published version is still found"
    assert found(app, "q=iceberg") == []
    with app.app_context():
        entry = world.load(reference)
        publishing.submit(entry, world.user("editor"))
        publishing.publish(entry, world.user("publisher"), "Renamed.")
    assert found(app, "q=glacier") == []
    assert found(app, "q=iceberg") == [reference]
    assert_index_is_true(app)

    with app.app_context():
        publishing.retire(world.load(reference), world.user("publisher"), "Melted.", "2025-01")
    assert found(app, "q=iceberg&status=retired") == [reference]
    assert found(app, "q=iceberg&status=in_use") == []
    assert_index_is_true(app)

    withdraw(world, reference, "Published in error.")
    assert found(app, "q=iceberg") == []
    assert found(app, "") == []
    assert_index_is_true(app)


def _glacier() -> dict:
    return publishable_values(title="Glacier melt monitor", summary="Watches the ice melt.")


def test_the_bulk_demo_loader_keeps_the_index_true(app, runner, world):
    before = generation(app)
    assert found(app, "") == []
    result = runner.invoke(args=["register", "demo-data", "--entries", "30"])
    assert result.exit_code == 0, result.output
    assert generation(app) > before
    assert_index_is_true(app)
    with app.app_context():
        version = db.session.scalars(select(EntryVersion).where(EntryVersion.is_current)).first()
        total = search.run(search.SearchQuery()).total
    assert total == 30
    word = max(re.findall(r"[A-Za-z]+", version.title), key=len)
    assert version.entry_id in {_entry_id(app, r) for r in found(app, f"q={word}&page_size=100")}


def _entry_id(app, reference: str) -> int:
    from register.models import Entry

    with app.app_context():
        return db.session.scalar(select(Entry.id).where(Entry.reference == reference))


def test_only_changes_the_public_can_see_move_the_generation_on(app, world):
    reference = world.entry("published")
    start = generation(app)
    with app.app_context():
        entry = world.load(reference)
        publishing.start_revision(entry, world.user("editor"))
        draft = entry.draft
        publishing.save_draft(
            entry, world.user("editor"), {"title": "New"}, based_on=draft.lock_version
        )
    assert generation(app) == start, "a draft is not public"
    withdraw(world, reference, "Published in error.")
    assert generation(app) > start


def test_the_index_is_built_from_the_schema_s_searchable_fields(app):
    searchable = schema.searchable_fields()
    assert [f.name for f in searchable][:2] == ["title", "summary"]
    with app.app_context():
        if is_sqlite():
            columns = [
                row[1] for row in db.session.execute(text("PRAGMA table_info(entry_search)"))
            ]
            assert columns == [f.name for f in searchable]
        else:
            expression = db.session.scalar(
                text(
                    "SELECT generation_expression FROM information_schema.columns "
                    "WHERE table_name = 'entry_version' AND column_name = 'search_document'"
                )
            )
            weights = re.findall(
                r"to_tsvector\('simple'::regconfig, \(?COALESCE\(\(?search_words ->> '(\w+)'"
                r".*?'([ABCD])'::\"char\"",
                expression,
            )
            classes = {1: "D", 2: "C", 3: "B", 4: "A"}
            assert weights == [(f.name, classes[f.search_weight]) for f in searchable]


def test_the_index_goes_down_with_its_migration_and_is_rebuilt_from_current_versions(app, world):
    reference = world.entry("published", values=_glacier())
    with app.app_context():
        downgrade(revision="0002")
        db.engine.dispose()
        names = set(inspect(db.engine).get_table_names())
        assert not names & index.OWNED_TABLES
        columns = {c["name"] for c in inspect(db.engine).get_columns("entry_version")}
        assert index.DOCUMENT_COLUMN not in columns
        upgrade()
        db.engine.dispose()
    assert found(app, "q=glacier") == [reference]
    assert_index_is_true(app)


def test_migration_0017_goes_down_to_each_engine_s_english_and_up_to_the_register_s_words(
    app, world
):
    reference = world.entry(
        "published", values=publishable_values(title="Children's well-being checks")
    )
    assert found(app, "q=childrens") == [reference]
    with app.app_context():
        downgrade(revision="0016")
        db.engine.dispose()
        # The index of migration 0003 again, built from the text of the current versions.
        if is_sqlite():
            matched = "SELECT rowid FROM entry_search WHERE entry_search MATCH 'children'"
        else:
            matched = (
                "SELECT id FROM entry_version WHERE is_current "
                "AND search_document @@ to_tsquery('english', 'children')"
            )
        assert len(db.session.scalars(text(matched)).all()) == 1
        db.session.rollback()
        upgrade()
        db.engine.dispose()
    assert found(app, "q=wellbeing") == [reference]
    assert_index_is_true(app)


def test_the_model_comparison_leaves_out_the_search_s_objects_and_nothing_else():
    assert not index.include_name("entry_search", "table", {})
    assert not index.include_name("entry_search_data", "table", {})
    assert not index.include_name("search_generation", "table", {})
    assert not index.include_name("search_document", "column", {"table_name": "entry_version"})
    assert not index.include_name("ix_entry_version_search_document", "index", {})
    assert index.include_name("entry_version", "table", {})
    assert index.include_name("entry_search_extra", "table", {})
    assert index.include_name("search_document", "column", {"table_name": "risk"})
    assert index.include_name("title", "column", {"table_name": "entry_version"})
    assert index.include_name("ix_entry_version_current_filters", "index", {})


# The statements the listing makes, and how each engine would run them --------------------

PAGES = [
    "",
    "status=in_use&risk_level=high",
    "q=chatbot",
    "q=predicting&status=in_use&sort=updated",
    "q=chat&techniques=rule_based",
    "sort=title",
    "sort=title&status=pilot&page=2&page_size=1",
    "organisation=southvale-police",
    "organisation_type=police&uses_personal_data=yes",
    "techniques=classical_ml&techniques=forecasting",
    "review=overdue",
    "review=overdue&status=in_use&sort=title",
    "q=council&review=overdue",
    "published=2025-03",
    "published=2025-03&published=2024-12&status=in_use&sort=title",
    "q=council&published=2025-03",
]
FULL_SCAN = re.compile(r"^SCAN (entry_version|entry)\b(?! USING)", re.MULTILINE)


def _statements(app, params: str) -> list[tuple[str, object]]:
    seen: list[tuple[str, object]] = []
    with app.app_context():

        def collect(connection, cursor, statement, parameters, context, executemany) -> None:
            seen.append((statement, parameters))

        event.listen(db.engine, "before_cursor_execute", collect)
        try:
            query, _ = search.parse_query(MultiDict(parse_qsl(params)))
            search.run(query)
        finally:
            event.remove(db.engine, "before_cursor_execute", collect)
    return seen


def _plan(connection, statement: str, parameters) -> str:
    if connection.dialect.name == "sqlite":
        rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
        return "\n".join(row[-1] for row in rows)
    rows = connection.exec_driver_sql(f"EXPLAIN {statement}", parameters)
    return "\n".join(row[0] for row in rows)


@pytest.mark.parametrize("params", PAGES)
def test_no_statement_of_the_listing_reads_the_whole_entries_table(app, world, params):
    build(world)
    with app.app_context():
        search.clear_caches()
    statements = _statements(app, params)
    assert len(statements) > 3
    with app.app_context(), db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            # With a handful of rows any plan is cheap: ask whether an index could serve.
            connection.exec_driver_sql("SET enable_seqscan = off")
        for statement, parameters in statements:
            plan = _plan(connection, statement, parameters)
            assert not FULL_SCAN.search(plan), f"{statement}\n{plan}"
            assert "Seq Scan on entry_version" not in plan, f"{statement}\n{plan}"
            assert not re.search(r"Seq Scan on entry\b", plan), f"{statement}\n{plan}"


def test_postgresql_connections_plan_for_fast_disks(app):
    """With the server's default (4) the planner scans every entry for broad searches."""
    from sqlalchemy import text

    from register.extensions import db

    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            assert "connect_args" not in app.config["SQLALCHEMY_ENGINE_OPTIONS"]
            return
        assert db.session.execute(text("SHOW random_page_cost")).scalar_one() == "1.1"
