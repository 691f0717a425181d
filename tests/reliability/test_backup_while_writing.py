"""A backup taken while people are writing to the register is a consistent copy, and the
register restored from it has every entry and every version acknowledged before it began.

On SQLite, with `flask register backup` (SQLite's online backup); on PostgreSQL, with
`pg_dump` and `pg_restore` as the README says. Each on the engine the suite runs on.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import make_url

from . import writers
from .consistency import engine_problems, problems_in
from .servers import (
    PASSWORD,
    Database,
    fresh_database,
    missing,
    new_postgres_database,
    run_flask,
    serving,
)
from .visitors import Visitor
from .writers import Writes, signed_in, stored_references, stored_versions

pytestmark = pytest.mark.reliability

ORGANISATION = "Northshire County Council"
PEOPLE = {
    "editor@ns.example": (ORGANISATION, "editor"),
    "creator@ns.example": (ORGANISATION, "editor"),
    "publisher@ns.example": (ORGANISATION, "publisher"),
}


def libpq_url(database: Database) -> str:
    """The database's URL as PostgreSQL's own tools take it."""
    url = make_url(database.url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def back_up(database: Database, environment: dict[str, str], folder: Path) -> Path:
    """Back the running register up as its README says; the backup file."""
    if database.engine_name == "sqlite":
        copy = folder / "register-backup.db"
        output = run_flask(environment, "register", "backup", str(copy))
        assert "Backed up the register" in output
        return copy
    if not shutil.which("pg_dump"):
        missing("pg_dump is not installed")
    copy = folder / "register.dump"
    subprocess.run(
        ["pg_dump", "--format=custom", f"--file={copy}", libpq_url(database)],
        check=True,
        timeout=120,
    )
    return copy


@contextmanager
def restored(copy: Path, original: Database) -> Iterator[Database]:
    """A database restored from the backup `copy` of `original`, as the README says."""
    if original.engine_name == "sqlite":
        database = Database(f"sqlite:///{copy}")
    else:
        database = new_postgres_database(original.admin_url)
        subprocess.run(
            ["pg_restore", "--clean", "--if-exists", f"--dbname={libpq_url(database)}", str(copy)],
            check=True,
            timeout=120,
        )
    try:
        yield database
    finally:
        database.close()


def _wait_for(writes: Writes, acknowledged: int) -> None:
    deadline = time.monotonic() + 60
    while writes.acknowledged < acknowledged and not writes.failures:
        assert time.monotonic() < deadline, f"only {writes.acknowledged} writes in 60s"
        time.sleep(0.02)


def test_a_backup_taken_while_people_write_restores_every_entry_and_version(tmp_path):
    writes = Writes()
    with fresh_database(tmp_path) as database:
        database.add_people(PEOPLE)
        with serving(database, tmp_path) as server:
            editor, creator, publisher = (signed_in(server.url, email) for email in PEOPLE)
            cycled = writers.published_entry(editor, publisher, writes)
            threads = writers.start(
                writes,
                [
                    ("creator", writers.creator(creator, writes)),
                    ("cycler", writers.cycler(editor, publisher, cycled, writes)),
                ],
            )
            _wait_for(writes, 4)
            created, versions = writes.snapshot()
            copy = back_up(database, server.environment, tmp_path)
            _wait_for(writes, writes.acknowledged + 2)  # they went on writing throughout
            writes.stop.set()
            for thread in threads:
                thread.join(timeout=60)
            assert not writes.failures, writes.failures

        with restored(copy, database) as copied:
            assert engine_problems(copied.app) == []
            assert problems_in(copied.app) == []
            references = stored_references(copied)
            assert created | {cycled} <= references
            restored_versions = stored_versions(copied)
            assert {v: restored_versions.get(v) for v in versions} == versions
            # Served from the restored copy, every entry and version is there to read.
            with serving(copied, tmp_path, "restored", workers=2) as server:
                anyone = Visitor(server.url)
                for reference, number in restored_versions:
                    anyone.page(f"/entries/{reference}/versions/{number}")
                editor = Visitor(server.url)
                editor.sign_in("editor@ns.example", PASSWORD)
                for reference in references:
                    editor.page(f"/manage/entries/{reference}")
