"""Datasette, as a researcher would publish the register with it: in its own environment,
serving a copy of the register's SQLite file, read-only.

Full-text search is the register's own FTS5 table over the same columns (`entry_search`),
named in the metadata since Datasette only finds such a table by itself when it was made
its way; it holds the register's words (stems), so searches reach it as stems too
(`run.as_indexed`). Facet suggestions are off, so a page computes only the facets asked
for; the time limits are raised so that every count and facet asked for is computed rather
than given up on, and the CSV size limit is lifted so the full download is whole.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode

from servers import Server

VERSION = "0.65.5"
VENV = Path(__file__).with_name(".venv-datasette")
DATABASE = "register"  # the name of the copy, and of its path in Datasette's addresses
TABLE = "entry_version"


def ensure_installed() -> Path:
    """Datasette's own command, installed into its own environment if it is missing."""
    command = VENV / "bin" / "datasette"
    if command.exists():
        return command
    print(f"Installing Datasette {VERSION} into {VENV.name}", flush=True)
    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)  # noqa: S603
    pip = [str(VENV / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    subprocess.run([*pip, "--disable-pip-version-check", f"datasette=={VERSION}"], check=True)  # noqa: S603
    return command


def copy_database(source: Path, folder: Path) -> Path:
    """A consistent copy of the register's SQLite file, in rollback-journal mode so that
    Datasette can open it read-only. It goes in a folder of its own under `folder`, so it
    is never the register's own file, whatever that is called (the register writes to its
    file while Datasette, told it is immutable, reads the copy)."""
    target = folder / "datasette" / f"{DATABASE}.db"
    target.parent.mkdir(exist_ok=True)
    original, copy = sqlite3.connect(source), sqlite3.connect(target)
    try:
        original.backup(copy)
    finally:
        original.close()
        copy.close()
    copy = sqlite3.connect(target, isolation_level=None)
    try:
        copy.execute("PRAGMA journal_mode=DELETE")
    finally:
        copy.close()
    return target


def server(command: Path, database: Path, folder: Path, port: int) -> Server:
    metadata = folder / "metadata.json"
    tables = {TABLE: {"fts_table": "entry_search", "fts_pk": "id"}}
    metadata.write_text(json.dumps({"databases": {DATABASE: {"tables": tables}}}))
    settings = {
        "suggest_facets": "off",
        "max_csv_mb": "0",
        "sql_time_limit_ms": "30000",
        "facet_time_limit_ms": "30000",
    }
    arguments = [str(command), "serve", "-i", str(database), "--metadata", str(metadata)]
    for name, value in settings.items():
        arguments += ["--setting", name, value]
    arguments += ["--host", "127.0.0.1", "--port", str(port)]
    return Server("Datasette", arguments, port, log=folder / "datasette.log")


def table_url(extension: str = "", **parameters: object) -> str:
    """The address of the table (as `extension`, such as ".json" or ".csv") with `parameters`
    (lists give a parameter more than once)."""
    pairs = []
    for name, value in parameters.items():
        for one in value if isinstance(value, list | tuple) else [value]:
            pairs.append((name, one))
    query = urlencode(pairs)
    return f"/{DATABASE}/{TABLE}{extension}" + (f"?{query}" if query else "")


def row_url(version_id: int) -> str:
    return f"/{DATABASE}/{TABLE}/{version_id}"


def current_version_of(database: Path, reference: str) -> int:
    """The id of the current version of the entry with `reference`, in the copy."""
    with sqlite3.connect(database) as connection:
        found = connection.execute(
            "SELECT entry_version.id FROM entry_version JOIN entry ON entry.id = "
            "entry_version.entry_id WHERE entry.reference = ? AND is_current = 1",
            (reference,),
        ).fetchone()
    if found is None:
        raise RuntimeError(f"{reference} has no current version in the copy")
    return found[0]
