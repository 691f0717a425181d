"""Entries as the public meets them, for the tests of the public entry pages.

Builds on the management tests' `World` (its organisations, people and `entry()`): entries
are revised, retired and withdrawn through `publishing`, as the code under test leaves them,
and pages are fetched by an anonymous visitor.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from sqlalchemy import event

from register import publishing
from register.extensions import db

from .manage_world import World


def revise(
    world: World,
    reference: str,
    values: dict[str, Any] | None = None,
    *,
    rows: dict[str, list[dict[str, Any]]] | None = None,
    note: str = "Updated the answers.",
    publish: bool = True,
    withheld: dict[str, Any] | None = None,
) -> None:
    """Start a revision of a published entry, save `values` and `rows` to it (and withhold
    the answers `withheld` names), and (unless `publish` is false) submit and publish it as
    the next version."""
    with world.app.app_context():
        entry = world.load(reference)
        editor = world.user("editor")
        publishing.start_revision(entry, editor)
        publishing.save_draft(
            entry,
            editor,
            values or {},
            based_on=entry.draft.lock_version,
            rows=rows,
            withheld=withheld,
        )
        if publish:
            publishing.submit(entry, editor)
            publishing.publish(entry, world.user("publisher"), note)


def retire(world: World, reference: str, reason: str, retired_on: str = "2025-03") -> None:
    with world.app.app_context():
        publishing.retire(world.load(reference), world.user("publisher"), reason, retired_on)


def withdraw(world: World, reference: str, reason: str) -> None:
    with world.app.app_context():
        publishing.withdraw(world.load(reference), world.user("admin"), reason)


@contextmanager
def counted_statements(app: Flask) -> Iterator[list[str]]:
    """Collect every SQL statement the app sends while the block runs (no app context is
    held, so requests may be made inside it)."""
    with app.app_context():
        engine = db.engine
    statements: list[str] = []

    def count(connection, cursor, statement, parameters, context, executemany) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def rows_of_each_group(count: int) -> dict[str, list[dict[str, Any]]]:
    """`count` complete rows in each repeating group."""
    return {
        "data_sources": [
            {
                "name": f"Source {n}",
                "description": f"Reports sent in, batch {n}",
                "contains_personal_data": n % 2 == 0,
                "link": f"https://data.northshire.example/{n}",
                "collection_method": "Online form",
                "sharing_access_retention": "Kept for two years",
            }
            for n in range(1, count + 1)
        ],
        "risks": [
            {
                "name": f"Risk number {n}",
                "category": "accuracy_reliability",
                "description": f"Ranking {n} may be wrong",
                "mitigation": "An inspector checks it",
            }
            for n in range(1, count + 1)
        ],
        "impact_assessments": [
            {
                "kind": "equality",
                "title": f"Assessment {n}",
                "date": "2024-02",
                "summary": "No group is treated differently",
                "link": f"https://northshire.example/eia/{n}",
            }
            for n in range(1, count + 1)
        ],
    }
