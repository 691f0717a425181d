"""A consistent copy of the register's database while it keeps running.

SQLite has an online backup API: the copy is a snapshot even while requests write. For
PostgreSQL, `pg_dump` does the same job better than the register could, so the register
says how to run it instead of pretending.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from .extensions import db


class BackupError(RuntimeError):
    """The backup could not be made; the message says what to do instead."""


def backup_database(destination: Path) -> int:
    """Copy the database to `destination` (a new file); return the number of pages copied."""
    engine = db.engine
    if engine.dialect.name != "sqlite":
        url = engine.url.set(drivername="postgresql").render_as_string(hide_password=True)
        raise BackupError(
            "The register's database is PostgreSQL: back it up with pg_dump, for example "
            f"pg_dump --format=custom --file={destination} '{url}' "
            "(and restore with pg_restore)."
        )
    if destination.exists():
        raise BackupError(f"{destination} already exists; choose a new file name.")
    if not destination.parent.is_dir():
        raise BackupError(f"The folder {destination.parent} does not exist.")
    connection = engine.raw_connection()
    try:
        source = connection.driver_connection
        copy = sqlite3.connect(destination)
        try:
            source.backup(copy)
            pages = copy.execute("PRAGMA page_count").fetchone()[0]
            if copy.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError("The copy failed its integrity check; it has been removed.")
        finally:
            copy.close()
    except BackupError:
        destination.unlink(missing_ok=True)
        raise
    finally:
        connection.close()
    return pages
