"""Worlds built once per process: a fixture that sets up the same rows for test after test
builds them through the register's own code the first time, keeps a copy of every row, and
later copies those rows back instead of building them again.

A copy is only used where it was made: from the same rows, value for value. Each copy is the whole
database as the build left it, so restoring one first empties the tables, then writes the
rows back with their own ids and moves the id counters past them; the full-text index follows
through its triggers (SQLite) or generated column (PostgreSQL), as it does for any write.
What a build returns is kept too, so it must be plain data (references, keys), never an object
tied to a session or a browser.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask
from sqlalchemy import Table, select, text

from register.extensions import db

T = TypeVar("T")

_Rows = list[tuple[Table, list[dict[str, Any]]]]
_kept: dict[tuple[str, int], tuple[Any, _Rows]] = {}


def built_once(app: Flask, key: str, build: Callable[[], T]) -> T:
    """Leave the database as `build()` would, from the rows it holds now; `build`'s answer."""
    with app.app_context():
        db.session.remove()
        start = hash(repr(_copy()))
    kept = _kept.get((key, start))
    if kept is not None:
        answer, rows = kept
        _restore(app, rows)
        return answer
    answer = build()
    with app.app_context():
        db.session.remove()
        _kept[key, start] = (answer, _copy())
    return answer


def _copy() -> _Rows:
    copied = []
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            rows = [dict(row) for row in connection.execute(select(table)).mappings()]
            if rows:
                copied.append((table, rows))
    return copied


def _restore(app: Flask, rows: _Rows) -> None:
    from .conftest import empty_tables

    empty_tables(app)
    with app.app_context(), db.engine.begin() as connection:
        for table, table_rows in rows:
            connection.execute(table.insert(), table_rows)
        if connection.dialect.name != "postgresql":
            return  # SQLite moves an AUTOINCREMENT counter past any id written
        counters = [_counter_past_rows(table.name) for table, _ in rows if _counted(table)]
        if counters:
            connection.execute(text("SELECT " + ", ".join(counters)))


def _counted(table: Table) -> bool:
    return "id" in table.c and table.c.id.autoincrement in (True, "auto")


def _counter_past_rows(name: str) -> str:
    """PostgreSQL: move the table's id sequence to its largest id (a name from the schema)."""
    largest = f'(SELECT max(id) FROM "{name}")'  # noqa: S608
    return f"setval(pg_get_serial_sequence('\"{name}\"', 'id'), {largest})"
