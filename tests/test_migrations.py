"""Migrations build the schema from nothing and take it down again, on the engine under test."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from register.extensions import db


def _tables() -> set[str]:
    db.engine.dispose()
    return set(inspect(db.engine).get_table_names()) - {"alembic_version"}


def test_migrations_go_down_to_nothing_and_up_again(app):
    with app.app_context():
        expected = set(db.metadata.tables)
        assert _tables() == expected
        downgrade(revision="base")
        assert _tables() == set()
        upgrade()
        assert _tables() == expected
