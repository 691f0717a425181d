"""The record is defined once: every schema field must reach the model and the migrated database."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Boolean, String, Text, inspect, text
from sqlalchemy.schema import CreateIndex

from register import schema
from register.extensions import db
from register.models import Entry, EntryVersion, VersionChoice
from register.models.entry import GROUP_MODELS
from register.schema import Kind
from register.search import index as search_index

CODE = re.compile(r"^[a-z][a-z0-9_]*$")


@contextmanager
def _expression_indexes_unread() -> Iterator[None]:
    """SQLAlchemy cannot read an index of an expression back from SQLite, nor so Alembic
    compare it: it warns and leaves it out (`test_sqlite_has_every_expression_index`
    checks those instead)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based")
        warnings.filterwarnings("ignore", "autogenerate skipping metadata-specified expression")
        yield


def _expected_type(field: schema.Field) -> type:
    if field.kind is Kind.BOOLEAN:
        return Boolean
    if field.kind is Kind.LONG_TEXT:
        return Text
    return String


@pytest.mark.parametrize("field", schema.column_fields(), ids=lambda f: f.name)
def test_every_record_field_is_a_column_of_a_version(field):
    column = EntryVersion.__table__.columns.get(field.name)
    assert column is not None, f"{field.name} is in the schema but not on EntryVersion"
    assert isinstance(column.type, _expected_type(field))
    if field.kind in (Kind.TEXT, Kind.EMAIL, Kind.URL):
        assert column.type.length == field.max_length
    assert column.nullable, "drafts may leave any field empty"
    assert column.index == field.filter, f"{field.name}: filter fields must be indexed"


@pytest.mark.parametrize(
    "group, field",
    [(group, field) for group in schema.groups() for field in group.fields],
    ids=lambda item: item.name,
)
def test_every_repeating_row_field_is_a_column_of_its_table(group, field):
    model = GROUP_MODELS[group.name]
    column = model.__table__.columns.get(field.name)
    assert column is not None, f"{group.name}.{field.name} is missing from {model.__name__}"
    assert isinstance(column.type, _expected_type(field))


def test_every_repeating_group_has_a_table():
    assert set(GROUP_MODELS) == {group.name for group in schema.groups()}


def test_fields_kept_elsewhere_have_their_own_storage():
    kinds = {field.name: field.kind for field in schema.all_fields()}
    multiple = [name for name, kind in kinds.items() if kind is Kind.CHOICES]
    assert multiple == ["techniques"]
    assert "field" in VersionChoice.__table__.columns
    assert "organisation_id" in Entry.__table__.columns
    assert "organisation_id" in EntryVersion.__table__.columns


def test_the_migrated_database_has_every_schema_column(app):
    with app.app_context(), _expression_indexes_unread():
        inspector = inspect(db.engine)
        columns = {column["name"] for column in inspector.get_columns("entry_version")}
        missing = {field.name for field in schema.column_fields()} - columns
        assert not missing, f"no migration adds {sorted(missing)}"
        indexed = {
            column
            for index in inspector.get_indexes("entry_version")
            for column in index["column_names"]
            if column
        }
        filters = {f.name for f in schema.column_fields() if f.filter}
        assert filters <= indexed, f"not indexed in the database: {sorted(filters - indexed)}"
        for group in schema.groups():
            table = GROUP_MODELS[group.name].__tablename__
            columns = {column["name"] for column in inspector.get_columns(table)}
            assert {field.name for field in group.fields} <= columns


def test_the_migrations_match_the_models_exactly(app):
    """A model change without a migration (or the reverse) fails here. The search index's
    own objects are left out, as the migrations' autogenerate leaves them out."""
    with app.app_context(), db.engine.connect() as connection, _expression_indexes_unread():
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": search_index.include_name}
        )
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def _written(expression: str) -> str:
    # PostgreSQL writes an expression back its own way: capitals, casts, fewer spaces.
    return re.sub(r"\s+|::text", "", expression).lower()


def test_every_expression_index_is_in_the_database_as_the_models_make_it(app):
    """Each index of an expression is in the migrated database as the models would create
    it (an ORDER BY uses it only if its expression is the same): on SQLite, which SQLAlchemy
    cannot read such an index back from, word for word; on PostgreSQL, as it reads it back."""
    with app.app_context(), db.engine.connect() as connection:
        dialect = connection.dialect
        indexes = [
            index
            for table in db.metadata.tables.values()
            for index in table.indexes
            if any(not hasattr(expression, "table") for expression in index.expressions)
        ]
        assert indexes, "no index of an expression to check"
        if dialect.name == "sqlite":
            expected = {i.name: str(CreateIndex(i).compile(dialect=dialect)) for i in indexes}
            made = dict(
                connection.execute(
                    text("SELECT name, sql FROM sqlite_master WHERE type = 'index'")
                ).all()
            )
            assert {name: made.get(name) for name in expected} == expected
            return
        for index in indexes:
            table = index.table.name
            wanted = [
                _written(
                    str(e.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
                ).replace(f"{table}.", "")
                for e in index.expressions
            ]
            found = {i["name"]: i for i in inspect(connection).get_indexes(table)}.get(index.name)
            assert found is not None, f"{index.name} is not in the database"
            made = [_written(e) for e in found.get("expressions") or found["column_names"]]
            assert made == wanted, index.name


def test_vocabulary_codes_are_stable_identifiers():
    for vocabulary in schema.VOCABULARIES.values():
        codes = vocabulary.codes
        assert len(codes) == len(set(codes)), f"{vocabulary.name} repeats a code"
        for choice in vocabulary.choices:
            assert CODE.match(choice.code), f"{vocabulary.name}: {choice.code!r}"
            assert choice.label
        assert all(len(code) <= 40 for code in codes)


def test_the_brief_s_vocabularies_are_complete():
    assert len(schema.VOCABULARIES["policy_area"].choices) == 10
    assert schema.VOCABULARIES["status"].codes == (
        "planned",
        "in_development",
        "pilot",
        "in_use",
        "retired",
    )
    assert len(schema.VOCABULARIES["technique"].choices) == 11
    assert len(schema.VOCABULARIES["risk_category"].choices) == 9
    assert len(schema.VOCABULARIES["impact_assessment_kind"].choices) == 5


def test_every_field_has_a_label_a_known_section_and_known_crosswalk_sources():
    names = [field.name for field in schema.all_fields()]
    assert len(names) == len(set(names)), "field names must be unique"
    for section in schema.SECTIONS:
        assert section.items, f"section {section.slug} is empty"
        for item in section.items:
            assert item.label
            assert set(item.crosswalk) <= set(schema.CROSSWALK_SOURCES)


def test_conditional_requirements_point_at_real_choices():
    fields = {field.name: field for field in schema.all_fields()}
    for field in schema.all_fields():
        if field.required_if:
            other, codes = field.required_if
            assert other in fields, f"{field.name} depends on unknown {other}"
            assert set(codes) <= set(fields[other].vocabulary.codes)


def test_required_fields_match_the_brief():
    required = {field.name for field in schema.all_fields() if field.required}
    assert required == {
        "title",
        "summary",
        "organisation",
        "policy_area",
        "status",
        "contact_email",
        "purpose",
        "benefits",
        "decision_role",
        "techniques",
        "built_by",
        "uses_personal_data",
        "risk_level",
        "oversight_model",
        "oversight_description",
        "appeal_process",
    }
    for group_name in ("data_sources", "risks"):
        group = next(g for g in schema.groups() if g.name == group_name)
        assert group.get("name").required
