"""Migrations build the schema from nothing and take it down again, on the engine under test."""

from __future__ import annotations

from datetime import UTC, datetime

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from register.extensions import db
from register.search import index as search_index


def _tables() -> set[str]:
    """The tables the models describe: not Alembic's own, nor the search index's."""
    db.engine.dispose()
    names = inspect(db.engine).get_table_names()
    return {name for name in names if search_index.include_name(name, "table", {})} - {
        "alembic_version"
    }


def test_migrations_go_down_to_nothing_and_up_again(app):
    with app.app_context():
        expected = set(db.metadata.tables)
        assert _tables() == expected
        downgrade(revision="base")
        assert _tables() == set()
        upgrade()
        assert _tables() == expected


def test_an_entry_id_and_so_its_reference_is_never_handed_out_again(app):
    """Deleting the newest entry row must not let the next entry take its id."""
    with app.app_context():
        organisation = db.session.execute(
            text(
                "INSERT INTO organisation (name, slug, type, allows_self_publishing, created_at)"
                " VALUES ('Northshire', 'northshire', 'local_government', false, :now)"
                " RETURNING id"
            ),
            {"now": datetime.now(UTC)},
        ).scalar_one()
        ids = []
        for reference in ("AIR-A", "AIR-B"):
            ids.append(
                db.session.execute(
                    text(
                        "INSERT INTO entry (reference, organisation_id, state, created_at,"
                        " updated_at) VALUES (:reference, :organisation, 'draft', :now, :now)"
                        " RETURNING id"
                    ),
                    {
                        "reference": reference,
                        "organisation": organisation,
                        "now": datetime.now(UTC),
                    },
                ).scalar_one()
            )
            if reference == "AIR-A":
                db.session.execute(text("DELETE FROM entry WHERE id = :id"), {"id": ids[0]})
        db.session.commit()
        assert ids[1] > ids[0]
